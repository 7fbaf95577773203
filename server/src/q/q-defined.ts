/**
 * The members of `.Q` and `.h` that q itself defines in q (or k) and that read session
 * globals: the interpreter evaluates this source once per session (code.kx.com/q/ref/dotq,
 * /ref/doth). Pure text utilities are verbs (verbs/doth.ts, verbs/dotq.ts) instead.
 */

import { MIME_TYPES, STYLE_ANCHORS, STYLE_BODY, URL_SAFE } from "./verbs/doth";
import { RESERVED } from "./verbs/dotq";

const qString = (s: string): string => `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;

/** `.h.tx`'s formats, with the k source q shows for each (`.h.tx` displays it). */
export const DOT_H_TX: readonly [format: string, q: string, shown: string][] = [
  ["json", "{.j.j each $[.Q.qt x;0!x;x]}", "k){.j.j'$[.Q.qt x;0!x;x]}"],
  [
    "csv",
    "{.h.cd x}",
    "k){.q.csv 0:$[.Q.qt x;![x;();0b;(!t)[c]!,:'.q.sv[d]@/:'$v c:&(~l=-10h)&0>l:.Q.tx'v:. t:+0!x];x]}",
  ],
  ["txt", '{"\\t" 0: x}', 'k){"\\t"0:x}'],
  [
    "xml",
    "{.h.xd x}",
    'k){g:{(#*y)#\'(,,"<",x),y,,,"</",x:($x),">"};(,"<R>"),(,/\'+g[`r]@,/(!x)g\'{,xs\'$[11h=@x;$x;t&77h>t:@x;$x;x]}\'x:+0!x),,"</R>"}',
  ],
  ["xls", "{.h.ed x}", "k){ex eb es[`Sheet1]x}"],
];

export const Q_DEFINED = [
  '.Q.addmonths:{("d"$m+y)+x-"d"$m:"m"$x}',
  // .Q.ft applies a function of an unkeyed table to a keyed one, keeping its key columns.
  ".Q.ft:{$[$[99h=type y;98h=type key y;0b];(count cols key y)!x 0!y;x y]}",
  `.Q.res:${RESERVED.map((w) => `\`${w}`).join("")}`,
  `.h.sa:${qString(STYLE_ANCHORS)}`,
  `.h.sb:${qString(STYLE_BODY)}`,
  `.h.sc:${qString(URL_SAFE)}`,
  `.h.ty:${MIME_TYPES.map(([k]) => `\`${k}`).join("")}!(${MIME_TYPES.map(([, v]) => qString(v)).join(";")})`,
  // The delimiter .h.cd puts between the items of a nested cell; a user may set it.
  '.h.d:" "',
  ".h.cd:{csv 0:{$[98h=type x;flip{$[(0h=type x)&not all 10h=type each x;.h.d sv/:string x;x]}each flip x;x]}$[99h=type x;0!x;x]}",
  `.h.tx:\`raw${DOT_H_TX.map(([k]) => `\`${k}`).join("")}!((,:);${DOT_H_TX.map(([, q]) => q).join(";")})`,
].join("\n");
