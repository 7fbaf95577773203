/**
 * Reading and writing `<run>/analysis/` (layout in model.ts). Every file is
 * written atomically; the manifest is written last, so a reader that finds a
 * manifest finds the whole result. Positions live in layout.f32 (two float32
 * per section) so a 100k-point map loads as one typed array.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../dataset/fsx";
import type { Embedding } from "./embed";
import {
  ANALYSIS_FILES,
  type AnalysisManifest,
  type AnalysisResult,
  type Cluster,
  type Family,
  type RowText,
  RUN_FILES,
  type SteeringSection,
  type TraceRow,
} from "./model";

export function analysisDir(run: string): string {
  return join(run, RUN_FILES.analysis);
}

export function toJsonl(items: readonly unknown[]): string {
  return items.map((x) => `${JSON.stringify(x)}\n`).join("");
}

/** Parses JSONL text; a bad line throws one error naming the file and line. */
export function parseJsonl<T>(text: string, file: string): T[] {
  const out: T[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch (err) {
      throw new Error(`${file}:${i + 1}: not valid JSON (${(err as Error).message})`);
    }
  }
  return out;
}

export async function readJsonl<T>(file: string): Promise<T[]> {
  return parseJsonl<T>(await readFile(file, "utf8"), file);
}

/** Packs x, y per section into the layout.f32 byte layout (little-endian). */
export function packLayout(xy: Float32Array): Uint8Array {
  const buf = Buffer.alloc(xy.length * 4);
  for (let i = 0; i < xy.length; i++) buf.writeFloatLE(xy[i]!, i * 4);
  return buf;
}

export function unpackLayout(bytes: Uint8Array): Float32Array {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

export async function writeLayout(run: string, xy: Float32Array): Promise<void> {
  await writeFileAtomic(join(analysisDir(run), ANALYSIS_FILES.layout), packLayout(xy));
}

export async function writeAnalysis(run: string, result: AnalysisResult, texts: readonly RowText[]): Promise<void> {
  const dir = analysisDir(run);
  const xy = new Float32Array(result.sections.length * 2);
  const sections = result.sections.map(({ x, y, ...rest }) => {
    xy[rest.id * 2] = x;
    xy[rest.id * 2 + 1] = y;
    return rest;
  });
  await writeFileAtomic(join(dir, ANALYSIS_FILES.rows), toJsonl(result.rows));
  await writeFileAtomic(join(dir, ANALYSIS_FILES.sections), toJsonl(sections));
  await writeFileAtomic(join(dir, ANALYSIS_FILES.layout), packLayout(xy));
  await writeFileAtomic(
    join(dir, ANALYSIS_FILES.clusters),
    `${JSON.stringify({ clusters: result.clusters, families: result.families })}\n`,
  );
  await writeFileAtomic(join(dir, ANALYSIS_FILES.texts), toJsonl(texts));
  await writeFileAtomic(join(dir, ANALYSIS_FILES.manifest), `${JSON.stringify(result.manifest, null, 2)}\n`);
}

/** Reads an analysed run; throws a clear error when the run has no analysis yet. */
export async function readAnalysis(run: string): Promise<AnalysisResult> {
  const dir = analysisDir(run);
  const manifestPath = join(dir, ANALYSIS_FILES.manifest);
  let manifest: AnalysisManifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, "utf8")) as AnalysisManifest;
  } catch {
    throw new Error(`${manifestPath}: no analysis here (run \`qds traces analyze --run ${run}\`)`);
  }
  const rows = await readJsonl<TraceRow>(join(dir, ANALYSIS_FILES.rows));
  const bare = await readJsonl<Omit<SteeringSection, "x" | "y">>(join(dir, ANALYSIS_FILES.sections));
  const xy = unpackLayout(await readFile(join(dir, ANALYSIS_FILES.layout)));
  if (xy.length !== bare.length * 2) {
    throw new Error(`${join(dir, ANALYSIS_FILES.layout)}: ${xy.length / 2} positions for ${bare.length} sections`);
  }
  const sections = bare.map((s) => ({ ...s, x: xy[s.id * 2]!, y: xy[s.id * 2 + 1]! }));
  const { clusters, families } = JSON.parse(await readFile(join(dir, ANALYSIS_FILES.clusters), "utf8")) as {
    clusters: Cluster[];
    families: Family[];
  };
  return { manifest, rows, sections, clusters, families };
}

/** An embedding file: u32 little-endian dims, then rows × dims float32. */
export async function readEmbeddingFile(file: string, rows: number): Promise<Embedding> {
  const buf = await readFile(file);
  const dims = buf.readUInt32LE(0);
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset + 4, buf.byteOffset + buf.byteLength));
  if (data.length !== rows * dims) throw new Error(`${file}: ${data.length} values, expected ${rows} × ${dims}`);
  return { data, rows, dims, singularValues: [] };
}

export function packEmbedding(e: Embedding): Uint8Array {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(e.dims, 0);
  return Buffer.concat([head, Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength)]);
}

/** The section embedding an analysis used (row i = section id i), or undefined when the manifest names none. */
export async function readEmbedding(run: string, manifest: AnalysisManifest): Promise<Embedding | undefined> {
  const file = manifest.embedding.file;
  if (file === undefined) return undefined;
  return readEmbeddingFile(join(analysisDir(run), file), manifest.sectionCount);
}

/** One row's texts for the row view (a linear scan; the file is read per request). */
export async function readRowText(run: string, rowId: string): Promise<RowText | undefined> {
  const texts = await readJsonl<RowText>(join(analysisDir(run), ANALYSIS_FILES.texts));
  return texts.find((t) => t.id === rowId);
}
