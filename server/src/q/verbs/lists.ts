// List primitives: building, reshaping, searching, set operations, sorting and grouping.
//
// These are not atomic: they treat their argument as a list of items (a vector's items are
// atoms, a table's items are rows, a dict's items are its values). Helpers from structure.ts do
// the shape-generic work (gather, slice, join, keys for hashing, grades).

import { raise } from "../errors";
import {
  atom,
  bool,
  count,
  dict,
  EMPTY_LIST,
  IDENTITY,
  index,
  isAtomic,
  isIntegralType,
  items,
  LONG_NULL,
  list,
  long,
  longVector,
  nullAtom,
  nullValue,
  type QAtom,
  type QVector,
  rawList,
  syms,
  TYPE_NAMES,
  table,
  type Value,
  vector,
  vectorOf,
} from "../values";
import { laneF64 } from "./numeric";
import {
  compareValues,
  concatMany,
  enlist,
  findIndex,
  gather,
  grade,
  itemKeys,
  joinValues,
  keyFor,
  matchValues,
  sliceValue,
} from "./structure";

// ---------------------------------------------------------------------------------------------
// Integer arguments

/** A JS integer from an integral atom ('type otherwise); 0N gives NaN's stand-in -2^63 as a number. */
export function intArg(v: Value): number {
  if (v.kind !== "atom" || !isIntegralType(v.type)) return raise("type");
  return Number(v.v);
}

/** JS integers from an integral atom or vector. */
export function intsArg(v: Value): number[] {
  if (v.kind === "atom") return [intArg(v)];
  if (v.kind !== "vector" || !isIntegralType(v.type)) return raise("type");
  return Array.from(v.data as ArrayLike<number | bigint>, Number);
}

/** Long vector from JS integers. */
export const longsOf = (ns: ArrayLike<number>): QVector => longVector(Float64Array.from(ns));

// ---------------------------------------------------------------------------------------------
// Basics

export function til(x: Value): Value {
  const n = intArg(x);
  if (n < 0) raise("domain");
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return longVector(out);
}

export function first(x: Value): Value {
  if (x.kind === "dict") return first(x.values);
  if (x.kind !== "vector" && x.kind !== "list" && x.kind !== "table") return x;
  if (count(x) === 0) return x.kind === "list" ? IDENTITY : x.kind === "vector" ? nullAtom(x.type) : index(x, 0);
  return index(x, 0);
}

export function last(x: Value): Value {
  if (x.kind === "dict") return last(x.values);
  if (x.kind !== "vector" && x.kind !== "list" && x.kind !== "table") return x;
  const n = count(x);
  if (n === 0) return first(x);
  return index(x, n - 1);
}

const reverseIdx = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => n - 1 - i);

export function reverse(x: Value): Value {
  if (x.kind === "dict") return dict(reverse(x.keys), reverse(x.values));
  if (x.kind === "vector" && x.type !== 2) return vector(x.type, x.data.slice().reverse() as QVector["data"]);
  if (isAtomic(x)) return x;
  return gather(x, reverseIdx(count(x)));
}

export function raze(x: Value): Value {
  if (x.kind === "dict") return raze(x.values);
  if (x.kind !== "list") return x.kind === "atom" ? enlist(x) : x;
  if (x.items.length === 0) return EMPTY_LIST;
  // Linear paths: pieces of one simple type join in one allocation; pieces that are lists,
  // vectors and atoms of mixed types flatten into one list. Tables and dicts join pairwise.
  const first = x.items[0]!;
  if ((first.kind === "atom" || first.kind === "vector") && first.type !== 2) {
    const t = first.type;
    if (x.items.every((p) => (p.kind === "atom" || p.kind === "vector") && p.type === t))
      return concatMany(t, x.items as (QAtom | QVector)[]);
  }
  if (x.items.every((p) => p.kind === "atom" || p.kind === "vector" || p.kind === "list")) {
    const flat: Value[] = [];
    for (const p of x.items) {
      if (p.kind === "atom") flat.push(p);
      else if (p.kind === "list") for (const e of p.items) flat.push(e);
      else for (const e of items(p)) flat.push(e);
    }
    return list(flat);
  }
  let acc: Value = x.items[0]!;
  if (acc.kind === "atom") acc = enlist(acc);
  for (let i = 1; i < x.items.length; i++) acc = joinValues(acc, x.items[i]!);
  return acc;
}

