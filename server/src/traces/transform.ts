/**
 * The transform stage: each row's think block rewritten by an LLM as
 * alternating steer/exec sections (prompt `think-rewrite`, overridable).
 *
 * Output and resume: `transformed.jsonl` is append-only, one row per line,
 * keyed by row id. On start the ids already there are skipped (a line torn
 * by kill -9 is cut off first), and an id is never appended twice, so a
 * row is neither lost nor written twice whatever was interrupted.
 *
 * Synchronous mode: a pool of LlmClient calls (rpm/tpm limiter, retries with
 * backoff). Batch mode: rows are submitted as provider batch jobs
 * (llm/jobs.ts). Each submitted job is recorded in `batches/<job>.json`
 * right after the provider accepts it; a later run first waits for and
 * collects every recorded job that is not collected yet, and never submits
 * those rows again. `--batch-job <id>` collects a job by its provider id
 * alone (e.g. one submitted by another machine). Rows that a job failed are
 * logged to transform_errors.jsonl and submitted again next run.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../dataset/fsx";
import type { LlmClient } from "../llm/client";
import { type BatchJobs, type JobRequest, type PollOptions, waitForJob } from "../llm/jobs";
import { estimateTokens } from "../llm/pricing";
import type { PromptLoader, RenderedPrompt } from "../llm/prompts";
import { LlmError } from "../llm/types";
import { pool } from "../verify/verify";
import { RUN_FILES } from "./model";
import { readRows } from "./stages";
import { type ChatRow, thinkOf, withThink } from "./think";
import { rowIdOf } from "./validate";

/** Above this many rows a run needs confirmation (`--yes`). */
export const CONFIRM_ABOVE = 100;

/** The rewritten think text from a reply: fences and a wrapping <think> removed. */
export function extractRewrite(reply: string): string {
  let t = reply.trim();
  const fence = /^```[a-z]*\n([\s\S]*?)\n```$/.exec(t);
  if (fence) t = fence[1]!.trim();
  const think = /<think>([\s\S]*?)<\/think>/.exec(t);
  if (think) t = think[1]!.trim();
  return t;
}

/** The append-only output file and the ids it already holds. */
export class TransformedFile {
  readonly ids = new Set<string>();
  constructor(readonly path: string) {
    if (!existsSync(path)) return;
    const text = readFileSync(path, "utf8");
    const end = text.lastIndexOf("\n") + 1;
    // A torn last line (kill -9 mid-write) is cut off: that row is simply done again.
    if (end < text.length) truncateSync(path, end);
    for (const line of text.slice(0, end).split("\n")) {
      if (!line.trim()) continue;
      try {
        this.ids.add(rowIdOf(JSON.parse(line) as ChatRow, ""));
      } catch {
        // A corrupt line is left for validate to report; its row is not counted as done.
      }
    }
  }

  /** Appends unless the id is already there; returns whether it wrote. */
  append(id: string, row: ChatRow): boolean {
    if (this.ids.has(id)) return false;
    appendFileSync(this.path, `${JSON.stringify(row)}\n`);
    this.ids.add(id);
    return true;
  }
}

interface JobRecord {
  jobId: string;
  provider: string;
  rowIds: string[];
  submittedAt: string;
  state: "submitted" | "collected";
  collectedAt?: string;
}

function jobFile(run: string, jobId: string): string {
  return join(run, RUN_FILES.batches, `${jobId.replace(/[^A-Za-z0-9._-]/g, "_")}.json`);
}

function readJobRecords(run: string): JobRecord[] {
  const dir = join(run, RUN_FILES.batches);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as JobRecord);
}

export type TransformEvent =
  | { event: "row_done"; id: string }
  | { event: "row_error"; id: string; error: string }
  | { event: "job_submitted"; jobId: string; rows: number }
  | { event: "job_status"; jobId: string; state: string }
  | { event: "job_collected"; jobId: string; done: number; failed: number };

export interface TransformOptions {
  run: string;
  /** Rows to rewrite; default `<run>/stratified.jsonl`. */
  input?: string;
  prompts: PromptLoader;
  maxRows?: number;
  dryRun?: boolean;
  /** Needed above CONFIRM_ABOVE rows unless `yes`. */
  yes?: boolean;
  confirm?: (rows: number, estimate: { inputTokens: number }) => Promise<boolean>;
  /** Synchronous mode. */
  client?: LlmClient;
  concurrency?: number;
  /** Batch mode. */
  jobs?: BatchJobs;
  batchSize?: number;
  poll?: PollOptions;
  /** Collect this existing job instead of submitting. */
  batchJob?: string;
  onEvent?: (e: TransformEvent) => void;
}

export interface TransformReport {
  rows: number;
  skipped: number;
  todo: number;
  done: number;
  failed: number;
  jobs: string[];
  /** Dry run: the prompts that would be sent (first three) and the input-token estimate. */
  preview?: RenderedPrompt[];
  inputTokens?: number;
  cancelled?: boolean;
}

