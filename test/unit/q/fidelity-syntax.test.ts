// Syntax and iterator fidelity (issue 14): pattern matching, parse trees, literals, iterators and
// numeric verbs, each row checked against the display documented on the code.kx.com page named
// per block (rows as in ./support/display-rows.ts).

import { runRows as run } from "./support/display-rows";

describe("fidelity-syntax: pattern conditional and operator patterns (basics/pattern)", () => {
  run([
    ['a: :[1f;r:`f;"float";r:`i;"int";"other"]\nr', "1f"],
    ['a: :[1i;r:`f;"float";r:`i;"int";"other"]\na', '"int"'],
    ['a: :[1;r:`f;"float";r:`i;"int";"other"]\na', '"other"'],
    ["([six:;four:d]):`one`two`three`four`five!1 2 3 4 5", "'match"],
    ["([one:;four:d]):`one`two`three`four`five!1 2 3 4 5\nd", "4"],
    ["(flip([a;b])):([]a:1 2;b:3 4)\nb", "3 4"],
    // "A failed match results in no variables being changed."
    ['b:0\n@[value;"(b;c;3):2 3 4";::]\nb', "0"],
  ]);
});

describe("fidelity-syntax: amend by juxtaposed index in a pattern (ref/fill)", () => {
  run([["fills {(x where x=0W):0N;x} 0N 2 3 0W 0N 7 0W", "0N 2 3 3 3 7 7"]]);
});

describe("fidelity-syntax: unary forms and iterators in parse trees (basics/parsetrees, ref/parse)", () => {
  run([
    ["$42", "'$"],
    ["($)42", '"42"'],
    ['parse"6(+)4"', "6\n(+:;4)"],
    ['parse "+/[1 2 3 4]"', "(/;+)\n1 2 3 4"],
    ['parse "1 2 3 +/: 5 7"', "(/:;+)\n1 2 3\n5 7"],
    ['eval parse "1 2 3 +/: 5 7"', "6 7 8\n8 9 10"],
  ]);
});

describe("fidelity-syntax: temporal arithmetic (basics/math, ref/floor, ref/ceiling)", () => {
  run([
    ["2017.12m*0 1 2", "2000.01 2017.12 2035.11m"],
    ["ceiling 2010.05.13T12:30:59.999", "2010.05.14"],
    ["floor 2009.10.03T13:08:00.222", "2009.10.03"],
  ]);
});

describe("fidelity-syntax: accumulators over empty lists and list values (ref/accumulators, basics/regex)", () => {
  run([
    ["mt:0#0\ntype each (mt;*/[mt];{x*y}/[mt])", "7 -7 0h"],
    ["mt:0#0\ntype each (mt;*\\[mt];{x*y}\\[mt])", "7 -7 0h"],
    ["mt:0#0\n()~({x+y}/)mt", "1b"],
    ["type 1 0 3h/[til 0]", "5h"],
    ["type (3 4#til 12)/[0#0]", "0h"],
    ["a:1000f;b:1 2 3 4f;c:5 6 7 8f\na b\\c", "1005 2016 6055 24228f"],
    [
      'm:({0};{2*x="x"};{2+x="f"};{2+/1 2*x="fz"};{4+x="0"};{5+x="0"};{7-x="0"};{7-x="0"})\nf:{6=1 m/x}\nf"xyzfz000"',
      "1b",
    ],
  ]);
});

describe("fidelity-syntax: wildcards ss and like refuse (basics/regex)", () => {
  run([
    ['"the time" ss "t*e"', "'length"],
    ['"Now is the time" like "*the*the*"', "'nyi"],
    ['"Now is the time" like "*the*the"', "'nyi"],
    ['"Now is the time" like "*the*"', "1b"],
    ['"broom of your own" like "br*wn"', "1b"],
  ]);
});

describe("fidelity-syntax: application errors and keyed drop (ref/identity, ref/apply, ref/drop)", () => {
  run([
    ["q:3[::]", "'type"],
    ["q:3 ::\nq", "3"],
    ['@[2+;"42";{)}]', "')"],
    ["d:100 200!`a`b\nenlist[1] _ d", "100| a\n200| b"],
    ["d:100 200!`a`b\nenlist[100] _ d", "200| b"],
  ]);
});

// A lambda `{x op y}` folds through its primitive in one typed loop (fastfold.ts); `{[a;b]r:a+b;r}`
// is not recognised and takes the item-by-item path, so the two must agree bit for bit.
describe("fidelity-syntax: lambda folds equal item-by-item application (basics/precision)", () => {
  run([
    ["a:1e-10*til 100000\n({x+y}over a)~{[a;b]r:a+b;r}over a", "1b"],
    ["a:1e-10*til 100000\n({x+y}over reverse a)~{[a;b]r:a+b;r}over reverse a", "1b"],
    ["a:0.1*til 1000\n({x-y}scan a)~{[a;b]r:a-b;r}scan a", "1b"],
    ["a:0N 8#1e-10*til 80000\n({x+y}over a)~{[a;b]r:a+b;r}over a", "1b"],
    ["\\P 0\n{x+y}over 1e-10*til 100000", "0.49999500000000019"],
    ["{x+y}/[(1 2f;3 4 5f)]", "'length"],
  ]);
});

describe("fidelity-syntax: temporal literals and mixed comparisons (basics/comparison)", () => {
  run([
    ["13:30 20:00t", "13:30:00.000 20:00:00.000"],
    ["20:00:00.000603286 within 13:30 20:00t", "0b"],
    ["2024.10.07D20:00:00.000603286 within 13:30 20:00t", "1b"],
    ["2024.10.07D20:00:00.000603286 = 20:00t", "1b"],
  ]);
});

describe("fidelity-syntax: vs on a general list (ref/vs)", () => {
  run([["10 vs(1995;1996 1997)", "1 1 1\n9 9 9\n9 9 9\n5 6 7"]]);
});

describe("fidelity-syntax: locals and assignment trees (basics/function-notation, ref/parse)", () => {
  run([
    ["t:([]0 1)\n{if[x;t:([]`a`b)];select from t} 0b", "'type"],
    ["t:([]0 1)\n{if[x;t:([]`a`b)];select from t} 1b", "x\n-\na\nb"],
    ['eval parse"a::5"', "5"],
    ['eval parse"a:2+3"\na', "5"],
  ]);
});

describe("fidelity-syntax: long to byte cast (ref/cast)", () => {
  run([['"x"$-2 -1 0 1 2+0Wi', "0xfdfeffffff"]]);
});

describe("fidelity-syntax: a binary glyph applied with @ projects (ref/take, basics/variadic)", () => {
  run([
    ["all`domain=@[;1 2;{`$x}]each(#)@'(1 0 2;2 3 0N;0N 2 1;-1 2 3)", "1b"],
    ['(|:)@"zero"', '"orez"'],
  ]);
});
