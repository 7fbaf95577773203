// Primitive verbs, checked the oK way: each row is q input and the console text real q 4.1
// shows for it (or the error it signals). Rows run through QSession.evalLine so they exercise
// the verbs as q code reaches them; a second block calls the verb table directly to pin down
// the value representation (types, storage, exact longs).

import assert from "node:assert/strict";
import { QSession } from "../../../server/src/q/session";
import {
  createRandom,
  type EvalContext,
  LONG_INF,
  LONG_NULL,
  longs,
  type QAtom,
  type QVector,
  type Value,
} from "../../../server/src/q/values";
import { VERBS } from "../../../server/src/q/verbs/index";

type Row = [input: string, expected: string];

function run(rows: Row[]): void {
  for (const [input, expected] of rows) {
    it(input, () => {
      const s = new QSession();
      const r = s.evalLine(input);
      if (expected.startsWith("'")) assert.equal(r.error, expected.slice(1), `expected error ${expected}`);
      else {
        assert.equal(r.error, undefined, `unexpected error '${r.error}`);
        assert.equal(r.output.replace(/\n$/, ""), expected);
      }
    });
  }
}

describe("verbs: arithmetic and type promotion", () => {
  run([
    ["2+3 4 5", "5 6 7"],
    ["1 2 3-1", "0 1 2"],
    ["3 4 5*2.2", "6.6 8.8 11"],
    ["7%2", "3.5"],
    ["1%0", "0w"],
    ["-1%0", "-0w"],
    ["type 1i+55", "-7h"],
    ["type 1b+1b", "-6h"],
    ["type 1h+1h", "-5h"],
    ["type 2h*3", "-7h"],
    ["x:1e;type x+1", "-8h"],
    ["x:1e;type x+1f", "-9h"],
    ["0Wi+5", "2147483652"],
    ["0Wi+5i", "-2147483644i"],
    ["5+`a`b`c!100 200 300", "a| 105\nb| 205\nc| 305"],
    ["(10;20 30)+(2;3 4)", "12\n23 34"],
    ["1 2+1 2 3", "'length"],
    ["1+`a", "'type"],
    ["-7 7 mod 3", "2 1"],
    ["7 mod -3", "-2"],
    ["7 -7 div 2", "3 -4"],
    ["5.5 mod 2", "1.5"],
    ["neg 1 -2 0N", "-1 2 0N"],
    ["abs 10 -43 0N", "10 43 0N"],
    ["floor 2.7 -2.7", "2 -3"],
    ["ceiling 2.2 -2.2", "3 -2"],
    ["signum -2 0 3", "-1 0 1i"],
    ["sqrt 4 16", "2 4f"],
    ["2 xexp 10", "1024f"],
    ["2 xlog 8", "3f"],
    ["reciprocal 4", "0.25"],
    ["3&1 5", "1 3"],
    ["3|1 5", "3 5"],
    ["1010b and 1100b", "1000b"],
    ["1010b or 1100b", "1110b"],
    ["5 xbar 3 7 12", "0 5 10"],
    ["2000.01.01+1", "2000.01.02"],
    ["2000.01.10-2000.01.01", "9i"],
    ["2000.01.02+0.5", "2000.01.02T12:00:00.000"],
    [
      "d:`a`b!(10 -21 3;4 5 -6);d-`b`c!(10 20 30;1000*1 2 3)",
      "a| 10    -21   3\nb| -6    -15   -36\nc| -1000 -2000 -3000",
    ],
  ]);
});

describe("verbs: exact 64-bit longs", () => {
  run([
    ["(1000000006*1000000006) mod 1000000007", "1"],
    ["0W+1", "0N"],
    // Integer nulls propagate through + - * (code.kx.com ref/sum: `sum (1 2;0N 4)` is `0N 6`), while
    // non-null overflow still wraps.
    ["0N+1", "0N"],
    ["-0W-2", "0W"],
    ["9007199254740993+0", "9007199254740993"],
    ["9007199254740992+1", "9007199254740993"],
    ["3037000499*3037000499", "9223372030926249001"],
    ["4294967296*4294967296", "0"],
    ["prd 1000000007 1000000009", "1000000016000000063"],
    ["sum 9223372036854775806 1", "0W"],
    ["1000000000000000000 mod 1000000007", "49"],
    ["-9223372036854775807 div 2", "-4611686018427387904"],
    ["max 1 9007199254740993 3", "9007199254740993"],
    ["sums 4611686018427387904 4611686018427387904", "4611686018427387904 0N"],
    ["neg 0W", "-0W"],
  ]);
});

