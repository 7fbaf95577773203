// Numeric kernels: type promotion, lanes, and the atomic arithmetic/comparison/math primitives.
//
// Technique: each operand (an atom or a vector) is converted to a *lane*, a typed array in the
// representation the operation runs in:
//   f64  — Float64Array, nulls NaN, infinities ±Infinity (float, real, datetime results);
//   i32  — Int32Array, wrapping with |0 and Math.imul (int and the 32-bit temporals);
//   i16  — Int16Array values held in an Int32Array, wrapped to 16 bits (short op short);
//   long — Float64Array of safe integers (fast path) or BigInt64Array (exact path).
// Widening keeps nulls and infinities (0Ni becomes 0N, 0Wi becomes 0W). Long arithmetic runs on
// the fast path and falls back to BigInt with 64-bit wrap-around the moment an intermediate
// result leaves ±(2^53-1), so `0W+1` is `0N` and products mod 1e9+7 are exact.

import { raise } from "../errors";
import {
  type AtomValue,
  atom,
  isFloatType,
  isIntegralType,
  isLongType,
  isNullValue,
  isNumericType,
  isTemporalType,
  LONG_INF,
  LONG_NULL,
  longVector,
  normLong,
  type QVector,
  storageOf,
  type Value,
  vector,
  vectorAt,
  vectorOf,
} from "../values";
import type { Simple } from "./lift";
import { floatEq } from "./structure";

export type Lane = "f64" | "i32" | "i16" | "long";
type LongLane = Float64Array | BigInt64Array;

const I32_NULL = -2147483648;
const I32_INF = 2147483647;
const I16_NULL = -32768;
const I16_INF = 32767;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export const asVector = (v: Simple): QVector => (v.kind === "vector" ? v : vectorOf(v.type, [v.v]));

// ---------------------------------------------------------------------------------------------
// Lane conversions

/** Float view of any numeric/temporal operand: nulls become NaN; integer infinities keep their value (`float$0Wh is 32767f). */
export function laneF64(v: Simple): Float64Array {
  const x = asVector(v);
  const d = x.data;
  switch (storageOf(x.type)) {
    case "f64":
      return d as Float64Array;
    case "f32":
    case "u8":
      return Float64Array.from(d as Float32Array);
    case "i16":
      return Float64Array.from(d as Int16Array, (e) => (e === I16_NULL ? Number.NaN : e));
    case "i32":
      return Float64Array.from(d as Int32Array, (e) => (e === I32_NULL ? Number.NaN : e));
    case "long":
      if (d instanceof Float64Array) return d;
      return Float64Array.from(d as BigInt64Array, (e) => (e === LONG_NULL ? Number.NaN : Number(e)));
    default:
      return raise("type");
  }
}

/** Exact 64-bit view of an integral/temporal operand. */
export function laneLong(v: Simple): LongLane {
  const x = asVector(v);
  const d = x.data;
  switch (storageOf(x.type)) {
    case "long":
      return d as LongLane;
    case "u8":
      return Float64Array.from(d as Uint8Array);
    case "i16":
      return widen(d as Int16Array, I16_NULL);
    case "i32":
      return widen(d as Int32Array, I32_NULL);
    default:
      return raise("type");
  }
}

// Widening maps null to the long null but keeps infinities as plain numbers: q's 0Wi+5 is 2147483652.
function widen(d: Int16Array | Int32Array, nul: number): LongLane {
  let hasNull = false;
  for (let i = 0; i < d.length && !hasNull; i++) hasNull = d[i] === nul;
  if (!hasNull) return Float64Array.from(d);
  return BigInt64Array.from(d, (e) => (e === nul ? LONG_NULL : BigInt(e)));
}

/** 32-bit view (int and 32-bit temporals); longs narrow with null/inf mapping and wrap. */
export function laneI32(v: Simple): Int32Array {
  const x = asVector(v);
  const d = x.data;
  switch (storageOf(x.type)) {
    case "i32":
      return d as Int32Array;
    case "u8":
      return Int32Array.from(d as Uint8Array);
    case "i16":
      return Int32Array.from(d as Int16Array, (e) =>
        e === I16_NULL ? I32_NULL : e === I16_INF ? I32_INF : e === -I16_INF ? -I32_INF : e,
      );
    case "long":
      if (d instanceof Float64Array) return Int32Array.from(d, (e) => e | 0);
      return Int32Array.from(d as BigInt64Array, (e) =>
        e === LONG_NULL
          ? I32_NULL
          : e === LONG_INF
            ? I32_INF
            : e === -LONG_INF
              ? -I32_INF
              : Number(BigInt.asIntN(32, e)),
      );
    default:
      return raise("type");
  }
}

