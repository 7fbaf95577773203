// Aggregations, running (uniform) functions and moving-window statistics.
//
// Vectors take fast paths over their typed arrays. The other shapes follow q:
//   - dict: aggregate its values (a dict of columns aggregates each value list);
//   - table: a dict from column names to each column's aggregate (uniform functions
//     return a table of transformed columns);
//   - general list: fold with the matching atomic verb (`sum` is `+/`, so a list of vectors
//     sums position-wise); the statistics flip the list and aggregate each position.
// Nulls are skipped by the aggregates (`sum`, `max`, `avg`, ...), as q documents.

import { raise } from "../errors";
import {
  type AtomValue,
  atom,
  count,
  dict,
  EMPTY_LIST,
  float,
  floats,
  index,
  infValue,
  isFloatType,
  isIntegralType,
  isLongType,
  isNumericType,
  isTemporalType,
  items,
  LONG_INF,
  LONG_NULL,
  list,
  longVector,
  normLong,
  nullAtom,
  nullValue,
  type QVector,
  storageOf,
  syms,
  table,
  type Value,
  vector,
  vectorAt,
  vectorOf,
} from "../values";
import { atomicDyad, type Simple } from "./lift";
import {
  divideKernel,
  laneF64,
  laneI32,
  laneLong,
  maxKernel,
  minKernel,
  minusKernel,
  plusKernel,
  timesKernel,
} from "./numeric";
import { gather, grade } from "./structure";

const add = atomicDyad(plusKernel);
const sub = atomicDyad(minusKernel);

const mul = atomicDyad(timesKernel);
const maxOf = atomicDyad(maxKernel);
const minOf = atomicDyad(minKernel);

type VecFn = (v: QVector) => Value;

/** Applies a vector aggregate to any shape (dict values, table columns, list folds). */
function aggregate(x: Value, vec: VecFn, fold: ((a: Value, b: Value) => Value) | undefined, name: string): Value {
  switch (x.kind) {
    case "vector":
      return vec(x);
    case "atom":
      return vec(vectorOf(x.type, [x.v]));
    case "dict":
      return aggregate(x.values, vec, fold, name);
    case "table":
      return dict(syms(x.columns), list(x.data.map((c) => aggregate(c, vec, fold, name))));
    case "list": {
      // A general list of atoms (mixed types) aggregates as one float vector.
      if (x.items.length && x.items.every((i) => i.kind === "atom"))
        return vec(floats(x.items.map((a) => laneF64(a as Simple)[0]!)));
      if (fold) {
        if (!x.items.length) return vec(vector(7, new Float64Array(0)));
        return x.items.reduce((a, b) => fold(a, b));
      }
      return list(columnsOf(x).map((c) => aggregate(c, vec, fold, name)));
    }
    default:
      return raise("type");
  }
}

/** Position-wise columns of a list of equal-length lists (`flip`). */
function columnsOf(x: Extract<Value, { kind: "list" }>): Value[] {
  const its = x.items;
  if (!its.length) return [];
  if (its.every((i) => i.kind === "atom")) return [list(its)];
  const n = count(its[0]!);
  if (its.some((i) => i.kind === "atom" || count(i) !== n)) raise("length");
  const out: Value[] = [];
  for (let k = 0; k < n; k++) out.push(list(its.map((it) => index(it, k))));
  return out;
}

const sumType = (t: number): number => (t === 1 || t === 4 ? 6 : t);

function checkNumeric(v: QVector): void {
  if (!isNumericType(v.type) && !isTemporalType(v.type)) raise("type");
}

// ---------------------------------------------------------------------------------------------
// Aggregates

function sumVec(v: QVector): Value {
  checkNumeric(v);
  const t = sumType(v.type);
  if (isFloatType(t) || t === 15) {
    let s = 0;
    for (const e of laneF64(v)) if (!Number.isNaN(e)) s += e;
    return atom(t, s);
  }
  const d = laneLong(v);
  if (d instanceof Float64Array) {
    // Exact: the running number is flushed into a bigint before it could leave the safe range.
    let s = 0;
    let big = 0n;
    for (let i = 0; i < d.length; i++) {
      const e = d[i]!;
      if (Math.abs(s) + Math.abs(e) > Number.MAX_SAFE_INTEGER) {
        big += BigInt(s);
        s = 0;
      }
      s += e;
    }
    return narrow(t, big === 0n ? s : normLong(BigInt.asIntN(64, big + BigInt(s))));
  }
  let s = 0n;
  for (let i = 0; i < d.length; i++) {
    const e = d[i]!;
    if (typeof e === "bigint" ? e === LONG_NULL : false) continue;
    s += BigInt(e);
  }
  return narrow(t, normLong(BigInt.asIntN(64, s)));
}

