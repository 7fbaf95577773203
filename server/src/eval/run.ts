/**
 * `evaluate`: samples, judging, resume and the summary.
 *
 * Files in outDir:
 *   run.json           the run's settings; resuming with different ones is refused
 *   completions.jsonl  every completion generated here, appended as it arrives
 *                      (the remote generator's format), so a kill never costs a paid call
 *   samples.jsonl      one judged sample per line, appended as it is judged
 *   summary.json       written atomically at the end, computed from samples.jsonl alone
 * Resume after any kill: samples already in samples.jsonl are skipped,
 * completions already in completions.jsonl are judged without asking the
 * model again, and the summary is recomputed from the files, so it equals
 * the summary of an uninterrupted run (the bootstrap interval is seeded).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../dataset/fsx";
import { LlmClient } from "../llm/client";
import { PromptLoader } from "../llm/prompts";
import { redact } from "../llm/redact";
import { LlmError } from "../llm/types";
import { embeddedEngine } from "../verify/embedded";
import type { QEngine } from "../verify/engines";
import { pool } from "../verify/verify";
import { readCompletions, readJsonl } from "./completions";
import { checkContamination } from "./contamination";
import { applyStop, judgeSample } from "./judge";
import { type EvalProblem, loadEvalProblems } from "./problems";
import { CI_METHOD, meanWithCi, passAtK } from "./stats";
import type {
  Completion,
  ContaminationReport,
  ErrorClass,
  EvalOptions,
  EvalSummary,
  ProblemScore,
  SampleRecord,
  Source,
} from "./types";

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MEMORY_MB = 1024;

const key = (problem: string, sample: number): string => `${problem}\u0000${sample}`;

function describeSource(s: Source): { source: string; model?: string } {
  if (s.kind === "completions") return { source: `completions:${resolve(s.file)}` };
  const st = s.settings;
  return {
    source: `${st.provider}:${st.model}${st.baseUrl ? `@${st.baseUrl}` : ""} temperature=${st.temperature} max_tokens=${st.maxTokens}${s.stop?.length ? ` stop=${JSON.stringify(s.stop)}` : ""}`,
    model: st.model,
  };
}

/** Appends one JSON line; a file left without a final newline by a kill gets one first. */
function appendLine(file: string, value: unknown, secrets: readonly string[] = []): void {
  appendFileSync(file, `${redact(JSON.stringify(value), secrets)}\n`);
}

function healTail(file: string): void {
  if (!existsSync(file)) return;
  const text = readFileSync(file);
  if (text.length > 0 && text[text.length - 1] !== 10) appendFileSync(file, "\n");
}

/** Refuses to mix samples from different settings in one folder. */
function checkRunFile(outDir: string, run: Record<string, unknown>): Promise<void> | undefined {
  const file = join(outDir, "run.json");
  if (existsSync(file)) {
    const old = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    for (const field of ["dataset", "source", "n"]) {
      if (JSON.stringify(old[field]) !== JSON.stringify(run[field])) {
        throw new Error(
          `${file}: this folder holds a run with ${field} ${JSON.stringify(old[field])}, not ${JSON.stringify(run[field])}; use another --out`,
        );
      }
    }
    return undefined;
  }
  return writeFileAtomic(file, `${JSON.stringify(run, null, 2)}\n`);
}

interface Work {
  problem: EvalProblem;
  sample: number;
  completion?: Completion;
}

