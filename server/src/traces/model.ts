/**
 * The analysis result of a trace run, as the Steering Explorer reads it, and
 * the on-disk layout of a run folder. Types and path names only, plus a small
 * seeded generator of synthetic results in the same shape (for the webview's
 * tests and benchmarks before a real analysis exists). No Node imports here:
 * the webview bundle may import these types; reading and writing the files
 * lives in store.ts.
 *
 * Stability: the webview engineer builds against this file. Any change to a
 * type or a path below is announced in the CHANGES list here.
 * CHANGES:
 *   09:50 PipelineState gained optional `options` (additive; the analysis files are unchanged).
 *
 * Run folder (`qds traces … --run <dir>`):
 *   pipeline_state.json        stages done (PipelineState)
 *   sample.jsonl               sampled rows (chat rows, each with `id`)
 *   filtered.jsonl             rows whose think-token count is in range
 *   stratified.jsonl           balanced by source: the transform's input
 *   transformed.jsonl          rewritten rows (id-keyed, appended; resume skips ids present)
 *   transform_errors.jsonl     rows the provider failed on (id, error)
 *   batches/<job>.json         one provider batch job: id, provider, row ids, state
 *   validated.jsonl            the clean file: transformed rows that pass every rule
 *   validation_report.json     every violation: row id, rule, position
 *   analysis/manifest.json     AnalysisManifest (counts, embedding, layout kind, hashes)
 *   analysis/rows.jsonl        one TraceRow per line, in dataset order
 *   analysis/sections.jsonl    one SteeringSection (without x, y) per line, by section id
 *   analysis/layout.f32        Float32 little-endian, x0 y0 x1 y1 …, one pair per section id
 *   analysis/clusters.json     { clusters: Cluster[], families: Family[] }
 *   analysis/texts.jsonl       one RowText per line (original and rewritten think text), for the row view
 *   analysis/cache/…           stage caches (embeddings, layouts by input hash); not part of the contract
 */
import { mulberry32 } from "../dataset/random";

export const ANALYSIS_VERSION = 1;

/** File names inside a run folder; the one source of truth for every reader and writer. */
export const RUN_FILES = {
  state: "pipeline_state.json",
  sample: "sample.jsonl",
  filtered: "filtered.jsonl",
  stratified: "stratified.jsonl",
  transformed: "transformed.jsonl",
  transformErrors: "transform_errors.jsonl",
  batches: "batches",
  validated: "validated.jsonl",
  validationReport: "validation_report.json",
  analysis: "analysis",
} as const;

/** File names inside `<run>/analysis/`. */
export const ANALYSIS_FILES = {
  manifest: "manifest.json",
  rows: "rows.jsonl",
  sections: "sections.jsonl",
  layout: "layout.f32",
  clusters: "clusters.json",
  texts: "texts.jsonl",
  cache: "cache",
} as const;

/** Pipeline stages in order; `pipeline_state.json` lists those done. */
export const STAGES = ["sample", "filter", "stratify", "transform", "validate", "analyze"] as const;
export type Stage = (typeof STAGES)[number];

export interface PipelineState {
  version: 1;
  /** Stage name → when it finished and what it produced. A bare run resumes at the first stage not here. */
  done: Partial<Record<Stage, { at: string; rows: number; output: string }>>;
  /** Command-line options of earlier runs, merged, so a bare `qds traces --run DIR` continues with them. */
  options?: Record<string, string | boolean | string[]>;
}

/** One dataset row as the analysis sees it. */
export interface TraceRow {
  /** The row's id (the dataset's `id` field, or `row-<n>` assigned at sampling). */
  id: string;
  /** Position in dataset order (0-based), i.e. the line in rows.jsonl. */
  index: number;
  /** The row's source field (e.g. Dolci's `dataset_source`); "" when the data has none. */
  source: string;
  /** Tokens in the original think block. */
  thinkTokens: number;
  /** True: counted with the target model's tokenizer; false: a whitespace-split estimate. */
  tokensExact: boolean;
  /** Steering sections in the rewritten think block. */
  steeringCount: number;
  /** thinkTokens / steeringCount; null when steeringCount is 0. */
  ratio: number | null;
}

