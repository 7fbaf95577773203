// Engine fidelity fixes: rows of q input and the display real q shows, taken from the KX
// reference pages named in each block (code.kx.com/q/ref/...) or from the bug notes that quote
// them. Each row runs in a fresh QSession through evalLine, as a console user would type it.

import assert from "node:assert/strict";
import { str, type Value } from "../../../server/src/q/values";
import { VERBS } from "../../../server/src/q/verbs/index";
import { runRows as run } from "./support/display-rows";

describe("fidelity: integer nulls propagate through arithmetic (ref/arith-integer, sum, deltas)", () => {
  run([
    ["1+0N", "0N"],
    ["0N-1", "0N"],
    ["0N*2", "0N"],
    ["deltas[0N;1 4 9 16]", "0N 3 5 7"],
    ["sum (1 2;0N 4)", "0N 6"],
    ["1 2 0N+1", "2 3 0N"],
    ["0Ni+5i", "0Ni"],
    ["0Nh+1h", "0Nh"],
    ["0Ni+5", "0N"],
    ["0Nd+1", "0Nd"],
    ["0Np+1", "0Np"],
    // Non-null overflow still wraps (datatypes.md: 0Wi+5i is -2147483644i; 0W+1 is 0N).
    ["0W+1", "0N"],
    ["0Wi+5i", "-2147483644i"],
    ["0Wi+5", "2147483652"],
    // The aggregates keep their documented null handling.
    ["neg (0W;-0w;0N)", "-0W\n0w\n0N"],
    ["abs 10 -43 0N", "10 43 0N"],
    ["sums 2 3 0N 7", "2 5 5 12"],
    ["prds 2 3 0N 7", "2 6 6 42"],
    ["sum 2 3 0N 7", "12"],
    ["maxs 0N 5 0N 1 3", "-0W 5 5 5 5"],
    ["mins 0N 5 0N 1 3", "0W 5 5 1 1"],
    ["max (1 2;0N 4)", "1 4"],
    ["min (1 2;0N 4)", "0N 2"],
  ]);
});

describe("fidelity: in / except / find on general lists (ref/in, except, find)", () => {
  run([
    ['("";"a") except enlist ""', ',"a"'],
    ['("";"a") in enlist ""', "10b"],
    ['type ("ab";"cd";"ab") except enlist "ab"', "0h"],
    ['count ("ab";"cd";"ab") except enlist "ab"', "1"],
    ["3 in (1 2;3)", "0b"],
    ["3 in (3;1 2)", "1b"],
    ["1 2 in (9;(1 2;3 4))", "00b"],
    ["1 2 in (1 2;9)", "1b"],
    ["1 2 in ((1 2;3 4);9)", "0b"],
    ["(1 2;3 4) in ((1 2;3 4);9)", "1b"],
    ['"wx" in ("acdexyz";"abcd";"wx")', "1b"],
    // Mixed numeric types only against an atom or a one-item list (ref/in "Mixed argument types").
    ["1 2. in 2", "01b"],
    ["1 2. in 1#2", "01b"],
    ["1 2. in 0#2", "'type"],
    ["1 2. in 2#2", "'type"],
    ['("abc";("def";"ghi");"jkl")in "bed"', "010b\n(110b;000b)\n000b"],
    ["1 2 3 4 1 3 except 2 3", "1 4 1"],
    ['u:("abcde";10 2 -6;(2 3;`ab))\nu?(2 3;`ab)', "3 3"],
    ['u:("abcde";10 2 -6;(2 3;`ab))\nu?10 2 -6', "1"],
    ["t:([]a:1 2 3;b:`x`y`z)\nt?(2;`y)", "1"],
    ["t:([]a:1 2 3;b:`x`y`z)\nt?`a`b!(3;`z)", "2"],
  ]);
});

