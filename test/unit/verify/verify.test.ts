/**
 * End-to-end verification over real problem folders: the embedded engine
 * (worker sandbox), the external path (`qds q` bundled and wrapped in a shell
 * script posing as the q binary, including a timeout kill), real python3
 * tests, statuses and reasons, and the fingerprint cache.
 */
import { strict as assert } from "node:assert";
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadDataset } from "../../../server/src/dataset/load";
import { readCache } from "../../../server/src/verify/cache";
import { embeddedEngine } from "../../../server/src/verify/embedded";
import { externalEngine, type QEngine } from "../../../server/src/verify/engines";
import { type VerifyOptions, verifyDataset } from "../../../server/src/verify/verify";
import { bundleNode } from "../../support/bundle";
import { problem, tempDir, writeProblem } from "../dataset/helpers";

function dataset(root: string): void {
  writeProblem(root, "a-valid", problem());
  writeProblem(root, "b-wrong", problem({ "sol.q": "solve:{[a;b] a*b}\n" }));
  writeProblem(root, "c-qerror", problem({ "sol.q": "solve:{[a;b] a+`b}\n" }));
  writeProblem(root, "d-spin", problem({ "sol.q": "solve:{[a;b] while[1b;a+:1]; a}\n" }));
  writeProblem(root, "e-twice", problem({ "q_test_case_1.q": "show solve[1;2]\nshow solve[1;2]\n" }));
  writeProblem(root, "f-noq", problem({ "sol.q": undefined }));
  writeProblem(
    root,
    "g-badpy",
    problem({ "sol.py": "class Solution:\n    def add(self, a, b):\n        return a - b\n" }),
  );
}