/** An integral total as an atom of type t (int and short wrap). */
function narrow(t: number, s: number | bigint): Value {
  if (isLongType(t)) return atom(t, s);
  const bits = storageOf(t) === "i16" ? 16 : 32;
  return atom(t, Number(BigInt.asIntN(bits, BigInt(s))));
}

function prdVec(v: QVector): Value {
  checkNumeric(v);
  const t = sumType(v.type);
  if (isFloatType(t)) {
    let p = 1;
    for (const e of laneF64(v)) if (!Number.isNaN(e)) p *= e;
    return atom(t, p);
  }
  const d = laneLong(v);
  let p = 1n;
  for (let i = 0; i < d.length; i++) {
    const e = d[i]!;
    if (e === LONG_NULL) continue;
    p = BigInt.asIntN(64, p * BigInt(e));
  }
  return narrow(t, normLong(p));
}

function extremeVec(isMax: boolean): VecFn {
  return (v) => {
    if (v.type === 11 || v.type === 2) raise("type");
    const t = v.type;
    if (t === 1 || t === 4 || t === 10) {
      const d = v.data as Uint8Array;
      let m = isMax ? 0 : 255;
      if (t === 1) m = isMax ? 0 : 1;
      for (const e of d) m = isMax ? Math.max(m, e) : Math.min(m, e);
      return atom(t, m);
    }
    if (isFloatType(t) || t === 15) {
      // Nulls (NaN) fail both comparisons, so they are skipped without a test of their own.
      const d = laneF64(v);
      let m = isMax ? -Infinity : Infinity;
      if (isMax) {
        for (let i = 0; i < d.length; i++) if (d[i]! > m) m = d[i]!;
      } else for (let i = 0; i < d.length; i++) if (d[i]! < m) m = d[i]!;
      return atom(t, m);
    }
    const d = laneLong(v);
    if (d instanceof Float64Array && isLongType(t)) {
      // Fast path: no nulls (they would be bigints) and every item exact as a number.
      if (!d.length) return atom(t, isMax ? -LONG_INF : LONG_INF);
      let m = d[0]!;
      for (let i = 1; i < d.length; i++) if (isMax ? d[i]! > m : d[i]! < m) m = d[i]!;
      return atom(t, m);
    }
    const inf = storageOf(t) === "long" ? LONG_INF : storageOf(t) === "i16" ? 32767n : 2147483647n;
    let m: bigint = isMax ? -inf : inf;
    for (let i = 0; i < d.length; i++) {
      const e = d[i]!;
      if (e === LONG_NULL) continue;
      const b = BigInt(e);
      if (isMax ? b > m : b < m) m = b;
    }
    return isLongType(t) ? atom(t, normLong(m)) : atom(t, Number(m));
  };
}

function nonNullFloats(v: QVector): number[] {
  checkNumeric(v);
  return Array.from(laneF64(v)).filter((e) => !Number.isNaN(e));
}

function avgVec(v: QVector): Value {
  const xs = nonNullFloats(v);
  if (!xs.length) return float(Number.NaN);
  let s = 0;
  for (const e of xs) s += e;
  return float(s / xs.length);
}

function varOf(xs: number[], sample: boolean): number {
  const n = xs.length;
  if (n === 0 || (sample && n < 2)) return Number.NaN;
  const m = xs.reduce((a, b) => a + b, 0) / n;
  const ss = xs.reduce((a, b) => a + (b - m) * (b - m), 0);
  return ss / (sample ? n - 1 : n);
}

const varVec =
  (sample: boolean, root: boolean): VecFn =>
  (v) => {
    const r = varOf(nonNullFloats(v), sample);
    return float(root ? Math.sqrt(r) : r);
  };

