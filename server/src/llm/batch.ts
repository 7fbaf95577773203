/**
 * A conversion batch: choosing problems (--only, --difficulty, --limit),
 * estimating a run without calling anything, the run log, and running
 * `convertProblem` over a pool.
 *
 * Resume: a batch's run id is a hash of its arguments, and its JSONL log in
 * <dataset>/.qds/runs/convert-<id>.jsonl is appended one line per event.
 * Restarting with the same arguments reads the log back (a line torn by
 * kill -9 is ignored) and skips every problem that has a `problem_done`
 * line, so finished work is never repeated or lost. A problem that died on a
 * transient error (retries exhausted) is logged as `problem_error` and tried
 * again next time. Log lines are redacted: keys never reach the file.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ENTRY_FILE, Q_SOLUTION_FILE } from "../dataset/format";
import { listProblemDirs } from "../dataset/load";
import { readCache } from "../verify/cache";
import { pool } from "../verify/verify";
import {
  type ConvertContext,
  convertProblem,
  type ProblemInput,
  type ProblemOutcome,
  type RunEvent,
  readProblem,
} from "./convert";
import { type Cost, estimateCost, estimateTokens } from "./pricing";
import type { PromptLoader } from "./prompts";
import { redact } from "./redact";
import { LlmError } from "./types";

export interface BatchOptions {
  only?: "missing" | "failing";
  difficulty?: readonly string[];
  limit?: number;
}

/** Problem folders chosen by the batch filters, in name order. */
export function selectProblems(datasetDir: string, opts: BatchOptions): string[] {
  const cache = opts.only === "failing" ? readCache(datasetDir) : undefined;
  const wanted = opts.difficulty?.map((d) => d.toLowerCase());
  const out: string[] = [];
  for (const name of listProblemDirs(datasetDir)) {
    if (opts.limit !== undefined && out.length >= opts.limit) break;
    const dir = join(datasetDir, name);
    const hasQ = existsSync(join(dir, Q_SOLUTION_FILE));
    if (opts.only === "missing" && hasQ) continue;
    if (opts.only === "failing") {
      const status = cache?.get(name)?.status;
      if (!hasQ || (status !== "failing" && status !== "error")) continue;
    }
    if (wanted !== undefined) {
      let difficulty = "";
      try {
        difficulty = String(
          (JSON.parse(readFileSync(join(dir, ENTRY_FILE), "utf8")) as { difficulty?: unknown }).difficulty ?? "",
        );
      } catch {
        // No readable entry.json: no difficulty, so a difficulty filter excludes it.
      }
      if (!wanted.includes(difficulty.toLowerCase())) continue;
    }
    out.push(name);
  }
  return out;
}

export interface Estimate {
  problems: number;
  /** Calls when everything passes first time, and when every repair round is used. */
  calls: { min: number; max: number };
  inputTokens: number;
  outputTokens: number;
  /** Extra input tokens if every problem used every repair round. */
  repairInputTokens: number;
  /** Of the first-round calls; repairs come on top. */
  cost: Cost;
}

/** Renders the first-round prompts without calling anything, and totals calls, tokens and cost. */
export function estimateBatch(
  problems: ProblemInput[],
  prompts: PromptLoader,
  model: string,
  maxRounds: number,
): Estimate {
  let min = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let repairIn = 0;
  for (const p of problems) {
    const base = { problem_description: p.description, python_solution: p.python, entry_point: p.entryPoint };
    // Output guesses: a q solution about as long as the Python one; a q test a quarter of its Python.
    const qGuess = p.q ?? "x".repeat(p.python.length);
    if (p.q === undefined) {
      const r = prompts.render("convert-solution", base);
      min++;
      inputTokens += estimateTokens((r.system ?? "") + r.user);
      outputTokens += estimateTokens(qGuess);
    }
    for (const t of p.tests) {
      if (t.q !== undefined || t.python === undefined) continue;
      const r = prompts.render("convert-test", { python_test: t.python, expected: t.expected, q_solution: qGuess });
      min++;
      inputTokens += estimateTokens((r.system ?? "") + r.user);
      outputTokens += estimateTokens(t.python) / 4;
    }
    const fix = prompts.render("fix-solution", {
      ...base,
      q_solution: qGuess,
      failing_test: "show solve[]",
      expected: p.tests[0]?.expected ?? "",
      actual: p.tests[0]?.expected ?? "",
      q_error: "none",
    });
    repairIn += (estimateTokens((fix.system ?? "") + fix.user) + estimateTokens(qGuess)) * (maxRounds - 1);
  }
  const max = min + problems.length * (maxRounds - 1);
  outputTokens = Math.round(outputTokens);
  return {
    problems: problems.length,
    calls: { min, max },
    inputTokens,
    outputTokens,
    repairInputTokens: repairIn,
    cost: estimateCost(model, { inputTokens, outputTokens }),
  };
}

/** The run log: one JSON object per line, redacted, appended synchronously so a kill loses at most a torn last line. */
export class RunLog {
  readonly path: string;
  constructor(
    datasetDir: string,
    runId: string,
    private readonly secrets: readonly string[],
  ) {
    mkdirSync(join(datasetDir, ".qds", "runs"), { recursive: true });
    this.path = join(datasetDir, ".qds", "runs", `convert-${runId}.jsonl`);
  }

  write(e: RunEvent): void {
    appendFileSync(this.path, `${redact(JSON.stringify({ t: new Date().toISOString(), ...e }), this.secrets)}\n`);
  }

  /** Problems a previous run with this id finished. */
  finished(): Set<string> {
    const done = new Set<string>();
    if (!existsSync(this.path)) return done;
    for (const line of readFileSync(this.path, "utf8").split("\n")) {
      try {
        const e = JSON.parse(line) as RunEvent;
        if (e.event === "problem_done" && typeof e.problem === "string") done.add(e.problem);
      } catch {
        // A torn final line from a killed run: that problem simply runs again.
      }
    }
    return done;
  }
}

export interface BatchRun {
  datasetDir: string;
  names: string[];
  ctx: Omit<ConvertContext, "log">;
  log: RunLog;
  concurrency: number;
  onProblem?: (o: ProblemOutcome, done: number, total: number) => void;
}

export interface BatchSummary {
  outcomes: ProblemOutcome[];
  skipped: number;
}

/** Converts `names`, skipping those the run log already finished; one problem's failure never stops the batch. */
export async function runBatch(b: BatchRun): Promise<BatchSummary> {
  const finished = b.log.finished();
  const todo = b.names.filter((n) => !finished.has(n));
  const ctx: ConvertContext = { ...b.ctx, log: (e) => b.log.write(e) };
  let done = 0;
  const outcomes = await pool(todo, b.concurrency, async (name) => {
    let o: ProblemOutcome;
    try {
      o = await convertProblem(readProblem(join(b.datasetDir, name), name), ctx);
    } catch (e) {
      // A bad key, bad settings or an unknown model would fail every problem the same way: stop the batch.
      if (
        b.ctx.signal?.aborted ||
        (e instanceof LlmError && (e.kind === "auth" || e.kind === "config" || e.status === 404))
      )
        throw e;
      // Out of retries or an unreadable folder: this problem's error. It is not marked done, so a re-run tries it again.
      o = { name, status: "error", rounds: 0, calls: 0, reason: e instanceof Error ? e.message : String(e) };
      ctx.log({ event: "problem_error", problem: name, ...o });
    }
    b.onProblem?.(o, ++done, todo.length);
    return o;
  });
  return { outcomes, skipped: b.names.length - todo.length };
}
