/**
 * Exact nearest neighbours over flat typed arrays: the layout's UMAP graph
 * and placement, and the Steering Explorer's "similar sections" (nearest in
 * the embedding, cosine: rows are unit-normalised first, as for clustering).
 * Brute force: one query against 100,000 sections of 32 dimensions is a few
 * million multiply-adds, milliseconds.
 */

/**
 * The k nearest base rows of each query row (squared Euclidean), nearest
 * first. Partial distances stop as soon as they exceed the current k-th best,
 * which prunes most of the work once good neighbours are known.
 */
export function nearestRows(
  base: Float32Array,
  nb: number,
  queries: Float32Array,
  nq: number,
  d: number,
  k: number,
): { idx: Int32Array; dist: Float32Array } {
  const kk = Math.min(k, nb);
  const idx = new Int32Array(nq * kk).fill(-1);
  const dist = new Float32Array(nq * kk).fill(Number.POSITIVE_INFINITY);
  for (let q = 0; q < nq; q++) {
    const o = q * kk;
    const qo = q * d;
    for (let j = 0; j < nb; j++) {
      const worst = dist[o + kk - 1]!;
      const bo = j * d;
      let s = 0;
      for (let t = 0; t < d && s < worst; t++) {
        const diff = queries[qo + t]! - base[bo + t]!;
        s += diff * diff;
      }
      if (s >= worst) continue;
      // Insertion into the sorted top-k.
      let p = kk - 1;
      while (p > 0 && dist[o + p - 1]! > s) {
        dist[o + p] = dist[o + p - 1]!;
        idx[o + p] = idx[o + p - 1]!;
        p--;
      }
      dist[o + p] = s;
      idx[o + p] = j;
    }
  }
  return { idx, dist };
}

/** The k sections nearest section i in `unit` (unit-normalised rows), nearest first, i itself left out. */
export function similarSections(unit: Float32Array, rows: number, dims: number, i: number, k: number): number[] {
  if (i < 0 || i >= rows) return [];
  const { idx } = nearestRows(unit, rows, unit.subarray(i * dims, (i + 1) * dims), 1, dims, k + 1);
  return [...idx].filter((j) => j !== i && j >= 0).slice(0, k);
}