/** Nanoseconds since 2000.01.01 (long lane) for temporal operands combined into a timestamp/timespan. */
export function laneNanos(v: Simple): LongLane {
  const t = v.type;
  const scale =
    t === 14 ? 86400000000000n : t === 19 ? 1000000n : t === 18 ? 1000000000n : t === 17 ? 60000000000n : 1n;
  if (scale === 1n) return laneLong(v);
  const d = laneI32(v);
  const out = new BigInt64Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const e = d[i]!;
    out[i] = e === I32_NULL ? LONG_NULL : e === I32_INF ? LONG_INF : e === -I32_INF ? -LONG_INF : BigInt(e) * scale;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Result construction

/** Builds an atom (when both inputs were atoms) or a vector of type t from lane output. */
function build(t: number, atomic: boolean, out: Float64Array | Int32Array | BigInt64Array | Uint8Array): Value {
  let data: QVector["data"];
  switch (storageOf(t)) {
    case "f32":
      data = Float32Array.from(out as Float64Array);
      break;
    case "i16":
      data = Int16Array.from(out as Int32Array);
      break;
    case "u8":
      data = out instanceof Uint8Array ? out : Uint8Array.from(out as Int32Array);
      break;
    case "long":
      if (atomic) return atom(t, out instanceof BigInt64Array ? normLong(out[0]!) : (out[0] as number));
      return longVector(out as LongLane, t);
    default:
      data = out as QVector["data"];
  }
  return atomic ? atom(t, (data as Float64Array)[0]!) : vector(t, data);
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

interface ArithOp {
  f64: (a: number, b: number) => number;
  i32: (a: number, b: number) => number;
  /** Long fast path on safe integers; a non-safe result triggers the exact path. */
  long: (a: number, b: number) => number;
  big: (a: bigint, b: bigint) => bigint;
  /** Integer nulls propagate (q: `1+0N` is `0N`), checked on the integer lanes only: floats carry NaN. */
  nullProp?: true;
}

interface Plan {
  type: number;
  lane: Lane;
  /** Convert operands to nanoseconds first (temporal combinations yielding timestamp/timespan). */
  nanos?: boolean;
  /** Convert temporal operands to days first (combinations yielding datetime). */
  days?: boolean;
}

const numericResult = (tx: number, ty: number): Plan => {
  if (tx === 9 || ty === 9) return { type: 9, lane: "f64" };
  if (tx === 8 || ty === 8) return { type: 8, lane: "f64" };
  if (tx === 7 || ty === 7) return { type: 7, lane: "long" };
  if (tx === 5 && ty === 5) return { type: 5, lane: "i16" };
  return { type: 6, lane: "i32" };
};

const laneOfType = (t: number): Lane =>
  storageOf(t) === "long" ? "long" : storageOf(t) === "f64" ? "f64" : storageOf(t) === "f32" ? "f64" : "i32";
const isTimeOfDay = (t: number): boolean => t === 16 || t === 17 || t === 18 || t === 19;

/** Result plan of `+` (and the shared part of `-`) over base types, or 'type. */
function plusPlan(tx: number, ty: number): Plan {
  if (isNumericType(tx) && isNumericType(ty)) return numericResult(tx, ty);
  const tempX = isTemporalType(tx);
  const tempY = isTemporalType(ty);
  if (tempX && isIntegralType(ty)) return { type: tx, lane: laneOfType(tx) };
  if (tempY && isIntegralType(tx)) return { type: ty, lane: laneOfType(ty) };
  // A date plus a fraction of days is a datetime (2000.01.02+0.5 is 2000.01.02T12:00:00.000).
  if ((tx === 14 && isFloatType(ty)) || (ty === 14 && isFloatType(tx))) return { type: 15, lane: "f64" };
  if (tx === 15 && isNumericType(ty)) return { type: 15, lane: "f64" };
  if (ty === 15 && isNumericType(tx)) return { type: 15, lane: "f64" };
  // A time of day added to a datetime counts in days, datetime's unit (23:59:59.999+2010.05.13T12:30).
  if ((tx === 15 && isTimeOfDay(ty)) || (ty === 15 && isTimeOfDay(tx))) return { type: 15, lane: "f64", days: true };
  if (tempX && tempY) {
    if (tx === ty && tx !== 12 && tx !== 14 && tx !== 13) return { type: tx, lane: laneOfType(tx) };
    if ((tx === 14 || tx === 12) && isTimeOfDay(ty)) return { type: 12, lane: "long", nanos: true };
    if ((ty === 14 || ty === 12) && isTimeOfDay(tx)) return { type: 12, lane: "long", nanos: true };
    if (isTimeOfDay(tx) && isTimeOfDay(ty)) return { type: 16, lane: "long", nanos: true };
  }
  return raise("type");
}

function minusPlan(tx: number, ty: number): Plan {
  if (tx === ty && (tx === 14 || tx === 13)) return { type: 6, lane: "i32" };
  if (tx === 12 && ty === 12) return { type: 16, lane: "long" };
  if (tx === 15 && ty === 15) return { type: 9, lane: "f64" };
  if (isTemporalType(ty) && !isTemporalType(tx)) return raise("type");
  return plusPlan(tx, ty);
}

function timesPlan(tx: number, ty: number): Plan {
  if (isNumericType(tx) && isNumericType(ty)) return numericResult(tx, ty);
  // A month scales by an integer too (`2017.12m*0 1 2` is 2000.01 2017.12 2035.11m, basics/math).
  if ((isTimeOfDay(tx) || tx === 13) && isIntegralType(ty)) return { type: tx, lane: laneOfType(tx) };
  if ((isTimeOfDay(ty) || ty === 13) && isIntegralType(tx)) return { type: ty, lane: laneOfType(ty) };
  if (isTimeOfDay(tx) && isFloatType(ty)) return { type: tx, lane: "f64" };
  if (isTimeOfDay(ty) && isFloatType(tx)) return { type: ty, lane: "f64" };
  return raise("type");
}

function runArith(op: ArithOp, plan: Plan, x: Simple, y: Simple): Value {
  const atomic = x.kind === "atom" && y.kind === "atom";
  const sx = x.kind === "atom" ? 0 : 1;
  const sy = y.kind === "atom" ? 0 : 1;
  const n = atomic ? 1 : Math.max(sx ? countOf(x as QVector) : 0, sy ? countOf(y as QVector) : 0);
  switch (plan.lane) {
    case "f64": {
      const a = plan.days ? toDays(x) : laneF64(x);
      const b = plan.days ? toDays(y) : laneF64(y);
      const out = new Float64Array(n);
      // Vector-vector +, -, * get their own monomorphic loops: the generic loop's
      // call through op.f64 costs more than the arithmetic itself.
      if (sx === 1 && sy === 1 && op === ADD) for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
      else if (sx === 1 && sy === 1 && op === SUB) for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!;
      else if (sx === 1 && sy === 1 && op === MUL) for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
      else for (let i = 0; i < n; i++) out[i] = op.f64(a[i * sx]!, b[i * sy]!);
      if (storageOf(plan.type) !== "f64" && storageOf(plan.type) !== "f32")
        return build(plan.type, atomic, roundToLane(out, plan.type));
      return build(plan.type, atomic, out);
    }
    case "i32":
    case "i16": {
      const a = laneI32(x);
      const b = laneI32(y);
      const out = new Int32Array(n);
      if (plan.lane === "i32") for (let i = 0; i < n; i++) out[i] = op.i32(a[i * sx]!, b[i * sy]!) | 0;
      else for (let i = 0; i < n; i++) out[i] = (op.i32(a[i * sx]!, b[i * sy]!) << 16) >> 16;
      // A second pass only over the inputs keeps the arithmetic loop branch-free.
      if (op.nullProp) {
        const nul = plan.lane === "i32" ? I32_NULL : I16_NULL;
        for (let i = 0; i < n; i++) if (a[i * sx] === I32_NULL || b[i * sy] === I32_NULL) out[i] = nul;
      }
      return build(plan.type, atomic, out);
    }
    case "long": {
      const a = plan.nanos ? laneNanos(x) : laneLong(x);
      const b = plan.nanos ? laneNanos(y) : laneLong(y);
      if (a instanceof Float64Array && b instanceof Float64Array) {
        const out = new Float64Array(n);
        let ok = true;
        // Monomorphic loops for the common vector-vector and vector-atom +, -, *: the generic
        // loop's call through op.long costs more than the arithmetic.
        const mono = op === ADD || op === SUB || op === MUL;
        if (mono && sx === 1) {
          ok = monoLong(op, a, b, sy, out);
        } else
          for (let i = 0; i < n; i++) {
            const r = op.long(a[i * sx]!, b[i * sy]!);
            out[i] = r;
            if (!(r <= MAX_SAFE && r >= -MAX_SAFE)) {
              ok = false;
              break;
            }
          }
        if (ok) return build(plan.type, atomic, out);
      }
      // Nulls only ever live here: 0N is not a safe integer, so the Float64Array path never sees one.
      const out = new BigInt64Array(n);
      const prop = op.nullProp === true;
      for (let i = 0; i < n; i++) {
        const p = BigInt(a[i * sx]!);
        const q = BigInt(b[i * sy]!);
        out[i] = prop && (p === LONG_NULL || q === LONG_NULL) ? LONG_NULL : BigInt.asIntN(64, op.big(p, q));
      }
      return build(plan.type, atomic, out);
    }
  }
}

/**
 * Vector-vector and vector-atom long +, -, * in one pass each (range check fused into the
 * loop); false when a result leaves the safe-integer range and the exact path must redo it.
 */
function monoLong(op: ArithOp, a: Float64Array, b: Float64Array, sy: number, out: Float64Array): boolean {
  const n = out.length;
  let hi = 0;
  let lo = 0;
  if (sy === 1) {
    if (op === ADD)
      for (let i = 0; i < n; i++) {
        const r = a[i]! + b[i]!;
        out[i] = r;
        if (r > hi) hi = r;
        else if (r < lo) lo = r;
      }
    else if (op === SUB)
      for (let i = 0; i < n; i++) {
        const r = a[i]! - b[i]!;
        out[i] = r;
        if (r > hi) hi = r;
        else if (r < lo) lo = r;
      }
    else
      for (let i = 0; i < n; i++) {
        const r = a[i]! * b[i]!;
        out[i] = r;
        if (r > hi) hi = r;
        else if (r < lo) lo = r;
      }
  } else {
    const c = b[0]!;
    if (op === ADD)
      for (let i = 0; i < n; i++) {
        const r = a[i]! + c;
        out[i] = r;
        if (r > hi) hi = r;
        else if (r < lo) lo = r;
      }
    else if (op === SUB)
      for (let i = 0; i < n; i++) {
        const r = a[i]! - c;
        out[i] = r;
        if (r > hi) hi = r;
        else if (r < lo) lo = r;
      }
    else
      for (let i = 0; i < n; i++) {
        const r = a[i]! * c;
        out[i] = r;
        if (r > hi) hi = r;
        else if (r < lo) lo = r;
      }
  }
  return hi <= MAX_SAFE && lo >= -MAX_SAFE;
}

/** Float results stored into an integral temporal type (e.g. timespan*1.5) round to the nearest unit. */
function roundToLane(out: Float64Array, t: number): Float64Array | Int32Array | BigInt64Array {
  if (storageOf(t) === "long")
    return BigInt64Array.from(out, (e) =>
      Number.isNaN(e) ? LONG_NULL : !Number.isFinite(e) ? (e > 0 ? LONG_INF : -LONG_INF) : BigInt(Math.round(e)),
    );
  return Int32Array.from(out, (e) =>
    Number.isNaN(e) ? I32_NULL : !Number.isFinite(e) ? (e > 0 ? I32_INF : -I32_INF) : Math.round(e),
  );
}

const countOf = (v: QVector): number => (v.type === 2 ? v.data.length / 16 : v.data.length);

const ADD: ArithOp = {
  f64: (a, b) => a + b,
  i32: (a, b) => a + b,
  long: (a, b) => a + b,
  big: (a, b) => a + b,
  nullProp: true,
};
const SUB: ArithOp = {
  f64: (a, b) => a - b,
  i32: (a, b) => a - b,
  long: (a, b) => a - b,
  big: (a, b) => a - b,
  nullProp: true,
};
const MUL: ArithOp = {
  f64: (a, b) => a * b,
  i32: Math.imul,
  long: (a, b) => a * b,
  big: (a, b) => a * b,
  nullProp: true,
};

/** Floor modulus on safe integers (sign of the divisor); x mod 0 is x. */
const modNum = (a: number, b: number): number => {
  if (b === 0) return a;
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
};
const modBig = (a: bigint, b: bigint): bigint => {
  if (b === 0n) return a;
  const r = a % b;
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
};
const MOD: ArithOp = {
  f64: (a, b) => (b === 0 ? a : a - b * Math.floor(a / b)),
  i32: (a, b) => modNum(a, b),
  long: modNum,
  big: modBig,
};
const DIV: ArithOp = {
  f64: (a, b) => Math.floor(a / b),
  i32: (a, b) => (b === 0 ? I32_NULL : (a - modNum(a, b)) / b),
  long: (a, b) => (b === 0 ? Number.NaN : (a - modNum(a, b)) / b),
  big: (a, b) => (b === 0n ? LONG_NULL : (a - modBig(a, b)) / b),
};

export const plusKernel = (x: Simple, y: Simple): Value => runArith(ADD, plusPlan(x.type, y.type), x, y);
export const minusKernel = (x: Simple, y: Simple): Value => runArith(SUB, minusPlan(x.type, y.type), x, y);
export const timesKernel = (x: Simple, y: Simple): Value => runArith(MUL, timesPlan(x.type, y.type), x, y);

export function divideKernel(x: Simple, y: Simple): Value {
  // Chars divide by their codes ("z"%"a" is 1.257732).
  const ok = (t: number): boolean => isNumericType(t) || isTemporalType(t) || t === 10;
  if (!ok(x.type) || !ok(y.type)) raise("type");
  const type = x.type === 8 && y.type === 8 ? 8 : 9;
  return runArith({ ...ADD, f64: (a, b) => a / b }, { type, lane: "f64" }, x, y);
}

export function modKernel(x: Simple, y: Simple): Value {
  if (!isNumericType(x.type) || !isNumericType(y.type)) raise("type");
  return runArith(MOD, numericResult(x.type, y.type), x, y);
}

export function divKernel(x: Simple, y: Simple): Value {
  const tx = x.type === 10 ? 4 : x.type;
  // A temporal dividend keeps its type (2014.10.13 div 365 is 2000.01.15).
  if (isTemporalType(tx) && tx !== 15 && isIntegralType(y.type))
    return runArith(DIV, { type: tx, lane: laneOfType(tx) }, x, y);
  if (!isNumericType(tx) || !isNumericType(y.type)) raise("type");
  // The dividend decides an integral result's type (6i div 4 is 1i; shorts, bytes and chars give ints).
  const plan =
    isIntegralType(tx) && isIntegralType(y.type)
      ? x.type === 7
        ? { type: 7, lane: "long" as const }
        : { type: 6, lane: "i32" as const }
      : numericResult(x.type, y.type);
  // On the long fast path a zero divisor yields NaN, which sends the whole operation to the exact path.
  return runArith(DIV, plan, x, y);
}

/** Min (`&`) / max (`|`): the larger type wins without promotion to int; nulls are the smallest values. */
function minMaxKernel(isMax: boolean): (x: Simple, y: Simple) => Value {
  return (x, y) => {
    const tx = x.type;
    const ty = y.type;
    const ok = (t: number): boolean => isNumericType(t) || isTemporalType(t) || t === 10;
    if (!ok(tx) || !ok(ty)) {
      if (tx === 11 && ty === 11) return symMinMax(x, y, isMax);
      raise("type");
    }
    const type = tx === ty ? tx : Math.max(tx, ty);
    const pick = (a: number, b: number): number => {
      if (Number.isNaN(a)) return isMax ? b : a;
      if (Number.isNaN(b)) return isMax ? a : b;
      return isMax ? Math.max(a, b) : Math.min(a, b);
    };
    const bigPick = (a: bigint, b: bigint): bigint => (isMax ? (a > b ? a : b) : a < b ? a : b);
    const lane = laneOfType(type);
    const op: ArithOp = { f64: pick, i32: pick, long: pick, big: bigPick };
    return runArith(op, { type, lane: type === 5 ? "i16" : lane }, x, y);
  };
}

function symMinMax(x: Simple, y: Simple, isMax: boolean): Value {
  const a = asVector(x).data as string[];
  const b = asVector(y).data as string[];
  const n = Math.max(x.kind === "vector" ? a.length : 0, y.kind === "vector" ? b.length : 0, 1);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const p = a[x.kind === "atom" ? 0 : i]!;
    const q = b[y.kind === "atom" ? 0 : i]!;
    out[i] = isMax === p > q ? p : q;
  }
  return x.kind === "atom" && y.kind === "atom" ? atom(11, out[0]!) : vector(11, out);
}

export const minKernel = minMaxKernel(false);
export const maxKernel = minMaxKernel(true);

/** Boolean vectors & and | stay boolean. */
export const andKernel = minKernel;
export const orKernel = maxKernel;

export function xexpKernel(x: Simple, y: Simple): Value {
  return runArith(
    // q computes a positive base's power as exp(y*log x): `2 xexp 3` is 7.9999999999999982.
    {
      ...ADD,
      f64: (a, b) =>
        a === -Infinity && b === 0.5 ? Infinity : a > 0 && a < Infinity ? Math.exp(b * Math.log(a)) : a ** b,
    },
    { type: 9, lane: "f64" },
    x,
    y,
  );
}

export function xlogKernel(x: Simple, y: Simple): Value {
  return runArith({ ...ADD, f64: (a, b) => Math.log(b) / Math.log(a) }, { type: 9, lane: "f64" }, x, y);
}

// ---------------------------------------------------------------------------------------------
// Comparison

type Cmp = "=" | "<" | ">" | "<=" | ">=" | "<>";

/** Comparison on any atoms/vectors of comparable types; result boolean. */
export function compareKernel(cmp: Cmp): (x: Simple, y: Simple) => Value {
  return (x, y) => {
    const atomic = x.kind === "atom" && y.kind === "atom";
    const sx = x.kind === "atom" ? 0 : 1;
    const sy = y.kind === "atom" ? 0 : 1;
    const n = atomic ? 1 : Math.max(sx ? countOf(x as QVector) : 0, sy ? countOf(y as QVector) : 0);
    const fast = fastCompare(cmp, x, y, n, sx, sy);
    if (fast !== undefined) return atomic ? atom(1, fast[0]!) : vector(1, fast);
    const out = new Uint8Array(n);
    const signs = orderSigns(x, y, n, sx, sy);
    for (let i = 0; i < n; i++) {
      const s = signs[i]!;
      out[i] =
        cmp === "="
          ? +(s === 0)
          : cmp === "<>"
            ? +(s !== 0)
            : cmp === "<"
              ? +(s < 0)
              : cmp === ">"
                ? +(s > 0)
                : cmp === "<="
                  ? +(s <= 0)
                  : +(s >= 0);
    }
    return atomic ? atom(1, out[0]!) : vector(1, out);
  };
}

/**
 * Integral operands without nulls (both lanes exact numbers) compare with plain JS operators,
 * one tight loop per operator: the general path's sign array and per-item dispatch cost 3x.
 */
function fastCompare(cmp: Cmp, x: Simple, y: Simple, n: number, sx: number, sy: number): Uint8Array | undefined {
  const tx = x.type;
  const ty = y.type;
  const plain = (t: number): boolean => isIntegralType(t) || t === 1 || t === 4 || t === 10;
  const sameTemporal = tx === ty && isTemporalType(tx) && tx !== 15;
  if (!sameTemporal && !(plain(tx) && plain(ty))) return undefined;
  const a = laneLong(x);
  const b = laneLong(y);
  if (!(a instanceof Float64Array) || !(b instanceof Float64Array)) return undefined;
  const out = new Uint8Array(n);
  if (sx === 1 && sy === 0) {
    const q = b[0]!;
    switch (cmp) {
      case "=":
        for (let i = 0; i < n; i++) out[i] = a[i] === q ? 1 : 0;
        break;
      case "<>":
        for (let i = 0; i < n; i++) out[i] = a[i] !== q ? 1 : 0;
        break;
      case "<":
        for (let i = 0; i < n; i++) out[i] = a[i]! < q ? 1 : 0;
        break;
      case ">":
        for (let i = 0; i < n; i++) out[i] = a[i]! > q ? 1 : 0;
        break;
      case "<=":
        for (let i = 0; i < n; i++) out[i] = a[i]! <= q ? 1 : 0;
        break;
      default:
        for (let i = 0; i < n; i++) out[i] = a[i]! >= q ? 1 : 0;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const p = a[i * sx]!;
    const q = b[i * sy]!;
    out[i] =
      cmp === "="
        ? +(p === q)
        : cmp === "<>"
          ? +(p !== q)
          : cmp === "<"
            ? +(p < q)
            : cmp === ">"
              ? +(p > q)
              : cmp === "<="
                ? +(p <= q)
                : +(p >= q);
  }
  return out;
}

/** Per-item sign of x-y under q's order: -1, 0 (equal, tolerantly for floats) or 1. */
function orderSigns(x: Simple, y: Simple, n: number, sx: number, sy: number): Int8Array {
  const out = new Int8Array(n);
  const tx = x.type;
  const ty = y.type;
  if (tx === 11 || ty === 11 || tx === 2 || ty === 2) {
    if (tx !== ty) raise("type");
    const a = asVector(x);
    const b = asVector(y);
    if (tx === 11) {
      const da = a.data as string[];
      const db = b.data as string[];
      for (let i = 0; i < n; i++) {
        const p = da[i * sx]!;
        const q = db[i * sy]!;
        out[i] = p < q ? -1 : p > q ? 1 : 0;
      }
      return out;
    }
    const da = a.data as Uint8Array;
    const db = b.data as Uint8Array;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < 16 && !s; k++) s = Math.sign(da[16 * i * sx + k]! - db[16 * i * sy + k]!);
      out[i] = s;
    }
    return out;
  }
  const tempX = isTemporalType(tx);
  const tempY = isTemporalType(ty);
  const useFloat = isFloatType(tx) || isFloatType(ty) || tx === 15 || ty === 15;
  if (useFloat) {
    const a = tempX && tempY && tx !== ty ? toDays(x) : laneF64(x);
    const b = tempX && tempY && tx !== ty ? toDays(y) : laneF64(y);
    for (let i = 0; i < n; i++) {
      const p = a[i * sx]!;
      const q = b[i * sy]!;
      out[i] = Number.isNaN(p) ? (Number.isNaN(q) ? 0 : -1) : Number.isNaN(q) ? 1 : floatEq(p, q) ? 0 : p < q ? -1 : 1;
    }
    return out;
  }
  const mixedTemporal = tempX && tempY && tx !== ty && !(tx === 13 || ty === 13);
  // A timestamp meets a minute, second or time as its own time of day in that unit
  // (basics/comparison: 2024.10.07D20:00:00.000603286 is 20:00:00.000 against 20:00t).
  const a = mixedTemporal ? (tx === 12 && ty >= 17 ? clockOf(x, ty) : laneNanos(x)) : laneLong(x);
  const b = mixedTemporal ? (ty === 12 && tx >= 17 ? clockOf(y, tx) : laneNanos(y)) : laneLong(y);
  for (let i = 0; i < n; i++) {
    const p = a[i * sx]!;
    const q = b[i * sy]!;
    out[i] = p < q ? -1 : p > q ? 1 : 0;
  }
  return out;
}

