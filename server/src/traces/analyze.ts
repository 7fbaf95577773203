/**
 * The analyze stage: rewritten rows in, `<run>/analysis/` out (model.ts).
 *
 * Sub-stages, each timed for the benchmark: parse (sections and spans),
 * tokens (exact with a tokenizer.json, else a labelled estimate), embed
 * (offline by default; a provider's embeddings in batches of at most 100,
 * mapped back by index), cluster (two passes), name (distinctive terms; an
 * LLM from the closest members when a namer is given), layout (UMAP in a
 * worker thread, layout.ts).
 *
 * Resumable: embeddings, the expensive and (with a provider) paid part, are
 * cached in analysis/cache by a hash of the method and the texts, so a
 * re-run after a crash or a change of cluster count does not embed again;
 * the layout is cached there too, by a hash of the embedding and its
 * parameters.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { sha256, writeFileAtomic } from "../dataset/fsx";
import type { Embedder } from "../llm/embeddings";
import {
  defaultClusterCount,
  defaultFamilyCount,
  distinctiveTerms,
  membersByDistance,
  nameFromTerms,
  twoPassClusters,
  unitRows,
} from "./cluster";
import { type Embedding, offlineEmbedding } from "./embed";
import { cachedLayout, DEFAULT_LAYOUT, type LayoutParams } from "./layout";
import {
  ANALYSIS_FILES,
  ANALYSIS_VERSION,
  type AnalysisManifest,
  type Cluster,
  type Family,
  type RowText,
  RUN_FILES,
  type SteeringSection,
  type TraceRow,
  thinkSteerRatio,
} from "./model";
import { analysisDir, packEmbedding, parseJsonl, readEmbeddingFile, writeAnalysis } from "./store";
import { type ChatRow, parseSections, thinkOf } from "./think";
import { type TokenCounter, whitespaceCounter } from "./tokens";
import { rowIdOf } from "./validate";

/** The providers' per-request cap (Gemini's batchEmbedContents allows 100). */
export const EMBED_BATCH = 100;

export interface AnalyzeOptions {
  run: string;
  /** Rewritten rows; default `<run>/validated.jsonl`. */
  input?: string;
  /** Rows holding the original think text, matched by id; default `<run>/stratified.jsonl` when present. */
  originals?: string;
  sourceField?: string;
  tokenizer?: TokenCounter;
  clusters?: number;
  families?: number;
  embedder?: Embedder;
  /** Names a group from its closest members' texts (an LLM call); distinctive terms otherwise. */
  namer?: (examples: string[]) => Promise<string>;
  seed?: number;
  /** UMAP and placement parameters (layout.ts); DEFAULT_LAYOUT otherwise. */
  layout?: Partial<LayoutParams>;
  now?: () => Date;
}

export interface AnalyzeReport {
  rows: number;
  sections: number;
  clusters: number;
  families: number;
  /** Milliseconds per sub-stage; "layout" is the wait for the map's worker after naming (it starts after embed). */
  ms: Record<"read" | "parse" | "tokens" | "embed" | "cluster" | "name" | "layout" | "write", number>;
  embeddingCached: boolean;
  layoutCached: boolean;
}

async function readRows(file: string): Promise<ChatRow[]> {
  return parseJsonl<ChatRow>(await readFile(file, "utf8"), file);
}

/** Provider embeddings in batches of at most 100, each batch's vectors put back at its inputs' indices. */
export async function embedWithProvider(embedder: Embedder, texts: readonly string[]): Promise<Embedding> {
  let dims = 0;
  let data = new Float32Array(0);
  for (let at = 0; at < texts.length; at += EMBED_BATCH) {
    const batch = texts.slice(at, at + EMBED_BATCH);
    const vectors = await embedder.embedBatch(batch);
    if (vectors.length !== batch.length) {
      throw new Error(`${embedder.model}: ${vectors.length} embeddings for ${batch.length} inputs (batch at ${at})`);
    }
    if (dims === 0) {
      dims = vectors[0]?.length ?? 0;
      data = new Float32Array(texts.length * dims);
    }
    vectors.forEach((v, i) => {
      if (v.length !== dims)
        throw new Error(`${embedder.model}: embedding ${at + i} has ${v.length} dims, not ${dims}`);
      data.set(v, (at + i) * dims);
    });
  }
  return { data, rows: texts.length, dims, singularValues: [] };
}

