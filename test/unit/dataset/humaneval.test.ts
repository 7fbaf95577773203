/**
 * `qds import q-humaneval` on the shared files.
 *
 * All 164 problems' asserts are read (one Python process) and counted, and
 * every translatable one's q test is generated and parsed by the engine's
 * parser. A subset chosen to cover every assert form and skip reason is
 * imported for real (Python runs the reference for each answer), and then
 * every imported Python test is run again as `qds verify` runs it and must
 * print its recorded answer. q literals are checked by what the engine
 * makes of them: the console display of the value, exactly.
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  analyseHumanEval,
  importHumanEval,
  type PyValue,
  qLiteral,
  qTest,
} from "../../../server/src/dataset/humaneval";
import { parse } from "../../../server/src/q/parser";
import { embeddedEngine } from "../../../server/src/verify/embedded";
import { compareOutputs } from "../../../server/src/verify/equivalence";
import { runPythonTest } from "../../../server/src/verify/python";

const DATA = resolve(__dirname, "../../../../shared/data/q-humaneval");
const Q_FILE = join(DATA, "q_humaneval.jsonl");
const H_FILE = join(DATA, "HumanEval.jsonl.gz");

/** The q test without its `\P 0` system line, which is not q syntax but a console command. */
const qBody = (test: string) =>
  test
    .split("\n")
    .filter((l) => !l.startsWith("\\"))
    .join("\n");

const I = (v: number): PyValue => ({ t: "int", v: String(v) });
const F = (v: string): PyValue => ({ t: "float", v });
const S = (v: string): PyValue => ({ t: "str", v });
const B = (v: boolean): PyValue => ({ t: "bool", v });
const L = (...v: PyValue[]): PyValue => ({ t: "list", v });

