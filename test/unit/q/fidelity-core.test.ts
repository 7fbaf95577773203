// Core-language fidelity (issue 14, part a): application, composition, assignment, iterators and
// list verbs, each row checked against the display documented on the code.kx.com page named per
// block (rows as in ./support/display-rows.ts).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { DEFAULT_LIMITS } from "../../../server/src/q/limits";
import { runQScript } from "../../../server/src/q/sandbox";
import { runRows as run } from "./support/display-rows";

describe("fidelity-core: Compose (ref/compose, ref/type)", () => {
  run([
    ["ff:{[w;x;y;z]w+x+y+z}\nf:{2*x}\nd:('[f;ff])\nd[1;2;3;4]", "20"],
    ["ff:{[w;x;y;z]w+x+y+z}\nf:{2*x}\n'[f;ff][1;2;3;4]", "20"],
    ["ff:{[w;x;y;z]w+x+y+z}\nf:{2*x}\ng:10*\n(('[;])over (g;f;ff))[1;2;3;4]", "200"],
    ["x:-100 2 3 4 -100 6 7 8 9 -100\n0 (0|+)\\x", "0 2 5 9 0 6 13 21 30 0"],
    ["type (0|+)", "105h"],
    ['\'[count][("The";"quick";"brown";"fox")]', "3 5 5 3"],
    ['\'"oops"', "'oops"],
  ]);
});

describe("fidelity-core: Assign as a function (ref/assign)", () => {
  run([
    ["a:3\nf:(:)\nf[a;4]", "4"],
    [":/[1 2 3 4 5]", "5"],
    ["{:x+1}2", "3"],
    ["s:1 2 3\ns[2]:5f", "'type"],
    ["s:(1;2f;3)\ns[1]:4\ns[1]:5f", "'type"],
    ["a:til 5\n1+a[2]+:5", "8"],
    ["a:til 5\na[2]+:5\na", "0 1 7 3 4"],
  ]);
});

describe("fidelity-core: Join-assign keeps a vector's type (ref/identity, ref/join)", () => {
  run([
    ["x:(1;2;3)\nx,:`a", "'type"],
    ["x:(1;2;3)\nx,:4\nx", "1 2 3 4"],
    ['z:"ab"\nz,:"c"\nz', '"abc"'],
  ]);
});

describe("fidelity-core: join-assign to an unset name, converging a derived over (ref/enlist, ref/over)", () => {
  run([
    ["a:enlist[3]\nb,:3\na~b", "1b"],
    ['n:(("the";"quick");("brown";("fox";"jumps"));"over")\n(,/) over n', '"thequickbrownfoxjumpsover"'],
    ["(+/) over (1 2;3 4)", "10"],
  ]);
});

describe("fidelity-core: trim, pad, next, inter, xexp on more argument kinds (ref/trim, pad, next, inter, exp)", () => {
  run([
    ["trim 42", "42"],
    [
      'rtrim ([]a:("fox";("jumps ";"over   "));b:("a";"dog "))',
      'a                b\n----------------------\n"fox"            "a"\n("jumps";"over") "dog"',
    ],
    ['-9$`a`b`c!("quick";"brown";"fox")', 'a| "    quick"\nb| "    brown"\nc| "      fox"'],
    ['next (1 2;"abc";`ibm)', '"abc"\n`ibm\n`long$()'],
    ["x:(`a`b)!(1 2 3;`x`y`z)\ny:(`a`b`c)!(1 2 3;2 3 5;`x`y`z)\nx inter y", "1 2 3\nx y z"],
    ["\\P 17\n2 xexp 3", "7.9999999999999982"],
  ]);
});

describe("fidelity-core: sorted dictionaries are step functions; the root namespace (ref/apply, basics/glossary)", () => {
  run([
    ["d:`cat`cow`dog`sheep!`chat`vache`chien`mouton\nds:`s#d\nds~d", "1b"],
    ["d:`cat`cow`dog`sheep!`chat`vache`chien`mouton\nds:`s#d\nds `sheep`snake`cat`ant", "`mouton`mouton`chat`"],
    ["e:(10*til 10)!til 10\nes:`s#e\nes 80 35 20 -10", "8 3 2 0N"],
    ["v:5\n.ns.v:6\n`.`.ns@\\:`v", "5 6"],
    ["v:5\n`. `v", "5"],
    ["v:5\n.ns.v:6\nkey `.ns", "``v"],
  ]);
});