/** Positions of first occurrences, in order. */
function firstPositions(x: Value): number[] {
  const keys = itemKeys(x);
  const seen = new Set<string | number | bigint>();
  const pos: number[] = [];
  keys.forEach((k, i) => {
    if (!seen.has(k)) {
      seen.add(k);
      pos.push(i);
    }
  });
  return pos;
}

export function distinct(x: Value): Value {
  if (x.kind === "dict") return distinct(x.values);
  if (isAtomic(x)) raise("type");
  const out = gather(x, firstPositions(x));
  return out.kind === "vector" && out.attr ? vector(out.type, out.data) : out;
}

/** `group x` / `=x`: dict from distinct items to the long vectors of their positions. */
export function group(x: Value): Value {
  if (x.kind === "dict") {
    const g = group(x.values);
    if (g.kind !== "dict") return g;
    return dict(g.keys, list(items(g.values).map((ix) => gather(x.keys, intsArg(ix)))));
  }
  if (isAtomic(x)) raise("type");
  // Two passes: number the distinct keys in order of first appearance and count
  // them, then fill one typed index vector per group (no growing arrays).
  const keys = itemKeys(x);
  const ids = new Int32Array(keys.length);
  const groupOf = new Map<string | number | bigint, number>();
  const order: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    let g = groupOf.get(keys[i]!);
    if (g === undefined) {
      g = order.length;
      groupOf.set(keys[i]!, g);
      order.push(i);
      sizes.push(0);
    }
    ids[i] = g;
    sizes[g]!++;
  }
  const outs = sizes.map((n) => new Float64Array(n));
  const filled = new Int32Array(sizes.length);
  for (let i = 0; i < ids.length; i++) {
    const g = ids[i]!;
    outs[g]![filled[g]!++] = i;
  }
  return dict(gather(x, order), rawList(outs.map((o) => longVector(o))));
}

export function where(x: Value): Value {
  if (x.kind === "dict") return gather(x.keys, intsArg(where(x.values)));
  if (x.kind === "atom") {
    if (!isIntegralType(x.type)) raise("type");
    return longsOf(new Array<number>(Math.max(0, Number(x.v))).fill(0));
  }
  if (x.kind === "list" && x.items.length === 0) return longsOf([]);
  if (x.kind !== "vector" || !isIntegralType(x.type)) return raise("type");
  if (x.type === 1) {
    // Booleans, the common case: count first, then fill a typed array (no per-index push).
    const b = x.data as Uint8Array;
    let n = 0;
    for (let i = 0; i < b.length; i++) n += b[i]!;
    const r = new Float64Array(n);
    for (let i = 0, j = 0; j < n; i++) if (b[i]) r[j++] = i;
    return longVector(r);
  }
  const out: number[] = [];
  const d = x.data as ArrayLike<number | bigint>;
  for (let i = 0; i < d.length; i++) {
    const c = Number(d[i]!);
    if (c < 0) raise("domain");
    for (let k = 0; k < c; k++) out.push(i);
  }
  return longsOf(out);
}

// ---------------------------------------------------------------------------------------------
// Take, drop, cut

/** `n#y`: first n items (last -n when negative), repeating y cyclically when it is too short. */
function takeN(n: number, y: Value): Value {
  if (y.kind === "dict") return dict(takeN(n, y.keys), takeN(n, y.values));
  const src = isAtomic(y) ? enlist(y) : y;
  const c = count(src);
  const m = Math.abs(n);
  const idx = new Int32Array(m);
  if (c === 0) {
    if (m === 0) return src;
    // Taking from an empty list gives nulls of its type (q: 2#0#0 is 0N 0N).
    return gather(src, idx.fill(-1));
  }
  if (n >= 0) for (let i = 0; i < m; i++) idx[i] = i % c;
  else for (let i = 0; i < m; i++) idx[i] = (((c - m + i) % c) + c) % c;
  return gather(src, idx);
}

