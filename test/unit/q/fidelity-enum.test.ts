// Enumerations (type 20h, issue 14): each row checked against the display documented on the
// code.kx.com page named per block (rows as in ./support/display-rows.ts).

import { runRows as run } from "./support/display-rows";

const SP = [
  "s:([s:`s1`s2`s3`s4`s5] name:`smith`jones`blake`clark`adams; status:20 10 30 20 30; city:`london`paris`paris`london`athens)",
  "p:([p:`p1`p2`p3`p4`p5`p6] name:`nut`bolt`screw`screw`cam`cog; color:`red`green`blue`red`blue`red)",
  "sp:([] s:`s$`s1`s1`s1`s1`s4`s1`s2`s2`s3`s4`s4`s1; p:`p$`p1`p2`p3`p4`p5`p6`p1`p2`p2`p2`p4`p5; qty:300 200 400 200 100 100 300 400 200 200 300 400)",
].join("\n");

describe("fidelity-enum: Enumerate (ref/enumerate)", () => {
  const e = "d:`a`b`c\ny:`a`b`c`b`a`b`c`c`c`c`c`c`c\ne:`d$y";
  run([
    [`${e}\ne`, "`d$`a`b`c`b`a`b`c`c`c`c`c`c`c"],
    [`${e}\n"i"$e`, "0 1 2 1 0 1 2 2 2 2 2 2 2i"],
    // The enumeration holds indices and reads its domain when used.
    [`${e}\nd[0]:\`o\ne`, "`d$`o`b`c`b`o`b`c`c`c`c`c`c`c"],
    [`${e}\nkey e`, "`d"],
    [`${e}\nd[0]:\`o\nvalue e`, "`o`b`c`b`o`b`c`c`c`c`c`c`c"],
    [`${e}\ntype e`, "20h"],
    [`${e}\ntype first e`, "-20h"],
    [`${e}\nfirst e`, "`d$`a"],
    [`${e}\n\`d$\`x`, "'cast"],
    ["d:`a`b\n`d$0#`", "`d$`symbol$()"],
  ]);
});

describe("fidelity-enum: Enumerations compare as their symbols (ref/match, ref/null, basics/enumerations)", () => {
  run([
    ["l1:`a`b`c\nl2:`a`b`c\n(`l1$`a)~`l2$`a", "0b"],
    ["l1:`a`b`c\nl2:`a`b`c\n(`l1$`a)=`l2$`a", "1b"],
    ["l1:`a`b`c\n(`l1$`a`b)~`l1$`a`b", "1b"],
    ["l1:`a`b`c\n(`l1$`a`b)~`a`b", "0b"],
    ["a:``a\n`=`a$`", "1b"],
    ["a:``a\nnull`a$`", "0b"],
    ["d:`c`a`b\ne:`d$`a`b`c`a\ne?`c", "2"],
    ["d:`c`a`b\ne:`d$`a`b`c`a\ne in `a`c", "1011b"],
    // A dictionary or keyed table looks an enumeration up by its symbols (sp.q's s.name relies on it).
    ["d:`c`a`b\ne:`d$`a`b`c`a\n(`a`b`c!1 2 3)e", "1 2 3 1"],
    ["d:`c`a`b\nk:([k:`a`b`c]v:1 2 3)\nk[`d$`b]", "v| 2"],
    ["d:`c`a`b\nr:select count i by k from ([]k:`d$`a`b`c`a)\nr[`a]", "x| 2"],
    ["d:`c`a`b\ne:`d$`a`b\n{x} each e", "`d$`a`b"],
    ['x:`a`b`c\ny:`a`b`c`b`a`b`c`c`c`c`c`c`c\ne:"i"$x?y\n`x!e', "`x$`a`b`c`b`a`b`c`c`c`c`c`c`c"],
  ]);
});

describe("fidelity-enum: Enumeration and Enum Extend (ref/enumeration, ref/enum-extend, ref/key, basics/internal)", () => {
  run([
    ["x:`a`b`c`d\n`x!1 2 3", "`x$`b`c`d"],
    ["foo:`a`b\n`foo?`a`b`c`b`a", "`foo$`a`b`c`b`a"],
    ["foo:`a`b\n`foo?`a`b`c`b`a\nfoo", "`a`b`c"],
    ["ids:`a`b`c\nx:`ids$`a`c\nkey x", "`ids"],
    ["f:([f:1 2 3]v:`a`b`c)\nx:`f$3 2\nkey x", "`f"],
    ["ee:`a`b`c\nvv:`ee$`a`a`b\ntype vv", "20h"],
  ]);
});

