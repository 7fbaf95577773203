/**
 * The timed side of the verify benchmark (see run.ts), bundled by run.ts with
 * the q worker beside it so the embedded engine starts the way dist/cli.js
 * starts it. Two modes, one JSON line on stdout each:
 *
 * - `verify <dir> <jobs> <timeoutMs>`: verifyDataset exactly as
 *   `qds verify --force --no-python` calls it, with the engine wrapped to
 *   time each sandboxed run (worker start + evaluation + teardown), then a
 *   sequential pass evaluating every test script in an in-process QSession:
 *   the pure evaluation cost, without any sandbox.
 * - `harness <dir> <jobs> <timeoutMs> <cli.js>`: the original pipeline's
 *   shape, one process per test: sol.q + test + `exit 0;` written to a temp
 *   folder, `node cli.js q script.q` run there with a timeout, its stdout
 *   compared with the expected answer; same pool, same parallelism.
 * - `reuse <dir> <jobs> <timeoutMs> <reuse-worker.js>`: what the embedded
 *   engine would do with one long-lived worker per lane (reuse-worker.ts)
 *   instead of a new worker per test; an estimate, not a sandbox.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { answerFile, Q_SOLUTION_FILE, qTestFile, testNumbers } from "../../server/src/dataset/format";
import { listProblemDirs, listProblemFiles } from "../../server/src/dataset/load";
import { runProcess } from "../../server/src/proc/process";
import { QSession, type ScriptOutcome } from "../../server/src/q/session";
import { embeddedEngine } from "../../server/src/verify/embedded";
import { composeScript, judgeQRun, type QEngine } from "../../server/src/verify/engines";
import { compareOutputs } from "../../server/src/verify/equivalence";
import { pool, verifyDataset } from "../../server/src/verify/verify";

const MEMORY_MB = 1024;

interface Test {
  script: string;
  expected: string;
}

async function loadTests(dir: string): Promise<Test[]> {
  const tests: Test[] = [];
  for (const name of listProblemDirs(dir)) {
    const files = listProblemFiles(join(dir, name));
    const sol = await readFile(join(dir, name, Q_SOLUTION_FILE), "utf8");
    for (const n of testNumbers(files)) {
      const test = await readFile(join(dir, name, qTestFile(n)), "utf8");
      const expected = (await readFile(join(dir, name, answerFile(n)), "utf8")).trim();
      tests.push({ script: composeScript(sol, test), expected });
    }
  }
  return tests;
}

async function verifyMode(dir: string, jobs: number, timeoutMs: number): Promise<object> {
  const inner = embeddedEngine();
  let sandboxMs = 0;
  const engine: QEngine = {
    id: inner.id,
    async run(script, limits) {
      const t0 = performance.now();
      const r = await inner.run(script, limits);
      sandboxMs += performance.now() - t0;
      return r;
    },
  };
  const t0 = performance.now();
  const s = await verifyDataset(dir, { engine, jobs, timeoutMs, memoryMb: MEMORY_MB, force: true, python: false });
  const wallMs = performance.now() - t0;
  const tests = s.problems.flatMap((p) => p.tests);
  // Pure evaluation: the same scripts in one long-lived thread, no worker, no files, no cache.
  let evalMs = 0;
  for (const t of await loadTests(dir)) {
    const e0 = performance.now();
    new QSession({ timeLimitMs: timeoutMs }).runScript(t.script);
    evalMs += performance.now() - e0;
  }
  return {
    problems: s.problems.length,
    valid: s.problems.filter((p) => p.status === "valid").length,
    tests: tests.length,
    passed: tests.filter((t) => t.status === "pass").length,
    wallMs,
    sandboxMs,
    evalMs,
  };
}

async function harnessMode(dir: string, jobs: number, timeoutMs: number, cli: string): Promise<object> {
  const tests = await loadTests(dir);
  const t0 = performance.now();
  const passed = await pool(tests, jobs, async (t) => {
    const work = await mkdtemp(join(tmpdir(), "qds-bench-"));
    try {
      await writeFile(join(work, "script.q"), t.script);
      const r = await runProcess(process.execPath, [cli, "q", "script.q"], { cwd: work, timeoutMs, memoryMb: 0 });
      const judged = judgeQRun(
        { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut, outOfMemory: false },
        timeoutMs,
      );
      return judged.ok && compareOutputs(t.expected, judged.output).equal;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
  return { tests: tests.length, passed: passed.filter(Boolean).length, wallMs: performance.now() - t0 };
}

async function reuseMode(dir: string, jobs: number, timeoutMs: number, workerFile: string): Promise<object> {
  const tests = await loadTests(dir);
  const t0 = performance.now();
  const idle = Array.from({ length: jobs }, () => new Worker(workerFile));
  const passed = await pool(tests, jobs, async (t) => {
    const w = idle.pop()!;
    try {
      const r = await new Promise<ScriptOutcome>((done) => {
        w.once("message", done);
        w.postMessage({ script: t.script, timeoutMs });
      });
      const outcome = { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, timedOut: false, outOfMemory: false };
      const judged = judgeQRun(r.error === undefined ? outcome : { ...outcome, error: `'${r.error.name}` }, timeoutMs);
      return judged.ok && compareOutputs(t.expected, judged.output).equal;
    } finally {
      idle.push(w);
    }
  });
  const wallMs = performance.now() - t0;
  await Promise.all(idle.map((w) => w.terminate()));
  return { tests: tests.length, passed: passed.filter(Boolean).length, wallMs };
}

async function main(): Promise<void> {
  const [mode, dir, jobs, timeoutMs, file] = process.argv.slice(2);
  const result =
    mode === "verify"
      ? await verifyMode(dir!, Number(jobs), Number(timeoutMs))
      : mode === "harness"
        ? await harnessMode(dir!, Number(jobs), Number(timeoutMs), file!)
        : await reuseMode(dir!, Number(jobs), Number(timeoutMs), file!);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main();
