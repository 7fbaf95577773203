/**
 * The offline embedding of steering sections: no network, no weights.
 *
 * 1. Features (after dropping English function words), hashed into a fixed
 *    space (FNV-1a): word unigrams and bigrams
 *    in one half, character 3-, 4- and 5-grams of the lower-cased,
 *    space-padded text in the other. Weights are sublinear tf × smoothed idf;
 *    each half is L2-normalised on its own, so long sections do not let
 *    either kind dominate.
 * 2. Randomized truncated SVD (Halko, Martinsson, Tropp 2011): a seeded
 *    Gaussian sketch, two power iterations, re-orthonormalised each time.
 *    32 components by default: on the generated move set 64 components or
 *    four power iterations cost twice the time for no better ARI.
 *    Orthonormalisation goes through the small Gram matrix's eigenvectors
 *    (ml-matrix), which also copes with rank-deficient sketches (duplicated
 *    texts).
 * 3. Each section's vector is its row of U·S: components scaled by their
 *    singular values. Without that scaling the noise directions weigh as much
 *    as the topical ones and k-means on the result falls apart.
 *
 * All large matrices are flat row-major Float64Arrays; only l×l matrices
 * (l = components + oversampling) go through ml-matrix.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { mulberry32 } from "../dataset/random";

const WORD_BITS = 17;
const HALF = 1 << WORD_BITS;

/** Sparse rows, compressed: row i's entries are cols/vals[ptr[i] … ptr[i+1]). */
export interface Csr {
  rows: number;
  cols: number;
  ptr: Uint32Array;
  col: Uint32Array;
  val: Float32Array;
}

