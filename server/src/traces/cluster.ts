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
import { kmeans } from "ml-kmeans";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import type { Embedding } from "./embed";
import { seededRandom } from "./model";

/** Default fine-cluster count for n sections: about √n / 2, between 2 and 60. */
export function defaultClusterCount(n: number): number {
  return Math.max(Math.min(2, n), Math.min(60, Math.round(Math.sqrt(n) / 2)));
}

/** Default family count for k fine clusters: about √k. */
export function defaultFamilyCount(k: number): number {
  return Math.max(Math.min(2, k), Math.round(Math.sqrt(k)));
}

function rowsOf(e: Embedding): number[][] {
  const out: number[][] = new Array(e.rows);
  for (let i = 0; i < e.rows; i++) out[i] = Array.from(e.data.subarray(i * e.dims, (i + 1) * e.dims));
  return out;
}

export interface KMeansOut {
  labels: Int32Array;
  centroids: number[][];
}

/** Best of `restarts` k-means++ runs (lowest within-cluster sum of squares), as scikit-learn's n_init. */
export function kmeansLabels(points: number[][], k: number, seed: number, restarts = 4, maxIterations = 50): KMeansOut {
  if (points.length === 0) return { labels: new Int32Array(0), centroids: [] };
  const kk = Math.max(1, Math.min(k, points.length));
  let best: KMeansOut | undefined;
  let bestInertia = Number.POSITIVE_INFINITY;
  for (let r = 0; r < restarts; r++) {
    const out = kmeans(points, kk, {
      seed: seed + r * 7919,
      initialization: "kmeans++",
      maxIterations,
      tolerance: 1e-6,
    });
    let inertia = 0;
    points.forEach((p, i) => {
      const c = out.centroids[out.clusters[i]!]!;
      for (let j = 0; j < p.length; j++) inertia += (p[j]! - c[j]!) ** 2;
    });
    if (inertia < bestInertia) {
      bestInertia = inertia;
      best = { labels: Int32Array.from(out.clusters), centroids: out.centroids };
    }
  }
  return best!;
}

export interface TwoPass {
  clusterOf: Int32Array;
  familyOfCluster: Int32Array;
  centroids: number[][];
}

/** Points fitted with restarts; beyond this many, the fit runs on a seeded sample and the rest are assigned. */
const FIT_SAMPLE = 20_000;

function nearest(p: readonly number[], centroids: readonly number[][]): number {
  let best = 0;
  let bestD = Number.POSITIVE_INFINITY;
  centroids.forEach((c, ci) => {
    let d = 0;
    for (let j = 0; j < p.length; j++) d += (p[j]! - c[j]!) ** 2;
    if (d < bestD) {
      bestD = d;
      best = ci;
    }
  });
  return best;
}

/**
 * Pass 1 on the unit-normalised embedding (cosine geometry), best of 10
 * k-means++ restarts (fewer restarts often settle in a minimum that merges
 * two moves); pass 2 on the fine centroids.
 */
export function twoPassClusters(e: Embedding, k: number, families: number, seed = 1): TwoPass {
  const points = rowsOf(e).map((r) => {
    const s = Math.hypot(...r) || 1;
    return r.map((v) => v / s);
  });
  let fine: KMeansOut;
  if (points.length <= FIT_SAMPLE) {
    fine = kmeansLabels(points, k, seed, 10);
  } else {
    const rand = seededRandom(seed);
    const idx = points.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    const fit = kmeansLabels(
      idx.slice(0, FIT_SAMPLE).map((i) => points[i]!),
      k,
      seed,
      10,
    );
    fine = { centroids: fit.centroids, labels: Int32Array.from(points, (p) => nearest(p, fit.centroids)) };
  }
  const fam = kmeansLabels(fine.centroids, families, seed + 1, 10);
  return { clusterOf: fine.labels, familyOfCluster: fam.labels, centroids: fine.centroids };
}

/** Member indices of each cluster, nearest the centroid first. */
export function membersByDistance(e: Embedding, labels: Int32Array, centroids: number[][]): number[][] {
  const members: { i: number; d: number }[][] = centroids.map(() => []);
  for (let i = 0; i < e.rows; i++) {
    const c = centroids[labels[i]!]!;
    let d = 0;
    for (let j = 0; j < e.dims; j++) d += (e.data[i * e.dims + j]! - c[j]!) ** 2;
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
