// Debugging utilities and the .q/.Q namespaces (issue 14): backtraces, .Q.trp, .Q.id, .Q.gz,
// compressed IPC bytes, each row checked against the display documented on the code.kx.com page
// named per block (rows as in ./support/display-rows.ts).

import assert from "node:assert/strict";
import { QSession } from "../../../server/src/q/session";
import { runRows as run } from "./support/display-rows";

describe("fidelity-debug: .Q.bt prints the stack (ref/dotq#bt, basics/debug)", () => {
  run([
    [
      "f:{{.Q.bt[];x*2}x+1}\nf 4",
      "  [2]  f@:{.Q.bt[];x*2}\n           ^\n  [1]  f:{{.Q.bt[];x*2}x+1}\n          ^\n  [0]  f 4\n       ^\n10",
    ],
  ]);
});

describe("fidelity-debug: .Q.trp, .Q.trpd and .Q.sbt (ref/dotq#trp, basics/debug#trap)", () => {
  run([
    [
      'f:{`hello+x}\n.Q.trp[f;2;{2@"error: ",x,"\\nbacktrace:\\n",.Q.sbt y;-1}]',
      'error: type\nbacktrace:\n  [2]  f:{`hello+x}\n                ^\n  [1]  (.Q.trp)\n\n  [0]  .Q.trp[f;2;{2@"error: ",x,"\\nbacktrace:\\n",.Q.sbt y;-1}]\n       ^\n-1',
    ],
    ['.Q.trpd[{x+y};(1;2);{2"error: ",x,"\\nbacktrace:\\n",.Q.sbt y;-1}]', "3"],
    [
      '.Q.trpd[{x+y};(1;`2);{2"error: ",x,"\\nbacktrace:\\n",.Q.sbt y;-1}]',
      'error: type\nbacktrace:\n  [2]  {x+y}\n         ^\n  [1]  (.Q.trpd)\n\n  [0]  .Q.trpd[{x+y};(1;`2);{2"error: ",x,"\\nbacktrace:\\n",.Q.sbt y;-1}]\n       ^\n-1',
    ],
  ]);
});

describe("fidelity-debug: the hover examples of .Q.sbt, .Q.trp and .Q.trpd (backtrace.ts)", () => {
  run([
    ["count .Q.sbt .Q.trp[{x+1};`a;{y}]", "104"],
    [".Q.trp[{x+1};`a;{[e;b]e}]", '"type"'],
    [".Q.trpd[{x+y};(1;`a);{[e;b]e}]", '"type"'],
    [".Q.trp[{x+1};`a;{x}]", "'rank"],
  ]);
});

describe("fidelity-debug: the console's error lines name the function and its level (basics/debug)", () => {
  it("an error in g called from f shows level 2 and g's name; a nested lambda is f0@", () => {
    const s = new QSession();
    s.evalLine("f:{g[x;2#y]}");
    s.evalLine("g:{a:x*2;a+y}");
    assert.equal(s.evalLine('f[3;"hello"]').output, "'type\n  [2]  g:{a:x*2;a+y}\n                 ^\n");
    s.evalLine('f0:{{("hi";x+y)}[x*2;"there"]}');
    assert.equal(s.evalLine("f0[2]").output, '\'type\n  [2]  f0@:{("hi";x+y)}\n                   ^\n');
  });
});

describe("fidelity-debug: .Q.id on columns and keys of empty lists (ref/dotq#id)", () => {
  run([
    ['.Q.id flip(`$("a";"a/b"))!2#()', "a ab\n----"],
    [".Q.id (5#.Q.res)!(5#())", "abs1 |\nacos1|\nasin1|\natan1|\navg1 |"],
  ]);
});

describe("fidelity-debug: the .q namespace holds q's words as k primitives (basics/funsql, parsetrees, ref/value)", () => {
  run([
    [".q`ltime", "%:"],
    [".q`reciprocal", "%:"],
    [".q?(+:)", "`flip"],
    ["value(`.q.neg;2)", "-2"],
    ["flip~(+:)", "1b"],
    ["3#key `.q", "``neg`not"],
  ]);
});

describe("fidelity-debug: ltime and taking from an empty general list (ref/gtime, ref/take)", () => {
  run([
    ["ltime 1", "'type"],
    ["-3!2#()", '"(();())"'],
  ]);
});

describe("fidelity-debug: -18! compresses IPC bytes as q does, -9! reads them back (basics/internal)", () => {
  run([
    ["count -18!til 1000", "3276"],
    ["a:til 1000\nx:-18!a\na~-9!x", "1b"],
    ["-18!1 2 3", "0x0100000026000000070003000000010000000000000002000000000000000300000000000000"],
  ]);
  it("round-trips a table of random columns", () => {
    const s = new QSession();
    s.evalLine("t:([]a:5000?100;b:5000?`x`y`zz;d:5000?0x00ff)");
    assert.equal(s.evalLine("t~-9!-18!t").output, "1b\n");
    assert.equal(s.evalLine("(count -18!t)<count -8!t").output, "1b\n");
  });
});

describe("fidelity-debug: .Q.gz zips and unzips strings (ref/dotq#gz)", () => {
  run([
    [
      '.Q.gz{0N!count x;x}[.Q.gz(9;10000#"helloworld")]',
      '66\n"helloworldhelloworldhelloworldhelloworldhelloworldhelloworldhelloworldhellow..',
    ],
    ['.Q.gz "abc"', "'domain"],
  ]);
});

describe("fidelity-debug: hsym, tables of a namespace, a keyed table indexed by a list (ref/hsym, ref/tables, ref/dotq#ft)", () => {
  run([
    ["hsym`10.43.23.197", "`:10.43.23.197"],
    ["hsym `a`:b", "`:a`:b"],
    ["t:([]a:1 2)\nk:([a:1 2]b:3 4)\n.work.tab:t\n(tables[];tables `.work)", "`k`t\n,`tab"],
    ["s:([s:`s1`s2]n:`a`b)\ns 2 3", "'length"],
    ["s:([s:`s1`s2]n:`a`b)\nsp:([]s:`s$`s2`s1)\nselect s.n from sp", "n\n-\nb\na"],
  ]);
});

describe("fidelity-debug: -120! tells the .m memory domain apart (basics/internal, ref/dotm)", () => {
  run([
    ["-120!'(1 2 3;.m.x:1 2 3)", "0 1"],
    [".m.x:1 2 3\ny:.m.x\n(-120!y;-120!y,4)", "1 0"],
  ]);
});

describe("fidelity-debug: \\z sets how a slashed date reads (basics/syscmds#z)", () => {
  run([
    ['"D"$"06/01/2010"', "2010.06.01"],
    ['\\z 1\n"D"$"06/01/2010"', "2010.01.06"],
    ["\\z 1\n\\z", "1i"],
    ["\\z 2", "'domain"],
  ]);
});

describe("fidelity-debug: \\e keeps the error-trap mode (basics/debug#error-trap-mode)", () => {
  run([
    ["\\e 2\n\\e", "2i"],
    ["\\e 3", "'domain"],
  ]);
});