export function take(x: Value, y: Value): Value {
  if (x.kind === "atom" && isIntegralType(x.type)) return takeN(intArg(x), y);
  if (x.kind === "vector" && isIntegralType(x.type)) return reshape(x, y);
  if ((x.kind === "atom" || x.kind === "vector") && x.type === 11) {
    const names = x.kind === "atom" ? [x.v as string] : (x.data as string[]);
    if (y.kind === "table") {
      return table(
        names,
        names.map((c) => {
          const i = y.columns.indexOf(c);
          return i < 0 ? raise(c) : y.data[i]!;
        }),
      );
    }
    if (y.kind === "dict") {
      const ks = x.kind === "atom" ? enlist(x) : x;
      return dict(
        ks,
        gather(
          y.values,
          names.map((s) => findIndex(y.keys, atom(11, s))),
        ),
      );
    }
  }
  if (x.kind === "table" && y.kind === "dict") {
    // Keyed-table take by key rows: rows of y whose key matches.
    const keyRows = items(x).map((r) => findIndex(y.keys, r));
    return dict(x, gather(y.values, keyRows));
  }
  return raise("type");
}

/** `2 3#til 6`: reshape into a matrix; one null dimension is computed from the count. */
function reshape(x: QVector, y: Value): Value {
  const dims = intsArg(x);
  const src = isAtomic(y) ? enlist(y) : y;
  const c = count(src);
  if (dims.length === 1) return takeN(dims[0]!, src);
  const nul = Number(nullValue(x.type));
  const nullAt = dims.indexOf(nul);
  if (nullAt >= 0) {
    if (dims.length !== 2 || dims[1 - nullAt] === nul || dims[1 - nullAt]! < 0) raise("domain");
    const other = dims[1 - nullAt]!;
    const out: Value[] = [];
    // Rows of a typed vector are views of one copy: one allocation, not one per row.
    const typed = src.kind === "vector" && src.type !== 2 && !Array.isArray(src.data);
    const copy = typed ? (src.data as Float64Array).slice() : undefined;
    const row = (s: number, e: number): Value =>
      copy !== undefined ? vector((src as QVector).type, copy.subarray(s, e)) : sliceValue(src, s, e);
    if (nullAt === 0) {
      // 0N n#y: rows of n, the last one shorter.
      for (let s = 0; s < c; s += other) out.push(row(s, Math.min(s + other, c)));
    } else {
      // n 0N#y: n rows of equal length, the last one taking the remainder.
      const w = Math.floor(c / other);
      for (let r = 0; r < other; r++) out.push(row(r * w, r === other - 1 ? c : r * w + w));
    }
    return rawListIfNeeded(out);
  }
  // A zero is only allowed as the last dimension (1 2 0#"a" is fine, 1 0 2#y is not).
  if (dims.some((d) => d < 0) || dims.slice(0, -1).includes(0)) raise("domain");
  const total = dims.reduce((a, b) => a * b, 1);
  const flat = takeN(total, src);
  const build = (level: number, offset: number): Value => {
    if (level === dims.length - 1) return sliceValue(flat, offset, offset + dims[level]!);
    const stride = dims.slice(level + 1).reduce((a, b) => a * b, 1);
    const out: Value[] = [];
    for (let i = 0; i < dims[level]!; i++) out.push(build(level + 1, offset + i * stride));
    return rawListIfNeeded(out);
  };
  return build(0, 0);
}

const rawListIfNeeded = (vs: Value[]): Value => (vs.length === 0 ? EMPTY_LIST : list(vs));