describe("verbs: comparison and match", () => {
  run([
    ["1 2 3=2", "010b"],
    ["1 2 3<>2", "101b"],
    ["1 2 3<2", "100b"],
    ["1 2 3>=2", "011b"],
    ["0.1+0.2=0.3", "0.1"],
    ["(0.1+0.2)=0.3", "1b"],
    ["0n=0n", "1b"],
    ["0N<1", "1b"],
    ["`a`b<`b", "10b"],
    ['"abc"="b"', "010b"],
    ["1 2~1 2", "1b"],
    ["1 2~1 2f", "0b"],
    ["(1;2)~1 2", "1b"],
    ["not 0 1 2", "100b"],
    ["null 1 0N 3", "010b"],
    ["null `a``b", "010b"],
  ]);
});

describe("verbs: lists", () => {
  run([
    ["til 5", "0 1 2 3 4"],
    ["til 0", "`long$()"],
    ["count 1 2 3", "3"],
    ["count `a`b!1 2", "2"],
    ["first 5 6 7", "5"],
    ["last 5 6 7", "7"],
    ["reverse 1 2 3", "3 2 1"],
    ["enlist 1", ",1"],
    ["raze (1 2;3 4)", "1 2 3 4"],
    ["distinct 1 2 1 3", "1 2 3"],
    ["group `a`b`a", "a| 0 2\nb| ,1"],
    ["where 0101b", "1 3"],
    ["where 2 0 1", "0 0 2"],
    ["5#1 2", "1 2 1 2 1"],
    ["-2#1 2 3", "2 3"],
    ["2 3#til 6", "0 1 2\n3 4 5"],
    ["3 0N#til 10", "0 1 2\n3 4 5\n6 7 8 9"],
    ["2_til 5", "2 3 4"],
    ["-2_til 5", "0 1 2"],
    ["0 2_til 5", "0 1\n2 3 4"],
    ["1 2,3", "1 2 3"],
    ["1,`a", "1\n`a"],
    ["10 20 30?20", "1"],
    ["10 20 30?40", "3"],
    ["10 20 30?20 40", "1 3"],
    ["(`a`b!1 2)?2", "`b"],
    ["1 2 3 in 2 4", "010b"],
    ["2 in 1 2", "1b"],
    ["1 5 9 within 2 8", "010b"],
    ["1 2 3 2 except 2", "1 3"],
    ["1 2 3 inter 2 3 4", "2 3"],
    ["1 2 union 2 3", "1 2 3"],
    ["asc 3 1 2", "`s#1 2 3"],
    ["desc 3 1 2", "3 2 1"],
    ["iasc 30 10 20", "1 2 0"],
    ["idesc 30 10 20", "0 2 1"],
    ["rank 30 10 20", "2 0 1"],
    ["0 2 4 6 8 10 bin -10 0 4 5 6 20", "-1 0 2 2 3 5"],
    ["0 1 1 2 binr 0 1 2", "0 1 3"],
    ["2 cut til 5", "0 1\n2 3\n,4"],
    ["2 sublist 1 2 3", "1 2"],
    ["1 rotate 1 2 3", "2 3 1"],
    ["-1 rotate 1 2 3", "3 1 2"],
    ["all 1 2 0", "0b"],
    ["any 0 0 1", "1b"],
    ["`a`b!1 2", "a| 1\nb| 2"],
    ["0^1 2 3 0N", "1 2 3 0"],
    ["`nobody^`tom`dick``harry", "`tom`dick`nobody`harry"],
    ["type 5^0n 2 3i", "7h"],
    ["differ 1 1 2", "101b"],
    ["2 xprev 1 2 3 4", "0N 0N 1 2"],
    ["type 1 2", "7h"],
    ["type (1;`a)", "0h"],
    ["key `a`b!1 2", "`a`b"],
    ["value `a`b!1 2", "1 2"],
    ["`s#1 2 3", "`s#1 2 3"],
    ["`s#3 1 2", "'s-fail"],
    ["attr asc 3 1 2", "`s"],
    ["(`a`b!1 2;`a`b!3 4)", "a b\n---\n1 2\n3 4"],
    ["1 2 cross 3 4", "1 3\n1 4\n2 3\n2 4"],
  ]);
});

