// Deviations from q that a new user met in the first hour (issue 14), each checked against the
// display documented on code.kx.com (page named per block). A row is `input → display`; an
// input of several lines runs its setup lines first, in the same fresh session.

import assert from "node:assert/strict";
import { runQScript } from "../../../server/src/q/sandbox";
import { QSession } from "../../../server/src/q/session";
import { runRows as run } from "./support/display-rows";

describe("deviations: typed empty lists (ref/cast, ref/take, ref/meta)", () => {
  run([
    ["`long$()", "`long$()"],
    ["type `long$()", "7h"],
    ["type 0#0", "7h"],
    ["`$()", "`symbol$()"],
    ['"f"$()', "`float$()"],
    ["meta ([]a:`long$();b:`$();c:0#0.)", "c| t f a\n-| -----\na| j\nb| s\nc| f"],
    ["type each `a`b!(`long$();`$())", "a| 7\nb| 11"],
    ["t:([]a:`long$();b:`$())\n`t insert (1;`x)\nt", "a b\n---\n1 x"],
  ]);
});

describe("deviations: running sums on booleans accumulate as ints (ref/sum, ref/deltas, ref/prd, ref/msum)", () => {
  run([
    ["sums 101b", "1 1 2i"],
    ["deltas 101b", "1 -1 1i"],
    ["prds 101b", "1 0 0i"],
    ["3 msum 1011b", "1 1 2 2i"],
    ["sums 0x0102", "1 3i"],
    ["3 msum 1 2 3 4i", "1 3 6 9i"],
    ["2 msum 1 2 3", "1 3 5"],
  ]);
});

describe("deviations: fby (ref/fby)", () => {
  run([
    ["(max;1 5 2 4) fby `a`b`a`b", "2 5 2 5"],
    ["t:([]s:`a`b`a`c;p:1 2 3 4)\nselect from t where p=(max;p) fby s", "s p\n---\nb 2\na 3\nc 4"],
    ["t:([]s:`a`b`a;q:10 20 30)\nupdate m:(avg;q) fby s from t", "s q  m\n-------\na 10 20\nb 20 20\na 30 20"],
    ["(sums;1 2 3 4) fby `a`b`a`b", "1 2 4 6"],
    ["(max;1 2 3) fby ([]a:`x`y`x;b:1 1 1)", "3 2 3"],
  ]);
});

describe("deviations: where, flip and vs on edge arguments (ref/where, ref/flip, ref/vs)", () => {
  run([
    ["where ()", "`long$()"],
    ["flip ()", "()"],
    ["2 2 2 vs 5 6", "1 1\n0 1\n1 0"],
    ["0 24 60 vs 100 200", "0  0\n1  3\n40 20"],
    ["0 24 60 vs 100", "0 1 40"],
    ["24 60 vs 1000", "16 40"],
  ]);
});

describe("deviations: floor and ceiling are tolerant within 2^-44 (basics/precision, ref/floor)", () => {
  run([
    ["floor 2 - 10 xexp -12 -13", "1 2"],
    ["ceiling 2 + 10 xexp -12 -13", "3 2"],
    ["b:1f-10 xexp -13\nfloor b", "0"],
  ]);
});

describe("deviations: the largest long literal is 0W (basics/datatypes)", () => {
  run([
    ["9223372036854775807", "0W"],
    ["-9223372036854775807", "-0W"],
    ["9223372036854775807=0W", "1b"],
    ["2147483647i", "0Wi"],
    ["9223372036854775808", "'parse"],
  ]);
});

describe("deviations: a name assigned globally then locally signals (releases/ChangesIn4.0, basics/errors)", () => {
  run([
    ["{a::1;a:1}", "'a"],
    ["f:{a::x;a+1}\nf 2", "3"],
  ]);
  it("shows q's caret on the local assignment", () => {
    assert.equal(new QSession().evalLine("{a::1;a:1}").output, "'a\n  [0]  {a::1;a:1}\n             ^\n");
  });
});