describe("fidelity-core: applying to the identity (ref/identity)", () => {
  run([
    ["1 2 3 ::", "1 2 3"],
    ["q:3 ::\nq~3", "1b"],
  ]);
});

describe("fidelity-core: functional delete from a namespace (basics/funsql, basics/syscmds)", () => {
  run([["a:1;b:2\n![`.;();0b;`a`b]\na", "'a"]]);
});

describe("fidelity-core: qds q recurses as deep as the sandbox (issue 14, part c)", function () {
  this.timeout(60000);
  // A real `qds q` process (the TypeScript entry under tsx): on Node's main thread this died
  // with 'stack near 1,200 levels; the console thread has the sandbox worker's stack.
  const main = join(__dirname, "../../../server/src/cli/main.ts");
  const qds = (stdin: string) =>
    spawnSync(process.execPath, ["--import", "tsx", main, "q"], {
      cwd: join(__dirname, "../../.."),
      input: stdin,
      encoding: "utf8",
      timeout: 45000,
    });

  it("evaluates 3,900 nested lambda calls, then reports 'stack past the limit and goes on", () => {
    const r = qds("f:{$[x=0;0;1+f x-1]}\nf 3900\nf 100000\n1+1\n");
    assert.equal(r.stdout, "3900\n2\n");
    assert.match(r.stderr, /^'stack/);
    assert.equal(r.status, 0);
  });

  it("matches the sandbox's depth on the same program", async () => {
    const viaSandbox = await runQScript("f:{$[x=0;0;1+f x-1]}\n-1 string f 3900;", {
      timeoutMs: DEFAULT_LIMITS.timeoutMs,
      memoryMb: DEFAULT_LIMITS.memoryMb,
    });
    assert.equal(viaSandbox.stdout, "3900\n");
  });
});

describe("fidelity-core: inv and lsq to the last bit (ref/inv, ref/lsq)", () => {
  // The residuals the pages print are rounding noise: they match only when inv and lsq do their
  // arithmetic in q's order (LU with partial pivoting; Cholesky on the normal equations).
  const A = "A:(1.1 2.2 3.3;4.4 5.5 6.6;7.7 8.8 9.9)\nB:(1.1 2.1 3.1; 2.3 3.4 4.5; 5.6 7.8 9.8)\n";
  run([
    [
      "a:3 3#2 4 8 3 5 6 0 7 1f\na mmu inv a",
      "1 2.220446e-16 -2.775558e-17\n0 1            5.551115e-17\n0 0            1",
    ],
    [
      `${A}A lsq B`,
      "1.211009  -0.1009174 2.993439e-12\n-2.119266 2.926606   -3.996803e-12\n-5.449541 5.954128   -1.758593e-11",
    ],
    [`${A}A mmu inv B`, "1.211009  -0.1009174 7.105427e-15\n-2.119266 2.926606   0\n-5.449541 5.954128   7.105427e-15"],
  ]);
});

describe("fidelity-core: asc sorts a vector already in order in place (ref/asc)", () => {
  run([
    ["a:0 1\nb:a\nasc b\nb", "`s#0 1"],
    ["a:0 1\nb:a\nasc b\na", "`s#0 1"],
    ["x:3 1 2\nasc x\nx", "3 1 2"],
    ["asc 3 1 2", "`s#1 2 3"],
  ]);
});

describe("fidelity-core: a fold keeps q's one-at-a-time rounding at 10^7 items (basics/precision)", () => {
  // The page's point is the last digits: each result is what adding the items in this order gives.
  run([
    ["\\P 0\n{x+y}over 1e-10*til 10000000", "4999.9994999999635"],
    ["\\P 0\n{x+y}over reverse 1e-10*til 10000000", "4999.9995000000026"],
    ["\\P 0\n{x+y}over{x+y}over 0N 8#1e-10*til 10000000", "4999.9995000000017"],
    ["{x-y}\\[1 2 3f]", "1 -1 -4f"],
    ["{y-x}\\[1 2 3f]", "1 1 2f"],
    ["{[a;b]a*b}/[1.5 2 3]", "9f"],
    ["(-)over 10 2 3f", "5f"],
  ]);
});