/** A dictionary without the entries under the given keys (absent keys are ignored). */
function dropEntries(d: Value & { kind: "dict" }, keys: Value[]): Value {
  const remove = new Set(keys.map((k) => findIndex(d.keys, k)));
  const keep = Array.from({ length: count(d) }, (_, i) => i).filter((i) => !remove.has(i));
  return dict(gather(d.keys, keep), gather(d.values, keep));
}

/** `n _ y` drop, `i _ y` cut, `y _ i` remove one item, `` `k _ dict `` remove keys. */
export function drop(x: Value, y: Value): Value {
  if (x.kind === "atom" && isIntegralType(x.type)) {
    if (y.kind === "dict") return dict(drop(x, y.keys), drop(x, y.values));
    const n = intArg(x);
    const c = count(y);
    if (isAtomic(y)) raise("type");
    return n >= 0 ? sliceValue(y, Math.min(n, c), c) : sliceValue(y, 0, Math.max(0, c + n));
  }
  // A list of keys on the left removes those entries: `enlist[100] _ d` (ref/drop).
  if ((x.kind === "vector" || x.kind === "list") && y.kind === "dict" && y.keys.kind !== "table")
    return dropEntries(y, items(x));
  if (x.kind === "vector" && isIntegralType(x.type) && !isAtomic(y)) return cutAt(intsArg(x), y);
  if (x.kind === "dict") {
    // dict _ key removes one entry; several keys go on the left (`a`b _ d), a list here is 'type.
    if (y.kind === "vector" && x.keys.kind === "vector") raise("type");
    return dropEntries(x, [y]);
  }
  if (y.kind === "dict") return drop(y, x);
  if (y.kind === "atom" && isIntegralType(y.type) && !isAtomic(x)) {
    const i = intArg(y);
    const n = count(x);
    const keep = Array.from({ length: n }, (_, k) => k).filter((k) => k !== i);
    return gather(x, keep);
  }
  // Columns to drop are a symbol vector on the left: `a`b _ t (`a _ t is 'type).
  if (y.kind === "table" && x.kind === "vector" && x.type === 11) {
    const names = new Set(x.data as string[]);
    const keep = y.columns.map((_, i) => i).filter((i) => !names.has(y.columns[i]!));
    return table(
      keep.map((i) => y.columns[i]!),
      keep.map((i) => y.data[i]!),
    );
  }
  return raise("type");
}

/** Cuts y at ascending positions; the part before the first position is dropped. */
function cutAt(pos: number[], y: Value): Value {
  const n = count(y);
  const out: Value[] = [];
  for (let k = 0; k < pos.length; k++) {
    const s = pos[k]!;
    const e = k + 1 < pos.length ? pos[k + 1]! : n;
    if (s < 0 || s > n || e < s) raise("domain");
    out.push(sliceValue(y, s, e));
  }
  return rawList(out);
}

/** `x cut y`: atom x chops y into pieces of length x; a vector x cuts at those positions. */
export function cut(x: Value, y: Value): Value {
  if (x.kind === "atom" && isIntegralType(x.type)) {
    const w = intArg(x);
    if (w <= 0) raise("domain");
    const n = count(y);
    const pos: number[] = [];
    for (let i = 0; i < n; i += w) pos.push(i);
    return cutAt(pos, y);
  }
  return drop(x, y);
}

export function sublist(x: Value, y: Value): Value {
  const n = count(y);
  if (x.kind === "atom") {
    const k = intArg(x);
    return k >= 0 ? sliceValue(y, 0, Math.min(k, n)) : sliceValue(y, Math.max(0, n + k), n);
  }
  const [s, len] = intsArg(x) as [number, number];
  const start = Math.min(Math.max(s, 0), n);
  return sliceValue(y, start, Math.min(n, start + len));
}

export function rotate(x: Value, y: Value): Value {
  if (isAtomic(y)) return y;
  const n = count(y);
  if (n === 0) return y;
  const k = ((intArg(x) % n) + n) % n;
  return gather(
    y,
    Int32Array.from({ length: n }, (_, i) => (i + k) % n),
  );
}

// ---------------------------------------------------------------------------------------------
// Search and sets