describe("verbs: aggregates and running functions", () => {
  run([
    ["sum 1 2 3", "6"],
    ["sum 1 0N 2", "3"],
    ["sum 101b", "2i"],
    ["sum (1 2;0N 4)", "0N 6"],
    ["prd 3#2", "8"],
    ["max 2 5 7 1 3", "7"],
    ["max 0N 0N", "-0W"],
    ['max "genie"', '"n"'],
    ["min 2 5 7 1 3", "1"],
    ["avg 1 2 3", "2f"],
    ["avg 1 0n 2 3", "2f"],
    ["avg (1 2;0N 4)", "0n 3"],
    ["med 10 34 23 123 5 56", "28.5"],
    ["dev 10 343 232 55", "134.3484"],
    ["sdev 10 343 232 55", "155.1322"],
    ["var 2 4 4 4 5 5 7 9", "4f"],
    ["29 10 54 cor 1 3 9", "0.7727746"],
    ["2 3 5 7 cov 3 3 5 9", "4.5"],
    ["2 3 4 wavg 1 2 4", "2.666667"],
    ["2 wsum 1 2 4", "14"],
    ["sums 2 3 4 5", "2 5 9 14"],
    ["prds 1 2 3 4", "1 2 6 24"],
    ["maxs 0N 5 0N 1 3", "-0W 5 5 5 5"],
    ["mins 0N 5 0N 1 3", "0W 5 5 1 1"],
    ["deltas 1 4 9 16", "1 3 5 7"],
    ["ratios 2 3 4 5", "2 1.5 1.333333 1.25"],
    ["prev 1 2 3", "0N 1 2"],
    ["next 2 3 5 7 11", "3 5 7 11 0N"],
    ["fills 0N 2 3 0N 0N 7 0N", "0N 2 3 3 3 7 7"],
    ["fills `x``y```z", "`x`x`y`y`y`z"],
    ["2 mavg 1 2 3 5 7 10", "1 1.5 2.5 4 6 8.5"],
    ["3 msum 1 5 0 9 5 2 2 4 0 5 3 0", "1 6 6 14 14 16 9 8 6 9 8 8"],
    ["3 mmax 2 7 1 3 5 2 8", "2 7 7 7 5 5 8"],
    ["3 mmax 0N -3 -2 0N 1 0", "-0W -3 -2 -2 1 1"],
    ["3 mmin 0N -3 -2 1 -0W 0", "0N 0N 0N -3 -0W -0W"],
    ["3 mcount 0N 1 2 3 0N 5", "0 1 2 3 2 2"],
    ["2 mdev 1 2 3 5 7 10", "0 0.5 0.5 1 1 1.5"],
    ["ema[1%3;1,4#0]", "1 0.6666667 0.4444444 0.2962963 0.1975309"],
    ["sum `a`b!(1 2;3 4)", "4 6"],
    ["max ([]a:1 5 2;b:7 1 0)", "a| 5\nb| 7"],
  ]);
});

describe("verbs: strings", () => {
  run([
    ['lower "AbC"', '"abc"'],
    ["upper `abc", "`ABC"],
    ['trim "  a b  "', '"a b"'],
    ['ltrim "  a "', '"a "'],
    ['rtrim "  a "', '"  a"'],
    ['"quick" like "qu*"', "1b"],
    ['`quick`slow like "q?i*"', "10b"],
    ['"abc" like "[ab]bc"', "1b"],
    ['"toronto ontario" ss "ont"', "3 8"],
    ['ssr["Hello word!";"rd";"rld"]', '"Hello world!"'],
    ['"," vs "a,bc,d"', ',"a"\n"bc"\n,"d"'],
    ["` vs `a.b.c", "`a`b`c"],
    ['"," sv ("a";"bc")', '"a,bc"'],
    ["` sv `a`b", "`a.b"],
    ["2 sv 1 0 1", "5"],
    ["10 vs 1234", "1 2 3 4"],
    ["24 60 60 vs 3805", "1 3 25"],
    ["24 60 60 sv 1 3 25", "3805"],
    ["0b vs 5i", "00000000000000000000000000000101b"],
  ]);
});