function medVec(v: QVector): Value {
  const xs = nonNullFloats(v).sort((a, b) => a - b);
  if (!xs.length) return float(Number.NaN);
  const h = xs.length >> 1;
  return float(xs.length % 2 ? xs[h]! : (xs[h - 1]! + xs[h]!) / 2);
}

export const sum = (x: Value): Value => aggregate(x, sumVec, (a, b) => add(a, b, NO_CTX), "sum");
export const prd = (x: Value): Value => aggregate(x, prdVec, (a, b) => mul(a, b, NO_CTX), "prd");
export const max = (x: Value): Value => aggregate(x, extremeVec(true), (a, b) => maxOf(a, b, NO_CTX), "max");
export const min = (x: Value): Value => aggregate(x, extremeVec(false), (a, b) => minOf(a, b, NO_CTX), "min");
/** `avg`: a general list of lists is `(sum x)%count x`, so nulls there propagate position-wise. */
export const avg = (x: Value): Value =>
  x.kind === "list" ? divideBy(sum(x), x.items.length) : aggregate(x, avgVec, undefined, "avg");

const divideBy = (v: Value, n: number): Value => atomicDyad(divideKernel)(v, atom(7, n), NO_CTX);
/**
 * `med` is `avg x(iasc x)@floor .5*-1 0+count x`: a table's rows are sorted whole (by the first
 * column, ties by the next), so its median is the middle row, not each column's median
 * (code.kx.com/q/ref/med: `med t` of a:10 -21 3, b:4 5 -6 is a|3 b|-6).
 */
export const med = (x: Value): Value => {
  const t = x.kind === "dict" && x.values.kind === "table" ? x.values : x;
  if (t.kind !== "table" || count(t) === 0) return aggregate(x, medVec, undefined, "med");
  const n = count(t);
  const order = grade(t);
  const mid = [order[(n - 1) >> 1]!, order[n >> 1]!];
  return dict(syms(t.columns), list(t.data.map((c) => avg(gather(c, mid)))));
};
export const variance = (x: Value): Value => aggregate(x, varVec(false, false), undefined, "var");
export const dev = (x: Value): Value => aggregate(x, varVec(false, true), undefined, "dev");
export const svar = (x: Value): Value => aggregate(x, varVec(true, false), undefined, "svar");
export const sdev = (x: Value): Value => aggregate(x, varVec(true, true), undefined, "sdev");

// The atomic kernels never touch the context; aggregates fold with them directly.
const NO_CTX = undefined as never;

// ---------------------------------------------------------------------------------------------
// Pairwise statistics

function pairs(x: Value, y: Value): [number[], number[]] {
  if (x.kind !== "vector" || y.kind !== "vector") return raise("type");
  if (count(x) !== count(y)) raise("length");
  const a = laneF64(x);
  const b = laneF64(y);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < a.length; i++)
    if (!Number.isNaN(a[i]!) && !Number.isNaN(b[i]!)) {
      xs.push(a[i]!);
      ys.push(b[i]!);
    }
  return [xs, ys];
}

function covOf(xs: number[], ys: number[], sample: boolean): number {
  const n = xs.length;
  if (!n) return Number.NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i]! - mx) * (ys[i]! - my);
  return s / (sample ? n - 1 : n);
}

export const cov = (x: Value, y: Value): Value => float(covOf(...pairs(x, y), false));
export const scov = (x: Value, y: Value): Value => float(covOf(...pairs(x, y), true));
export function cor(x: Value, y: Value): Value {
  const [xs, ys] = pairs(x, y);
  return float(covOf(xs, ys, false) / Math.sqrt(varOf(xs, false) * varOf(ys, false)));
}

/** `x wsum y`: sum of x*y. */
/** `x wsum y`: sum of x*y; two vectors give a float (a dot product), as q shows. */
export const wsum = (x: Value, y: Value): Value => {
  const r = sum(mul(x, y, NO_CTX));
  return r.kind === "atom" && x.kind === "vector" && y.kind === "vector" ? float(laneF64(r)[0]!) : r;
};