/** A timestamp's time of day in nanoseconds, truncated to the unit of clock type t (17..19). */
function clockOf(v: Simple, t: number): LongLane {
  const unit = t === 19 ? 1000000n : t === 18 ? 1000000000n : 60000000000n;
  const day = 86400000000000n;
  return BigInt64Array.from(laneNanos(v) as ArrayLike<number | bigint>, (e) => {
    const ns = BigInt(e);
    if (ns === LONG_NULL || ns === LONG_INF || ns === -LONG_INF) return ns;
    const tod = ((ns % day) + day) % day;
    return tod - (tod % unit);
  });
}

/** Datetime comparisons against other temporals run in days (datetime's own unit). */
function toDays(v: Simple): Float64Array {
  if (v.type === 15 || !isTemporalType(v.type)) return laneF64(v);
  const ns = laneNanos(v);
  if (ns instanceof Float64Array) return ns.map((e) => e / 864e11);
  return Float64Array.from(ns, (e) => (e === LONG_NULL ? Number.NaN : Number(e) / 864e11));
}

// ---------------------------------------------------------------------------------------------
// Monadic math

/** A float-valued math function (`sqrt`, `exp`, `sin`, ...): real stays real, everything else gives float. */
export function floatMonad(f: (a: number) => number): (x: Simple) => Value {
  return (x) => {
    // Temporal values use their underlying count (exp 00:00:12 is exp 12).
    if (!isNumericType(x.type) && !isTemporalType(x.type)) raise("type");
    const a = laneF64(x);
    const out = a.map(f);
    return build(x.type === 8 ? 8 : 9, x.kind === "atom", out);
  };
}