export async function transformRun(opts: TransformOptions): Promise<TransformReport> {
  const input = opts.input ?? join(opts.run, RUN_FILES.stratified);
  const rows = await readRows(input);
  const out = new TransformedFile(join(opts.run, RUN_FILES.transformed));
  const errorsPath = join(opts.run, RUN_FILES.transformErrors);
  const emit = opts.onEvent ?? (() => {});
  const byId = new Map<string, ChatRow>();
  rows.forEach((r, i) => {
    byId.set(rowIdOf(r, `row-${i}`), r);
  });
  const report: TransformReport = { rows: rows.length, skipped: 0, todo: 0, done: 0, failed: 0, jobs: [] };
  const fail = (id: string, error: string) => {
    appendFileSync(errorsPath, `${JSON.stringify({ id, error, at: new Date().toISOString() })}\n`);
    report.failed++;
    emit({ event: "row_error", id, error });
  };
  const accept = (id: string, reply: string) => {
    const row = byId.get(id);
    if (!row) return;
    const rewritten = extractRewrite(reply);
    if (!rewritten) return fail(id, "empty rewrite");
    if (out.append(id, withThink(row, `\n${rewritten}\n`))) {
      report.done++;
      emit({ event: "row_done", id });
    }
  };
  const render = (id: string): JobRequest => {
    const think = thinkOf(byId.get(id)!) ?? "";
    const p = opts.prompts.render("think-rewrite", { think_text: think });
    return {
      id,
      messages: [{ role: "user", content: p.user }],
      ...(p.system === undefined ? {} : { system: p.system }),
    };
  };

  const collect = async (jobId: string, rec?: JobRecord) => {
    const jobs = opts.jobs!;
    const status = await waitForJob(jobs, jobId, {
      intervalMs: 10_000,
      timeoutMs: 24 * 3600_000,
      ...opts.poll,
      onStatus: (s) => emit({ event: "job_status", jobId, state: s.raw }),
    });
    const before = { done: report.done, failed: report.failed };
    const seen = new Set<string>();
    if (status.state === "succeeded") {
      for (const r of await jobs.results(jobId)) {
        seen.add(r.id);
        if ("error" in r) fail(r.id, r.error);
        else accept(r.id, r.text);
      }
    }
    for (const id of rec?.rowIds ?? []) {
      if (!seen.has(id) && !out.ids.has(id)) fail(id, `batch job ${jobId} ${status.raw} without a result for this row`);
    }
    const collected: JobRecord = {
      ...(rec ?? { jobId, provider: jobs.provider, rowIds: [...seen], submittedAt: "" }),
      state: "collected",
      collectedAt: new Date().toISOString(),
    };
    await writeFileAtomic(jobFile(opts.run, jobId), `${JSON.stringify(collected, null, 2)}\n`);
    emit({ event: "job_collected", jobId, done: report.done - before.done, failed: report.failed - before.failed });
    report.jobs.push(jobId);
  };

  if (opts.batchJob !== undefined) {
    if (!opts.jobs) throw new LlmError("config", "--batch-job needs a provider with a batch API");
    const rec = readJobRecords(opts.run).find((r) => r.jobId === opts.batchJob);
    await collect(opts.batchJob, rec);
    return report;
  }

  // Jobs a previous run submitted and did not collect: their rows are in flight, never resubmitted.
  const open = opts.jobs ? readJobRecords(opts.run).filter((r) => r.state === "submitted") : [];
  const inFlight = new Set(open.flatMap((r) => r.rowIds));
  let todo = [...byId.keys()].filter(
    (id) => !out.ids.has(id) && !inFlight.has(id) && thinkOf(byId.get(id)!) !== undefined,
  );
  report.skipped = byId.size - todo.length - inFlight.size;
  if (opts.maxRows !== undefined) todo = todo.slice(0, Math.max(0, opts.maxRows - out.ids.size));
  report.todo = todo.length;

  if (opts.dryRun) {
    const prompts = todo.map(render);
    report.preview = prompts
      .slice(0, 3)
      .map(({ system, messages }) => ({ user: messages[0]!.content, ...(system === undefined ? {} : { system }) }));
    report.inputTokens = prompts.reduce((a, p) => a + estimateTokens((p.system ?? "") + p.messages[0]!.content), 0);
    return report;
  }
  if (todo.length > CONFIRM_ABOVE && !opts.yes) {
    const inputTokens = todo.reduce((a, id) => a + estimateTokens(render(id).messages[0]!.content), 0);
    if (!opts.confirm || !(await opts.confirm(todo.length, { inputTokens }))) {
      report.cancelled = true;
      return report;
    }
  }

  for (const rec of open) await collect(rec.jobId, rec);

  if (opts.jobs) {
    const size = opts.batchSize ?? 1000;
    for (let at = 0; at < todo.length; at += size) {
      const ids = todo.slice(at, at + size);
      const jobId = await opts.jobs.submit(ids.map(render));
      const rec: JobRecord = {
        jobId,
        provider: opts.jobs.provider,
        rowIds: ids,
        submittedAt: new Date().toISOString(),
        state: "submitted",
      };
      await writeFileAtomic(jobFile(opts.run, jobId), `${JSON.stringify(rec, null, 2)}\n`);
      emit({ event: "job_submitted", jobId, rows: ids.length });
      await collect(jobId, rec);
    }
    return report;
  }

  const client = opts.client;
  if (!client) throw new LlmError("config", "transform needs an LLM client or a batch API");
  await pool(todo, opts.concurrency ?? 4, async (id) => {
    const req = render(id);
    try {
      const r = await client.complete({
        ...(req.system === undefined ? {} : { system: req.system }),
        messages: req.messages,
      });
      accept(id, r.text);
    } catch (e) {
      // Every row would fail the same way: stop the run.
      if (e instanceof LlmError && (e.kind === "auth" || e.kind === "config" || e.status === 404)) throw e;
      fail(id, e instanceof Error ? e.message : String(e));
    }
  });
  return report;
}