/** `x wavg y`: weighted average, skipping pairs where either side is null. */
export function wavg(x: Value, y: Value): Value {
  if (x.kind === "vector" && y.kind === "vector") {
    const [ws, vs] = pairs(x, y);
    let num = 0;
    let den = 0;
    for (let i = 0; i < ws.length; i++) {
      num += ws[i]! * vs[i]!;
      den += ws[i]!;
    }
    return float(num / den);
  }
  // One weight for every item: (sum x*y)%x*count y, column-wise for a list of rows (0 wavg (1 2;3 4) is 0n 0n).
  if (x.kind === "atom" && (y.kind === "vector" || y.kind === "list")) {
    const num = sum(mul(x, y, NO_CTX));
    const w = Number(laneF64(x)[0]) * count(y);
    const xs = laneF64(num as QVector);
    return num.kind === "atom" ? float(xs[0]! / w) : floats(Array.from(xs, (e) => e / w));
  }
  // A dictionary weighs its values (`1 2 wavg d` on a dict of lists: code.kx.com/q/ref/avg).
  if (y.kind === "dict" && y.keys.kind !== "table") return wavg(x, y.values);
  if ((x.kind === "list" || x.kind === "vector") && y.kind === "list") {
    if (count(x) !== count(y)) return raise("length");
    const n = count(x);
    let num: Value | undefined;
    for (let i = 0; i < n; i++) {
      const p = mul(index(x, i), items(y)[i]!, NO_CTX);
      num = num ? add(num, p, NO_CTX) : p;
    }
    const den = sum(x);
    if (den.kind === "atom") return num === undefined ? float(Number.NaN) : atomicDyad(divideKernel)(num, den, NO_CTX);
    return divF(num ?? EMPTY_LIST, den);
  }
  return raise("type");
}

function divF(a: Value, b: Value): Value {
  const xa = Array.from(laneF64(a as QVector));
  const xb = Array.from(laneF64(b as QVector));
  return floats(xa.map((e, i) => e / xb[i]!));
}

// ---------------------------------------------------------------------------------------------
// Uniform (running) functions

/** Applies a vector→vector transform over dict values and table columns. */
function uniform(x: Value, f: (v: Value) => Value): Value {
  if (x.kind === "dict") return dict(x.keys, uniform(x.values, f));
  if (x.kind === "table") return table(x.columns, x.data.map(f));
  return f(x);
}

/** Booleans and bytes accumulate as ints in q (`sums 101b` is `1 1 2i`). */
export function widenSmall(x: Value): Value {
  if (x.kind === "vector" && (x.type === 1 || x.type === 4)) return vector(6, laneI32(x));
  if (x.kind === "atom" && (x.type === 1 || x.type === 4)) return atom(6, x.v as number);
  return x;
}

/** Running fold with an atomic dyad: sums, prds, maxs, mins over any list. */
function scan(x: Value, step: (a: Value, b: Value) => Value): Value {
  if (x.kind === "atom") return x;
  const its = items(x);
  if (!its.length) return x;
  const out: Value[] = [its[0]!];
  for (let i = 1; i < its.length; i++) out.push(step(out[i - 1]!, its[i]!));
  return list(out);
}

function sumsVec(v: Value): Value {
  if (v.kind === "vector" && (isFloatType(v.type) || isIntegralType(v.type))) {
    if (isFloatType(v.type)) {
      let s = 0;
      return floatsOfType(
        v.type,
        laneF64(v).map((e) => (Number.isNaN(e) ? s : (s += e))),
      );
    }
    const d = laneLong(v);
    const t = sumType(v.type);
    if (d instanceof Float64Array && isLongType(t)) {
      let s = 0;
      const out = new Float64Array(d.length);
      let ok = true;
      for (let i = 0; i < d.length && ok; i++) {
        s += d[i]!;
        out[i] = s;
        ok = Math.abs(s) <= Number.MAX_SAFE_INTEGER;
      }
      if (ok) return longVector(out, t);
    }
  }
  return scan(v, (a, b) => add(a, nullToZero(b), NO_CTX));
}

function nullToZero(b: Value): Value {
  if (b.kind === "atom" && isIntegralType(b.type) && b.v === nullValue(b.type)) return atom(b.type, 0);
  if (b.kind === "atom" && isFloatType(b.type) && Number.isNaN(b.v as number)) return atom(b.type, 0);
  return b;
}

const floatsOfType = (t: number, d: Float64Array): Value => vector(t, t === 8 ? Float32Array.from(d) : d);

