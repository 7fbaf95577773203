// Matrix primitives: `mmu` (and `$` between numeric lists), `inv`, plus `rand` and `md5`.
//
// Matrices are lists of equal-length numeric vectors; arithmetic runs on float rows. Inversion is
// LU decomposition with partial pivoting and `lsq` a Cholesky solve of the normal equations: with
// these, and mmu summing in index order, results agree with q's to the last bit on the documented
// examples (the residuals the inv and lsq pages print). A singular matrix gives nulls, as q does.

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
  const lu = luDecompose(rows);
  if (lu === undefined) return list(rows.map(() => vector(9, new Float64Array(n).fill(Number.NaN))));
  const out = rows.map(() => new Float64Array(n));
  const e = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < n; i++) e[i] = lu.perm[i] === c ? 1 : 0;
    const col = luSolve(lu.m, e);
    for (let i = 0; i < n; i++) out[i]![c] = col[i]!;
  }
  return list(out.map((r) => vector(9, r)));
}

/**
 * LU decomposition with partial pivoting (L unit lower, U upper, packed in one matrix; perm[i] is
 * the original row now at i), or undefined for a singular matrix. This order of operations gives
 * the same last bits as q's `inv` on the documented examples (code.kx.com/q/ref/inv, lsq).
 */
function luDecompose(rows: Float64Array[]): { m: Float64Array[]; perm: number[] } | undefined {
  const n = rows.length;
  const m = rows.map((r) => Float64Array.from(r));
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (Math.abs(m[p]![c]!) < 1e-300) return undefined;
    [m[c], m[p]] = [m[p]!, m[c]!];
    [perm[c], perm[p]] = [perm[p]!, perm[c]!];
    const piv = m[c]!;
    for (let r = c + 1; r < n; r++) {
      const row = m[r]!;
      row[c]! /= piv[c]!;
      const f = row[c]!;
      for (let j = c + 1; j < n; j++) row[j]! -= f * piv[j]!;
    }
  }
  return { m, perm };
}

/**
 * Triangular solves: forward substitution over the lower triangle of `at` (row i, column j < i),
 * then back substitution over its upper triangle, each dividing by diag(i).
 */
type Entry = (i: number, j: number) => number;
function forward(n: number, at: Entry, diag: (i: number) => number, b: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let j = 0; j < i; j++) s -= at(i, j) * y[j]!;
    y[i] = s / diag(i);
  }
  return y;
}
function backward(n: number, at: Entry, diag: (i: number) => number, y: Float64Array): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let j = i + 1; j < n; j++) s -= at(i, j) * x[j]!;
    x[i] = s / diag(i);
  }
  return x;
}

/** Solves (L U) x = b for a packed LU (L has a unit diagonal, so dividing by 1 changes nothing). */
function luSolve(m: Float64Array[], b: Float64Array): Float64Array {
  const at: Entry = (i, j) => m[i]![j]!;
  return backward(
    m.length,
    at,
    (i) => m[i]![i]!,
    forward(m.length, at, () => 1, b),
  );
}

/**
 * `x lsq y`: the least-squares solution r of x = r mmu y, for a matrix (or one row) x and a
 * matrix y with as many columns. Each row of r solves the normal equations
 * (y mmu flip y) r = y mmu x-row by Cholesky factorisation, which reproduces q's last bits on the
 * documented examples; a matrix y without full row rank gives nulls.
 */
export function lsq(x: Value, y: Value): Value {
  const a = rowsOf(x);
  const b = rowsOf(y);
  if (b.isVector) raise("length");
  const m = b.rows[0]!.length;
  if (a.rows[0]!.length !== m) raise("length");
  const dot = (p: Float64Array, q: Float64Array) => {
    let s = 0;
    for (let k = 0; k < p.length; k++) s += p[k]! * q[k]!;
    return s;
  };
  // The normal matrix y mmu flip y and the right sides x mmu flip y, accumulated as mmu does.
  const gram = b.rows.map((r) => Float64Array.from(b.rows, (q) => dot(r, q)));
  const l = cholesky(gram);
  const out = a.rows.map((r) =>
    choleskySolve(
      l,
      Float64Array.from(b.rows, (q) => dot(r, q)),
    ),
  );
  return a.isVector ? vector(9, out[0]!) : list(out.map((r) => vector(9, r)));
}

/** Lower-triangular L with L mmu flip L = g (NaN where g is not positive definite). */
function cholesky(g: Float64Array[]): Float64Array[] {
  const n = g.length;
  const l = g.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = g[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = i === j ? Math.sqrt(s) : s / l[j]![j]!;
    }
  return l;
}

function choleskySolve(l: Float64Array[], b: Float64Array): Float64Array {
  const diag = (i: number) => l[i]![i]!;
  const y = forward(l.length, (i, k) => l[i]![k]!, diag, b);
  return backward(l.length, (i, k) => l[k]![i]!, diag, y);
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
