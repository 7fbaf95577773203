/**
 * Two-pass clustering of section embeddings, distinctive-term names, the
 * quick PCA layout, and the adjusted Rand index used to grade clusterings.
 *
 * Pass 1: k-means (ml-kmeans, k-means++ seeded) over the embeddings gives
 * fine clusters. Pass 2: k-means over the fine clusters' centroids groups
 * them into families. Names without a model are class-based TF-IDF
 * (BERTopic's c-TF-IDF): a term's frequency inside the cluster times
 * log(1 + average cluster size in terms ÷ its frequency over all clusters).
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { mulberry32 } from "../dataset/random";
import type { Embedding } from "./embed";

/** Default fine-cluster count for n sections: about √n / 2, between 2 and 60. */
export function defaultClusterCount(n: number): number {
  return Math.max(Math.min(2, n), Math.min(60, Math.round(Math.sqrt(n) / 2)));
}

/** Default family count for k fine clusters: about √k. */
export function defaultFamilyCount(k: number): number {
  return Math.max(Math.min(2, k), Math.round(Math.sqrt(k)));
}

export interface KMeansOut {
  /** Cluster of each point. */
  labels: Int32Array;
  /** k × d, row-major. */
  centroids: Float64Array;
  k: number;
  inertia: number;
  iterations: number;
}

/** k-means++ seeding (Arthur & Vassilvitskii 2007): each next centre drawn with probability ∝ squared distance. */
export function kmeansPlusPlus(data: Float32Array, n: number, d: number, k: number, rand: () => number): Float64Array {
  const c = new Float64Array(k * d);
  const dist = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let pick = Math.floor(rand() * n);
  for (let j = 0; j < k; j++) {
    for (let t = 0; t < d; t++) c[j * d + t] = data[pick * d + t]!;
    let total = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (data[i * d + t]! - c[j * d + t]!) ** 2;
      if (s < dist[i]!) dist[i] = s;
      total += dist[i]!;
    }
    let r = rand() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= dist[i]!;
      if (r <= 0) {
        pick = i;
        break;
      }
    }
  }
  return c;
}

/**
 * Lloyd's k-means over a flat Float32Array from given centres. Written over
 * typed arrays instead of calling ml-kmeans (which takes number[][] and a
 * distance callback): on the same seeding it reaches the same partition
 * (the unit test checks), several times faster (bench/traces).
 */
export function lloyd(data: Float32Array, n: number, d: number, init: Float64Array, maxIterations = 100): KMeansOut {
  const k = init.length / d;
  const c = Float64Array.from(init);
  const labels = new Int32Array(n).fill(-1);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  let inertia = 0;
  let it = 0;
  for (; it < maxIterations; it++) {
    let changed = 0;
    inertia = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = data[i * d + t]! - c[j * d + t]!;
          s += diff * diff;
          if (s >= bestD) break;
        }
        if (s < bestD) {
          bestD = s;
          best = j;
        }
      }
      inertia += bestD;
      if (labels[i] !== best) {
        labels[i] = best;
        changed++;
      }
    }
    if (changed === 0) break;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const j = labels[i]!;
      counts[j]!++;
      for (let t = 0; t < d; t++) sums[j * d + t]! += data[i * d + t]!;
    }
    // An emptied cluster keeps its old centre.
    for (let j = 0; j < k; j++)
      if (counts[j]! > 0) for (let t = 0; t < d; t++) c[j * d + t] = sums[j * d + t]! / counts[j]!;
  }
  return { labels, centroids: c, k, inertia, iterations: it };
}

/** Total multiply-adds the restarts of one clustering may spend; fewer restarts on big inputs. */
const RESTART_BUDGET = 4e9;

/**
 * Best of up to 10 k-means++ restarts by inertia (as scikit-learn's n_init):
 * a single run often settles in a minimum that merges two moves. Restarts
 * are cut to fit RESTART_BUDGET on large inputs.
 */
export function kmeansBest(data: Float32Array, n: number, d: number, k: number, seed: number): KMeansOut {
  const kk = Math.max(1, Math.min(k, n));
  const restarts = Math.max(1, Math.min(10, Math.floor(RESTART_BUDGET / (n * kk * d * 30))));
  const rand = mulberry32(seed);
  let best: KMeansOut | undefined;
  for (let r = 0; r < restarts; r++) {
    const out = lloyd(data, n, d, kmeansPlusPlus(data, n, d, kk, rand));
    if (!best || out.inertia < best.inertia) best = out;
  }
  return best!;
}

export interface TwoPass {
  clusterOf: Int32Array;
  familyOfCluster: Int32Array;
  /** k × d, row-major, in the unit-normalised space clustering ran in. */
  centroids: Float64Array;
  k: number;
}

/** Points fitted directly; beyond this many, the fit runs on a seeded sample and all points are then assigned. */
const FIT_SAMPLE = 20_000;

/** Rows scaled to unit length: k-means then works in cosine geometry. */
export function unitRows(e: Embedding): Float32Array {
  const out = new Float32Array(e.data.length);
  for (let i = 0; i < e.rows; i++) {
    let s = 0;
    for (let t = 0; t < e.dims; t++) s += e.data[i * e.dims + t]! ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let t = 0; t < e.dims; t++) out[i * e.dims + t] = e.data[i * e.dims + t]! * inv;
  }
  return out;
}