describe("fidelity: casts to temporal fields, parsing (ref/cast, tok)", () => {
  run([
    ["`year$2024.03.05", "2024i"],
    ["`mm$2024.03.05 2023.12.31", "3 12i"],
    ["`dd$2024.03.05", "5i"],
    ["`hh`uu`ss$03:55:58.11", "3 55 58i"],
    ["`year`dd`mm`hh`uu`ss$2015.10.28D03:55:58", "2015 28 10 3 55 58i"],
    ["`year$0Nd", "0Ni"],
    ["`hh$2024.03.05", "'type"],
    ["`float$0Wj", "9.223372e+18"],
    ['-8h$"3.14"', "3.14e"],
    ['`$"   IBM   "', "`IBM"],
    ['"B"$\'" ",.Q.an', "0000000000000000000010001100000000000000000000100011000100000000b"],
    ['"I"$"192.168.1.34"', "-1062731486i"],
    ['"G"$"192.0.2.1"', "00000000-0000-0000-0000-ffffc0000201"],
    ['"G"$"2001:0DB8:85A3::8A2E:0370:7334"', "20010db8-85a3-0000-0000-8a2e03707334"],
    ['"G"$"::FFFF:c000:201"', "00000000-0000-0000-0000-ffffc0000201"],
  ]);
});

describe("fidelity: div, bin, asc, drop (ref/div, bin, asc, drop)", () => {
  run([
    ["2014.10.13 div 365", "2000.01.15"],
    ["7h div 3", "2i"],
    ['"\\023" div 8', "2i"],
    ["0 1 1 2 bin 0 1 2", "0 2 3"],
    ["0 1 1 2 binr 0 1 2", "0 1 3"],
    ["t:([]a:`p`p`p`q`q`q;b:0 2 4 0 2 4)\nt bin `a`b!(`p;3)", "1"],
    ["t:([]a:`p`p`p`q`q`q;b:0 2 4 0 2 4)\nt bin ([]a:`q;b:-1 1 3 5)", "0N 3 4 5"],
    ["t:([]a:`p`p`p`q`q`q;b:0 2 4 0 2 4)\nt bin `a`b!(`r;2)", "0N"],
    [
      "kt:([k:`c`d`e`f`g`h`j`l]a:`p`p`q`q`p`p`q`q;b:0 1 0 1 0 1 0 1;c:3 3 3 3 7 7 7 7)\n(kt bin ([]a:`p`q`q`r;b:1;c:4 8 2 4))`k",
      "`d`l``",
    ],
    ["asc 2 1 3 4 2 1 2", "`s#1 1 2 2 2 3 4"],
    ["meta asc ([]a:3 4 1;b:`a`d`s)", "c| t f a\n-| -----\na| j   p\nb| s"],
    ["meta asc([]a:3 4 1)", "c| t f a\n-| -----\na| j   s"],
    // meta reads a list column's type off its first item (ref/file-text: a column of strings is C).
    ['meta ([]a:("ab";"c");b:(`a;1))', "c| t f a\n-| -----\na| C\nb| s"],
    ["t:([]a:1 2 3;b:4 5 6;c:`d`e`f)\n`a`b _ t", "c\n-\nd\ne\nf"],
    ["t:([]a:1 2 3;b:4 5 6;c:`d`e`f)\n`a _ t", "'type"],
    ["(`a`b`c!1 2 3) _ `a`b", "'type"],
    ["`a _ `a`b`c!1 2 3", "b| 2\nc| 3"],
  ]);
});

describe("fidelity: vs and sv on bytes and lines (ref/vs, sv)", () => {
  run([
    ['` sv ("one";"two";"three")', '"one\\ntwo\\nthree\\n"'],
    ['` vs "abc\\r\\ndef\\r\\nghi"', '"abc"\n"def"\n"ghi"'],
    ['` vs "x"$"abc\\ndef\\nghi"', '"abc"\n"def"\n"ghi"'],
    ["0x02 vs 0x0102010201", ",0x01\n,0x01\n,0x01"],
    ["0x0203 vs 0x000102030405", "0x0001\n0x0405"],
    ['" "vs"x"$"a b"', ',"a"\n,"b"'],
    ["0x03 sv 0x02 vs 0x0102010201", "0x0103010301"],
    [
      "0b sv 10001100011010111000101101100100011010000001010101100000100001000000101000111110000101111000010000000001001001010001101101101000b",
      "8c6b8b64-6815-6084-0a3e-178401251b68",
    ],
  ]);
});