/** One steering section of a rewritten think block. */
export interface SteeringSection {
  /** Global section id: 0…n-1, the position in sections.jsonl and in layout.f32. */
  id: number;
  rowId: string;
  /** Index of the row in rows.jsonl. */
  rowIndex: number;
  /** Position of this section among its row's steering sections (0-based). */
  index: number;
  /** The section's inner text, trimmed. */
  text: string;
  /** Character span [start, end) of the inner text in the row's rewritten think text (RowText.rewritten). */
  start: number;
  end: number;
  clusterId: number;
  familyId: number;
  /** 2-D layout position (from layout.f32 when read from disk). */
  x: number;
  y: number;
}

/** A first-pass (fine) cluster of steering sections. */
export interface Cluster {
  id: number;
  name: string;
  /** Where the name came from: an LLM reading the closest members, or distinctive terms (offline). */
  nameSource: "llm" | "terms";
  /** Distinctive terms (class-based TF-IDF), most distinctive first. */
  terms: string[];
  familyId: number;
  size: number;
  /** Section ids nearest the centroid, nearest first (at most 5). */
  exampleSectionIds: number[];
  /** Source → share of this cluster's sections from that source (sums to 1). */
  shareBySource: Record<string, number>;
}

/** A second-pass cluster: a group of fine clusters whose centroids are close. */
export interface Family {
  id: number;
  name: string;
  nameSource: "llm" | "terms";
  clusterIds: number[];
  size: number;
}

/** One row's think texts for the row view: segments index into `rewritten`. */
export interface RowText {
  id: string;
  original: string;
  rewritten: string;
  segments: { kind: "steer" | "exec"; start: number; end: number }[];
}

export interface AnalysisManifest {
  version: typeof ANALYSIS_VERSION;
  createdAt: string;
  rowCount: number;
  sectionCount: number;
  clusterCount: number;
  familyCount: number;
  /** Tokenizer used for thinkTokens (path or name), or null for the whitespace estimate. */
  tokenizer: string | null;
  /** `file`: the section vectors, relative to analysis/ (store.readEmbedding); the Explorer's "similar sections" use it. */
  embedding: { kind: "offline" | "provider"; model: string; dims: number; file?: string };
  /** "pca" is the quick first picture; "umap" replaces it when the worker finishes. */
  layout: { kind: "pca" | "umap"; inputHash: string };
}

/** Everything in `<run>/analysis/` except the row texts (loaded on demand per row). */
export interface AnalysisResult {
  manifest: AnalysisManifest;
  rows: TraceRow[];
  sections: SteeringSection[];
  clusters: Cluster[];
  families: Family[];
}

/** Ratio for a row; null when it has no steering sections. */
export function thinkSteerRatio(thinkTokens: number, steeringCount: number): number | null {
  return steeringCount > 0 ? thinkTokens / steeringCount : null;
}

// ---- synthetic results (tests and benchmarks of the webview) ----

export interface SyntheticOptions {
  rows: number;
  /** Mean steering sections per row (each row gets 1…2×mean). */
  sectionsPerRow?: number;
  clusters?: number;
  families?: number;
  sources?: string[];
  seed?: number;
}

const MOVES = [
  "check the edge case",
  "try a smaller example",
  "verify the result",
  "reconsider the approach",
  "write the function",
  "simplify the expression",
  "recall the definition",
  "compare both options",
  "trace the loop",
  "summarize the answer",
];