async function cachedEmbedding(
  run: string,
  texts: readonly string[],
  opts: AnalyzeOptions,
): Promise<{ e: Embedding; cached: boolean; model: string; file: string }> {
  const model = opts.embedder?.model ?? "offline-tfidf-svd32-v2";
  const hash = sha256(`${model}\n${texts.join("\u0000")}`).slice(0, 16);
  const file = join(analysisDir(run), ANALYSIS_FILES.cache, `embed-${hash}.f32`);
  if (existsSync(file)) return { e: await readEmbeddingFile(file, texts.length), cached: true, model, file };
  const e = opts.embedder
    ? await embedWithProvider(opts.embedder, texts)
    : offlineEmbedding(texts, { seed: opts.seed ?? 7 });
  await writeFileAtomic(file, packEmbedding(e));
  return { e, cached: false, model, file };
}

export async function analyzeRun(opts: AnalyzeOptions): Promise<AnalyzeReport> {
  const ms = { read: 0, parse: 0, tokens: 0, embed: 0, cluster: 0, name: 0, layout: 0, write: 0 };
  let t = Date.now();
  const lap = (k: keyof typeof ms) => {
    const now = Date.now();
    ms[k] = now - t;
    t = now;
  };
  const input = opts.input ?? join(opts.run, RUN_FILES.validated);
  const rowsIn = await readRows(input);
  const originalsPath = opts.originals ?? join(opts.run, RUN_FILES.stratified);
  const originals = new Map<string, string>();
  if (existsSync(originalsPath)) {
    (await readRows(originalsPath)).forEach((r, i) => {
      const think = thinkOf(r);
      if (think !== undefined) originals.set(rowIdOf(r, `row-${i}`), think);
    });
  }
  lap("read");

  const sourceField = opts.sourceField ?? "dataset_source";
  const rows: TraceRow[] = [];
  const texts: RowText[] = [];
  const sections: Omit<SteeringSection, "clusterId" | "familyId" | "x" | "y">[] = [];
  const originalTexts: string[] = [];
  rowsIn.forEach((r, index) => {
    const id = rowIdOf(r, `row-${index}`);
    const rewritten = thinkOf(r) ?? "";
    const parsed = parseSections(rewritten).sections;
    let n = 0;
    for (const s of parsed) {
      if (s.kind !== "steer") continue;
      const lead = s.text.length - s.text.trimStart().length;
      const text = s.text.trim();
      sections.push({
        id: sections.length,
        rowId: id,
        rowIndex: index,
        index: n++,
        text,
        start: s.start + lead,
        end: s.start + lead + text.length,
      });
    }
    const original = originals.get(id) ?? rewritten.replace(/<\/?(steering|steer|execution|exec)>/g, "");
    originalTexts.push(original);
    const src = r[sourceField];
    rows.push({
      id,
      index,
      source: typeof src === "string" ? src : "",
      thinkTokens: 0,
      tokensExact: false,
      steeringCount: n,
      ratio: null,
    });
    texts.push({ id, original, rewritten, segments: parsed.map(({ kind, start, end }) => ({ kind, start, end })) });
  });
  lap("parse");

  const counter = opts.tokenizer ?? whitespaceCounter;
  rows.forEach((row, i) => {
    row.thinkTokens = counter.count(originalTexts[i]!);
    row.tokensExact = counter.exact;
    row.ratio = thinkSteerRatio(row.thinkTokens, row.steeringCount);
  });
  lap("tokens");

  const sectionTexts = sections.map((s) => s.text);
  const { e, cached, model, file: embeddingFile } = await cachedEmbedding(opts.run, sectionTexts, opts);
  lap("embed");
  // The map needs only the embedding: its worker runs beside clustering and naming (two cores here).
  const layoutJob = cachedLayout(join(analysisDir(opts.run), ANALYSIS_FILES.cache), e, {
    ...DEFAULT_LAYOUT,
    ...opts.layout,
  });
  layoutJob.catch(() => {}); // awaited below; this only keeps an early failure from being reported as unhandled

  const k = Math.min(opts.clusters ?? defaultClusterCount(sections.length), sections.length);
  const nf = Math.min(opts.families ?? defaultFamilyCount(k), k);
  const two = sections.length > 0 ? twoPassClusters(e, k, nf, opts.seed ?? 1) : undefined;
  const clusterOf = two?.clusterOf ?? new Int32Array(0);
  const familyOfCluster = two?.familyOfCluster ?? new Int32Array(0);
  const kk = two?.k ?? 0;
  const nfam = two ? Math.max(-1, ...familyOfCluster) + 1 : 0;
  lap("cluster");

  const members = two ? membersByDistance(unitRows(e), e.dims, clusterOf, two.centroids) : [];
  const clusterTerms = distinctiveTerms(sectionTexts, clusterOf, kk);
  const familyLabels = Int32Array.from(clusterOf, (c) => familyOfCluster[c]!);
  const familyTerms = distinctiveTerms(sectionTexts, familyLabels, nfam);
  const clusters: Cluster[] = [];
  for (let c = 0; c < kk; c++) {
    const m = members[c]!;
    const share: Record<string, number> = {};
    for (const i of m) {
      const src = rows[sections[i]!.rowIndex]!.source;
      share[src] = (share[src] ?? 0) + 1 / m.length;
    }
    const name = opts.namer
      ? await opts.namer(m.slice(0, 8).map((i) => sectionTexts[i]!))
      : nameFromTerms(clusterTerms[c]!);
    clusters.push({
      id: c,
      name,
      nameSource: opts.namer ? "llm" : "terms",
      terms: clusterTerms[c]!,
      familyId: familyOfCluster[c]!,
      size: m.length,
      exampleSectionIds: m.slice(0, 5),
      shareBySource: share,
    });
  }
  const families: Family[] = [];
  for (let f = 0; f < nfam; f++) {
    const ids = clusters.filter((c) => c.familyId === f).map((c) => c.id);
    const name = opts.namer ? await opts.namer(ids.map((c) => clusters[c]!.name)) : nameFromTerms(familyTerms[f]!);
    families.push({
      id: f,
      name,
      nameSource: opts.namer ? "llm" : "terms",
      clusterIds: ids,
      size: ids.reduce((a, c) => a + clusters[c]!.size, 0),
    });
  }
  lap("name");

  const layout = await layoutJob;
  const xy = layout.xy;
  lap("layout");

  const manifest: AnalysisManifest = {
    version: ANALYSIS_VERSION,
    createdAt: (opts.now ?? (() => new Date()))().toISOString(),
    rowCount: rows.length,
    sectionCount: sections.length,
    clusterCount: kk,
    familyCount: nfam,
    tokenizer: counter.source,
    embedding: {
      kind: opts.embedder ? "provider" : "offline",
      model,
      dims: e.dims,
      file: relative(analysisDir(opts.run), embeddingFile),
    },
    layout: { kind: "umap", inputHash: layout.key },
  };
  const full: SteeringSection[] = sections.map((s, i) => ({
    ...s,
    clusterId: clusterOf[i]!,
    familyId: familyOfCluster[clusterOf[i]!]!,
    x: xy[i * 2]!,
    y: xy[i * 2 + 1]!,
  }));
  await writeAnalysis(opts.run, { manifest, rows, sections: full, clusters, families }, texts);
  lap("write");
  return {
    rows: rows.length,
    sections: sections.length,
    clusters: kk,
    families: nfam,
    ms,
    embeddingCached: cached,
    layoutCached: layout.cached,
  };
}