/** `neg`: same type (boolean/byte promote to int); longs wrap exactly. */
export function negKernel(x: Simple): Value {
  return unaryIntegral(
    x,
    (a) => -a,
    (a) => -a,
  );
}

/** `abs` keeps the type; abs 0N is 0N (wraps), like q. */
export function absKernel(x: Simple): Value {
  return unaryIntegral(x, Math.abs, (a) => (a < 0n ? -a : a));
}

function unaryIntegral(x: Simple, f: (a: number) => number, big: (a: bigint) => bigint): Value {
  const t = x.type === 1 || x.type === 4 ? 6 : x.type;
  if (!isNumericType(t) && !isTemporalType(t)) raise("type");
  const lane = t === 5 ? "i16" : laneOfType(t);
  return runArith(
    { f64: (a) => f(a), i32: (a) => f(a), long: (a) => f(a), big: (a) => big(a) },
    { type: t, lane },
    x,
    x,
  );
}

/** `floor` / `ceiling`: floats to long (tolerantly: floor of 2.9999999999999996 is 3); integral unchanged. */
const FLOOR_TOLERANCE = 2 ** -44;

export function roundKernel(up: boolean): (x: Simple) => Value {
  return (x) => {
    const t = x.type;
    if (t === 1 || t === 4) return build(6, x.kind === "atom", laneI32(x));
    if (isIntegralType(t)) return x;
    // A datetime (days as a float) rounds to its date (ref/floor, ref/ceiling).
    if (!isFloatType(t) && t !== 15) raise("type");
    const a = laneF64(x);
    const out = new BigInt64Array(a.length);
    for (let i = 0; i < a.length; i++) {
      const e = a[i]!;
      if (Number.isNaN(e)) out[i] = LONG_NULL;
      else if (!Number.isFinite(e)) out[i] = e > 0 ? LONG_INF : -LONG_INF;
      else {
        // Tolerant within 2^-44 of x (code.kx.com/q/basics/precision: floor 1-1e-13 is 0,
        // floor 2-1e-13 is 2, floor 2-1e-12 is 1).
        let r = up ? Math.ceil(e) : Math.floor(e);
        const tol = Math.abs(e) * FLOOR_TOLERANCE;
        if (!up && r + 1 - e <= tol) r += 1;
        if (up && e - (r - 1) <= tol) r -= 1;
        out[i] = BigInt.asIntN(64, BigInt(r));
      }
    }
    const narrow = t === 8 || t === 15;
    return build(
      t === 8 ? 6 : t === 15 ? 14 : 7,
      x.kind === "atom",
      narrow
        ? Int32Array.from(out, (e) =>
            e === LONG_NULL ? I32_NULL : e === LONG_INF ? I32_INF : e === -LONG_INF ? -I32_INF : Number(e),
          )
        : out,
    );
  };
}