/** `x?y` find: position of y (each item of y when y is a list of x's item type) in x, or count x. */
export function find(x: Value, y: Value): Value {
  if (x.kind === "dict") {
    const i = findIndex(x.values, y);
    return i < count(x.values) ? index(x.keys, i) : nullOfKeys(x.keys);
  }
  if (x.kind === "table") return tableFind(x, y);
  if (isAtomic(x)) return raise("type");
  if (x.kind === "list" && x.items.length && y.kind !== "dict" && y.kind !== "table") {
    // Rank-sensitive: y as deep as x's first item is one item; deeper, each of its items is
    // looked up; shallower, it is not found (`(1 2;3)?3` is 2).
    const dy = depth(y);
    const di = depth(x.items[0]!);
    if (dy === di) return long(findIndex(x, y));
    if (dy < di) return long(x.items.length);
    return list(items(y).map((it) => find(x, it)));
  }
  if (y.kind === "atom" || isAtomic(y)) return long(findIndex(x, y));
  if (y.kind === "dict") return dict(y.keys, find(x, y.values));
  const table = new Map<string | number | bigint, number>();
  itemKeys(x).forEach((k, i) => {
    if (!table.has(k)) table.set(k, i);
  });
  const n = count(x);
  if (y.kind === "vector" && x.kind === "vector" && y.type === x.type) {
    const yk = itemKeys(y);
    return longsOf(yk.map((k) => table.get(k) ?? n));
  }
  return list(
    items(y).map((it) => (isAtomic(it) || x.kind === "list" ? long(table.get(keyFor(x, it)) ?? n) : find(x, it))),
  );
}

/** `t?r`: index of the first row of t equal to r (a list of column values or a dictionary); a table of rows gives one index each. */
function tableFind(t: Extract<Value, { kind: "table" }>, y: Value): Value {
  const n = count(t);
  const one = (row: Value[]): number => {
    if (row.length !== t.columns.length) return n;
    for (let i = 0; i < n; i++) if (row.every((v, c) => matchValues(index(t.data[c]!, i), v))) return i;
    return n;
  };
  if (y.kind === "dict") return long(one(items(y.values)));
  if (y.kind === "table")
    return longsOf(Array.from({ length: count(y) }, (_, i) => one(y.data.map((c) => index(c, i)))));
  if (y.kind === "vector" || y.kind === "list") return long(one(items(y)));
  return raise("type");
}

function nullOfKeys(keys: Value): Value {
  return keys.kind === "vector" ? nullAtom(keys.type) : IDENTITY;
}

/** Membership set of y's items. */
function memberSet(y: Value): { has: (v: Value) => boolean; keysOf: Value } {
  const src = isAtomic(y) ? enlist(y) : y;
  const set = new Set(itemKeys(src));
  return { has: (v) => set.has(keyFor(src, v)), keysOf: src };
}

export function inVerb(x: Value, y: Value): Value {
  // Numbers of another type are looked up only in an atom or a one-item y (ref/in: 1 2. in 2#2 is 'type).
  if (
    (x.kind === "atom" || x.kind === "vector") &&
    y.kind === "vector" &&
    count(y) !== 1 &&
    x.type !== y.type &&
    PLAIN_NUMERIC(x.type) &&
    PLAIN_NUMERIC(y.type)
  )
    raise("type");
  [x, y] = floatsIfMixed(x, y);
  if (x.kind === "atom" && y.kind === "vector") return bool(findIndex(y, x) < count(y));
  // Against a general list q compares x's depth with that of y's first item: equal, x is looked
  // up as one whole item ("wx" in ("ab";"wx") is 1b); deeper, each item of x is looked up
  // (("";"a") in enlist "" is 10b); shallower, nothing matches (3 in (1 2;3) is 0b).
  if (y.kind === "list" && y.items.length && x.kind !== "dict" && x.kind !== "table") {
    const dx = depth(x);
    const dy = depth(y.items[0]!);
    if (dx <= dy) return bool(dx === dy && findIndex(y, x) < count(y));
  }
  const m = memberSet(y);
  if (x.kind === "atom") return bool(m.has(x));
  if (x.kind === "vector") {
    const src = m.keysOf;
    if (src.kind === "vector" && src.type === x.type) {
      const set = new Set(itemKeys(src));
      return vector(
        1,
        Uint8Array.from(itemKeys(x), (k) => +set.has(k)),
      );
    }
    return vector(
      1,
      Uint8Array.from(items(x), (it) => +m.has(it)),
    );
  }
  if (x.kind === "dict") return dict(x.keys, inVerb(x.values, y));
  if (x.kind === "list") return list(x.items.map((it) => inVerb(it, y)));
  if (x.kind === "table")
    return vector(
      1,
      Uint8Array.from(items(x), (r) => +(findIndex(y, r) < count(y))),
    );
  return raise("type");
}

