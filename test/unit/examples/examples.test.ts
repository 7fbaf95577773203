/**
 * The example dataset shipped in examples/dataset (LeetCode problems imported
 * with `qds import leetcode`, q solutions and q tests written by hand).
 *
 * Checked here: the product's validator finds nothing at all; every problem
 * has a q solution defining `solve` and one q test per Python test, each
 * calling `solve` exactly once and printing with the dataset's single
 * convention (`0N!solve[...];`); the set stays varied (at least 30 problems,
 * Easy, Medium and Hard). The q side is also run: each q test after its
 * sol.q in a fresh in-process engine session, judged against the expected
 * answer by the equivalence checker, which takes seconds. The full
 * `qds verify` (a sandboxed run per test plus every Python test, close to a
 * minute) is left to the README job and CI.
 */
import { strict as assert } from "node:assert";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  answerFile,
  classifyTestFile,
  ENTRY_FILE,
  Q_SOLUTION_FILE,
  qTestFile,
  solveCalls,
  testNumbers,
} from "../../../server/src/dataset/format";
import { listProblemDirs } from "../../../server/src/dataset/load";
import { formatFinding, validateDataset } from "../../../server/src/dataset/validate";
import { QSession } from "../../../server/src/q/session";
import { composeScript } from "../../../server/src/verify/engines";
import { compareOutputs } from "../../../server/src/verify/equivalence";

const DATASET = resolve(__dirname, "../../../examples/dataset");
const problems = listProblemDirs(DATASET);
const read = (problem: string, file: string): string => readFileSync(join(DATASET, problem, file), "utf8");

/** Test numbers of one kind of test file in a problem folder. */
function numbersOf(problem: string, kind: "py" | "answer" | "q"): number[] {
  const names = readdirSync(join(DATASET, problem)).filter((f) => classifyTestFile(f)?.kind === kind);
  return testNumbers(names);
}

describe("examples/dataset", () => {
  it("validates with no findings at all", () => {
    const { problems: checked, findings } = validateDataset(DATASET);
    assert.equal(checked, problems.length);
    assert.deepEqual(findings.map(formatFinding), []);
  });

  it("holds at least 30 imported problems of every difficulty", () => {
    assert.ok(problems.length >= 30, `only ${problems.length} problems`);
    const difficulties = new Set<string>();
    for (const p of problems) {
      const entry = JSON.parse(read(p, ENTRY_FILE)) as { difficulty?: string; import_status?: string };
      assert.equal(entry.import_status, "ok", `${p}: import_status ${entry.import_status}`);
      difficulties.add(String(entry.difficulty));
    }
    assert.deepEqual([...difficulties].sort(), ["Easy", "Hard", "Medium"]);
  });

  it("gives every problem a sol.q defining solve", () => {
    for (const p of problems) {
      assert.ok(existsSync(join(DATASET, p, Q_SOLUTION_FILE)), `${p}: no ${Q_SOLUTION_FILE}`);
      assert.match(read(p, Q_SOLUTION_FILE), /^solve:\{/m, `${p}: ${Q_SOLUTION_FILE} does not define solve`);
    }
  });

  it("pairs each Python test with one q test that calls solve once and prints it with 0N!", () => {
    for (const p of problems) {
      const q = numbersOf(p, "q");
      assert.ok(q.length >= 1 && q.length <= 5, `${p}: ${q.length} q tests`);
      assert.deepEqual(q, numbersOf(p, "py"), `${p}: q test numbers vs Python test numbers`);
      assert.deepEqual(q, numbersOf(p, "answer"), `${p}: q test numbers vs answer file numbers`);
      for (const n of q) {
        const text = read(p, qTestFile(n));
        assert.equal(solveCalls(text).length, 1, `${p}/${qTestFile(n)}: solve calls`);
        assert.match(text, /^0N!solve\[.*\];\n$/, `${p}/${qTestFile(n)}: not the 0N!solve[...]; convention`);
      }
    }
  });

  it("passes every q test on the embedded engine", function () {
    this.timeout(60_000);
    const failures: string[] = [];
    for (const p of problems) {
      const solution = read(p, Q_SOLUTION_FILE);
      for (const n of numbersOf(p, "q")) {
        const session = new QSession({ timeLimitMs: 5_000 });
        const run = session.runScript(composeScript(solution, read(p, qTestFile(n))));
        const verdict = compareOutputs(read(p, answerFile(n)), run.stdout);
        if (run.error !== undefined || !verdict.equal) {
          failures.push(`${p} test ${n}: ${run.error?.name ?? verdict.reason} (stdout ${JSON.stringify(run.stdout)})`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });
});
