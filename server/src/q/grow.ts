/**
 * Amortised growth for the two loops q programs write most: `r,:x` (append) and `d[k]:v`
 * (dictionary insert). q does both in linear time; copying the whole value at every step, as a
 * purely immutable engine would, makes them quadratic.
 *
 * A vector the engine grows here sits in a buffer with spare capacity (its `data` is a view of
 * the first `count` elements), a dictionary keeps a hash index from key to position. Both are
 * only ever grown in place when the caller (interp.ts) knows the value is exclusively owned by
 * one variable and that no copy escaped (see Interp.owned); the first growth of any other value
 * copies it into a fresh buffer, so values shared with others are never touched.
 */
import {
  items,
  type QAtom,
  type QDict,
  type QList,
  type QVector,
  storageOf,
  type Value,
  type VectorData,
  vector,
} from "./values";

/** The full buffer behind a grown vector (capacity = buffer length). */
const buffers = new WeakMap<QVector, VectorData>();
/** Lists whose items array the engine allocated (safe to push to while owned). */
const ownLists = new WeakSet<QList>();
/** Key -> position of dictionaries grown here. */
const indexes = new WeakMap<QDict, Map<string | number, number>>();

type Simple = QAtom | QVector;
const simple = (v: Value): v is Simple => v.kind === "atom" || v.kind === "vector";

/** Elements of y as it would be appended to a vector of type t, or undefined if it cannot be in place. */
function payload(t: number, y: Value): ArrayLike<number> | string[] | undefined {
  if (!simple(y) || y.type !== t) return undefined;
  const st = storageOf(t);
  if (st === "guid") return undefined;
  if (y.kind === "atom") {
    if (typeof y.v === "bigint") return undefined;
    return st === "sym" ? [y.v as string] : [y.v as number];
  }
  if (y.data instanceof BigInt64Array) return undefined;
  return y.data as ArrayLike<number> | string[];
}

