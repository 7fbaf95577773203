/**
 * The dataset subcommands as users run them: the `qds` CLI bundled with
 * esbuild (plus the engine's worker bundle beside it, as in dist/) and run as
 * a child process; exit codes, printed findings, the --json report, progress
 * lines and the files written.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { bundleNode } from "../../support/bundle";
import { problem, tempDir, writeProblem } from "./helpers";

const ROOT = resolve(__dirname, "../../..");

describe("qds dataset commands", function () {
  this.timeout(120_000);
  let root: string;
  let cli: string;
  const qds = (...args: string[]) => {
    const r = spawnSync("node", [cli, ...args], { encoding: "utf8", cwd: root });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  before(async () => {
    root = tempDir("cli");
    const bin = join(root, "bin");
    await bundleNode(
      [
        ["server/src/cli/main.ts", "cli.js"],
        ["server/src/q/worker.ts", "qworker.js"],
      ],
      bin,
    );
    cli = join(bin, "cli.js");
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("validate prints path:line findings and fails on errors", () => {
    writeProblem(join(root, "v"), "good", problem());
    assert.equal(qds("validate", "v").code, 0);
    writeProblem(join(root, "v"), "bad", problem({ "q_test_case_2.q": "show 1\n" }));
    const r = qds("validate", "v");
    assert.equal(r.code, 1);
    assert.match(r.out, /^v\/bad\/q_test_case_2\.q:1: error: invalid solve call count/m);
    assert.match(r.out, /2 problems checked: 1 errors, 0 warnings/);
  });

  it("verify reports progress, a summary, a JSON report and the exit code", () => {
    writeProblem(join(root, "d"), "a-valid", problem());
    writeProblem(join(root, "d"), "b-wrong", problem({ "sol.q": "solve:{[a;b] a-b}\n" }));
    const r = qds("verify", "d", "--jobs", "2", "--timeout", "5", "--json", "report.json");
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /^\[\d\/2\] a-valid: valid$/m);
    assert.match(r.err, /^\[\d\/2\] b-wrong: failing — test 1 \(q\): expected 3, got -1$/m);
    assert.match(r.out, /^ {2}valid {9}1$/m);
    assert.match(r.out, /^ {2}failing {7}1$/m);
    const report = JSON.parse(readFileSync(join(root, "report.json"), "utf8"));
    const wrong = report.problems.find((p: { name: string }) => p.name === "b-wrong");
    assert.deepEqual(
      wrong.tests.map((t: { kind: string; status: string }) => `${t.kind}:${t.status}`),
      ["q:fail", "python:pass", "q:fail", "python:pass"],
    );
    assert.equal(wrong.tests[0].expected, "3");
    assert.equal(wrong.tests[0].actual, "-1");
    // A second run comes from the cache; fixing the problem makes it pass.
    writeFileSync(join(root, "d", "b-wrong", "sol.q"), "solve:{[a;b] a+b}\n");
    const again = qds("verify", "d", "--no-python", "--timeout", "5");
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /^ {2}valid {9}2$/m);
  });

  it("export writes train/test files from the verified problems", () => {
    // The bundle sits in a temp folder here, so the templates are named explicitly.
    const prompts = join(ROOT, "prompts");
    const r = qds("export", "sft", "d", "--out", "sft", "--test-ratio", "0.5", "--seed", "1", "--prompts", prompts);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^train 1, test 1 /);
    assert.ok(existsSync(join(root, "sft", "dataset_stats.json")));
    assert.equal(qds("export", "sft", "d", "--out", "x", "--format", "xml", "--prompts", prompts).code, 2);
  });

  it("import writes folders and prints counts by status", () => {
    const row = {
      task_id: "add",
      prompt: "",
      completion: "class Solution:\n    def f(self, a, b):\n        return a + b\n",
      entry_point: "Solution().f",
      input_output: [{ input: "a = 1, b = 2", output: "3" }],
      meta: { question_id: 9, difficulty: "Easy", question_title: "Add." },
    };
    writeFileSync(join(root, "rows.jsonl"), `${JSON.stringify(row)}\n`);
    const r = qds("import", "leetcode", "rows.jsonl", "--out", "imported");
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /written, by import_status:\n {2}ok {19}1/);
    assert.equal(readFileSync(join(root, "imported", "add_9", "test_case_1_correct_ans.txt"), "utf8"), "3\n");
    assert.equal(qds("import", "leetcode", "rows.jsonl").code, 2, "--out is required");
    execFileSync("node", [cli, "validate", "imported"], { cwd: root });
  });
});