describe("verbs: casts and parsing", () => {
  run([
    ['"J"$"42"', "42"],
    ['"J"$("1";"22")', "1 22"],
    ['"F"$"1.5"', "1.5"],
    ['"I"$"x"', "0Ni"],
    ['`$"abc"', "`abc"],
    ["`long$2.5 -2.5", "3 -3"],
    ["`int$3.7", "4i"],
    ['"j"$0Ni', "0N"],
    ["`float$1 2", "1 2f"],
    ['"c"$65 66', '"AB"'],
    ['`int$"a"', "97i"],
    ["`short$70000", "4464h"],
    ["`boolean$0 2", "01b"],
    ["7h$1.2", "1"],
    ["`date$2000.01.02D10:00", "2000.01.02"],
    ['"D"$"2024.01.15"', "2024.01.15"],
    ['5$"ab"', '"ab   "'],
    ['-5$"ab"', '"   ab"'],
  ]);
});

describe("verbs: shape-dependent forms", () => {
  run([
    ['"wx" in ("acdexyz";"abcd";"wx")', "1b"],
    ["1 2 in (1 2;9)", "1b"],
    ["1 2. in 2", "01b"],
    ["(`a`b`c!0 2 4) bin -1 3", "``b"],
    ['(`int;"i";6h)$10', "10 10 10i"],
    ["6i div 4", "1i"],
    ["7h div 3", "2i"],
    ["ceiling 01b", "0 1i"],
    ["ceiling 2 + 10 xexp -12 -13", "3 2"],
    ["trim 0N 0N 1 2 3 0N 0N 4 5 0N 0N", "1 2 3 0N 0N 4 5"],
    ['` vs "abc\\ndef\\n"', '"abc"\n"def"'],
    ["5 xbar 11:00 + 0 2 3 5 7 11 13", "11:00 11:00 11:00 11:05 11:05 11:10 11:10"],
    ["0x0 vs 2413h", "0x096d"],
    ["0x0 sv 0x096d", "2413h"],
    ["0b sv 16#1b", "-1h"],
    ["10 vs 1995 1996 1997", "1 1 1\n9 9 9\n9 9 9\n5 6 7"],
    ["(1 2;3 4) cross (5 6;7 8)", "1 2 5 6\n1 2 7 8\n3 4 5 6\n3 4 7 8"],
    ["key 1 2 3h", "`short"],
    ['(enlist("";""))~1 2 0#"a"', "1b"],
    ["1 0 2#1 2", "'domain"],
    ["`float$0Wh", "32767f"],
    ['asc (1;1b;"b";"a";0)', '1b\n0\n1\n"a"\n"b"'],
    ["idesc 3 1 3 2", "0 2 3 1"],
    ["asc 3 0n 1.5", "`s#0n 1.5 3"],
    ["desc 3 0N 1", "3 1 0N"],
    ["d:`a`b!1 2;d _ `a", "b| 2"],
    ["`a`b#`a`b`c!1 2 3", "a| 1\nb| 2"],
    ["avg (1;0n;2;3)", "1.5"],
    ["1 2 3$4 5 6", "32f"],
    ["((1 2;3 4) mmu (5 6;7 8))~(19 22f;43 50f)", "1b"],
    ["(1 2;3 4) mmu 1 1", "3 7f"],
    ["(inv (2 0f;0 4f))~(0.5 0;0 0.25)", "1b"],
    ['md5 "this is a not so secret message"', "0x6cf192c1938b79012c323fa30e62787e"],
    ["x:rand 10;(x>=0)&x<10", "1b"],
    ["d:`a`b!(10 21 3;4 5 6);2 mcount d", "a| 1 1 1\nb| 2 2 2"],
    ["d:`a`b!(10 21 3;4 5 6);2 mdev d", "a| 0 0 0\nb| 3 8 1.5"],
    ["1 2 in (9;(1 2;3 4))", "00b"],
    ["t:([]price:10 20 30;qty:200 150 17);t*\\:1.15 1", "price qty\n---------\n11.5  200\n23    150\n34.5  17"],
  ]);
});

