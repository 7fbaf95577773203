// qSQL, functional forms, parse trees, joins, keys and dictionaries (issue 14), each row checked
// against the console display on the code.kx.com page its block names. A row's input may hold
// setup lines (one per line) that run first in the same fresh session; the last line is compared.

import assert from "node:assert/strict";
import { type Case, DEFAULT_CORPUS, runCase } from "../../../scripts/conformance";
import { QSession } from "../../../server/src/q/session";

const T = "t:([] c1:`a`b`c`c`a`a; c2:10 20 30 30 40 40; c3:1.1 2.2 3.3 3.3 4.4 3.14159; c4:`cow`sheep`cat`dog`cow`dog)";

function rows(title: string, table: [input: string, display: string][]): void {
  describe(title, () => {
    for (const [input, display] of table) {
      it(input.replace(/\n/g, " ⏎ "), () => {
        const session = new QSession();
        const lines = input.split("\n");
        const last = lines.pop()!;
        for (const line of lines) assert.equal(session.evalLine(line).error, undefined, line);
        const r = session.evalLine(last);
        if (display.startsWith("'")) return assert.equal(r.error, display.slice(1));
        assert.equal(r.error, undefined, `unexpected '${r.error}`);
        assert.equal(r.output.replace(/\n$/, ""), display);
      });
    }
  });
}

rows("functional qSQL (basics/funsql)", [
  // A symbol list as the by argument is a parse tree, c1[c2]: every row lands in the null group.
  [`${T}\n?[t; (); \`c1\`c2; \`c3]`, "| 1.1 2.2 3.3 3.3 4.4 3.14159"],
  [`${T}\n?[t; (); \`c1\`c2; \`c3\`c4!((max;\`c3);(last;\`c4))]`, "| c3  c4\n| -------\n| 4.4 dog"],
  // eval of a one-item list gives the item itself, unevaluated.
  [
    'x:eval (parse "select from trade where sym like \\"F*\\",not sym=`FD") 2\nx',
    '(like;`sym;"F*")\n(~:;(=;`sym;,`FD))',
  ],
  ["c:1\nd:2\n![`.;();0b;`c`d]\nc", "'c"],
]);

rows("set and get on names (ref/get)", [
  ["`a set 1 2\na", "1 2"],
  ["a:42\nget `a", "42"],
  ['get "1+2"', "3"],
  ["`:f set 1", "'nyi"],
]);

rows("join and join-assign (ref/join, ref/uj)", [
  ["([a:1;b:2])", "a| 1\nb| 2"],
  ["t:([]a:1 2;b:3 4)\nt,:5 6\nt,:(7 8;9 10)\nt", "a b\n----\n1 3\n2 4\n5 6\n7 8\n9 10"],
  ["t:([]a:1 2;b:3 4)\nt,:([a:5])\nt,:([]b:6 7)\nt", "a b\n---\n1 3\n2 4\n5\n  6\n  7"],
  ["([]a:1 2),([]a:3;b:4)", "'mismatch"],
  [
    "t:([k:`a`b]a:1 2;b:3 4)\nt,:((`c;5;6);(`d;7;8))\nt,:([k:`e;a:1;b:3])\nt,:([k:`c`d`f]a:10 11 12)\nt",
    "k| a  b\n-| ----\na| 1  3\nb| 2  4\nc| 10 6\nd| 11 8\ne| 1  3\nf| 12",
  ],
  ["s:1 2 3\ns,:5f", "'type"],
  ["s:([a:1;b:2])\ns,:([d:5f])", "'type"],
  ["t:([]a:1 2i;b:3 4f)\nt,:([]a:5 6f;b:7 8i)", "'type"],
  ["s:enlist 1 2 3\ns,:4 5 6\ns", "1 2 3\n4 5 6"],
  ["r:()\nr,:1 2\nr,:3\nr", "1 2 3"],
]);

rows("key and value on names and functions (ref/key, ref/value)", [
  ["D:`q`w`e!(1 2;3 4;5 6)\nkey `D", "`q`w`e"],
  ["()~key`a", "1b"],
  ["a:1\nkey`a", "`a"],
  ["a:1\n\\d .foo\nkey`a", "()"],
  ["\\d .foo\na:1 2!3 4\n\\d .\nkey`.foo.a", "1 2"],
  ["a:1\n\\d .foo\nkey`..a", "`..a"],
  ['value("{x+y}";1;2)', "3"],
  ["value +[2]", "+\n2"],
  ["f:,/:\\:\nvalue f", ",/:"],
  ["value each (::;+;-;*;%)", "0 1 2 3 4"],
  ["value each (get;value)", "19 19"],
]);

rows("case: an integer vector iterated with each (ref/maps)", [
  ['0 1 0\'["abc";"xyz"]', '"ayc"'],
  ['0 1 0\'["a";"xyz"]', '"aya"'],
  ['0 2 0\'[`a`b`c!"abc";"xyz";"123";`a`b`c!"789"]', '"a2c"'],
  ['0 2 0\'[`a`b`c!"abc";"xyz";"123";`b`a`c!"789"]', "'domain"],
  ['0 2 0\'[`a`b`c!"abc";"xyz";"123";`a`b!"78"]', "'length"],
]);

rows("qSQL names and renames (basics/qsql, ref/cols)", [
  ['t:([]b:1 2;c:3 4)\nparse"select b by b from t"', "'dup names for cols/groups b"],
  ["t:([]b:1 2;c:3 4)\nselect sum c by b from t", "b| c\n-| -\n1| 3\n2| 4"],
  ["t:([]a:3 4 5;b:6 7 8)\n([q:`r]) xcol t", "'length"],
]);

rows("parse trees of limited selects (basics/funsql)", [
  ['parse"select[10;<price] from trade"', "?\n`trade\n()\n0b\n()\n10\n,(<:;`price)"],
  ['t:([]a:3 1 2)\neval parse"select[2] from t"', "a\n-\n3\n1"],
]);

describe("conformance runner: dependency chains", () => {
  it("runs the dependencies of a dependency first (#2 needs #1, which needs #0)", () => {
    const mk = (n: number, input: string, out: string, deps?: string[]): Case => ({
      id: `p#${n}`,
      page: "p",
      steps: [{ in: input, out, error: null, check: "exact", flags: [], prompt: "q)" }],
      ...(deps ? { depends_on: deps } : {}),
    });
    const cases = [mk(0, "a:1", ""), mk(1, "b:a+1", "", ["p#0"]), mk(2, "b", "2", ["p#1"])];
    const byId = new Map(cases.map((c) => [c.id, c]));
    const notes = { exceptions: {}, outOfScope: {}, dependencies: {} };
    const [r] = runCase(cases[2]!, byId, DEFAULT_CORPUS, notes);
    assert.equal(r?.verdict, "match", r?.actual);
  });
});