/** `signum`: -1, 0 or 1 as ints; nulls count as negative. */
export function signumKernel(x: Simple): Value {
  if (!isNumericType(x.type) && !isTemporalType(x.type)) raise("type");
  const a = isFloatType(x.type) || x.type === 15 ? laneF64(x) : laneLong(x);
  const out = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const e = a[i]!;
    out[i] = typeof e === "number" && Number.isNaN(e) ? -1 : e > 0 ? 1 : e < 0 ? -1 : 0;
  }
  return build(6, x.kind === "atom", out);
}

/** `not`: 1b where the item is zero. */
export function notKernel(x: Simple): Value {
  const t = x.type;
  if (t === 11 || t === 2) raise("type");
  const a = isFloatType(t) || t === 15 ? laneF64(x) : laneLong(x);
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = +(a[i] === 0 || a[i] === 0n);
  return build(1, x.kind === "atom", out);
}

export const isIntLike = (t: number): boolean => isIntegralType(t) || isLongType(t);

/** `x^y` fill: y's items, with nulls replaced by x's; the larger type wins among numerics. */
export function fillKernel(x: Simple, y: Simple): Value {
  const tx = x.type;
  const ty = y.type;
  const numeric = (t: number): boolean => isNumericType(t) || isTemporalType(t);
  if (tx !== ty && !(numeric(tx) && numeric(ty))) raise("type");
  if (!numeric(ty)) {
    const a = asVector(x);
    const b = asVector(y);
    const n = Math.max(x.kind === "vector" ? countOf(a) : 0, y.kind === "vector" ? countOf(b) : 0, 1);
    const vals: AtomValue[] = [];
    for (let i = 0; i < n; i++) {
      const p = vectorAt(a, x.kind === "atom" ? 0 : i);
      const q = vectorAt(b, y.kind === "atom" ? 0 : i);
      vals.push(isNullValue(ty, q) ? p : q);
    }
    return x.kind === "atom" && y.kind === "atom" ? atom(ty, vals[0]!) : vectorOf(ty, vals);
  }
  const type = Math.max(tx, ty);
  const pick = (a: number, b: number): number => (Number.isNaN(b) || b === I32_NULL ? a : b);
  const op: ArithOp = { f64: pick, i32: pick, long: (_a, b) => b, big: (a, b) => (b === LONG_NULL ? a : b) };
  return runArith(op, { type, lane: type === 5 ? "i16" : laneOfType(type) }, x, y);
}