/** A synthetic AnalysisResult plus row texts: clusters are Gaussian blobs in the layout. */
export function syntheticAnalysis(opts: SyntheticOptions): { result: AnalysisResult; texts: RowText[] } {
  const rand = mulberry32(opts.seed ?? 1);
  const k = opts.clusters ?? 12;
  const nf = Math.min(opts.families ?? 4, k);
  const sources = opts.sources ?? ["math", "code", "science"];
  const mean = opts.sectionsPerRow ?? 5;
  const centres = Array.from({ length: k }, () => [rand() * 20 - 10, rand() * 20 - 10] as const);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const rows: TraceRow[] = [];
  const sections: SteeringSection[] = [];
  const texts: RowText[] = [];
  for (let r = 0; r < opts.rows; r++) {
    const id = `row-${r}`;
    const source = sources[Math.floor(rand() * sources.length)]!;
    const n = 1 + Math.floor(rand() * 2 * mean);
    let rewritten = "";
    const segments: RowText["segments"] = [];
    let tokens = 0;
    for (let i = 0; i < n; i++) {
      const c = Math.floor(rand() * k);
      const text = `I should ${MOVES[c % MOVES.length]} (${c}).`;
      rewritten += "<steer>";
      const start = rewritten.length;
      rewritten += text;
      segments.push({ kind: "steer", start, end: rewritten.length });
      rewritten += "</steer><exec>";
      const execStart = rewritten.length;
      const exec = "Working it through step by step.";
      rewritten += exec;
      segments.push({ kind: "exec", start: execStart, end: rewritten.length });
      rewritten += "</exec>";
      tokens += 20 + Math.floor(rand() * 200);
      const [cx, cy] = centres[c]!;
      sections.push({
        id: sections.length,
        rowId: id,
        rowIndex: r,
        index: i,
        text,
        start,
        end: start + text.length,
        clusterId: c,
        familyId: c % nf,
        x: cx + gauss() * 0.8,
        y: cy + gauss() * 0.8,
      });
    }
    rows.push({
      id,
      index: r,
      source,
      thinkTokens: tokens,
      tokensExact: r % 2 === 0,
      steeringCount: n,
      ratio: tokens / n,
    });
    texts.push({ id, original: "Original think text. ".repeat(n), rewritten, segments });
  }
  const clusters: Cluster[] = Array.from({ length: k }, (_, c) => ({
    id: c,
    name: MOVES[c % MOVES.length]!,
    nameSource: "terms" as const,
    terms: MOVES[c % MOVES.length]!.split(" "),
    familyId: c % nf,
    size: 0,
    exampleSectionIds: [],
    shareBySource: {},
  }));
  const bySource = clusters.map(() => new Map<string, number>());
  for (const s of sections) {
    const cl = clusters[s.clusterId]!;
    cl.size++;
    if (cl.exampleSectionIds.length < 5) cl.exampleSectionIds.push(s.id);
    const src = rows[s.rowIndex]!.source;
    bySource[s.clusterId]!.set(src, (bySource[s.clusterId]!.get(src) ?? 0) + 1);
  }
  clusters.forEach((cl, c) => {
    for (const [src, count] of bySource[c]!) cl.shareBySource[src] = cl.size ? count / cl.size : 0;
  });
  const families: Family[] = Array.from({ length: nf }, (_, f) => {
    const members = clusters.filter((c) => c.familyId === f);
    return {
      id: f,
      name: `family ${f}`,
      nameSource: "terms" as const,
      clusterIds: members.map((c) => c.id),
      size: members.reduce((a, c) => a + c.size, 0),
    };
  });
  const manifest: AnalysisManifest = {
    version: ANALYSIS_VERSION,
    createdAt: new Date(0).toISOString(),
    rowCount: rows.length,
    sectionCount: sections.length,
    clusterCount: k,
    familyCount: nf,
    tokenizer: null,
    embedding: { kind: "offline", model: "synthetic", dims: 2 },
    layout: { kind: "pca", inputHash: "synthetic" },
  };
  return { result: { manifest, rows, sections, clusters, families }, texts };
}