/** Pass 1 on the unit-normalised embedding; pass 2 on the fine centroids. */
export function twoPassClusters(e: Embedding, k: number, families: number, seed = 1): TwoPass {
  const d = e.dims;
  const unit = unitRows(e);
  let fine: KMeansOut;
  if (e.rows <= FIT_SAMPLE) {
    fine = kmeansBest(unit, e.rows, d, k, seed);
  } else {
    const rand = mulberry32(seed);
    const idx = Int32Array.from({ length: e.rows }, (_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    const sample = new Float32Array(FIT_SAMPLE * d);
    for (let s = 0; s < FIT_SAMPLE; s++) sample.set(unit.subarray(idx[s]! * d, idx[s]! * d + d), s * d);
    const fit = kmeansBest(sample, FIT_SAMPLE, d, k, seed);
    // One assignment pass of every point against the fitted centres (maxIterations 1 leaves them unchanged).
    fine = lloyd(unit, e.rows, d, fit.centroids, 1);
  }
  const fam = kmeansBest(Float32Array.from(fine.centroids), fine.k, d, families, seed + 1);
  return { clusterOf: fine.labels, familyOfCluster: fam.labels, centroids: fine.centroids, k: fine.k };
}

/** Member indices of each cluster, nearest the centroid first. */
export function membersByDistance(
  unit: Float32Array,
  dims: number,
  labels: Int32Array,
  centroids: Float64Array,
): number[][] {
  const k = centroids.length / dims;
  const members: { i: number; d: number }[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]! * dims;
    let d = 0;
    for (let j = 0; j < dims; j++) d += (unit[i * dims + j]! - centroids[c + j]!) ** 2;
    members[labels[i]!]!.push({ i, d });
  }
  return members.map((m) => m.sort((a, b) => a.d - b.d).map((x) => x.i));
}

const STOP = new Set(
  "a an the and or of to in on for with is it i we i'll i'm let me my this that be so then now should need will can do at as by from".split(
    " ",
  ),
);

function terms(text: string): string[] {
  const ws = (text.toLowerCase().match(/[a-z][a-z0-9']*/g) ?? []).filter((w) => !STOP.has(w));
  const out = [...ws];
  for (let i = 1; i < ws.length; i++) out.push(`${ws[i - 1]} ${ws[i]}`);
  return out;
}

/** Top distinctive terms per group (class-based TF-IDF). */
export function distinctiveTerms(
  texts: readonly string[],
  labels: ArrayLike<number>,
  groups: number,
  top = 5,
): string[][] {
  const tf = Array.from({ length: groups }, () => new Map<string, number>());
  const total = new Map<string, number>();
  const size = new Array<number>(groups).fill(0);
  for (let i = 0; i < texts.length; i++) {
    const g = labels[i]!;
    for (const t of terms(texts[i]!)) {
      tf[g]!.set(t, (tf[g]!.get(t) ?? 0) + 1);
      total.set(t, (total.get(t) ?? 0) + 1);
      size[g]!++;
    }
  }
  const avg = size.reduce((a, b) => a + b, 0) / Math.max(1, groups);
  return tf.map((m, g) =>
    [...m]
      .map(([t, c]) => [t, (c / Math.max(1, size[g]!)) * Math.log(1 + avg / total.get(t)!)] as const)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, top)
      .map(([t]) => t),
  );
}

/** A short name from distinctive terms: the best bigram if any, else the top two unigrams. */
export function nameFromTerms(ts: readonly string[]): string {
  if (ts.length === 0) return "(empty)";
  const bigram = ts.slice(0, 3).find((t) => t.includes(" "));
  return bigram ?? ts.slice(0, 2).join(" / ");
}

/** 2-D PCA of the embedding: centred, projected on the top two principal axes. */
export function pcaLayout(e: Embedding): Float32Array {
  const out = new Float32Array(e.rows * 2);
  if (e.rows === 0 || e.dims === 0) return out;
  const d = e.dims;
  const mean = new Float64Array(d);
  for (let i = 0; i < e.rows; i++) for (let j = 0; j < d; j++) mean[j]! += e.data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= e.rows;
  const cov = new Matrix(d, d);
  const row = new Float64Array(d);
  for (let i = 0; i < e.rows; i++) {
    for (let j = 0; j < d; j++) row[j] = e.data[i * d + j]! - mean[j]!;
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov.set(a, b, cov.get(a, b) + row[a]! * row[b]!);
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov.set(a, b, cov.get(b, a));
  const eig = new EigenvalueDecomposition(cov, { assumeSymmetric: true });
  const order = eig.realEigenvalues.map((v, i) => [v, i] as const).sort((x, y) => y[0] - x[0]);
  const axes = order.slice(0, 2).map(([, i]) => eig.eigenvectorMatrix.getColumn(i));
  for (let i = 0; i < e.rows; i++) {
    for (let a = 0; a < axes.length; a++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (e.data[i * d + j]! - mean[j]!) * axes[a]![j]!;
      out[i * 2 + a] = s;
    }
  }
  return out;
}

/** Adjusted Rand index of two labelings (Hubert & Arabie): 1 identical, ~0 chance. */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n !== b.length) throw new Error("labelings differ in length");
  const key = (x: number, y: number) => `${x},${y}`;
  const nij = new Map<string, number>();
  const ai = new Map<number, number>();
  const bj = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    nij.set(key(a[i]!, b[i]!), (nij.get(key(a[i]!, b[i]!)) ?? 0) + 1);
    ai.set(a[i]!, (ai.get(a[i]!) ?? 0) + 1);
    bj.set(b[i]!, (bj.get(b[i]!) ?? 0) + 1);
  }
  const c2 = (x: number) => (x * (x - 1)) / 2;
  let index = 0;
  for (const v of nij.values()) index += c2(v);
  let sa = 0;
  for (const v of ai.values()) sa += c2(v);
  let sb = 0;
  for (const v of bj.values()) sb += c2(v);
  const expected = (sa * sb) / c2(n);
  const max = (sa + sb) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}