export const sums = (x: Value): Value => uniform(x, (v) => sumsVec(widenSmall(v)));
export const prds = (x: Value): Value => uniform(x, (v) => scan(widenSmall(v), (a, b) => mul(a, nullToOne(b), NO_CTX)));
export const maxs = (x: Value): Value => uniform(x, (v) => runningExtreme(v, true));
export const mins = (x: Value): Value => uniform(x, (v) => runningExtreme(v, false));

/** The type's -inf (for max) or +inf (for min) payload: where running extremes start. */
function extremeSeed(t: number, isMax: boolean): AtomValue {
  const inf = infValue(t);
  if (inf === undefined) return isMax ? 0 : t === 1 ? 1 : 255;
  if (isMax) return typeof inf === "bigint" ? -inf : -(inf as number);
  return inf;
}

/** Payload order that skips nothing: numbers and bigints compare directly. */
const payloadLess = (a: AtomValue, b: AtomValue): boolean => (a as number) < (b as number);

/** `maxs`/`mins`: nulls are skipped; leading nulls show the seed (-0W / 0W). */
function runningExtreme(v: Value, isMax: boolean): Value {
  if (v.kind !== "vector" || v.type === 11 || v.type === 2)
    return scan(v, (a, b) => (isMax ? maxOf : minOf)(a, b, NO_CTX));
  const n = count(v);
  const out = new Array<AtomValue>(n);
  let acc = extremeSeed(v.type, isMax);
  for (let i = 0; i < n; i++) {
    const e = vectorAt(v, i);
    if (!isNullPayload(v.type, e) && (isMax ? payloadLess(acc, e) : payloadLess(e, acc))) acc = e;
    out[i] = acc;
  }
  return vectorOf(v.type, out);
}

function nullToOne(b: Value): Value {
  if (b.kind === "atom" && isIntegralType(b.type) && b.v === nullValue(b.type)) return atom(b.type, 1);
  return b;
}

/** Shift by one: `prev` (n=1) and `next` (n=-1), filling with the null item. */
export function shift(x: Value, n: 1 | -1): Value {
  return uniform(x, (v) => {
    if (v.kind === "atom") return v;
    const c = count(v);
    const idx = Int32Array.from({ length: c }, (_, i) => i - n);
    const out = gather(v, idx);
    if (v.kind === "list" && c > 0) {
      // A general list's vacated slot is the empty form of its first item, q's prototype
      // (`next (1 2;"abc";`ibm)` ends with `long$()).
      const its = items(out);
      its[n === 1 ? 0 : c - 1] = emptyLike(items(v)[0]!);
      return list(its);
    }
    return out;
  });
}

function emptyLike(v: Value): Value {
  if (v.kind === "vector") return vector(v.type, v.data.slice(0, 0) as QVector["data"]);
  if (v.kind === "atom") return nullAtom(v.type);
  return EMPTY_LIST;
}

/** `deltas` (sub) and `ratios` (div): each item combined with its predecessor; the first kept. */
export function eachPrior(x: Value, op: (a: Value, b: Value) => Value, seed?: Value): Value {
  return uniform(x, (v) => {
    if (v.kind === "atom") return seed ? op(v, seed) : v;
    // The first item is kept as is, so widen it the way op widens the others (`deltas 101b` is ints).
    if (seed === undefined && v.kind === "vector" && (v.type === 1 || v.type === 4)) v = widenSmall(v);
    const its = items(v);
    if (!its.length) return v;
    const out = its.map((it, i) => (i === 0 ? (seed ? op(it, seed) : it) : op(it, its[i - 1]!)));
    return list(out);
  });
}

export function fills(x: Value): Value {
  return uniform(x, (v) => {
    if (v.kind !== "vector") {
      if (v.kind === "atom") return v;
      const its = items(v);
      for (let i = 1; i < its.length; i++) if (isNullItem(its[i]!)) its[i] = its[i - 1]!;
      return list(its);
    }
    const c = count(v);
    const idx = new Int32Array(c);
    let lastGood = -1;
    for (let i = 0; i < c; i++) {
      if (!isNullPayload(v.type, vectorAt(v, i))) lastGood = i;
      idx[i] = lastGood < 0 ? i : lastGood;
    }
    return gather(v, idx);
  });
}