/** Nesting depth as q's find sees it: atoms 0, vectors 1, a general list one more than its first item. */
function depth(v: Value): number {
  if (v.kind === "vector") return 1;
  if (v.kind === "list") return 1 + (v.items.length ? depth(v.items[0]!) : 0);
  return 0;
}

const PLAIN_NUMERIC = (t: number): boolean => t === 1 || (t >= 4 && t <= 9);

/** Two numeric operands of different types compare as floats (`1 2. in 2`); others pass through. */
export function floatsIfMixed(x: Value, y: Value): [Value, Value] {
  const simple = (v: Value): v is Extract<Value, { kind: "atom" | "vector" }> =>
    v.kind === "atom" || v.kind === "vector";
  if (!simple(x) || !simple(y) || x.type === y.type || !PLAIN_NUMERIC(x.type) || !PLAIN_NUMERIC(y.type)) return [x, y];
  const f = (v: Extract<Value, { kind: "atom" | "vector" }>): Value => {
    const d = laneF64(v);
    return v.kind === "atom" ? atom(9, d[0]!) : vector(9, d);
  };
  return [f(x), f(y)];
}

/** Positions of x's items whose membership in y is `want`. */
function whereIn(x: Value, y: Value, want: boolean): Value {
  const src = isAtomic(x) ? enlist(x) : x;
  const mask = src.kind === "list" ? src.items.map((it) => inVerb(it, y)) : items(inVerb(src, y));
  const keep: number[] = [];
  mask.forEach((m, i) => {
    if ((m.kind === "atom" && m.v === 1) === want) keep.push(i);
  });
  return gather(src, keep);
}

export const except = (x: Value, y: Value): Value => whereIn(x, y, false);
/** Dictionaries take part through their values (code.kx.com/q/ref/inter). */
const valuesOf = (v: Value): Value => (v.kind === "dict" ? v.values : v);
export const inter = (x: Value, y: Value): Value => whereIn(valuesOf(x), valuesOf(y), true);

export function union(x: Value, y: Value): Value {
  return distinct(joinValues(isAtomic(x) ? enlist(x) : x, y));
}

// ---------------------------------------------------------------------------------------------
// Sorting

export function iasc(x: Value): Value {
  if (x.kind === "dict") return gather(x.keys, grade(x.values));
  if (isAtomic(x)) raise("rank");
  return longsOf(grade(x));
}

export function idesc(x: Value): Value {
  if (x.kind === "dict") return gather(x.keys, grade(x.values, true));
  if (isAtomic(x)) raise("rank");
  return longsOf(grade(x, true));
}

/** Native typed-array sort for numeric vectors (nulls first, as q orders them). */
function sortedVector(x: QVector, desc: boolean): QVector | undefined {
  const d = x.data;
  if (Array.isArray(d) || x.type === 2) return undefined;
  const out = (d as Float64Array).slice().sort() as typeof d;
  if (out instanceof Float64Array || out instanceof Float32Array) {
    // Native sort puts NaN last; q puts nulls first.
    let nan = 0;
    while (nan < out.length && Number.isNaN(out[out.length - 1 - nan]!)) nan++;
    if (nan) {
      out.copyWithin(nan, 0, out.length - nan);
      out.fill(Number.NaN, 0, nan);
    }
  }
  if (desc) out.reverse();
  return vector(x.type, out);
}