describe("q-humaneval import", function () {
  this.timeout(120_000);
  const engine = embeddedEngine();
  after(() => engine.close());

  it("q literals display in the engine as the Python values they came from", async () => {
    const cases: [PyValue, string][] = [
      [L(I(1), I(2), I(-3)), "1 2 -3"],
      [L(F("1.5"), F("2.0")), "1.5 2"],
      [L(F("1.0"), F("2.0")), "1 2f"],
      [L(F("1e-06"), F("inf")), "1e-06 0w"],
      [L(B(true), B(false), B(true)), "101b"],
      [L(I(5)), ",5"],
      [L(), "()"],
      [S("a"), ',"a"'],
      [S('say "hi"\\'), '"say \\"hi\\"\\\\"'],
      [L(S("a"), S("bc")), '(,"a";"bc")'],
      [L(S("abc")), ',"abc"'],
      [L(L(I(1), I(2)), L(I(3))), "(1 2;,3)"],
      [L(F("0.2"), I(3), I(5)), "(0.2;3;5)"],
      [{ t: "dict", k: [S("a"), S("b")], v: [I(1), I(2)] }, "`a`b!1 2"],
      [{ t: "dict", k: [S("p"), I(5)], v: [S("x"), S("yz")] }, '(`p;5)!(,"x";"yz")'],
      [{ t: "dict", k: [S("a b")], v: [S("x")] }, '(,`a b)!,,"x"'],
      [{ t: "dict", k: [], v: [] }, "()!()"],
    ];
    for (const [value, display] of cases) {
      const r = await engine.run(`0N!${qLiteral(value)};\nexit 0;`, { timeoutMs: 2000, memoryMb: 256 });
      assert.equal(r.stdout.trim(), display, `${JSON.stringify(value)} as ${qLiteral(value)}: ${r.stderr}`);
    }
    assert.throws(() => qLiteral(S("é")), /not ASCII/);
    assert.throws(() => qLiteral({ t: "int", v: String(2n ** 70n) }), /does not fit/);
  });

  it("reads all 164 problems' asserts; every translatable one gives a q test that parses", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "qds-he-"));
    try {
      const all = await analyseHumanEval(Q_FILE, scratch);
      assert.equal(all.length, 164);
      const total = all.reduce((n, a) => n + a.total, 0);
      const translatable = all.flatMap((a) => a.asserts);
      const skipped = all.flatMap((a) => a.skipped);
      // Counted on 2026-12-03 from the shared file: 1,181 asserts; 48 are `assert True`,
      // 5 sit in loops (randomised or computed), 1 calls with a variable built earlier.
      assert.equal(total, 1181);
      assert.equal(translatable.length, 1127);
      assert.equal(skipped.filter((s) => s.reason.startsWith("trivially true")).length, 48);
      assert.equal(skipped.filter((s) => s.reason.includes("inside a for")).length, 5);
      assert.equal(skipped.filter((s) => s.reason.includes("not a Python literal")).length, 1);
      assert.equal(translatable.filter((a) => a.kind === "tolerance").length, 5);
      let parsed = 0;
      for (const a of translatable) {
        const test = qTest(a.args);
        assert.doesNotThrow(() => parse(qBody(test)), `${a.text} → ${test}`);
        parsed++;
      }
      assert.equal(parsed, 1127);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("imports a subset: counts, statuses, tolerance, and every Python test prints its recorded answer", async () => {
    const out = mkdtempSync(join(tmpdir(), "qds-he-out-"));
    try {
      const s = await importHumanEval(Q_FILE, H_FILE, {
        out,
        force: false,
        jobs: 2,
        timeoutMs: 10_000,
        memoryMb: 1024,
        ids: [0, 2, 25, 32, 53, 95, 151],
      });
      const by = Object.fromEntries(s.results.map((r) => [r.folder, r]));
      const counts = Object.fromEntries(s.results.map((r) => [r.folder, [r.asserts, r.imported, r.skipped.length]]));
      assert.deepEqual(counts, {
        has_close_elements_0: [7, 7, 0],
        truncate_number_2: [3, 3, 0],
        factorize_25: [8, 8, 0], // five of them call with arithmetic on literals (3 * 19)
        find_zero_32: [1, 0, 1], // a randomised loop: no test at all
        add_53: [6, 5, 1],
        check_dict_case_95: [7, 7, 0],
        double_the_difference_151: [7, 6, 1],
      });
      assert.match(by["find_zero_32"]!.skipped[0]!.reason, /inside a for/);
      const entry = (f: string) =>
        JSON.parse(readFileSync(join(out, f, "entry.json"), "utf8")) as Record<string, unknown>;
      assert.deepEqual(entry("truncate_number_2")["abs_tolerance"], { "2": 1e-6, "3": 1e-6 });
      assert.equal(entry("has_close_elements_0")["abs_tolerance"], undefined);
      assert.equal(entry("add_53")["q_function"], "add");
      assert.match(String(entry("add_53")["import_status"]), /^partial: 1 of 6/);
      assert.match((entry("add_53")["import_warnings"] as string[])[0]!, /check line 10: 1 assert\(s\) inside a for/);
      assert.equal(
        readFileSync(join(out, "check_dict_case_95", "q_test_case_1.q"), "utf8"),
        '\\P 0\n0N!solve[`p`b!("pineapple";"banana")];\n',
      );
      assert.equal(
        readFileSync(join(out, "factorize_25", "test_case_4.py"), "utf8"),
        "from sol import *\n\nprint(repr(factorize(3 * 19)))\n",
      );

      let ran = 0;
      for (const folder of readdirSync(out)) {
        if (folder.startsWith(".")) continue;
        for (let n = 1; existsSync(join(out, folder, `test_case_${n}.py`)); n++) {
          const r = await runPythonTest(join(out, folder), `test_case_${n}.py`, { timeoutMs: 10_000, memoryMb: 1024 });
          const want = readFileSync(join(out, folder, `test_case_${n}_correct_ans.txt`), "utf8").trim();
          assert.ok(r.ok, `${folder} test ${n}: ${!r.ok && r.reason}`);
          assert.equal(r.output, want, `${folder} test ${n}`);
          assert.ok(compareOutputs(want, r.output).equal);
          assert.doesNotThrow(() => parse(qBody(readFileSync(join(out, folder, `q_test_case_${n}.q`), "utf8"))));
          ran++;
        }
      }
      assert.equal(ran, 7 + 3 + 8 + 5 + 7 + 6);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
