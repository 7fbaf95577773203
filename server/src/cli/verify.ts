/**
 * `qds verify <dir> [--q PATH] [--jobs N] [--timeout S] [--memory MB] [--force]
 *  [--json FILE] [--python|--no-python]`: runs every problem's tests (see
 * verify/verify.ts), shows progress (a bar on a terminal, one line per
 * problem otherwise), prints a summary table and exits 1 when any problem is
 * failing or in error.
 */
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { writeFileAtomic } from "../dataset/fsx";
import { DEFAULT_LIMITS } from "../q/limits";
import { embeddedEngine } from "../verify/embedded";
import { externalEngine, type QEngine } from "../verify/engines";
import { type ProblemResult, type VerifySummary, verifyDataset } from "../verify/verify";

const USAGE =
  "usage: qds verify <dataset-dir> [--q PATH] [--jobs N] [--timeout S] [--memory MB] [--force] [--json FILE] [--python|--no-python]\n";

function positiveNumber(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${flag} expects a positive number, got '${text}'`);
  return n;
}

export async function verifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      q: { type: "string" },
      jobs: { type: "string" },
      timeout: { type: "string" },
      memory: { type: "string" },
      force: { type: "boolean", default: false },
      json: { type: "string" },
      python: { type: "boolean", default: true },
      "no-python": { type: "boolean", default: false },
    },
  });
  if (positionals.length !== 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  const dir = positionals[0]!;
  const embedded = values.q === undefined ? embeddedEngine() : undefined;
  const engine: QEngine = embedded ?? externalEngine(values.q!);
  const jobs = Math.floor(positiveNumber(values.jobs, availableParallelism(), "jobs"));
  const timeoutMs = positiveNumber(values.timeout, DEFAULT_LIMITS.timeoutMs / 1000, "timeout") * 1000;
  const memoryMb = Math.floor(positiveNumber(values.memory, DEFAULT_LIMITS.memoryMb, "memory"));
  const python = values.python && !values["no-python"];
  const progress = process.stderr.isTTY ? barProgress() : lineProgress();
  // The embedded engine's worker threads end with the run, not whenever they next fall idle.
  const summary = await verifyDataset(dir, {
    engine,
    jobs,
    timeoutMs,
    memoryMb,
    force: values.force,
    python,
    onProblem: progress,
  }).finally(() => embedded?.close());
  if (process.stderr.isTTY) process.stderr.write("\n");
  process.stdout.write(summaryTable(summary));
  if (values.json !== undefined) {
    const report = {
      dataset: dir,
      engine: engine.id,
      settings: { jobs, timeoutMs, memoryMb, python, force: values.force },
      elapsedMs: summary.elapsedMs,
      problems: summary.problems,
    };
    await writeFileAtomic(values.json, `${JSON.stringify(report, null, 2)}\n`);
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