describe("deviations: enumeration extend and tables named by symbol (ref/enum-extend, ref/insert, ref/upsert)", () => {
  run([
    ["s:`a`b`c\n`s?`a`b`d\ns", "`a`b`c`d"],
    ["`u?`x`y`x\nu", "`x`y"],
    ["t:([]a:1 2;b:`x`y)\n`t insert (3;`z)", ",2"],
    ["t:([]a:1 2;b:`x`y)\n`t upsert (4;`w)\nt", "a b\n---\n1 x\n2 y\n4 w"],
  ]);
});

describe("deviations: grouping by a computed constant key (basics/qsql)", () => {
  run([
    ["t:([]a:1 2 3;b:`x``y)\nselect sum a by c:` from t", "c| a\n-| -\n | 6"],
    ["t:([]a:1 2 3;b:`x``y)\nselect sum a by b from t", "b| a\n-| -\n | 2\nx| 1\ny| 3"],
  ]);
});

describe("deviations: amend through @ and . on dictionary values, each-left of functions (ref/amend, ref/maps)", () => {
  run([
    ["d:`a`b!(1 2;3 4)\n.[d;(`a;1);:;9]", "a| 1 9\nb| 3 4"],
    ["d:`a`b!(1 2;3 4)\n@[d;`a`b;+;10]", "a| 11 12\nb| 13 14"],
    ["(cos;sin)@\\:0.5", "0.8775826 0.4794255"],
  ]);
});

describe("deviations: the clock names (ref/dotz)", () => {
  run([
    ["type each (.z.d;.z.D;.z.t;.z.T;.z.p;.z.P;.z.n;.z.z)", "-14 -14 -19 -19 -12 -12 -16 -15h"],
    [".z.d=`date$.z.p", "1b"],
  ]);
  it(".z.p is now", () => {
    const shown = new QSession().evalLine("string .z.p").output;
    const iso = new Date().toISOString().slice(0, 10).replace(/-/g, ".");
    assert.ok(shown.includes(iso), shown);
  });
});

describe("deviations: recursion depth like q's", function () {
  this.timeout(60000);
  it("recurses 4,000 levels in the sandbox and stops runaway recursion with 'stack", async () => {
    const deep = await runQScript("f:{$[x=0;0;1+f x-1]};-1 string f 4000;\ng:{g x};g 1\n", {
      timeoutMs: 20000,
      memoryMb: 256,
    });
    assert.equal(deep.stdout, "4000\n");
    assert.match(deep.stderr, /'stack/);
  });
});

describe("growth in place keeps values apart (grow.ts)", () => {
  run([
    ["r:();i:0;do[5;r,:i;i+:1];r", "0 1 2 3 4"],
    ["r:();do[3;r,:1];b:r;r,:99;b", "1 1 1"],
    ["r:();do[3;r,:1];b:r;do[2;r,:2];r[0]:7;b", "1 1 1"],
    ["r:();do[3;r,:1];b:r;do[2;r,:2];r[0]:7;r", "7 1 1 2 2"],
    ["d:`a`b!1 2;e:d;d[`c]:3;e", "a| 1\nb| 2"],
    ["d:()!();i:0;do[4;d[i]:2*i;i+:1];d[2]:9;d", "0| 0\n1| 2\n2| 9\n3| 6"],
    ["d:()!();do[2;d[`x]:1];e:d;d[`y]:2;(count e;count d)", "1 2"],
    ["k:()!();k[`x]:1 2;k[`y]:3;k", "x| 1 2\ny| 3"],
    ["g:{l:();do[3;l,:enlist 1 2];l};g[]", "1 2\n1 2\n1 2"],
    ["s:`$();do[3;s,:`a];s", "`a`a`a"],
    // `,:` amends in place: a long vector takes no float (code.kx.com/q/ref/join, `s,:5f` → 'type).
    ["z:1 2;do[2;z,:3.5];z", "'type"],
    ["f:{r:x;do[2;r,:0];r};a:1 2;(f a;a)", "1 2 0 0\n1 2"],
    ["raze (1 2;3;4 5)", "1 2 3 4 5"],
    ["raze ((1;`a);2 3)", "1\n`a\n2\n3"],
    ["(,/)((1 2;3 4);(5 6;7 8))", "1 2\n3 4\n5 6\n7 8"],
    ["raze (0N 1;9223372036854775806 2)", "0N 1 9223372036854775806 2"],
  ]);
});
