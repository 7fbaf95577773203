/**
 * Planted faults, end to end: a temp dataset where a few problems are sound
 * and every other one carries exactly one fault a careless (or hostile)
 * author could commit. `qds verify` runs as a real child process from a
 * freshly bundled CLI (with its q worker beside it, as in dist/), and the
 * test reads its --json report: each fault must come out with the right
 * status and a reason naming it, the sound problems must still be valid, the
 * run must end in bounded time with a non-zero exit, and no process of ours
 * may outlive it. The external-engine path (`--q`, one process per test) is
 * run over the faults that stress process handling: a spin, exit 1, a q
 * error. (Its flood is left out: the `qds q` stand-in for q caps its own
 * output below the verifier's 8 MiB process cap, so it never trips it.)
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleNode } from "../../support/bundle";
import { problem, tempDir, writeProblem } from "../dataset/helpers";

// Long enough for the print loop to reach the output cap on a loaded machine, short enough for the spin.
const TIMEOUT_S = 5;

/** Each planted problem: its files, then the status and reason the report must give. */
const PLANTED: Record<string, { files: Record<string, string | Buffer>; status: string; reason?: RegExp }> = {
  "good-1": { files: problem(), status: "valid" },
  "good-2": { files: problem({ "sol.q": "solve:{[a;b] sum (a;b)}\n" }), status: "valid" },
  "good-3": { files: problem({ "sol.q": "/ comment first\nsolve:{[a;b]\n  a+b}\n" }), status: "valid" },
  wrong: {
    files: problem({ "sol.q": "solve:{[a;b] a*b}\n" }),
    status: "failing",
    reason: /^test 1 \(q\): expected 3, got 2$/,
  },
  "type-error": {
    files: problem({ "sol.q": "solve:{[a;b] a+`b}\n" }),
    status: "failing",
    reason: /^test 1 \(q\): 'type \(script line \d+\)$/,
  },
  spin: {
    files: problem({ "sol.q": "solve:{[a;b] while[1b;a+:1]; a}\n" }),
    status: "failing",
    reason: new RegExp(`^test 1 \\(q\\): timeout after ${TIMEOUT_S} s$`),
  },
  "missing-q-test": {
    files: problem({ "q_test_case_2.q": undefined }),
    status: "error",
    reason: /^q_test_case_2\.q is missing$/,
  },
  "entry-syntax": {
    files: problem({ "entry.json": '{ "id": 1, "slug": "add",\n  "title": "Add" "difficulty": "Easy" }\n' }),
    status: "error",
    reason: /^entry\.json:2: invalid JSON/,
  },
  "entry-schema": {
    files: problem({
      "entry.json": `${JSON.stringify({ id: 1, slug: "add", title: "Add", difficulty: "Trivial", tags: [] }, null, 2)}\n`,
    }),
    status: "error",
    reason: /^entry\.json:5: difficulty: /,
  },
  latin1: {
    // The bad byte sits in a comment, where a lossy decode would let the problem pass unnoticed.
    files: problem({ "sol.q": Buffer.from("/ r\xe9sum\xe9\nsolve:{[a;b] a+b}\n", "latin1") }),
    status: "error",
    reason: /^sol\.q:1: not valid UTF-8 \(byte 3\)$/,
  },
  "exit-1": {
    files: problem({ "q_test_case_1.q": "show solve[1;2]\nexit 1\n" }),
    status: "failing",
    reason: /^test 1 \(q\): exit code 1$/,
  },
  flood: {
    files: problem({
      "q_test_case_1.q": 'do[10000000;-1 "0123456789012345678901234567890123456789"];\nshow solve[1;2]\n',
    }),
    status: "failing",
    reason: /^test 1 \(q\): output limit exceeded/,
  },
  "never-solves": {
    files: problem({ "q_test_case_1.q": "show 3\n" }),
    status: "error",
    reason: /^invalid solve call count in q_test_case_1\.q: 0$/,
  },
  "solve-syntax": {
    files: problem({ "sol.q": "solve:{[a;b] a+b\n" }),
    status: "failing",
    reason: /^test 1 \(q\): 'parse \(script line 1\)$/,
  },
  "endless-recursion": {
    files: problem({ "sol.q": "solve:{[a;b] solve[a;b]}\n" }),
    status: "failing",
    reason: /^test 1 \(q\): recursion limit exceeded \(\d+ nested calls\)$/,
  },
};

interface Report {
  problems: {
    name: string;
    status: string;
    reason?: string;
    tests: { n: number; kind: string; status: string; reason?: string }[];
    cached: boolean;
    recordedTests?: { n: number; kind?: string; status: string; reason?: string }[];
  }[];
}

/** Runs the bundled CLI; resolves with exit code, stderr and wall time (kills it after `limitMs`). */
function cli(
  bin: string,
  args: string[],
  limitMs: number,
): Promise<{ code: number | null; stderr: string; ms: number; pid: number }> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [join(bin, "cli.js"), ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const guard = setTimeout(() => child.kill("SIGKILL"), limitMs);
  return new Promise((done) =>
    child.on("close", (code) => {
      clearTimeout(guard);
      done({ code, stderr, ms: Date.now() - t0, pid: child.pid ?? -1 });
    }),
  );
}

/** Processes still alive whose command line mentions `marker` (our bundle's folder). */
function processesMentioning(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmd.includes(marker)) found.push(`${pid}: ${cmd}`);
    } catch {
      // It exited while we looked.
    }
  }
  return found;
}

