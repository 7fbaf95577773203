// The runtime representation of every q value.
//
// A value is a discriminated union on `kind`. Atoms and vectors carry q's POSITIVE base type code
// (an atom's q `type` is the negative of it). Vectors keep their items in a typed array chosen by
// the storage class of the type (see `storageOf`), so arithmetic over long vectors runs on typed
// arrays without boxing.
//
// The one subtle invariant is about longs (and the other 64-bit types, timestamp and timespan):
// q's longs are exact 64-bit integers, JS numbers are exact only up to 2^53-1. So
//   - a long atom's `v` is a JS number when it is a safe integer, otherwise a bigint;
//   - a long vector's `data` is a Float64Array when every element is a safe integer, otherwise a
//     BigInt64Array.
// Nulls (0N = -2^63) and infinities (0W = 2^63-1) are therefore bigints. Always build long values
// through `longAtom` / `longVector` (or `atom` / `vector`, which call them) so that a BigInt64Array
// whose elements all happen to be safe is turned back into the fast representation.

import { reserveBytes } from "./limits";

// ---------------------------------------------------------------------------------------------
// Type codes

/** q's positive base type codes. */
export const T = {
  boolean: 1,
  guid: 2,
  byte: 4,
  short: 5,
  int: 6,
  long: 7,
  real: 8,
  float: 9,
  char: 10,
  symbol: 11,
  timestamp: 12,
  month: 13,
  date: 14,
  datetime: 15,
  timespan: 16,
  minute: 17,
  second: 18,
  time: 19,
} as const;

/** q's type letters indexed by base type code (`.Q.t`); index 0 is the general list. */
export const TYPE_CHARS = " bg xhijefcspmdznuvt";

/** Type names indexed by base type code, as used in casts such as `long$x` (`"long"$x`). */
export const TYPE_NAMES: readonly string[] = [
  "",
  "boolean",
  "guid",
  "",
  "byte",
  "short",
  "int",
  "long",
  "real",
  "float",
  "char",
  "symbol",
  "timestamp",
  "month",
  "date",
  "datetime",
  "timespan",
  "minute",
  "second",
  "time",
];

/** Base type code from a type letter ("j" -> 7); uppercase letters are accepted too. -1 if none. */
export function typeFromChar(c: string): number {
  const i = TYPE_CHARS.indexOf(c.toLowerCase());
  return c === " " || i <= 0 ? -1 : i;
}

/** How a vector of base type `t` stores its items. */
export type Storage = "u8" | "guid" | "i16" | "i32" | "long" | "f32" | "f64" | "sym";

// ---------------------------------------------------------------------------------------------
// Enumerations (q type 20h)
//
// An enumeration keeps indices into a domain named by a global (`` `d$`a`b `` stores 0 1 and the
// name d), and reads the domain when it is used, so a later change to d shows through. Each
// domain name gets its own internal base type, ENUM_BASE + n, so every vector path that copies or
// indexes items by type (take, reverse, table rows, grouping) keeps the domain without knowing
// about it; `typeCode` reports all of them as 20h, as q 4.1 does. Items are stored as ints.

/** The first internal base type of enumerations; `typeCode` maps each to 20. */
export const ENUM_BASE = 1000;
const enumNames: string[] = [];
const enumIds = new Map<string, number>();

/** The internal base type of enumerations against the global named `domain`. */
export function enumType(domain: string): number {
  let id = enumIds.get(domain);
  if (id === undefined) {
    id = enumNames.length;
    enumNames.push(domain);
    enumIds.set(domain, id);
  }
  return ENUM_BASE + id;
}

/** The domain name of an enumeration's internal base type. */
export const enumDomain = (t: number): string => enumNames[t - ENUM_BASE] ?? "";

/** True once any enumeration type exists in this process: the fast paths skip enum checks until then. */
export const enumsExist = (): boolean => enumNames.length > 0;

