/**
 * The 2-D map of the steering sections: UMAP (McInnes, Healy & Melville
 * 2018, through umap-js), run in a worker thread and cached by input hash.
 *
 * Geometry: the unit-normalised embedding (cosine, as the clustering uses),
 * with exact nearest neighbours (neighbours.ts, typed arrays) handed to
 * umap-js (`setPrecomputedKNN`), which then builds the fuzzy graph and runs
 * the seeded SGD. umap-js keeps its graph in string-keyed maps and arrays of
 * arrays: about 17 s for 3,000 points on one core of this machine, far from
 * usable at 100,000 (where a 2,500-point fit plus placing the rest takes
 * about 20 s under load; bench/traces). So, honestly:
 *
 *   - up to `fitSample` sections (2,500 by default), every section is fitted
 *     by UMAP;
 *   - above that, UMAP is fitted on a seeded random sample of `fitSample`
 *     sections, and every other section is placed at the inverse-distance
 *     weighted mean of the 2-D positions of its `placeNeighbors` nearest
 *     fitted sections (exact search in the embedding). The placed sections
 *     do not move the fitted ones; their neighbourhoods are those of the
 *     sample, so structure finer than the sample's density is lost (the unit
 *     test measures neighbour preservation in both regimes).
 *
 * Reproducible: umap-js draws all its randomness (initial positions,
 * negative samples) from the generator it is given, seeded here.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { UMAP } from "umap-js";
import { sha256, writeFileAtomic } from "../dataset/fsx";
import { mulberry32 } from "../dataset/random";
import { unitRows } from "./cluster";
import type { Embedding } from "./embed";
import { nearestRows } from "./neighbours";

export interface LayoutParams {
  /** Neighbours per point in UMAP's graph (the point itself included, as umap-js counts). */
  nNeighbors: number;
  minDist: number;
  nEpochs: number;
  /** Sections fitted by UMAP; the rest are placed by their nearest fitted sections. */
  fitSample: number;
  placeNeighbors: number;
  seed: number;
}

export const DEFAULT_LAYOUT: LayoutParams = {
  nNeighbors: 15,
  minDist: 0.1,
  nEpochs: 200,
  fitSample: 2500,
  placeNeighbors: 5,
  seed: 42,
};

/** Bump when the algorithm changes so old cached layouts are not reused. */
const LAYOUT_ALGO = "umap-js-1.4-sample-place-v1";

/** m of n row indices, seeded, in increasing order (also the layout's fit sample). */
function sampleRows(n: number, m: number, seed: number): Int32Array {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const rand = mulberry32(seed);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
  }
  return all.subarray(0, m).sort();
}

/** The UMAP layout of `e` (x0 y0 x1 y1 …), computed on the calling thread: see layoutInWorker. */
export function umapLayout(e: Embedding, p: LayoutParams = DEFAULT_LAYOUT): Float32Array {
  const n = e.rows;
  const d = e.dims;
  const out = new Float32Array(n * 2);
  // UMAP needs more points than neighbours; tiny inputs get a circle (still deterministic, still distinct).
  if (n <= p.nNeighbors + 1 || d === 0) {
    for (let i = 0; i < n; i++) {
      out[i * 2] = Math.cos((2 * Math.PI * i) / Math.max(1, n));
      out[i * 2 + 1] = Math.sin((2 * Math.PI * i) / Math.max(1, n));
    }
    return out;
  }
  const unit = unitRows(e);
  const m = Math.min(n, Math.max(p.fitSample, p.nNeighbors + 2));
  const fitted = m === n ? Int32Array.from({ length: n }, (_, i) => i) : sampleRows(n, m, p.seed);
  const fitData = new Float32Array(m * d);
  for (let s = 0; s < m; s++) fitData.set(unit.subarray(fitted[s]! * d, fitted[s]! * d + d), s * d);

  const knn = nearestRows(fitData, m, fitData, m, d, p.nNeighbors);
  const knnIndices: number[][] = [];
  const knnDistances: number[][] = [];
  for (let i = 0; i < m; i++) {
    const o = i * p.nNeighbors;
    knnIndices.push(Array.from(knn.idx.subarray(o, o + p.nNeighbors)));
    knnDistances.push(Array.from(knn.dist.subarray(o, o + p.nNeighbors), Math.sqrt));
  }
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: p.nNeighbors,
    minDist: p.minDist,
    nEpochs: p.nEpochs,
    random: mulberry32(p.seed),
  });
  umap.setPrecomputedKNN(knnIndices, knnDistances);
  // umap-js reads only X's length once the neighbours are given; empty rows keep it from copying the data.
  const epochs = umap.initializeFit(Array.from({ length: m }, () => []));
  for (let i = 0; i < epochs; i++) umap.step();
  const fit = umap.getEmbedding();
  const fitXY = new Float32Array(m * 2);
  for (let s = 0; s < m; s++) {
    fitXY[s * 2] = fit[s]![0]!;
    fitXY[s * 2 + 1] = fit[s]![1]!;
    out[fitted[s]! * 2] = fit[s]![0]!;
    out[fitted[s]! * 2 + 1] = fit[s]![1]!;
  }
  if (m === n) return out;

  // Place the rest by their nearest fitted sections.
  const isFitted = new Uint8Array(n);
  for (const i of fitted) isFitted[i] = 1;
  const rest = new Int32Array(n - m);
  let r = 0;
  for (let i = 0; i < n; i++) if (!isFitted[i]) rest[r++] = i;
  const CHUNK = 4096;
  const q = new Float32Array(CHUNK * d);
  const kp = Math.min(p.placeNeighbors, m);
  for (let at = 0; at < rest.length; at += CHUNK) {
    const nq = Math.min(CHUNK, rest.length - at);
    for (let s = 0; s < nq; s++) q.set(unit.subarray(rest[at + s]! * d, rest[at + s]! * d + d), s * d);
    const nn = nearestRows(fitData, m, q, nq, d, kp);
    for (let s = 0; s < nq; s++) {
      let x = 0;
      let y = 0;
      let w = 0;
      for (let t = 0; t < kp; t++) {
        const j = nn.idx[s * kp + t]!;
        const wt = 1 / (Math.sqrt(nn.dist[s * kp + t]!) + 1e-6);
        x += wt * fitXY[j * 2]!;
        y += wt * fitXY[j * 2 + 1]!;
        w += wt;
      }
      out[rest[at + s]! * 2] = x / w;
      out[rest[at + s]! * 2 + 1] = y / w;
    }
  }
  return out;
}