describe("verbs: roll and deal", () => {
  run([
    ["count 10?5", "10"],
    ["all (10?5) within 0 4", "1b"],
    ["asc -5?5", "`s#0 1 2 3 4"],
    ["count distinct -10?10", "10"],
    ["type 3?1.0", "9h"],
    ["-6?5", "'length"],
  ]);
});

// A minimal context for direct calls: the atomic verbs never call back into the interpreter.
const ctx: EvalContext = {
  apply: () => assert.fail("apply not expected"),
  print: () => undefined,
  settings: { precision: 7, rows: 25, cols: 80 },
  tick: () => undefined,
  random: createRandom(1),
};

const dy = (name: string, x: Value, y: Value): Value => VERBS.get(name)!.dyadic!(x, y, ctx);
const atomOf = (v: Value): QAtom => v as QAtom;

describe("verbs: representation invariants (direct calls)", () => {
  it("keeps safe long sums on the Float64Array fast path", () => {
    const r = dy("+", longs([1, 2]), longs([3, 4])) as QVector;
    assert.ok(r.data instanceof Float64Array);
    assert.deepEqual(Array.from(r.data as Float64Array), [4, 6]);
  });

  it("switches to BigInt64Array exactly when a result leaves the safe range", () => {
    const r = dy("+", longs([2 ** 53 - 1, 1]), longs([1, 1])) as QVector;
    assert.ok(r.data instanceof BigInt64Array);
    assert.deepEqual(Array.from(r.data as BigInt64Array), [2n ** 53n, 2n]);
  });

  it("normalises a BigInt result that fits back to the fast path", () => {
    const big = dy("+", longs([2 ** 53 - 1, 5]), longs([1, 1])) as QVector;
    const back = dy("-", big, longs([1, 1])) as QVector;
    assert.ok(back.data instanceof Float64Array);
    assert.deepEqual(Array.from(back.data as Float64Array), [2 ** 53 - 1, 5]);
  });

  it("wraps 0W+1 to 0N and -0W-2 to 0W, but keeps 0N-1 null", () => {
    assert.equal(atomOf(dy("+", longs([LONG_INF]), longs([1]))).kind, "vector");
    const up = dy("+", { kind: "atom", type: 7, v: LONG_INF }, { kind: "atom", type: 7, v: 1 });
    assert.equal(atomOf(up).v, LONG_NULL);
    const down = dy("-", { kind: "atom", type: 7, v: -LONG_INF }, { kind: "atom", type: 7, v: 2 });
    assert.equal(atomOf(down).v, LONG_INF);
    const nul = dy("-", { kind: "atom", type: 7, v: LONG_NULL }, { kind: "atom", type: 7, v: 1 });
    assert.equal(atomOf(nul).v, LONG_NULL);
  });

  it("computes products modulo 1e9+7 exactly for every residue pair sampled", () => {
    const m = 1000000007n;
    const xs = [1000000006, 999999999, 123456789, 987654321, 2 ** 31 - 1];
    for (const a of xs)
      for (const b of xs) {
        const p = dy("*", { kind: "atom", type: 7, v: a }, { kind: "atom", type: 7, v: b });
        const r = atomOf(dy("mod", p, { kind: "atom", type: 7, v: 1000000007 }));
        assert.equal(BigInt(r.v as number), (BigInt(a) * BigInt(b)) % m, `${a}*${b}`);
      }
  });

  it("stores booleans from comparisons as Uint8Array", () => {
    const r = dy("<", longs([1, 5]), longs([3, 3])) as QVector;
    assert.equal(r.type, 1);
    assert.ok(r.data instanceof Uint8Array);
    assert.deepEqual(Array.from(r.data as Uint8Array), [1, 0]);
  });

  it("documents every verb", () => {
    for (const [name, v] of VERBS) {
      assert.ok(v.doc.summary.length > 5, `${name} summary`);
      assert.ok(v.doc.forms.length > 0, `${name} forms`);
      assert.ok(v.doc.example.length > 0, `${name} example`);
      // Names under .Q/.j are registered by the display module and may be wired by the interpreter.
      if (!name.startsWith(".")) assert.ok(v.monadic || v.dyadic || v.nary, `${name} has an implementation`);
    }
  });
});