export function storageOf(t: number): Storage {
  if (t >= ENUM_BASE) return "i32";
  switch (t) {
    case 1:
    case 4:
    case 10:
      return "u8";
    case 2:
      return "guid";
    case 5:
      return "i16";
    case 6:
    case 13:
    case 14:
    case 17:
    case 18:
    case 19:
      return "i32";
    case 7:
    case 12:
    case 16:
      return "long";
    case 8:
      return "f32";
    case 9:
    case 15:
      return "f64";
    case 11:
      return "sym";
    default:
      throw new Error(`internal: no storage for type ${t}`);
  }
}

/** True for types whose items are 64-bit exact integers (long, timestamp, timespan). */
export const isLongType = (t: number): boolean => t === 7 || t === 12 || t === 16;
/** True for boolean, byte, short, int, long. */
export const isIntegralType = (t: number): boolean => t === 1 || (t >= 4 && t <= 7);
/** True for real and float. */
export const isFloatType = (t: number): boolean => t === 8 || t === 9;
/** True for boolean .. float (the types arithmetic promotes between). */
export const isNumericType = (t: number): boolean => t === 1 || (t >= 4 && t <= 9);
/** True for timestamp .. time. */
export const isTemporalType = (t: number): boolean => t >= 12 && t <= 19;

// ---------------------------------------------------------------------------------------------
// Value kinds

export type Attr = "s" | "u" | "p" | "g";

/** JS payload of one atom: number (most types), bigint (unsafe longs), string (symbol), 16 bytes (guid). */
export type AtomValue = number | bigint | string | Uint8Array;

export type VectorData = Uint8Array | Int16Array | Int32Array | Float32Array | Float64Array | BigInt64Array | string[];

export interface QAtom {
  readonly kind: "atom";
  readonly type: number;
  readonly v: AtomValue;
}
export interface QVector {
  readonly kind: "vector";
  readonly type: number;
  readonly data: VectorData;
  readonly attr?: Attr;
}
export interface QList {
  readonly kind: "list";
  readonly items: readonly Value[];
}
export interface QDict {
  readonly kind: "dict";
  readonly keys: Value;
  readonly values: Value;
}
export interface QTable {
  readonly kind: "table";
  readonly columns: readonly string[];
  readonly data: readonly Value[];
}
/** The generic null `::` (type 101). */
export interface QIdentity {
  readonly kind: "identity";
}
export interface QLambda {
  readonly kind: "lambda";
  readonly source: string;
  readonly params: readonly string[];
  /** The compiled body (interp.ts); opaque here. */
  readonly body: unknown;
  readonly ns?: string;
  /** The glyph g when the whole lambda is `{x g y}` (fastfold.ts folds it without calls). */
  readonly dyad?: string;
}
/** A primitive glyph or keyword as a value, e.g. `(+)` or `til`. */
export interface QPrim {
  readonly kind: "prim";
  readonly name: string;
}
export interface QIterator {
  readonly kind: "iterator";
  readonly glyph: string;
}
export interface QProjection {
  readonly kind: "projection";
  readonly fn: Value;
  /** undefined marks an elided argument (a hole). */
  readonly args: readonly (Value | undefined)[];
}
export interface QComposition {
  readonly kind: "composition";
  readonly fns: readonly Value[];
}
export interface QDerived {
  readonly kind: "derived";
  readonly iterator: string;
  readonly fn: Value;
}

export type Value =
  | QAtom
  | QVector
  | QList
  | QDict
  | QTable
  | QIdentity
  | QLambda
  | QPrim
  | QIterator
  | QProjection
  | QComposition
  | QDerived;

export const IDENTITY: QIdentity = Object.freeze({ kind: "identity" });

const DERIVED_CODES: Record<string, number> = { "'": 106, "/": 107, "\\": 108, "':": 109, "/:": 110, "\\:": 111 };

