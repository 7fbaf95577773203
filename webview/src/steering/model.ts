/**
 * The Steering Explorer's data logic, free of the DOM so unit tests run it in
 * Node: the think/steer ratio, row orderings, which sections are active
 * (legend and search) and which are drawn in colour.
 *
 * Sections are indexed 0…n-1 throughout; sets of sections are Uint8Array
 * masks (1 = in), so 100k points cost 100 kB per mask and no allocation per frame.
 */
import type { SteeringRow, SteeringSort, SteeringView } from "../../../server/src/protocol";

/** Think tokens per steering instance; undefined for a row without steering (it sorts last either way). */
export function thinkSteerRatio(row: SteeringRow): number | undefined {
  return row.steering > 0 ? row.thinkTokens / row.steering : undefined;
}

export const SORTS: readonly (readonly [SteeringSort, string])[] = [
  ["dataset", "Dataset order"],
  ["ratioAsc", "Lowest think/steer ratio"],
  ["ratioDesc", "Highest think/steer ratio"],
  ["steering", "Most steering instances"],
];

/** Row indices in the order `sort` asks for; ties keep dataset order, rows without a ratio go last. */
export function sortRows(rows: readonly SteeringRow[], sort: SteeringSort): Uint32Array {
  const order = Uint32Array.from(rows.keys());
  if (sort === "dataset") return order;
  const key = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const ratio = thinkSteerRatio(r);
    key[i] =
      sort === "steering"
        ? -r.steering
        : ratio === undefined
          ? Number.POSITIVE_INFINITY
          : sort === "ratioAsc"
            ? ratio
            : -ratio;
  }
  // Compared with < rather than subtraction: two rows without a ratio (Infinity - Infinity) would give NaN.
  return order.sort((a, b) => (key[a]! < key[b]! ? -1 : key[a]! > key[b]! ? 1 : a - b));
}

/**
 * Sections shown in colour before any selection: their cluster is not hidden
 * in the legend and, when `query` is not empty, their text contains it
 * (case-insensitive).
 */
export function activeMask(
  view: SteeringView,
  hidden: ReadonlySet<number>,
  query: string,
  lower?: string[],
): Uint8Array {
  const { cluster, text } = view.sections;
  const n = cluster.length;
  const mask = new Uint8Array(n);
  const q = query.trim().toLowerCase();
  for (let i = 0; i < n; i++) {
    if (hidden.has(cluster[i]!)) continue;
    if (q !== "" && !(lower ? lower[i]! : text[i]!.toLowerCase()).includes(q)) continue;
    mask[i] = 1;
  }
  return mask;
}

/** Indices where `mask` is set, in index order. */
export function indicesOf(mask: Uint8Array): Uint32Array {
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i]!;
  const out = new Uint32Array(count);
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) out[k++] = i;
  return out;
}

/** Point-in-polygon (even-odd rule) for a lasso given as [x0, y0, x1, y1, …]. */
export function insidePolygon(px: number, py: number, poly: readonly number[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 2; i < poly.length; j = i, i += 2) {
    const xi = poly[i]!;
    const yi = poly[i + 1]!;
    const xj = poly[j]!;
    const yj = poly[j + 1]!;
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