function isNullPayload(t: number, e: unknown): boolean {
  if (isFloatType(t) || t === 15) return Number.isNaN(e as number);
  if (t === 1 || t === 4) return false;
  return e === nullValue(t);
}

const isNullItem = (v: Value): boolean => v.kind === "atom" && isNullPayload(v.type, v.v);

// ---------------------------------------------------------------------------------------------
// Moving windows

function windowed(n: number, x: Value, f: (w: number[]) => number, intResult = false): Value {
  return uniform(x, (v) => {
    if (v.kind === "list") {
      // A list of equal-length vectors moves position by position (each column independently).
      const cols = columnsOf(v).map((c) => windowed(n, c, f, intResult));
      return list(v.items.map((_, i) => list(cols.map((c) => index(c, i)))));
    }
    if (v.kind !== "vector") return raise("type");
    const a = laneF64(v);
    const out = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) {
      const w: number[] = [];
      for (let k = Math.max(0, i - n + 1); k <= i; k++) w.push(a[k]!);
      out[i] = f(w);
    }
    return intResult ? longVector(out) : floats(Array.from(out));
  });
}

const present = (w: number[]): number[] => w.filter((e) => !Number.isNaN(e));
const meanOf = (w: number[]): number => {
  const p = present(w);
  return p.length ? p.reduce((a, b) => a + b, 0) / p.length : Number.NaN;
};

export const mavg = (n: number, x: Value): Value => windowed(n, x, meanOf);
export const mcount = (n: number, x: Value): Value => windowed(n, x, (w) => present(w).length, true);
export const mdev = (n: number, x: Value): Value => windowed(n, x, (w) => Math.sqrt(varOf(present(w), false)));

/** `msum`: keeps the integral type; nulls count as zero. */
export function msum(n: number, x: Value): Value {
  return uniform(x, (v) => {
    if (v.kind !== "vector") return raise("type");
    const its = items(widenSmall(v)).map(nullToZero);
    const out: Value[] = [];
    let acc: Value | undefined;
    its.forEach((it, i) => {
      acc = acc ? add(acc, it, NO_CTX) : it;
      if (i >= n) acc = sub(acc, its[i - n]!, NO_CTX);
      out.push(acc);
    });
    return list(out);
  });
}

/** `mmax` skips nulls (an all-null window gives -0W); `mmin` treats null as the smallest value. */
export function mextreme(n: number, x: Value, isMax: boolean): Value {
  return uniform(x, (v) => {
    if (v.kind === "list") return windowFold(n, v, isMax ? maxOf : minOf);
    if (v.kind !== "vector") return raise("type");
    const c = count(v);
    const out = new Array<AtomValue>(c);
    for (let i = 0; i < c; i++) {
      let m = isMax ? extremeSeed(v.type, true) : vectorAt(v, i);
      for (let k = Math.max(0, i - n + 1); k <= i; k++) {
        const e = vectorAt(v, k);
        if (
          isMax
            ? !isNullPayload(v.type, e) && payloadLess(m, e)
            : isNullPayload(v.type, e) || (!isNullPayload(v.type, m) && payloadLess(e, m))
        )
          m = e;
      }
      out[i] = m;
    }
    return vectorOf(v.type, out);
  });
}

/** Moving window over a general list, combining items with an atomic dyad. */
function windowFold(n: number, v: Value, f: (a: Value, b: Value, c: never) => Value): Value {
  const its = items(v);
  return list(
    its.map((it, i) => {
      let m = it;
      for (let k = Math.max(0, i - n + 1); k < i; k++) m = f(its[k]!, m, NO_CTX);
      return m;
    }),
  );
}

/** `a ema x`: exponential moving average, first item kept. */
export function ema(a: Value, x: Value): Value {
  return uniform(x, (v) => {
    if (v.kind !== "vector") return raise("type");
    const xs = laneF64(v);
    const al = a.kind === "atom" ? laneF64(a)[0]! : Number.NaN;
    const out = new Float64Array(xs.length);
    for (let i = 0; i < xs.length; i++) out[i] = i === 0 ? xs[0]! : al * xs[i]! + (1 - al) * out[i - 1]!;
    return floats(Array.from(out));
  });
}
