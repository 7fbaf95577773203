/**
 * `qds verify <dir>`: runs every problem's tests (see verify/verify.ts),
 * shows progress (a bar on a terminal, one line per problem otherwise),
 * prints a summary table and exits 1 when any problem is failing or in error.
 */
import { availableParallelism } from "node:os";
import { writeFileAtomic } from "../dataset/fsx";
import { DEFAULT_LIMITS } from "../q/limits";
import { embeddedEngine } from "../verify/embedded";
import type { QEngine } from "../verify/engines";
import { type ProblemResult, type VerifySummary, verifyDataset } from "../verify/verify";
import { act, Command, datasetDir, integer, positive, qBinary } from "./args";

interface VerifyFlags {
  q?: string;
  jobs: number;
  timeout: number;
  memory: number;
  force?: boolean;
  json?: string;
  python: boolean;
}

export function verifyCommand(): Command {
  return new Command("verify")
    .summary("run every problem's tests and report which problems are valid")
    .description(
      "Runs every test of every problem: each q test (sol.q then q_test_case_N.q) in a fresh " +
        "engine session, each Python reference test, and compares outputs with the expected " +
        "answers as values. Results are cached under <dataset>/.qds/cache. Exit code 1 when any " +
        "problem is failing or in error.",
    )
    .argument("<dataset-dir>", "the dataset folder (a folder of problem folders)")
    .option("--q <path>", "run tests with this q binary instead of the embedded engine")
    .option("--jobs <n>", "problems verified in parallel", integer(1), availableParallelism())
    .option("--timeout <seconds>", "time limit per test run", positive, DEFAULT_LIMITS.timeoutMs / 1000)
    .option("--memory <mb>", "memory limit per test run in MiB", integer(1), DEFAULT_LIMITS.memoryMb)
    .option("--force", "ignore cached results and run everything again")
    .option("--json <file>", "also write a JSON report to this file")
    .option("--no-python", "skip the Python reference tests")
    .action(act(run));
}

async function run(dir: string, flags: VerifyFlags): Promise<number> {
  datasetDir(dir);
  const external = flags.q === undefined ? undefined : await qBinary(flags.q);
  const embedded = external === undefined ? embeddedEngine() : undefined;
  const engine: QEngine = external ?? embedded!;
  const settings = {
    jobs: flags.jobs,
    timeoutMs: flags.timeout * 1000,
    memoryMb: flags.memory,
    python: flags.python,
    force: flags.force === true,
  };
  const progress = process.stderr.isTTY ? barProgress() : lineProgress();
  // The embedded engine's worker threads end with the run, not whenever they next fall idle.
  const summary = await verifyDataset(dir, { engine, ...settings, onProblem: progress }).finally(() =>
    embedded?.close(),
  );
  if (process.stderr.isTTY) process.stderr.write("\n");
  process.stdout.write(summaryTable(summary));
  if (flags.json !== undefined) {
    const report = {
      dataset: dir,
      engine: engine.id,
      settings,
      elapsedMs: summary.elapsedMs,
      problems: summary.problems,
    };
    await writeFileAtomic(flags.json, `${JSON.stringify(report, null, 2)}\n`);
  }
  return summary.problems.some((p) => p.status === "failing" || p.status === "error") ? 1 : 0;
}
function describe(p: ProblemResult): string {
  return `${p.name}: ${p.status}${p.cached ? " (cached)" : ""}${p.reason === undefined ? "" : ` — ${p.reason}`}`;
}

function lineProgress(): (p: ProblemResult, done: number, total: number) => void {
  return (p, done, total) => process.stderr.write(`[${done}/${total}] ${describe(p)}\n`);
}

function barProgress(): (p: ProblemResult, done: number, total: number) => void {
  const counts = { valid: 0, failing: 0, error: 0, no_q: 0 };
  return (p, done, total) => {
    counts[p.status]++;
    const width = 30;
    const filled = Math.round((done / total) * width);
    const bar = `${"#".repeat(filled)}${"-".repeat(width - filled)}`;
    // Failures are worth keeping on screen; the bar line is redrawn in place.
    if (p.status === "failing" || p.status === "error") process.stderr.write(`\r\x1b[K${describe(p)}\n`);
    process.stderr.write(
      `\r\x1b[K[${bar}] ${done}/${total}  valid ${counts.valid}  failing ${counts.failing}  error ${counts.error}`,
    );
  };
}

export function summaryTable(s: VerifySummary): string {
  const rows: [string, number][] = [
    ["valid", s.problems.filter((p) => p.status === "valid").length],
    ["failing", s.problems.filter((p) => p.status === "failing").length],
    ["error", s.problems.filter((p) => p.status === "error").length],
    ["no q yet", s.problems.filter((p) => p.status === "no_q").length],
    ["(from cache)", s.problems.filter((p) => p.cached).length],
  ];
  const tests = s.problems.flatMap((p) => p.tests);
  const passed = tests.filter((t) => t.status === "pass").length;
  const lines = [
    `problems  ${s.problems.length}`,
    ...rows.map(([k, v]) => `  ${k.padEnd(13)} ${v}`),
    `tests run ${tests.length}  (passed ${passed}, failed ${tests.filter((t) => t.status === "fail").length}, errors ${tests.filter((t) => t.status === "error").length})`,
    `time      ${(s.elapsedMs / 1000).toFixed(1)} s`,
  ];
  return `${lines.join("\n")}\n`;
}