export function asc(x: Value): Value {
  if (x.kind === "vector") {
    const fast = sortedVector(x, false);
    if (fast && x.attr === undefined && x.data.length > 0 && !Object.isFrozen(x) && sameItems(fast, x)) {
      // q sorts in place: a vector already in order gets the sorted attribute itself, so every
      // name sharing it shows `s# afterwards (code.kx.com/q/ref/asc: "b was a shallow copy of a").
      (x as { attr?: "s" }).attr = "s";
      return x;
    }
    if (fast) return withAttr(fast, "s");
  }
  if (x.kind === "dict") {
    const g = grade(x.values);
    return dict(gather(x.keys, g), withAttr(gather(x.values, g), "s"));
  }
  if (isAtomic(x)) raise("rank");
  return withAttr(gather(x, grade(x)), "s");
}

function sameItems(a: QVector, b: QVector): boolean {
  const p = a.data;
  const q = b.data;
  for (let i = 0; i < p.length; i++) if (!Object.is(p[i], q[i])) return false;
  return true;
}

export function desc(x: Value): Value {
  if (x.kind === "vector") {
    const fast = sortedVector(x, true);
    if (fast) return fast;
  }
  if (x.kind === "dict") {
    const g = grade(x.values, true);
    return dict(gather(x.keys, g), gather(x.values, g));
  }
  if (isAtomic(x)) raise("rank");
  return gather(x, grade(x, true));
}

/** Sets an attribute on a vector (others returned unchanged). */
export function withAttr(v: Value, attr: "s" | "u" | "p" | "g"): Value {
  if (v.kind === "table" && attr === "s" && v.columns.length) {
    // A sorted table marks its first column: sorted when it is the only one, parted otherwise.
    const [first, ...rest] = v.data;
    return table(v.columns, [withAttr(first!, rest.length ? "p" : "s"), ...rest]);
  }
  return v.kind === "vector" ? vector(v.type, v.data, attr) : v;
}

export function rank(x: Value): Value {
  if (isAtomic(x)) raise("rank");
  const g = grade(x);
  const r = new Float64Array(g.length);
  g.forEach((p, i) => {
    r[p] = i;
  });
  return longVector(r);
}

/** `n xrank y`: the n-quantile bucket of each item of y. */
export function xrank(x: Value, y: Value): Value {
  const n = intArg(x);
  const c = count(y);
  const g = grade(y);
  const r = new Float64Array(c);
  g.forEach((p, i) => {
    r[p] = Math.floor((i * n) / c);
  });
  return longVector(r);
}

/** `x bin y` (right=false): last index i with x[i] <= y, -1 if none; `binr`: first i with x[i] >= y. */
export function binSearch(x: Value, y: Value, right: boolean): Value {
  if (x.kind === "dict") {
    // Search the values; answer with the keys (null key before the first value).
    const r = binSearch(x.values, y, right);
    return gather(x.keys, intsArg(r));
  }
  if (x.kind === "table") return tableBin(x, y, right);
  if (isAtomic(x)) raise("type");
  [x, y] = floatsIfMixed(x, y);
  const n = count(x);
  const one = (v: Value): number => {
    let lo = 0;
    let hi = n;
    if (!right) {
      // first index with x[i] > v, minus one
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareValues(index(x, mid), v) <= 0) lo = mid + 1;
        else hi = mid;
      }
      return lo - 1;
    }
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareValues(index(x, mid), v) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const sameShape = x.kind === "vector" && y.kind === "vector" && x.type === y.type;
  if (y.kind === "atom" || (x.kind === "list" && !sameShape && y.kind !== "list")) return long(one(y));
  return longsOf(items(y).map(one));
}

/**
 * `t bin r` on a table sorted by its columns: every column but the last must match exactly
 * (they name a group, as in aj), and the last is binary-searched within the group; no match
 * gives 0N. r is one row (a dictionary) or a table of rows.
 */
