// Matrix primitives: `mmu` (and `$` between numeric lists), `inv`, plus `rand` and `md5`.
//
// Matrices are lists of equal-length numeric vectors; arithmetic runs on float rows. Inversion is
// Gauss-Jordan elimination with partial pivoting; a singular matrix gives nulls, as q does.

import { createHash } from "node:crypto";
import { raise } from "../errors";
import {
  type EvalContext,
  float,
  floats,
  isIntegralType,
  isNumericType,
  items,
  list,
  type Value,
  vector,
} from "../values";
import { laneF64 } from "./numeric";
import { gather } from "./structure";

/** Rows of a numeric matrix, or one row for a numeric vector. */
function rowsOf(v: Value): { rows: Float64Array[]; isVector: boolean } {
  if (v.kind === "vector" && isNumericType(v.type)) return { rows: [laneF64(v)], isVector: true };
  if (v.kind !== "list") return raise("type");
  const rows = v.items.map((r) => (r.kind === "vector" && isNumericType(r.type) ? laneF64(r) : raise("type")));
  if (rows.some((r) => r.length !== rows[0]!.length)) raise("length");
  return { rows, isVector: false };
}

/** `x mmu y` (also `x$y` on numeric lists): matrix/vector product as floats. */
export function mmu(x: Value, y: Value): Value {
  const a = rowsOf(x);
  const b = rowsOf(y);
  if (a.isVector && b.isVector) {
    const p = a.rows[0]!;
    const q = b.rows[0]!;
    if (p.length !== q.length) raise("length");
    let s = 0;
    for (let i = 0; i < p.length; i++) s += p[i]! * q[i]!;
    return float(s);
  }
  // A vector on the right is a column; on the left, a row.
  const right = b.isVector ? Array.from(b.rows[0]!, (e) => Float64Array.of(e)) : b.rows;
  if (a.rows[0]!.length !== right.length) raise("length");
  const cols = right[0]?.length ?? 0;
  const out = a.rows.map((r) => {
    const o = new Float64Array(cols);
    for (let k = 0; k < r.length; k++) for (let j = 0; j < cols; j++) o[j] += r[k]! * right[k]![j]!;
    return o;
  });
  if (b.isVector) return floats(out.map((o) => o[0]!));
  if (a.isVector) return vector(9, out[0]!);
  return list(out.map((o) => vector(9, o)));
}

/** `inv x`: inverse of a square float matrix; singular matrices give nulls. */
export function inv(x: Value): Value {
  const { rows, isVector } = rowsOf(x);
  const n = rows.length;
  if (isVector || rows[0]!.length !== n) return raise("length");
  const m = rows.map((r, i) => {
    const row = new Float64Array(2 * n);
    row.set(r);
    row[n + i] = 1;
    return row;
  });
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (Math.abs(m[p]![c]!) < 1e-300) return list(rows.map(() => vector(9, new Float64Array(n).fill(Number.NaN))));
    [m[c], m[p]] = [m[p]!, m[c]!];
    const piv = m[c]!;
    const d = piv[c]!;
    for (let j = 0; j < 2 * n; j++) piv[j]! /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      if (f !== 0) for (let j = 0; j < 2 * n; j++) m[r]![j]! -= f * piv[j]!;
    }
  }
  return list(m.map((r) => vector(9, r.slice(n))));
}

/**
 * `x lsq y`: the least-squares solution r of x = r mmu y, for a matrix (or one row) x and a
 * matrix y with as many columns: r = (x mmu flip y) mmu inv y mmu flip y (the normal equations).
 */
export function lsq(x: Value, y: Value): Value {
  const a = rowsOf(x);
  const b = rowsOf(y);
  if (b.isVector) raise("length");
  const m = b.rows[0]!.length;
  if (a.rows[0]!.length !== m) raise("length");
  const yt = list(
    Array.from({ length: m }, (_, j) =>
      vector(
        9,
        Float64Array.from(b.rows, (r) => r[j]!),
      ),
    ),
  );
  const yRows = list(b.rows.map((r) => vector(9, r)));
  const r = mmu(
    mmu(a.isVector ? vector(9, a.rows[0]!) : list(a.rows.map((v) => vector(9, v))), yt),
    inv(mmu(yRows, yt)),
  );
  return r;
}

/** `rand x`: one random item: below x for a number, an item for a list. */
export function rand(x: Value, ctx: EvalContext): Value {
  if (x.kind === "atom" && (x.type === 9 || x.type === 8))
    return { kind: "atom", type: x.type, v: ctx.random() * Number(x.v) };
  if (x.kind === "atom" && isIntegralType(x.type)) {
    const n = Number(x.v);
    return { kind: "atom", type: x.type === 1 || x.type === 4 ? 7 : x.type, v: Math.floor(ctx.random() * n) };
  }
  if (x.kind === "vector" || x.kind === "list")
    return items(gather(x, [Math.floor(ctx.random() * items(x).length)]))[0]!;
  return raise("type");
}

/** `md5 s`: the 16-byte MD5 digest of a string. */
export function md5(x: Value): Value {
  if (x.kind !== "vector" || x.type !== 10) {
    if (x.kind === "atom" && x.type === 10) return md5(vector(10, Uint8Array.of(x.v as number)));
    return raise("type");
  }
  return vector(
    4,
    new Uint8Array(
      createHash("md5")
        .update(x.data as Uint8Array)
        .digest(),
    ),
  );
}