/** q's `type` of a value (negative for atoms). */
export function typeCode(v: Value): number {
  switch (v.kind) {
    case "atom":
      return v.type >= ENUM_BASE ? -20 : -v.type;
    case "vector":
      return v.type >= ENUM_BASE ? 20 : v.type;
    case "list":
      return 0;
    case "dict":
      return 99;
    case "table":
      return 98;
    case "lambda":
      return 100;
    case "prim":
      return /^[a-z]/i.test(v.name) || v.name.endsWith(":") ? 101 : 102;
    case "identity":
      return 101;
    case "iterator":
      return 103;
    case "projection":
      return 104;
    case "composition":
      return 105;
    case "derived":
      return DERIVED_CODES[v.iterator] ?? 106;
  }
}

export const isAtom = (v: Value): v is QAtom => v.kind === "atom";
export const isVector = (v: Value): v is QVector => v.kind === "vector";
export const isFunction = (v: Value): boolean =>
  v.kind === "lambda" ||
  v.kind === "prim" ||
  v.kind === "iterator" ||
  v.kind === "projection" ||
  v.kind === "composition" ||
  v.kind === "derived";
/** Atoms, the identity and functions: things q treats as a single item. */
export const isAtomic = (v: Value): boolean => v.kind === "atom" || v.kind === "identity" || isFunction(v);

// ---------------------------------------------------------------------------------------------
// Longs: exact 64-bit integers with a number fast path

export const LONG_NULL = -9223372036854775808n;
export const LONG_INF = 9223372036854775807n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** Normalises an integer to the long atom payload: number when safe, bigint otherwise. */
export function normLong(x: number | bigint): number | bigint {
  if (typeof x === "number") return Number.isSafeInteger(x) ? x : BigInt.asIntN(64, BigInt(x));
  return x >= MIN_SAFE && x <= MAX_SAFE ? Number(x) : x;
}

/** Wraps a bigint to 64 bits (q arithmetic wraps) and normalises it. */
export const wrapLong = (x: bigint): number | bigint => normLong(BigInt.asIntN(64, x));

export const toBig = (x: number | bigint): bigint => (typeof x === "bigint" ? x : BigInt(x));

export function longAtom(x: number | bigint, type = 7): QAtom {
  return { kind: "atom", type, v: normLong(x) };
}

/**
 * Builds a long-storage vector, keeping the invariant: Float64Array (all safe integers) or
 * BigInt64Array (at least one unsafe element). Plain arrays may mix numbers and bigints.
 */
export function longVector(
  data: Float64Array | BigInt64Array | readonly (number | bigint)[],
  type = 7,
  attr?: Attr,
): QVector {
  let out: Float64Array | BigInt64Array;
  if (data instanceof Float64Array) out = data;
  else if (data instanceof BigInt64Array) {
    let safe = true;
    for (let i = 0; i < data.length && safe; i++) safe = data[i]! >= MIN_SAFE && data[i]! <= MAX_SAFE;
    out = safe ? Float64Array.from(data, Number) : data;
  } else {
    let safe = true;
    for (let i = 0; i < data.length && safe; i++) {
      const e = data[i]!;
      safe = typeof e === "number" ? Number.isSafeInteger(e) : e >= MIN_SAFE && e <= MAX_SAFE;
    }
    out = safe ? Float64Array.from(data, Number) : BigInt64Array.from(data, (e) => BigInt.asIntN(64, toBig(e)));
  }
  return attr ? { kind: "vector", type, data: out, attr } : { kind: "vector", type, data: out };
}

/** Element i of long-storage data, normalised. */
export function longAt(data: Float64Array | BigInt64Array, i: number): number | bigint {
  return data instanceof Float64Array ? data[i]! : normLong(data[i]!);
}

// ---------------------------------------------------------------------------------------------
// Nulls and infinities

const I32_NULL = -2147483648;
const I32_INF = 2147483647;
const EMPTY_GUID = new Uint8Array(16);