describe("fidelity: .Q utilities (ref/dotq)", () => {
  run([
    ['.Q.id each `$("ab";"a/b";"two words";"2drifters";"2+2")', "`ab`ab`twowords`a2drifters`a22"],
    ['.Q.id`$"+"', "`a"],
    ['.Q.id`$"_"', "`a_"],
    ['cols .Q.id(`$("count+";"count*";"count1"))xcol([]1 2;3 4;5 6)', "`count1`count11`count12"],
    ['cols .Q.id(`$("3aa";"_aa";"_aa"))xcol([]1 2;3 4;5 6)', "`a3aa`a_aa`a_aa1"],
    [".Q.x10 12345", '"AAAAAAADA5"'],
    [".Q.j10 each .Q.x10 each 12345+1 2 3", "12346 12347 12348"],
    [".Q.x12 12345", '"0000000009IX"'],
    [".Q.j12 .Q.x12 12345", "12345"],
    ['.Q.btoa"Hello World!"', '"SGVsbG8gV29ybGQh"'],
    ['10h$.Q.atob "aGVsbG8="', '"hello"'],
    ['.Q.sha1"Hello World!"', "0x2ef7bde608ce5404e97d5f042f95f89f1c232871"],
    ['.Q.dd[`AAPL]"O"', "`AAPL.O"],
    // ref/dotj: .j.jd takes options; null0w writes infinities as null.
    [".j.jd(-0w 0 1 2 3 0w;()!())", '"[-inf,0,1,2,3,inf]"'],
    [".j.jd(-0w 0 1 2 3 0w;(enlist`null0w)!enlist 1b)", '"[null,0,1,2,3,null]"'],
  ]);
});

describe("fidelity: lsq, all/any on tables (ref/lsq, all-any)", () => {
  run([
    [
      "a:1f+3 4#til 12\nb:4 4#2 7 -2 5 5 3 6 1 -2 5 2 7 5 0 3 4f\na lsq b",
      "-0.1233333 0.16      0.4766667 0.28\n0.07666667 0.6933333 0.6766667 0.5466667\n0.2766667  1.226667  0.8766667 0.8133333",
    ],
    ["a:1f+3 4#til 12\nb:4 4#2 7 -2 5 5 3 6 1 -2 5 2 7 5 0 3 4f\na ~ (a lsq b) mmu b", "1b"],
    [
      "a:1f+3 4#til 12\nb:3 4#2 7 -2 5 5 3 6 1 -2 5 2 7f\na - (a lsq b) mmu b",
      "0.5333333 -0.7333333 -0.2       0.7333333\n1.04127   -1.431746  -0.3904762 1.431746\n1.549206  -2.130159  -0.5809524 2.130159",
    ],
    ["all ([] c1:1 2 3; c2:0n 0w -0w; c3:0 1 2f)", "c1| 1\nc2| 1\nc3| 0"],
    ["any ([] c1:1 2 3; c2:0n 0w -0w; c3:000b)", "c1| 1\nc2| 1\nc3| 0"],
  ]);
});

describe("fidelity: tolerance, strings, casts and odd domains (basics/precision, ref/like, ssr, wavg, cast)", () => {
  run([
    // Find is exact (basics/precision: `?`, `in` and `except` do not use comparison tolerance).
    ["96.100000000000009 96.099999999999994 ? 96.099999999999994", "1"],
    ["a:1f\nb:a-10 xexp -13\n(a,a)?b", "2"],
    ["a:1f\nb:a-10 xexp -13\n(a,a) except b", "1 1f"],
    ["96.100000000000009 = 96.099999999999994", "1b"],
    ['ssr["a";"a";"-"]', "'type"],
    ['(`quick;`quack`quark) like "qu?ck"', "'type"],
    ['("ab";"cd") like "a*"', "10b"],
    ['"z"%"a"', "1.257732"],
    ["0 wavg (1 2;3 4)", "0n 0n"],
    ['("*";0h)$1', "1 1"],
    ['"d"$23:59:59.999+ 2010.05.13T12:30:59.999', "2010.05.14"],
  ]);
});

describe("fidelity: .Q.fmt in the verb table (ref/dotq)", () => {
  const fmt = VERBS.get(".Q.fmt");
  const call = (args: Value[]): Value => {
    if (!fmt?.nary) throw new Error(".Q.fmt has no three-argument implementation");
    return fmt.nary(args, undefined as never);
  };
  it(".Q.fmt[6;2;1] pads to the width with two decimals", () => {
    assert.deepEqual(
      call([
        { kind: "atom", type: 7, v: 6 },
        { kind: "atom", type: 7, v: 2 },
        { kind: "atom", type: 7, v: 1 },
      ]),
      str("  1.00"),
    );
  });
  it("has valence 3", () => assert.equal(fmt?.valence, 3));
});