function fnvFrom(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function fnv(s: string, seed: number): number {
  return fnvFrom((2166136261 ^ seed) >>> 0, s);
}

/** FNV of `${a} ${b}` without building the string. */
function fnvPair(a: string, b: string, seed: number): number {
  const h = Math.imul(fnvFrom((2166136261 ^ seed) >>> 0, a) ^ 32, 16777619);
  return fnvFrom(h >>> 0, b);
}

const WORD = /[a-z0-9]+/g;

/**
 * English function words, dropped before both word and character n-grams:
 * steering moves differ in their content words ("edge case", "simplify"),
 * while "let me", "what is", "the" are shared by every move and otherwise
 * pull unrelated moves together.
 */
const STOP_WORDS = new Set(
  (
    "a an the and or but if then so of to in on at by for with from as is are was be been it its this that these those " +
    "i me my we our you let lets let's what which who how do does did can could should would will shall may might must " +
    "now first next again here there up out into over about before after some any all both each not no"
  ).split(" "),
);

/**
 * Hashed features of one text, appended to `out` (word 1–2-grams in [0, HALF),
 * then char 3–5-grams in [HALF, 2·HALF)); returns the index where the char
 * features start. Repeats are kept: the caller sorts and counts them.
 */
function hashFeatures(text: string, out: GrowU32): number {
  const ws = (text.toLowerCase().match(WORD) ?? []).filter((w) => !STOP_WORDS.has(w));
  for (let i = 0; i < ws.length; i++) {
    out.push(fnv(ws[i]!, 1) & (HALF - 1));
    if (i > 0) out.push(fnvPair(ws[i - 1]!, ws[i]!, 2) & (HALF - 1));
  }
  const charsAt = out.length;
  const padded = ` ${ws.join(" ")} `;
  for (let i = 0; i < padded.length; i++) {
    // Rolling FNV over padded[i…i+4], emitting at lengths 3, 4 and 5.
    let h = 2166136261 >>> 0;
    for (let len = 1; len <= 5 && i + len <= padded.length; len++) {
      h = Math.imul(h ^ padded.charCodeAt(i + len - 1), 16777619) >>> 0;
      if (len >= 3) out.push(HALF + (Math.imul(h ^ len, 2654435761) >>> (32 - WORD_BITS)));
    }
  }
  return charsAt;
}

/** A growable Uint32Array: one buffer reused across texts instead of a Map per text. */
class GrowU32 {
  data = new Uint32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/**
 * TF-IDF matrix of `texts` over the used hash buckets (columns renumbered
 * densely, in bucket order). Two passes over typed arrays: the first hashes
 * each text into a shared buffer, sorts it and keeps (bucket, count) runs,
 * counting document frequencies in a flat array indexed by bucket; the
 * second weights. No per-text maps: at 100,000 texts those held about
 * 11 million entries and spent most of the time in the garbage collector.
 */
export function tfidf(texts: readonly string[]): Csr {
  const n = texts.length;
  const df = new Uint32Array(2 * HALF);
  const buf = new GrowU32();
  const keys = new GrowU32();
  const counts = new GrowU32();
  // Per text: [start of words, start of chars] in keys/counts; the next text's start ends the chars.
  const wordStart = new Uint32Array(n + 1);
  const charStart = new Uint32Array(n);
  const runs = (from: number, to: number) => {
    const part = buf.data.subarray(from, to).sort();
    for (let i = 0; i < part.length; ) {
      let j = i + 1;
      while (j < part.length && part[j] === part[i]) j++;
      keys.push(part[i]!);
      counts.push(j - i);
      df[part[i]!]!++;
      i = j;
    }
  };
  for (let t = 0; t < n; t++) {
    buf.length = 0;
    const charsAt = hashFeatures(texts[t]!, buf);
    wordStart[t] = keys.length;
    runs(0, charsAt);
    charStart[t] = keys.length;
    runs(charsAt, buf.length);
  }
  wordStart[n] = keys.length;
  const colOf = new Int32Array(2 * HALF).fill(-1);
  const idf = new Float64Array(2 * HALF);
  let cols = 0;
  for (let k = 0; k < 2 * HALF; k++) {
    if (df[k] === 0) continue;
    colOf[k] = cols++;
    idf[k] = Math.log((1 + n) / (1 + df[k]!)) + 1;
  }
  const nnz = keys.length;
  const ptr = new Uint32Array(n + 1);
  const col = new Uint32Array(nnz);
  const val = new Float32Array(nnz);
  for (let t = 0; t < n; t++) {
    // Each half (words, chars) is L2-normalised on its own, then both by √2.
    for (const [from, to] of [
      [wordStart[t]!, charStart[t]!],
      [charStart[t]!, wordStart[t + 1]!],
    ] as const) {
      let norm = 0;
      for (let p = from; p < to; p++) {
        const k = keys.data[p]!;
        const w = (1 + Math.log(counts.data[p]!)) * idf[k]!;
        col[p] = colOf[k]!;
        val[p] = w;
        norm += w * w;
      }
      const inv = norm > 0 ? 1 / Math.sqrt(2 * norm) : 0;
      for (let p = from; p < to; p++) val[p]! *= inv;
    }
    ptr[t + 1] = wordStart[t + 1]!;
  }
  return { rows: n, cols, ptr, col, val };
}

/** Y = X·W, W dense (cols × l), row-major. */
function mulDense(x: Csr, w: Float64Array, l: number): Float64Array {
  const y = new Float64Array(x.rows * l);
  for (let i = 0; i < x.rows; i++) {
    const yi = i * l;
    for (let p = x.ptr[i]!; p < x.ptr[i + 1]!; p++) {
      const v = x.val[p]!;
      const wc = x.col[p]! * l;
      for (let j = 0; j < l; j++) y[yi + j]! += v * w[wc + j]!;
    }
  }
  return y;
}

/** Z = Xᵀ·Q, Q dense (rows × l). */
function mulTransposeDense(x: Csr, q: Float64Array, l: number): Float64Array {
  const z = new Float64Array(x.cols * l);
  for (let i = 0; i < x.rows; i++) {
    const qi = i * l;
    for (let p = x.ptr[i]!; p < x.ptr[i + 1]!; p++) {
      const v = x.val[p]!;
      const zc = x.col[p]! * l;
      for (let j = 0; j < l; j++) z[zc + j]! += v * q[qi + j]!;
    }
  }
  return z;
}

/** Gram matrix AᵀA of a row-major (rows × l) matrix. */
function gram(a: Float64Array, rows: number, l: number): Matrix {
  const g = new Float64Array(l * l);
  for (let i = 0; i < rows; i++) {
    const o = i * l;
    for (let r = 0; r < l; r++) {
      const ar = a[o + r]!;
      if (ar === 0) continue;
      for (let c = r; c < l; c++) g[r * l + c]! += ar * a[o + c]!;
    }
  }
  const m = new Matrix(l, l);
  for (let r = 0; r < l; r++) for (let c = r; c < l; c++) m.set(r, c, g[r * l + c]!).set(c, r, g[r * l + c]!);
  return m;
}

/** A·M for row-major A (rows × l) and small M (l × k). */
function mulSmall(a: Float64Array, rows: number, l: number, m: Matrix): Float64Array {
  const k = m.columns;
  const flat = m.to1DArray();
  const out = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    for (let r = 0; r < l; r++) {
      const ar = a[i * l + r]!;
      if (ar === 0) continue;
      for (let c = 0; c < k; c++) out[i * k + c]! += ar * flat[r * k + c]!;
    }
  }
  return out;
}

/** Eigen-decomposition of a symmetric matrix, eigenpairs sorted by eigenvalue, largest first. */
function symEig(g: Matrix): { values: number[]; vectors: Matrix } {
  const e = new EigenvalueDecomposition(g, { assumeSymmetric: true });
  const order = e.realEigenvalues.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
  const vectors = new Matrix(g.rows, g.rows);
  order.forEach(([, i], c) => {
    for (let r = 0; r < g.rows; r++) vectors.set(r, c, e.eigenvectorMatrix.get(r, i));
  });
  return { values: order.map(([v]) => v), vectors };
}

/** Orthonormal columns spanning A's (rows × l) column space; dropped directions become zero columns. */
function orthonormalize(a: Float64Array, rows: number, l: number, passes = 1): Float64Array {
  let q = a;
  for (let pass = 0; pass < passes; pass++) {
    const { values, vectors } = symEig(gram(q, rows, l));
    const top = Math.max(values[0] ?? 0, 0);
    const scale = new Matrix(l, l);
    for (let c = 0; c < l; c++) {
      const v = values[c]!;
      const s = v > top * 1e-10 && v > 0 ? 1 / Math.sqrt(v) : 0;
      for (let r = 0; r < l; r++) scale.set(r, c, vectors.get(r, c) * s);
    }
    q = mulSmall(q, rows, l, scale);
  }
  return q;
}

export interface Embedding {
  /** Row-major rows × dims: each row a section's U·S coordinates. */
  data: Float32Array;
  rows: number;
  dims: number;
  singularValues: number[];
}

export interface SvdOptions {
  components?: number;
  oversample?: number;
  powerIterations?: number;
  seed?: number;
}

/** Randomized truncated SVD of X, returning U·S (rows × components). */
export function truncatedSvd(x: Csr, opts: SvdOptions = {}): Embedding {
  const k = Math.max(1, Math.min(opts.components ?? 32, x.rows, x.cols));
  const l = Math.min(k + (opts.oversample ?? 8), x.cols, x.rows);
  const rand = mulberry32(opts.seed ?? 7);
  const omega = new Float64Array(x.cols * l);
  for (let i = 0; i < omega.length; i++) {
    omega[i] = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  }
  let q = orthonormalize(mulDense(x, omega, l), x.rows, l);
  for (let it = 0; it < (opts.powerIterations ?? 2); it++) {
    const z = orthonormalize(mulTransposeDense(x, q, l), x.cols, l);
    q = orthonormalize(mulDense(x, z, l), x.rows, l);
  }
  // A second pass on the final basis (CholeskyQR2-style) restores orthogonality lost to rounding.
  q = orthonormalize(q, x.rows, l, 2);
  // B = QᵀX; B·Bᵀ = (XᵀQ)ᵀ(XᵀQ) is l×l; its eigenvectors are B's left singular vectors.
  const bt = mulTransposeDense(x, q, l);
  const { values, vectors } = symEig(gram(bt, x.cols, l));
  const dims = Math.min(k, l);
  const us = new Matrix(l, dims);
  const sv: number[] = [];
  for (let c = 0; c < dims; c++) {
    const s = Math.sqrt(Math.max(values[c]!, 0));
    sv.push(s);
    // Sign convention: the largest-magnitude entry of each vector is positive, so runs are comparable.
    let big = 0;
    for (let r = 0; r < l; r++) if (Math.abs(vectors.get(r, c)) > Math.abs(big)) big = vectors.get(r, c);
    const sign = big < 0 ? -1 : 1;
    for (let r = 0; r < l; r++) us.set(r, c, vectors.get(r, c) * s * sign);
  }
  return { data: Float32Array.from(mulSmall(q, x.rows, l, us)), rows: x.rows, dims, singularValues: sv };
}

/** The offline embedding of `texts` (see the header). */
export function offlineEmbedding(texts: readonly string[], opts: SvdOptions = {}): Embedding {
  if (texts.length === 0) return { data: new Float32Array(0), rows: 0, dims: 0, singularValues: [] };
  return truncatedSvd(tfidf(texts), opts);
}