/** The typed null payload for base type t (boolean and byte have none and use 0). */
export function nullValue(t: number): AtomValue {
  switch (storageOf(t)) {
    case "u8":
      return t === 10 ? 32 : 0;
    case "guid":
      return EMPTY_GUID;
    case "i16":
      return -32768;
    case "i32":
      return I32_NULL;
    case "long":
      return LONG_NULL;
    case "f32":
    case "f64":
      return Number.NaN;
    case "sym":
      return "";
  }
}

/** Positive infinity payload for base type t, or undefined when the type has none. */
export function infValue(t: number): AtomValue | undefined {
  switch (storageOf(t)) {
    case "i16":
      return 32767;
    case "i32":
      return I32_INF;
    case "long":
      return LONG_INF;
    case "f32":
    case "f64":
      return Number.POSITIVE_INFINITY;
    default:
      return undefined;
  }
}

export const nullAtom = (t: number): QAtom => ({ kind: "atom", type: t, v: nullValue(t) });
export const infAtom = (t: number): QAtom => atom(t, infValue(t) ?? 0);

/** True when payload `v` is the null of base type t (q's `null`). */
export function isNullValue(t: number, v: AtomValue): boolean {
  switch (storageOf(t)) {
    case "u8":
      return t === 10 ? v === 32 : false;
    case "guid":
      return (v as Uint8Array).every((b) => b === 0);
    case "i16":
      return v === -32768;
    case "i32":
      return v === I32_NULL;
    case "long":
      return v === LONG_NULL;
    case "f32":
    case "f64":
      return Number.isNaN(v as number);
    case "sym":
      return v === "";
  }
}

// ---------------------------------------------------------------------------------------------
// Constructors

/** An atom of base type t; long payloads are normalised. */
export function atom(t: number, v: AtomValue): QAtom {
  if (isLongType(t)) return longAtom(v as number | bigint, t);
  return { kind: "atom", type: t, v };
}

export const bool = (b: boolean): QAtom => ({ kind: "atom", type: 1, v: b ? 1 : 0 });
export const long = (n: number | bigint): QAtom => longAtom(n);
export const int = (n: number): QAtom => ({ kind: "atom", type: 6, v: n | 0 });
export const float = (n: number): QAtom => ({ kind: "atom", type: 9, v: n });
export const sym = (s: string): QAtom => ({ kind: "atom", type: 11, v: s });
/** A char atom from a byte value. */
export const char = (b: number): QAtom => ({ kind: "atom", type: 10, v: b });

/** Allocates zeroed storage for n items of base type t (long storage starts on the fast path). */
export function allocData(t: number, n: number): VectorData {
  // Buffers live outside the V8 heap: the sandbox's memory budget is checked before each (limits.ts).
  reserveBytes(n * 8);
  switch (storageOf(t)) {
    case "u8":
      return new Uint8Array(n);
    case "guid":
      return new Uint8Array(16 * n);
    case "i16":
      return new Int16Array(n);
    case "i32":
      return new Int32Array(n);
    case "long":
      return new Float64Array(n);
    case "f32":
      return new Float32Array(n);
    case "f64":
      return new Float64Array(n);
    case "sym":
      return new Array<string>(n).fill("");
  }
}

/** A vector of base type t over existing storage; long storage is normalised. */
export function vector(t: number, data: VectorData, attr?: Attr): QVector {
  if (isLongType(t)) return longVector(data as Float64Array | BigInt64Array, t, attr);
  return attr ? { kind: "vector", type: t, data, attr } : { kind: "vector", type: t, data };
}

/** A vector of base type t from atom payloads (as `AtomValue`s of that type). */
export function vectorOf(t: number, vals: readonly AtomValue[]): QVector {
  const s = storageOf(t);
  if (s === "long") return longVector(vals as readonly (number | bigint)[], t);
  if (s === "sym") return { kind: "vector", type: t, data: (vals as string[]).slice() };
  if (s === "guid") {
    const data = new Uint8Array(16 * vals.length);
    for (let i = 0; i < vals.length; i++) data.set(vals[i] as Uint8Array, 16 * i);
    return { kind: "vector", type: t, data };
  }
  const data = allocData(t, vals.length) as Uint8Array | Int16Array | Int32Array | Float32Array | Float64Array;
  for (let i = 0; i < vals.length; i++) data[i] = vals[i] as number;
  return { kind: "vector", type: t, data };
}