export async function evaluate(opts: EvalOptions): Promise<EvalSummary> {
  const started = Date.now();
  const datasetDir = resolve(opts.datasetDir);
  if (!Number.isInteger(opts.n) || opts.n < 1) throw new RangeError(`n must be a positive integer, got ${opts.n}`);
  for (const k of opts.k) {
    if (!Number.isInteger(k) || k < 1 || k > opts.n) throw new RangeError(`pass@${k} needs 1 <= k <= n (n=${opts.n})`);
  }
  let problems = loadEvalProblems(datasetDir, opts.problems);
  let contamination: ContaminationReport | undefined;
  if (opts.contamination !== undefined) {
    contamination = checkContamination(problems, opts.contamination);
    if (contamination.excluded) {
      const flagged = new Set(contamination.flagged.map((f) => f.problem));
      problems = problems.filter((p) => !flagged.has(p.name));
    }
  }
  const { source, model } = describeSource(opts.source);
  mkdirSync(opts.outDir, { recursive: true });
  await checkRunFile(opts.outDir, { dataset: datasetDir, source, n: opts.n, started: new Date().toISOString() });
  const samplesFile = join(opts.outDir, "samples.jsonl");
  const completionsFile = join(opts.outDir, "completions.jsonl");
  healTail(samplesFile);
  healTail(completionsFile);

  const done = new Set(readJsonl<SampleRecord>(samplesFile).map((r) => key(r.problem, r.sample)));
  // Completions available without asking a model: the given file, or those generated by an earlier run.
  const known = new Map<string, Completion>();
  const byId = new Map<string, EvalProblem>();
  for (const p of problems) for (const id of p.ids) if (!byId.has(id)) byId.set(id, p);
  const fromFile =
    opts.source.kind === "completions"
      ? readCompletions(opts.source.file)
      : { completions: readJsonl<Completion>(completionsFile), bad: [] };
  for (const c of fromFile.completions) {
    const p = byId.get(String(c.task_id));
    if (p !== undefined && !known.has(key(p.name, c.sample))) known.set(key(p.name, c.sample), c);
  }

  const work: Work[] = [];
  for (const p of problems) {
    for (let s = 0; s < opts.n; s++) {
      if (done.has(key(p.name, s))) continue;
      const c = known.get(key(p.name, s));
      if (c === undefined && opts.source.kind === "completions") continue; // not in the file: incomplete
      work.push({ problem: p, sample: s, ...(c === undefined ? {} : { completion: c }) });
    }
  }

  const engine: QEngine & { close?: () => Promise<void> } = opts.engine ?? embeddedEngine();
  const limits = { timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, memoryMb: opts.memoryMb ?? DEFAULT_MEMORY_MB };
  const src = opts.source;
  const client =
    src.kind === "provider"
      ? new LlmClient({
          settings: src.settings,
          ...(src.apiKey === undefined ? {} : { apiKey: src.apiKey }),
          ...(src.provider === undefined ? {} : { provider: src.provider }),
          ...(src.retry === undefined ? {} : { retry: src.retry }),
        })
      : undefined;
  const secrets = src.kind === "provider" && src.apiKey ? [src.apiKey] : [];
  const prompts = new PromptLoader([datasetDir]);
  const concurrency =
    src.kind === "provider" ? (src.concurrency ?? 4) : (opts.jobs ?? Math.max(1, availableParallelism()));

  let finished = 0;
  let passed = 0;
  let fatal: unknown;
  const generationErrors: string[] = [];
  const judgeStarted = Date.now();
  try {
    await pool(work, concurrency, async (w) => {
      if (opts.signal?.aborted || fatal !== undefined) return;
      let c = w.completion;
      if (c === undefined && client !== undefined && src.kind === "provider") {
        const r = prompts.render("eval-solve", {
          problem: w.problem.description,
          function_name: w.problem.functionName,
        });
        try {
          const call = await client.complete({
            ...(r.system === undefined ? {} : { system: r.system }),
            messages: [{ role: "user", content: r.user }],
            ...(src.stop === undefined ? {} : { stop: src.stop }),
            ...(opts.signal === undefined ? {} : { signal: opts.signal }),
          });
          c = {
            task_id: w.problem.taskId,
            sample: w.sample,
            completion: applyStop(call.text, src.stop),
            model: call.model,
            finish_reason: call.finishReason,
          };
          appendLine(completionsFile, c, secrets);
        } catch (e) {
          if (opts.signal?.aborted) return;
          // A bad key, bad settings or an unknown model would fail every sample the same way.
          if (e instanceof LlmError && (e.kind === "auth" || e.kind === "config" || e.status === 404)) {
            fatal = e;
            return;
          }
          generationErrors.push(`${w.problem.name} sample ${w.sample}: ${(e as Error).message}`);
          return;
        }
      }
      if (c === undefined) return;
      const t0 = Date.now();
      const v = await judgeSample(w.problem, c.completion, engine, limits);
      const rec: SampleRecord = {
        problem: w.problem.name,
        task_id: w.problem.taskId,
        sample: w.sample,
        completion: c.completion,
        code: v.code,
        passed: v.passed,
        class: v.class,
        ...(v.error === undefined ? {} : { error: v.error }),
        tests: v.tests,
        ...(c.model === undefined ? {} : { model: c.model }),
        ...(c.finish_reason === undefined ? {} : { finish_reason: c.finish_reason }),
        ms: Date.now() - t0,
      };
      appendLine(samplesFile, rec, secrets);
      finished++;
      if (rec.passed) passed++;
      const elapsedMs = Date.now() - judgeStarted;
      opts.onProgress?.({
        done: finished,
        total: work.length,
        passed,
        elapsedMs,
        etaMs: Math.round((elapsedMs / finished) * (work.length - finished)),
        last: rec,
      });
    });
  } finally {
    if (opts.engine === undefined) await engine.close?.();
  }
  if (fatal !== undefined) throw fatal;
  const summary = summarise(
    readJsonl<SampleRecord>(samplesFile),
    problems,
    opts,
    { dataset: datasetDir, source, ...(model === undefined ? {} : { model }) },
    contamination,
    Date.now() - started,
  );
  await writeFileAtomic(join(opts.outDir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  if (generationErrors.length > 0 || fromFile.bad.length > 0) {
    await writeFileAtomic(join(opts.outDir, "errors.txt"), `${[...fromFile.bad, ...generationErrors].join("\n")}\n`);
  }
  return summary;
}

/** The summary of the samples on file for `problems`: the first n samples of each, complete problems only. */
export function summarise(
  records: readonly SampleRecord[],
  problems: readonly EvalProblem[],
  opts: Pick<EvalOptions, "n" | "k">,
  about: { dataset: string; source: string; model?: string },
  contamination: ContaminationReport | undefined,
  elapsedMs: number,
): EvalSummary {
  const bySample = new Map<string, SampleRecord>();
  for (const r of records) if (!bySample.has(key(r.problem, r.sample))) bySample.set(key(r.problem, r.sample), r);
  const perProblem: ProblemScore[] = [];
  const incomplete: string[] = [];
  const classes: Partial<Record<ErrorClass, number>> = {};
  let samples = 0;
  for (const p of [...problems].sort((a, b) => a.name.localeCompare(b.name))) {
    const rs: SampleRecord[] = [];
    for (let s = 0; s < opts.n; s++) {
      const r = bySample.get(key(p.name, s));
      if (r !== undefined) rs.push(r);
    }
    if (rs.length < opts.n) {
      incomplete.push(p.name);
      continue;
    }
    const c = rs.filter((r) => r.passed).length;
    const failures: Partial<Record<ErrorClass, number>> = {};
    for (const r of rs) {
      classes[r.class] = (classes[r.class] ?? 0) + 1;
      if (!r.passed) failures[r.class] = (failures[r.class] ?? 0) + 1;
    }
    samples += rs.length;
    perProblem.push({
      problem: p.name,
      task_id: p.taskId,
      n: opts.n,
      c,
      pass_at_k: Object.fromEntries(opts.k.map((k) => [String(k), passAtK(opts.n, c, k)])),
      failures,
    });
  }
  return {
    version: 1,
    dataset: about.dataset,
    source: about.source,
    ...(about.model === undefined ? {} : { model: about.model }),
    n: opts.n,
    k: [...opts.k],
    problems: perProblem.length,
    samples,
    pass_at_k: Object.fromEntries(
      opts.k.map((k) => [String(k), meanWithCi(perProblem.map((p) => p.pass_at_k[String(k)]!))]),
    ),
    ci_method: CI_METHOD,
    classes,
    per_problem: perProblem,
    incomplete,
    ...(contamination === undefined ? {} : { contamination }),
    elapsed_ms: elapsedMs,
  };
}