function withCapacity(data: VectorData, need: number): VectorData {
  const cap = Math.max(16, need * 2);
  if (Array.isArray(data)) return data.slice();
  const C = data.constructor as new (n: number) => Exclude<VectorData, string[]>;
  const out = new C(cap);
  (out as Uint8Array).set(data as Uint8Array);
  return out;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * `cur,y` for a vector cur of y's type; undefined when not applicable. An owned vector grown here
 * before is extended in its buffer and returned as the same object (no new object per append);
 * any other is copied once into a buffer with spare capacity.
 */
function appendVector(cur: QVector, y: Value, owned: boolean): QVector | undefined {
  if (cur.attr !== undefined) return undefined;
  const add = payload(cur.type, y);
  if (add === undefined || cur.data instanceof BigInt64Array) return undefined;
  const len = cur.data.length;
  const need = len + add.length;
  const mine = owned ? buffers.get(cur) : undefined;
  if (Array.isArray(cur.data)) {
    // Symbols live in a JS array, which grows amortised by itself.
    const arr = mine !== undefined ? (cur.data as string[]) : (cur.data as string[]).slice();
    for (let i = 0; i < add.length; i++) arr.push((add as string[])[i]!);
    if (mine !== undefined) return cur;
    const out = vector(cur.type, arr);
    buffers.set(out, arr);
    return out;
  }
  let buf = mine as Exclude<VectorData, string[]> | undefined;
  if (buf === undefined || buf.length < need) buf = withCapacity(cur.data, need) as Exclude<VectorData, string[]>;
  (buf as Uint8Array).set(add as ArrayLike<number>, len);
  if (mine !== undefined) {
    (cur as Mutable<QVector>).data = buf.subarray(0, need);
    buffers.set(cur, buf);
    return cur;
  }
  const out = vector(cur.type, buf.subarray(0, need));
  buffers.set(out, buf);
  return out;
}

/**
 * `cur,:y` in place where it can be: cur a vector and y of its type, or cur a general list of
 * lists (whose items y's items join). `owned`: cur is exclusively held by the variable being
 * assigned and the result does not escape. Undefined: use the ordinary join.
 */
export function appendInPlace(cur: Value, y: Value, owned: boolean): Value | undefined {
  if (cur.kind === "vector") return appendVector(cur, y, owned);
  if (cur.kind !== "list" || cur.items.length === 0 || cur.items.every((i) => i.kind === "atom")) return undefined;
  if (y.kind === "table" || y.kind === "dict") return undefined;
  const arr = owned && ownLists.has(cur) ? (cur.items as Value[]) : cur.items.slice();
  if (y.kind === "list") for (const e of y.items) arr.push(e);
  else if (y.kind === "vector") for (const e of items(y)) arr.push(e);
  else arr.push(y);
  const out: QList = { kind: "list", items: arr };
  ownLists.add(out);
  return out;
}

const keyOf = (k: Value): string | number | undefined =>
  k.kind === "atom" && (typeof k.v === "number" || typeof k.v === "string") ? k.v : undefined;

/**
 * `d[k]:v` on a dictionary with a simple key vector: replaces the value in place or appends the
 * key and the value, keeping a hash index of the keys. Undefined: use the ordinary amend.
 */
export function dictSetInPlace(d: QDict, k: Value, v: Value, owned: boolean): QDict | undefined {
  const keys = d.keys;
  if (keys.kind !== "vector" || k.kind !== "atom" || k.type !== keys.type) return undefined;
  const key = keyOf(k);
  if (key === undefined || keys.data instanceof BigInt64Array || storageOf(keys.type) === "guid") return undefined;
  let index = owned ? indexes.get(d) : undefined;
  if (index === undefined) {
    index = new Map();
    const kd = keys.data as ArrayLike<number> | string[];
    // The first of equal keys wins, as in q's lookup.
    for (let i = kd.length - 1; i >= 0; i--) index.set(kd[i]!, i);
  }
  const vals = d.values;
  const at = index.get(key);
  const grown = owned && indexes.get(d) === index;
  if (at !== undefined) {
    // Replace one value: in place only in values this module allocated.
    if (vals.kind === "list") {
      const arr = grown && ownLists.has(vals) ? (vals.items as Value[]) : vals.items.slice();
      arr[at] = v;
      const nv: QList = { kind: "list", items: arr };
      ownLists.add(nv);
      return track({ kind: "dict", keys, values: nv }, index);
    }
    if (vals.kind !== "vector" || payload(vals.type, v) === undefined || v.kind !== "atom") return undefined;
    const buf = grown ? buffers.get(vals) : undefined;
    const data = (buf !== undefined ? vals.data : withCapacity(vals.data, vals.data.length)) as unknown[];
    const out = buf !== undefined ? vals : grownView(vals, data as unknown as VectorData);
    (out.data as unknown[])[at] = v.v;
    return track({ kind: "dict", keys, values: out }, index);
  }
  const valsMine =
    vals.kind === "list"
      ? ownLists.has(vals)
      : vals.kind === "vector" && buffers.has(vals) && vals.attr === undefined && payload(vals.type, v) !== undefined;
  if (grown && valsMine && keys.attr === undefined && buffers.has(keys)) {
    // Keys and values were allocated here and are held by d alone: both grow where they are.
    appendVector(keys, k, true);
    if (vals.kind === "list") (vals.items as Value[]).push(v);
    else appendVector(vals as QVector, v, true);
    index.set(key, keys.data.length - 1);
    return d;
  }
  let nv: Value | undefined;
  if (vals.kind === "list") {
    const arr = grown && ownLists.has(vals) ? (vals.items as Value[]) : vals.items.slice();
    arr.push(v);
    const l: QList = { kind: "list", items: arr };
    ownLists.add(l);
    nv = l;
  } else if (vals.kind === "vector" && v.kind === "atom") nv = appendVector(vals, v, grown);
  if (nv === undefined) return undefined;
  const nk = appendVector(keys, k, grown);
  if (nk === undefined) return undefined;
  index.set(key, nk.data.length - 1);
  return track({ kind: "dict", keys: nk, values: nv }, index);
}

function grownView(v: QVector, buf: VectorData): QVector {
  const n = v.data.length;
  const out = vector(v.type, Array.isArray(buf) ? buf : (buf as Uint8Array).subarray(0, n));
  buffers.set(out, buf);
  return out;
}

function track(d: QDict, index: Map<string | number, number>): QDict {
  indexes.set(d, index);
  return d;
}
