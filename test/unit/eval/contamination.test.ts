/**
 * The contamination check on crafted datasets: an evaluation problem whose
 * description and tests were copied into a training problem (reworded a
 * little) is flagged with that problem; an unrelated one is not; the
 * threshold decides; `evaluate` leaves flagged problems out of the score.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkContamination, evaluate, loadEvalProblems } from "../../../server/src/eval";

function problem(root: string, name: string, description: string, tests: [string, string][]): void {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "entry.json"), JSON.stringify({ id: name, q_function: "f" }));
  writeFileSync(join(dir, "problem_description.txt"), description);
  tests.forEach(([q, a], i) => {
    writeFileSync(join(dir, `q_test_case_${i + 1}.q`), q);
    writeFileSync(join(dir, `test_case_${i + 1}_correct_ans.txt`), a);
  });
}

const SORTED =
  "Given a list of integers, return the list sorted in ascending order, but with every even number placed before every odd number while keeping the relative order of equal parity elements stable.";
const PRIMES = "Return the number of prime numbers strictly less than the given non-negative integer n.";
const PAL =
  "Decide whether a string reads the same forwards and backwards, ignoring case and every character that is not a letter or a digit.";

describe("contamination check", function () {
  this.timeout(30_000);
  let evalDir: string;
  let trainDir: string;
  before(() => {
    evalDir = mkdtempSync(join(tmpdir(), "qds-contam-eval-"));
    trainDir = mkdtempSync(join(tmpdir(), "qds-contam-train-"));
    problem(evalDir, "parity_sort", `// ${SORTED}\nf:{[x]\n  }`, [["0N!solve[3 1 2 4];", "2 4 3 1"]]);
    problem(evalDir, "count_primes", `// ${PRIMES}\nf:{[x]\n  }`, [["0N!solve[10];", "4"]]);
    problem(evalDir, "palindrome", `// ${PAL}\nf:{[x]\n  }`, [['0N!solve["A man, a plan"];', "0b"]]);
    // Training: the parity sort reworded slightly at the end, with its test in Python form.
    problem(trainDir, "sort_by_parity_905", `${SORTED.replace("stable.", "stable, please.")}`, [
      ["0N!solve[3 1 2 4];", "[2, 4, 3, 1]"],
    ]);
    // The prime problem shares only a few words with the training one.
    problem(
      trainDir,
      "count_primes_204",
      "Count the primes below n using a sieve; n can be as large as five million.",
      [["0N!solve[10];", "4"]],
    );
  });
  after(() => {
    rmSync(evalDir, { recursive: true, force: true });
    rmSync(trainDir, { recursive: true, force: true });
  });

  it("flags the near-duplicate with its training problem, and only it", () => {
    const r = checkContamination(loadEvalProblems(evalDir), { trainDir });
    assert.deepEqual(
      r.flagged.map((f) => [f.problem, f.train_problem]),
      [["parity_sort", "sort_by_parity_905"]],
    );
    // Not 1: the eval side also has the q header and its own test tokens.
    assert.ok(r.flagged[0]!.overlap > 0.6 && r.flagged[0]!.overlap < 1, String(r.flagged[0]!.overlap));
    assert.equal(r.checked, 3);
    assert.equal(checkContamination(loadEvalProblems(evalDir), { trainDir, threshold: 0.99 }).flagged.length, 0);
  });

  it("evaluate leaves flagged problems out of the score and reports them", async () => {
    const out = mkdtempSync(join(tmpdir(), "qds-contam-out-"));
    const file = join(out, "c.jsonl");
    writeFileSync(
      file,
      ["parity_sort", "count_primes", "palindrome"]
        .map((t) => JSON.stringify({ task_id: t, completion: "f:{[x] x}" }))
        .join("\n"),
    );
    try {
      const s = await evaluate({
        datasetDir: evalDir,
        source: { kind: "completions", file },
        n: 1,
        k: [1],
        outDir: join(out, "run"),
        contamination: { trainDir },
      });
      assert.deepEqual(
        s.per_problem.map((p) => p.problem),
        ["count_primes", "palindrome"],
      );
      assert.equal(s.contamination?.flagged.length, 1);
      assert.equal(s.contamination?.excluded, true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