describe("fidelity-enum: Join (ref/join)", () => {
  const syms = "sym:`a`b\nsym2:`c`d";
  run([
    [`${syms}\n(\`sym$\`b),\`b`, "`sym$`b\n`b"],
    [`${syms}\n\`b,(\`sym$\`b)`, "`b\n`sym$`b"],
    [`${syms}\n(\`sym$\`a),\`c\`d`, "`a`c`d"],
    [`${syms}\n(\`sym$\`a\`b),\`c`, "`a`b`c"],
    [`${syms}\n\`a\`b,\`sym2$\`c`, "`a`b`c"],
    [`${syms}\n(\`sym$\`a),\`sym$\`b`, "`sym$`a`b"],
    ["sym:`a`b\ne:`sym$`a`b\ne,:`b\ne", "`sym$`a`b`b"],
    ["sym:`a`b\ne:`sym$`a`b\ne,:`c", "'cast"],
    ["sym:`a`b\ns:`a`c\ns,:`sym$`b\ns", "`a`c`b"],
    // Amending an item stores the symbol's index: a symbol outside the domain is 'cast, as for `,:`.
    ["sym:`a`b`c\ne:`sym$`a`b\ne[1]:`c\ne", "`sym$`a`c"],
    ["sym:`a`b\ne:`sym$`a`b\ne[1]:`c", "'cast"],
  ]);
});

describe("fidelity-enum: Tables keep enumerated columns (ref/first, ref/exec, ref/xgroup, ref/meta, ref/fkeys)", () => {
  run([
    [`${SP}\nfirst sp`, "s  | `s$`s1\np  | `p$`p1\nqty| 300"],
    [
      `${SP}\nexec distinct s,p,s from sp`,
      "s | `s$`s1`s4`s2`s3\np | `p$`p1`p2`p3`p4`p5`p6`p1`p2`p2`p2`p4`p5\ns1| `s$`s1`s1`s1`s1`s4`s1`s2`s2`s3`s4`s4`s1",
    ],
    [
      `${SP}\n\`p xgroup sp`,
      [
        "p | s               qty",
        "--| -------------------------------",
        "p1| `s$`s1`s2       300 300",
        "p2| `s$`s1`s2`s3`s4 200 400 200 200",
        "p3| `s$,`s1         ,400",
        "p4| `s$`s1`s4       200 300",
        "p5| `s$`s4`s1       100 400",
        "p6| `s$,`s1         ,100",
      ].join("\n"),
    ],
    [`${SP}\n2#select s,p from sp where qty>300`, "s  p\n-----\ns1 p3\ns2 p2"],
    [`${SP}\nmeta sp`, "c  | t f a\n---| -----\ns  | s s\np  | s p\nqty| j"],
    [`${SP}\nselect sname:s.name, qty from sp where qty>300`, "sname qty\n---------\nsmith 400\njones 400\nsmith 400"],
    // Rows added or reordered keep the foreign keys; a key outside the domain is 'cast (ref/insert, ref/cast).
    [`${SP}\n\`sp insert (\`s5;\`p1;100)\nmeta sp`, "c  | t f a\n---| -----\ns  | s s\np  | s p\nqty| j"],
    [`${SP}\n\`sp insert (\`s9;\`p1;100)`, "'cast"],
    [`${SP}\nfkeys \`qty xdesc sp`, "s| s\np| p"],
    [`${SP}\nfkeys update s:\`s2 from sp where qty>300`, "s| s\np| p"],
    [`${SP}\nupdate s:\`s9 from sp where qty>300`, "'cast"],
    [`${SP}\nfkeys sp lj s`, "s| s\np| p"],
    ["d:`c`a`b\nasc `d$`b`a`c", "`s#`d$`a`b`c"],
    ["f:([x:1 2 3]y:10 20 30)\nt:([]a:`f$2 2 2;b:0;c:`f$1 1 1)\nmeta t", "c| t f a\n-| -----\na| j f\nb| j\nc| j f"],
    ["f:([x:1 2 3]y:10 20 30)\nt:([]a:`f$2 2 2;b:0;c:`f$1 1 1)\nfkeys t", "a| f\nc| f"],
  ]);
});