describe("verify", function () {
  this.timeout(120_000);
  let root: string;
  const opts = (engine: QEngine, extra: Partial<VerifyOptions> = {}): VerifyOptions => ({
    engine,
    jobs: 2,
    timeoutMs: 1500,
    memoryMb: 256,
    force: false,
    python: true,
    ...extra,
  });
  beforeEach(() => {
    root = tempDir("verify");
    dataset(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("gives each problem a status and each test a reason (embedded engine)", async () => {
    const s = await verifyDataset(root, opts(embeddedEngine()));
    const by = Object.fromEntries(s.problems.map((p) => [p.name, p]));
    assert.deepEqual(
      s.problems.map((p) => [p.name, p.status]),
      [
        ["a-valid", "valid"],
        ["b-wrong", "failing"],
        ["c-qerror", "failing"],
        ["d-spin", "failing"],
        ["e-twice", "error"],
        ["f-noq", "no_q"],
        ["g-badpy", "failing"],
      ],
    );
    assert.equal(by["a-valid"]!.tests.length, 4, "q and python for two tests");
    assert.ok(by["a-valid"]!.tests.every((t) => t.status === "pass"));
    const wrong = by["b-wrong"]!.tests.find((t) => t.kind === "q" && t.n === 1)!;
    assert.equal(wrong.status, "fail");
    assert.equal(wrong.actual, "2");
    assert.equal(wrong.reason, "expected 3, got 2");
    assert.match(by["c-qerror"]!.reason!, /test 1 \(q\): 'type/);
    assert.match(by["d-spin"]!.reason!, /timeout/);
    assert.match(by["e-twice"]!.reason!, /invalid solve call count in q_test_case_1\.q: 2/);
    const py = by["g-badpy"]!.tests.find((t) => t.kind === "python" && t.n === 1)!;
    assert.deepEqual([py.status, py.actual], ["fail", "-1"]);
    // The loader now sees the same statuses through the cache.
    assert.deepEqual(
      loadDataset(root).problems.map((p) => p.status),
      ["valid", "failing", "failing", "failing", "error", "no_q", "failing"],
    );
  });

  it("honours entry.json abs_tolerance for the tests it names, and only those (the same rule qds eval uses)", async () => {
    const dir = tempDir("verify-tol");
    try {
      // Python's 1/3 printed to 17 digits; q prints 0.3333 at -P 4: within 1e-3, not within the float rule.
      const files = {
        "sol.py": "class Solution:\n    def third(self):\n        return 1 / 3\n",
        "sol.q": "solve:{[x] 1%3}\n",
        "test_case_1.py": "from sol import *\nprint(Solution().third())\n",
        "test_case_1_correct_ans.txt": "0.3333333333333333\n",
        "q_test_case_1.q": "\\P 4\nshow solve[0]\n",
        "test_case_2.py": "from sol import *\nprint(Solution().third())\n",
        "test_case_2_correct_ans.txt": "0.3333333333333333\n",
        "q_test_case_2.q": "\\P 4\nshow solve[0]\n",
      };
      const entry = (extra: object) =>
        `${JSON.stringify({ id: 1, slug: "third", title: "Third", difficulty: "Easy", ...extra })}\n`;
      writeProblem(dir, "tol", problem({ ...files, "entry.json": entry({ abs_tolerance: { "1": 1e-3 } }) }));
      const s = await verifyDataset(dir, opts(embeddedEngine(), { python: false }));
      const p = s.problems[0]!;
      assert.deepEqual(
        p.tests.map((t) => [t.n, t.status]),
        [
          [1, "pass"],
          [2, "fail"],
        ],
        JSON.stringify(p.tests),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reuses cached results until a file changes, and re-runs everything with force", async () => {
    const engine = embeddedEngine();
    rmSync(join(root, "d-spin"), { recursive: true }); // its timeouts would only slow the five rounds down
    await verifyDataset(root, opts(engine, { python: false }));
    const again = await verifyDataset(root, opts(engine, { python: false }));
    assert.deepEqual(
      again.problems.filter((p) => !p.cached).map((p) => p.name),
      ["f-noq"],
    );
    assert.equal(again.problems.find((p) => p.name === "b-wrong")!.status, "failing");
    writeFileSync(join(root, "b-wrong", "sol.q"), "solve:{[a;b] a+b}\n");
    const fixed = await verifyDataset(root, opts(engine, { python: false }));
    const b = fixed.problems.find((p) => p.name === "b-wrong")!;
    assert.deepEqual([b.cached, b.status], [false, "valid"]);
    // Different settings are a different fingerprint: nothing is reused.
    const other = await verifyDataset(root, opts(engine, { python: false, timeoutMs: 1400 }));
    assert.equal(other.problems.filter((p) => p.cached).length, 0);
    const forced = await verifyDataset(root, opts(engine, { python: false, timeoutMs: 1400, force: true }));
    assert.equal(forced.problems.filter((p) => p.cached).length, 0);
    assert.equal(readCache(root).get("b-wrong")!.status, "valid");
  });

  it("runs an external q binary: `qds q` bundled, wrapped in a shell script", async () => {
    const bin = join(root, ".bin");
    // `qds q` evaluates in a worker thread: its bundle goes beside cli.js, as in dist/.
    await bundleNode(
      [
        ["server/src/cli/main.ts", "cli.js"],
        ["server/src/q/worker.ts", "qworker.js"],
      ],
      bin,
    );
    const q = join(bin, "q");
    writeFileSync(q, `#!/bin/sh\nexec node ${join(bin, "cli.js")} q "$@"\n`);
    chmodSync(q, 0o755);
    const s = await verifyDataset(root, opts(externalEngine(q), { python: false }));
    assert.deepEqual(
      s.problems.map((p) => [p.name, p.status]),
      [
        ["a-valid", "valid"],
        ["b-wrong", "failing"],
        ["c-qerror", "failing"],
        ["d-spin", "failing"],
        ["e-twice", "error"],
        ["f-noq", "no_q"],
        ["g-badpy", "valid"],
      ],
    );
    const spin = s.problems.find((p) => p.name === "d-spin")!;
    assert.match(spin.reason!, /timeout after 1\.5 s/);
    assert.equal(readCache(root).get("a-valid")!.engine, `external:${q}`);
    assert.ok(readFileSync(join(root, ".qds", "cache", "verify.json"), "utf8").length > 0);
  });
});
