/**
 * The data stages before the rewrite: sample → filter → stratify, and the
 * run's `pipeline_state.json`, which records each finished stage so a bare
 * run resumes at the first one not done.
 *
 * sample: rows from local JSONL or Parquet files (a folder means every shard
 *   in it), or from a Hugging Face dataset (`hf://datasets/<owner>/<name>`,
 *   online only: this code path cannot be tested here). Shards and rows are
 *   drawn with a seeded random source, so a sample is reproducible. A row
 *   without an `id` gets `<shard>:<row>`.
 * filter: keeps rows whose last assistant message has a think block whose
 *   token count is within [min, max], recording `think_tokens` on the row.
 * stratify: balanced by a source field: each source gets an equal share of
 *   the target, and what a small source cannot fill is shared among the rest.
 *
 * Every output is written atomically, so a killed stage leaves no half file.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { writeFileAtomic } from "../dataset/fsx";
import { mulberry32 } from "../dataset/random";
import { type PipelineState, RUN_FILES, STAGES, type Stage } from "./model";
import { parseJsonl, toJsonl } from "./store";
import { type ChatRow, thinkOf } from "./think";
import type { TokenCounter } from "./tokens";

// ---- pipeline state ----

export function statePath(run: string): string {
  return join(run, RUN_FILES.state);
}

export async function readState(run: string): Promise<PipelineState> {
  const file = statePath(run);
  if (!existsSync(file)) return { version: 1, done: {} };
  try {
    return JSON.parse(await readFile(file, "utf8")) as PipelineState;
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

export async function markDone(run: string, stage: Stage, rows: number, output: string): Promise<void> {
  const state = await readState(run);
  state.done[stage] = { at: new Date().toISOString(), rows, output };
  await writeFileAtomic(statePath(run), `${JSON.stringify(state, null, 2)}\n`);
}

/** The first stage not yet done, or undefined when all are. */
export function nextStage(state: PipelineState): Stage | undefined {
  return STAGES.find((s) => state.done[s] === undefined);
}

// ---- reading rows ----

function shuffleInPlace<T>(xs: T[], rand: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

const SHARD = /\.(jsonl|parquet)$/;

/** Shard files of the inputs: files as given, folders expanded to their .jsonl/.parquet files in name order. */
export function shardsOf(inputs: readonly string[]): string[] {
  return inputs.flatMap((p) => {
    if (p.startsWith("hf://")) return [p];
    if (!existsSync(p)) throw new Error(`${p}: no such file or folder`);
    if (!statSync(p).isDirectory()) return [p];
    return readdirSync(p)
      .filter((f) => SHARD.test(f))
      .sort()
      .map((f) => join(p, f));
  });
}

async function readParquet(source: string | { url: string }): Promise<Record<string, unknown>[]> {
  const hp = await import("hyparquet");
  const file =
    typeof source === "string"
      ? await hp.asyncBufferFromFile(source)
      : await hp.asyncBufferFromUrl({ url: source.url });
  const rows = await hp.parquetReadObjects({ file });
  // Parquet int64 columns arrive as BigInt, which JSON cannot write.
  return rows.map((r) =>
    JSON.parse(JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v))),
  ) as Record<string, unknown>[];
}

/** Parquet shard URLs of a Hugging Face dataset (online only; untested here, no network). */
async function hubShards(spec: string): Promise<string[]> {
  const repo = spec.replace(/^hf:\/\/datasets\//, "");
  const res = await fetch(`https://huggingface.co/api/datasets/${repo}/parquet`);
  if (!res.ok) throw new Error(`${spec}: the Hub answered HTTP ${res.status}`);
  const body = (await res.json()) as Record<string, Record<string, string[]>>;
  return Object.values(body).flatMap((splits) => Object.values(splits).flat());
}

export async function readShard(shard: string): Promise<ChatRow[]> {
  const name = basename(shard);
  const rows = shard.startsWith("https://")
    ? await readParquet({ url: shard })
    : extname(shard) === ".parquet"
      ? await readParquet(shard)
      : parseJsonl<ChatRow>(await readFile(shard, "utf8"), shard);
  return rows.map((r, i) => (r["id"] === undefined || r["id"] === null ? { id: `${name}:${i}`, ...r } : r));
}

export interface SampleOptions {
  inputs: string[];
  rows: number;
  /** At most this many shards, drawn at random (default: all). */
  shards?: number;
  seed?: number;
}

export async function sampleRows(opts: SampleOptions): Promise<ChatRow[]> {
  const rand = mulberry32(opts.seed ?? 0);
  let shards: string[] = [];
  for (const s of shardsOf(opts.inputs)) shards.push(...(s.startsWith("hf://") ? await hubShards(s) : [s]));
  if (opts.shards !== undefined) shards = shuffleInPlace(shards, rand).slice(0, opts.shards);
  const all: ChatRow[] = [];
  for (const s of shards) all.push(...(await readShard(s)));
  return shuffleInPlace(all, rand).slice(0, opts.rows);
}

// ---- filter and stratify ----

export interface FilterOptions {
  counter: TokenCounter;
  min?: number;
  max?: number;
}

/** Rows whose think block has min ≤ tokens ≤ max; rows with no think block are dropped. */
export function filterByThinkTokens(rows: readonly ChatRow[], opts: FilterOptions): ChatRow[] {
  const out: ChatRow[] = [];
  for (const r of rows) {
    const think = thinkOf(r);
    if (think === undefined) continue;
    const n = opts.counter.count(think);
    if (n < (opts.min ?? 0) || n > (opts.max ?? Number.POSITIVE_INFINITY)) continue;
    out.push({ ...r, think_tokens: n, think_tokens_exact: opts.counter.exact });
  }
  return out;
}

export function sourceOf(row: ChatRow, field: string): string {
  const v = row[field];
  return typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
}

/** Up to `total` rows, as equal per source as the sources allow (water-filling), seeded, in input order. */
export function stratify(rows: readonly ChatRow[], total: number, field: string, seed = 0): ChatRow[] {
  const rand = mulberry32(seed);
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const s = sourceOf(r, field);
    groups.set(s, [...(groups.get(s) ?? []), i]);
  });
  const order = [...groups.keys()].sort();
  const quota = new Map(order.map((s) => [s, 0]));
  let left = Math.min(total, rows.length);
  let open = order.filter((s) => groups.get(s)!.length > 0);
  while (left > 0 && open.length > 0) {
    const share = Math.max(1, Math.floor(left / open.length));
    for (const s of open) {
      if (left === 0) break;
      const take = Math.min(share, groups.get(s)!.length - quota.get(s)!, left);
      quota.set(s, quota.get(s)! + take);
      left -= take;
    }
    open = open.filter((s) => quota.get(s)! < groups.get(s)!.length);
  }
  const keep: number[] = [];
  for (const s of order) keep.push(...shuffleInPlace([...groups.get(s)!], rand).slice(0, quota.get(s)!));
  return keep.sort((a, b) => a - b).map((i) => rows[i]!);
}

export async function writeRows(file: string, rows: readonly ChatRow[]): Promise<void> {
  await writeFileAtomic(file, toJsonl(rows));
}

export async function readRows(file: string): Promise<ChatRow[]> {
  if (!existsSync(file)) throw new Error(`${file}: not found (run the stage that writes it first)`);
  return parseJsonl<ChatRow>(await readFile(file, "utf8"), file);
}
