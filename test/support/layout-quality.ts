/**
 * Measures of a 2-D layout against the embedding it was made from, for the
 * layout test and the bench:
 *   - neighbour preservation at k: the share of each point's k nearest
 *     neighbours in the (unit-normalised) embedding that are also among its
 *     k nearest on the map (1 = every neighbourhood kept);
 *   - label accuracy at k: leave-one-out majority vote of the k nearest map
 *     neighbours' known labels (how well known groups stay together and apart).
 */
import { unitRows } from "../../server/src/traces/cluster";
import type { Embedding } from "../../server/src/traces/embed";
import { nearestRows } from "../../server/src/traces/neighbours";

/** k nearest of every point among all points, itself excluded. */
function neighbours(data: Float32Array, n: number, d: number, k: number): Int32Array {
  const { idx } = nearestRows(data, n, data, n, d, k + 1);
  const out = new Int32Array(n * k);
  for (let i = 0; i < n; i++) {
    let w = 0;
    for (let t = 0; t <= k && w < k; t++) {
      const j = idx[i * (k + 1) + t]!;
      if (j !== i) out[i * k + w++] = j;
    }
  }
  return out;
}

export function layoutQuality(
  e: Embedding,
  xy: Float32Array,
  labels: ArrayLike<number>,
  k = 10,
): { preservation: number; labelAccuracy: number } {
  const n = e.rows;
  const high = neighbours(unitRows(e), n, e.dims, k);
  const low = neighbours(xy, n, 2, k);
  let kept = 0;
  let right = 0;
  for (let i = 0; i < n; i++) {
    const mine = new Set(low.subarray(i * k, i * k + k));
    for (let t = 0; t < k; t++) if (mine.has(high[i * k + t]!)) kept++;
    const votes = new Map<number, number>();
    for (const j of mine) votes.set(labels[j]!, (votes.get(labels[j]!) ?? 0) + 1);
    const best = [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
    if (best === labels[i]) right++;
  }
  return { preservation: kept / (n * k), labelAccuracy: right / n };
}