describe("verify: planted faults through the qds CLI", function () {
  this.timeout(240_000);
  let root: string;
  let bin: string;
  let data: string;

  before(async () => {
    root = tempDir("faults");
    bin = join(root, "bin");
    data = join(root, "dataset");
    // The CLI and its q worker side by side, as scripts/build.mjs lays them out in dist/.
    await bundleNode(
      [
        ["server/src/cli/main.ts", "cli.js"],
        ["server/src/q/worker.ts", "qworker.js"],
      ],
      bin,
    );
    for (const [name, p] of Object.entries(PLANTED)) writeProblem(data, name, p.files);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("reports every fault precisely, still verifies the rest, and exits 1 in bounded time", async () => {
    const json = join(root, "report.json");
    const args = ["verify", data, "--json", json, "--timeout", `${TIMEOUT_S}`, "--jobs", "2", "--no-python"];
    const run = await cli(bin, [...args, "--memory", "256"], 180_000);
    assert.equal(run.code, 1, `exit code (stderr: ${run.stderr.slice(-500)})`);
    // Two spinning tests at 5 s each are the slow part; anything near the guard means a hang.
    assert.ok(run.ms < 120_000, `took ${run.ms} ms`);
    assert.deepEqual(processesMentioning(bin), [], "no process of ours outlives the run");

    const report = JSON.parse(readFileSync(json, "utf8")) as Report;
    assert.deepEqual(report.problems.map((p) => p.name).sort(), Object.keys(PLANTED).sort(), "every problem reported");
    for (const p of report.problems) {
      const want = PLANTED[p.name]!;
      assert.equal(p.status, want.status, `${p.name}: ${p.reason}`);
      if (want.reason === undefined) {
        assert.equal(p.reason, undefined, p.name);
        assert.deepEqual(
          p.tests.map((t) => [t.n, t.kind, t.status]),
          [
            [1, "q", "pass"],
            [2, "q", "pass"],
          ],
          p.name,
        );
      } else {
        assert.match(p.reason ?? "", want.reason, p.name);
        assert.ok(p.reason!.length < 400, `${p.name}: reason kept short (${p.reason!.length} chars)`);
      }
    }
    // A fault in test 1 does not hide test 2: the wrong answer is wrong in both.
    const wrong = report.problems.find((p) => p.name === "wrong")!;
    assert.deepEqual(
      wrong.tests.map((t) => t.status),
      ["fail", "fail"],
    );
    // The flood's second test is sound and still passes.
    assert.deepEqual(
      report.problems.find((p) => p.name === "flood")!.tests.map((t) => t.status),
      ["error", "pass"],
    );
    // The terminal log names each failure too, one line per problem.
    assert.ok(run.stderr.includes(`spin: failing — test 1 (q): timeout after ${TIMEOUT_S} s`), run.stderr);
    assert.ok(
      run.stderr.split("\n").every((l) => l.length < 500),
      "no flood reaches the log",
    );
  });

  it("keeps each cached problem's recorded test outcomes in the --json report", async () => {
    // Runs after the test above, which filled the cache; nothing changed, so nothing re-runs.
    const json = join(root, "cached.json");
    // The same settings as the first run: other settings would be another fingerprint, so a re-run.
    const args = ["verify", data, "--json", json, "--timeout", `${TIMEOUT_S}`, "--jobs", "2", "--no-python"];
    const run = await cli(bin, [...args, "--memory", "256"], 60_000);
    assert.equal(run.code, 1, run.stderr.slice(-500));
    const report = JSON.parse(readFileSync(json, "utf8")) as Report;
    assert.ok(
      report.problems.every((p) => p.cached),
      "all from cache",
    );
    const by = Object.fromEntries(report.problems.map((p) => [p.name, p]));
    assert.deepEqual(by["good-1"]!.recordedTests, [
      { n: 1, kind: "q", status: "pass" },
      { n: 2, kind: "q", status: "pass" },
    ]);
    assert.deepEqual(by["wrong"]!.recordedTests, [
      { n: 1, kind: "q", status: "fail", reason: "expected 3, got 2" },
      { n: 2, kind: "q", status: "fail", reason: "expected 3, got 1.25" },
    ]);
    assert.match(by["spin"]!.reason!, /timeout/);
  });

  it("kills runaway q processes on the external path (--q) and leaves none behind", async () => {
    const q = join(bin, "q");
    writeFileSync(q, `#!/bin/sh\nexec ${process.execPath} ${join(bin, "cli.js")} q "$@"\n`);
    chmodSync(q, 0o755);
    const json = join(root, "external.json");
    const subset = ["good-1", "spin", "type-error", "exit-1"];
    const only = join(root, "subset");
    for (const name of subset) writeProblem(only, name, PLANTED[name]!.files);
    const args = ["verify", only, "--q", q, "--json", json, "--timeout", `${TIMEOUT_S}`, "--jobs", "2"];
    const run = await cli(bin, [...args, "--no-python", "--force"], 120_000);
    assert.equal(run.code, 1, run.stderr.slice(-500));
    assert.deepEqual(processesMentioning(bin), [], "spinning q processes were killed");
    const report = JSON.parse(readFileSync(json, "utf8")) as Report;
    const by = Object.fromEntries(report.problems.map((p) => [p.name, p]));
    assert.equal(by["good-1"]!.status, "valid");
    assert.equal(by["spin"]!.reason, `test 1 (q): timeout after ${TIMEOUT_S} s`);
    assert.match(by["type-error"]!.reason!, /^test 1 \(q\): error on stderr: 'type/);
    assert.match(by["exit-1"]!.reason!, /^test 1 \(q\): exit code 1$/);
  });
});