/** What the worker receives (layout-worker.ts). */
export interface LayoutJob {
  data: Float32Array;
  rows: number;
  dims: number;
  params: LayoutParams;
}

/** What the worker posts back: the layout, and the thread it ran on (tests check it is not the main one). */
export interface LayoutDone {
  xy: Float32Array;
  threadId: number;
}

/**
 * A worker thread for the layout: the bundled dist/layoutworker.js next to
 * this bundle, or, from source under tsx (tests, bench), layout-worker.ts
 * behind tsx's require hook registered inside the thread (a Worker cannot
 * start from a .ts file itself). The hook is resolved from this file, since
 * an eval'd worker resolves modules from the working directory.
 */
function startLayoutWorker(job: LayoutJob): Worker {
  const bundled = join(__dirname, "layoutworker.js");
  if (existsSync(bundled)) return new Worker(bundled, { workerData: job });
  const source = join(__dirname, "layout-worker.ts");
  const hook = createRequire(source).resolve("tsx/cjs/api");
  return new Worker(`require(${JSON.stringify(hook)}).register(); require(${JSON.stringify(source)});`, {
    eval: true,
    workerData: job,
  });
}

/** umapLayout on a worker thread, so the caller's event loop (the editor, the CLI's progress) keeps running. */
export function layoutInWorker(e: Embedding, p: LayoutParams = DEFAULT_LAYOUT): Promise<LayoutDone> {
  return new Promise((resolve, reject) => {
    const worker = startLayoutWorker({ data: e.data, rows: e.rows, dims: e.dims, params: p });
    let done = false;
    worker.once("message", (m: LayoutDone) => {
      done = true;
      resolve(m);
      void worker.terminate();
    });
    worker.once("error", (err) => {
      done = true;
      reject(err);
    });
    worker.once("exit", (code) => {
      if (!done) reject(new Error(`layout worker exited with code ${code} before finishing`));
    });
  });
}

/** Cache key: the algorithm, its parameters and the embedding's bytes. */
export function layoutKey(e: Embedding, p: LayoutParams): string {
  const h = sha256(
    Buffer.concat([
      Buffer.from(`${LAYOUT_ALGO}\n${JSON.stringify(p)}\n${e.rows}x${e.dims}\n`),
      Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength),
    ]),
  );
  return h.slice(0, 16);
}

/**
 * The layout of `e` from `<cacheDir>/layout-<key>.f32` when an earlier run
 * computed it with the same embedding and parameters; otherwise computed in
 * a worker and written there atomically.
 */
export async function cachedLayout(
  cacheDir: string,
  e: Embedding,
  p: LayoutParams = DEFAULT_LAYOUT,
): Promise<{ xy: Float32Array; cached: boolean; key: string }> {
  const key = layoutKey(e, p);
  const file = join(cacheDir, `layout-${key}.f32`);
  if (existsSync(file)) {
    const buf = await readFile(file);
    if (buf.byteLength === e.rows * 8) {
      return {
        xy: new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)),
        cached: true,
        key,
      };
    }
  }
  const { xy } = await layoutInWorker(e, p);
  await writeFileAtomic(file, new Uint8Array(xy.buffer, xy.byteOffset, xy.byteLength));
  return { xy, cached: false, key };
}