function tableBin(t: Extract<Value, { kind: "table" }>, y: Value, right: boolean): Value {
  const last = t.columns.length - 1;
  const n = count(t);
  const one = (row: Value[]): number | bigint => {
    let found: number | bigint = LONG_NULL;
    for (let i = 0; i < n; i++) {
      let same = true;
      for (let c = 0; c < last && same; c++) same = matchValues(index(t.data[c]!, i), row[c]!);
      if (!same) continue;
      const s = compareValues(index(t.data[last]!, i), row[last]!);
      if (right) {
        if (s >= 0) return i;
      } else if (s <= 0) found = i;
      else break;
    }
    return found;
  };
  if (y.kind === "dict") {
    const r = one(items(y.values));
    return r === LONG_NULL ? nullAtom(7) : long(r as number);
  }
  if (y.kind !== "table") return raise("type");
  const rows = Array.from({ length: count(y) }, (_, i) => y.data.map((c) => index(c, i)));
  return vectorOf(7, rows.map(one));
}

// ---------------------------------------------------------------------------------------------
// Booleans and predicates

export function all(x: Value): Value {
  if (x.kind === "dict") return all(x.values);
  if (x.kind === "table") return perColumn(x, all);
  return bool(truthItems(x).every((t) => t));
}

export function any(x: Value): Value {
  if (x.kind === "dict") return any(x.values);
  if (x.kind === "table") return perColumn(x, any);
  return bool(truthItems(x).some((t) => t));
}

/** An aggregate of a table: a dictionary from column names to the aggregate of each column. */
function perColumn(t: Extract<Value, { kind: "table" }>, f: (c: Value) => Value): Value {
  return dict(syms(t.columns), list(t.data.map(f)));
}

/** Non-zero-ness of each item of an atom, vector or list of atoms. */
function truthItems(x: Value): boolean[] {
  const its = x.kind === "atom" ? [x] : isAtomic(x) ? raise("type") : items(x);
  return its.map((a) => {
    if (a.kind !== "atom" || a.type === 11 || a.type === 2) return raise("type");
    return !(a.v === 0 || a.v === 0n);
  });
}

export function differ(x: Value): Value {
  if (isAtomic(x)) return bool(true);
  const its = items(x);
  return vector(
    1,
    Uint8Array.from(its, (it, i) => (i === 0 ? 1 : +!matchValues(it, its[i - 1]!))),
  );
}

/** `x!y` dict (or keyed table from an int count of key columns). */
export function bang(x: Value, y: Value): Value {
  if (x.kind === "atom" && isIntegralType(x.type) && (y.kind === "table" || y.kind === "dict")) {
    const n = intArg(x);
    if (y.kind === "dict") {
      if (n !== 0 || y.keys.kind !== "table" || y.values.kind !== "table") return raise("type");
      return table([...y.keys.columns, ...y.values.columns], [...y.keys.data, ...y.values.data]);
    }
    if (n === 0) return y;
    return dict(table(y.columns.slice(0, n), y.data.slice(0, n)), table(y.columns.slice(n), y.data.slice(n)));
  }
  if (isAtomic(x) && x.kind !== "atom") return raise("type");
  if (x.kind === "atom" && isAtomic(y)) return dict(enlist(x), enlist(y));
  if (!isAtomic(x) && !isAtomic(y) && count(x) !== count(y)) raise("length");
  if (x.kind === "atom") return raise("length");
  if (isAtomic(y)) return dict(x, takeN(count(x), y));
  return dict(x, y);
}

export function key(x: Value): Value {
  if (x.kind === "dict") return x.keys;
  if (x.kind === "table") return raise("type");
  if (x.kind === "atom" && isIntegralType(x.type)) return til(x);
  // A vector's key is the name of its type (`long for 1 2 3).
  if (x.kind === "vector") return atom(11, TYPE_NAMES[x.type] ?? "");
  return raise("type");
}

export function value(x: Value): Value {
  if (x.kind === "dict") return x.values;
  return x;
}