/** An empty vector of base type t (e.g. `0#0`, `` `long$() ``). */
export const emptyVector = (t: number): QVector => vector(t, allocData(t, 0));

export const longs = (ns: readonly (number | bigint)[]): QVector => longVector(ns);
export const floats = (ns: readonly number[]): QVector => ({ kind: "vector", type: 9, data: Float64Array.from(ns) });
export const bools = (bs: readonly (boolean | number)[]): QVector => ({
  kind: "vector",
  type: 1,
  data: Uint8Array.from(bs, (b) => (b ? 1 : 0)),
});
export const syms = (ss: readonly string[]): QVector => ({ kind: "vector", type: 11, data: ss.slice() });

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A char vector (q string) holding the UTF-8 bytes of s. */
export const str = (s: string): QVector => ({ kind: "vector", type: 10, data: encoder.encode(s) });
/** Decodes UTF-8 bytes to a JS string. */
export const decodeBytes = (b: Uint8Array): string => decoder.decode(b);
export const encodeText = (s: string): Uint8Array => encoder.encode(s);

/**
 * A general list from items, normalised the way q does: when every item is an atom of one type
 * the result is a vector of that type (`(1;2)` is `1 2`). An empty list stays type 0.
 */
export function list(items: readonly Value[]): Value {
  if (items.length === 0) return EMPTY_LIST;
  const first = items[0]!;
  if (first.kind === "dict") return dictsToTable(items) ?? { kind: "list", items };
  if (first.kind !== "atom") return { kind: "list", items };
  const t = first.type;
  for (let i = 1; i < items.length; i++) {
    const it = items[i]!;
    if (it.kind !== "atom" || it.type !== t) return { kind: "list", items };
  }
  return vectorOf(
    t,
    items.map((a) => (a as QAtom).v),
  );
}

/** Dicts that all have the same symbol keys form a table (q's "list of conforming dicts"). */
function dictsToTable(items: readonly Value[]): QTable | undefined {
  const first = items[0] as QDict;
  if (first.keys.kind !== "vector" || first.keys.type !== 11) return undefined;
  const cols = first.keys.data as string[];
  for (const it of items) {
    if (it.kind !== "dict" || it.keys.kind !== "vector" || it.keys.type !== 11) return undefined;
    const ks = it.keys.data as string[];
    if (ks.length !== cols.length || ks.some((k, i) => k !== cols[i])) return undefined;
    if (count(it.values) !== cols.length) return undefined;
  }
  return table(
    cols.slice(),
    cols.map((_, j) => list(items.map((d) => index((d as QDict).values, j)))),
  );
}

/** A general list kept as type 0 even when homogeneous (for the rare places q does that). */
export const rawList = (items: readonly Value[]): QList => ({ kind: "list", items });

export const EMPTY_LIST: QList = Object.freeze({ kind: "list", items: Object.freeze([]) as readonly Value[] });

export const dict = (keys: Value, values: Value): QDict => ({ kind: "dict", keys, values });
export const table = (columns: readonly string[], data: readonly Value[]): QTable => ({ kind: "table", columns, data });

// ---------------------------------------------------------------------------------------------
// Accessors

/** q's `count` for the value's own shape (atoms and functions count 1). */
export function count(v: Value): number {
  switch (v.kind) {
    case "vector":
      return v.type === 2 ? v.data.length / 16 : v.data.length;
    case "list":
      return v.items.length;
    case "dict":
      return count(v.keys);
    case "table":
      return v.data.length ? count(v.data[0]!) : 0;
    default:
      return 1;
  }
}

/** Payload of item i of a vector (long items normalised). */
export function vectorAt(v: QVector, i: number): AtomValue {
  const d = v.data;
  if (v.type === 2) return (d as Uint8Array).slice(16 * i, 16 * i + 16);
  if (d instanceof Float64Array && isLongType(v.type)) return d[i]!;
  if (d instanceof BigInt64Array) return normLong(d[i]!);
  return d[i]!;
}

/** Item i of a list-like value (vector, list, dict values, table row); out of range gives the null item. */
export function index(v: Value, i: number): Value {
  switch (v.kind) {
    case "vector":
      if (i < 0 || i >= count(v)) return nullAtom(v.type);
      return { kind: "atom", type: v.type, v: vectorAt(v, i) };
    case "list":
      if (i < 0 || i >= v.items.length) return v.items.length ? nullOf(v.items[0]!) : IDENTITY;
      return v.items[i]!;
    case "dict":
      return index(v.values, i);
    case "table":
      return dict(syms(v.columns), list(v.data.map((c) => index(c, i))));
    default:
      return v;
  }
}

/** The items of a list-like value as Values (atoms for vectors). */
export function items(v: Value): Value[] {
  if (v.kind === "list") return v.items.slice();
  const n = count(v);
  const out = new Array<Value>(n);
  for (let i = 0; i < n; i++) out[i] = index(v, i);
  return out;
}

/** q's null "of the same shape" as x: typed null for atoms/vectors, `::`-like for others (used by out-of-range indexing). */
export function nullOf(x: Value): Value {
  switch (x.kind) {
    case "atom":
    case "vector":
      return nullAtom(x.type);
    case "list":
      return x.items.length ? nullOf(x.items[0]!) : IDENTITY;
    case "table":
      return dict(syms(x.columns), list(x.data.map(nullOf)));
    case "dict":
      return nullOf(x.values);
    default:
      return IDENTITY;
  }
}

/** JS string of a char vector or char atom (UTF-8 decoded); throws for anything else. */
export function textOf(v: Value): string {
  if (v.kind === "vector" && v.type === 10) return decoder.decode(v.data as Uint8Array);
  if (v.kind === "atom" && v.type === 10) return String.fromCharCode(v.v as number);
  throw new Error("internal: textOf expects chars");
}

// ---------------------------------------------------------------------------------------------
// What the interpreter passes to verbs, and the verb table record

/** What the interpreter passes to every verb. */
export interface EvalContext {
  /** Calls any function value with the given arguments (higher-order verbs use this). */
  apply(f: Value, args: Value[]): Value;
  /** Writes text to stdout (1) or stderr (2). */
  print(handle: 1 | 2, text: string): void;
  readonly settings: { precision: number; rows: number; cols: number };
  /** Called in long loops so the interpreter can enforce limits. */
  tick(): void;
  /** Uniform float in [0,1) from the session's seeded generator (roll, deal, permute). */
  random(): number;
}

/** One glyph or keyword of the verb table. */
export interface VerbDef {
  name: string;
  kind: "glyph" | "keyword";
  monadic?: (x: Value, ctx: EvalContext) => Value;
  dyadic?: (x: Value, y: Value, ctx: EvalContext) => Value;
  /** Application to three or more arguments (`ssr[s;p;r]`). */
  nary?: (args: Value[], ctx: EvalContext) => Value;
  /** Number of arguments when the verb has only `nary` (for projections and valence). */
  valence?: number;
  doc: { summary: string; forms: string[]; example: string };
}

/**
 * A small deterministic generator (xorshift128+ over 32-bit halves, via splitmix32 seeding) for
 * EvalContext.random, so sessions can replay the same `?` rolls from the same seed.
 */
export function createRandom(seed = -314159): () => number {
  let s = seed >>> 0;
  const next32 = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  return () => (next32() * 2 ** 21 + (next32() >>> 11)) / 2 ** 53;
}
