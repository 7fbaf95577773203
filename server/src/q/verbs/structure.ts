// Structural helpers shared by the verbs: match, hashing keys, gather/slice, join, ordering.
//
// These work on any value shape. Vectors are handled on their typed arrays directly; general
// lists go item by item. Ordering follows q: nulls sort first (they are the smallest values of
// their type), symbols compare by text, general lists compare item by item.

import { asEnum, enumerateLike, isEnum, plainEnums } from "../enums";
import { raise } from "../errors";
import { reserveBytes } from "../limits";
import {
  type AtomValue,
  allocData,
  count,
  dict,
  enumsExist,
  index,
  isLongType,
  items,
  kForm,
  list,
  longVector,
  nullOf,
  nullValue,
  type QAtom,
  type QDict,
  type QTable,
  type QVector,
  rawList,
  storageOf,
  table,
  type Value,
  vector,
  vectorAt,
} from "../values";

// ---------------------------------------------------------------------------------------------
// Equality and keys

/** q's comparison tolerance: 2^-43 relative. */
const EPS = 2 ** -43;

/** q's tolerant float equality: equal within a relative 2^-43; nulls equal each other. */
export function floatEq(a: number, b: number): boolean {
  if (a === b) return true;
  if (Number.isNaN(a)) return Number.isNaN(b);
  if (Number.isNaN(b) || !Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= EPS * Math.max(Math.abs(a), Math.abs(b));
}

function payloadEq(t: number, a: AtomValue, b: AtomValue): boolean {
  if (t === 8 || t === 9 || t === 15) return floatEq(a as number, b as number);
  if (t === 2) return (a as Uint8Array).every((x, i) => x === (b as Uint8Array)[i]);
  return a === b;
}

/** q's match `~`: same shape, same types, same items. */
export function matchValues(a: Value, b: Value): boolean {
  if (a === b) return true;
  switch (a.kind) {
    case "atom":
      return b.kind === "atom" && a.type === b.type && payloadEq(a.type, a.v, b.v);
    case "vector": {
      if (b.kind !== "vector" || a.type !== b.type || a.data.length !== b.data.length) return false;
      const n = count(a);
      for (let i = 0; i < n; i++) if (!payloadEq(a.type, vectorAt(a, i), vectorAt(b, i))) return false;
      return true;
    }
    case "list":
      return (
        b.kind === "list" && a.items.length === b.items.length && a.items.every((x, i) => matchValues(x, b.items[i]!))
      );
    case "dict":
      return b.kind === "dict" && matchValues(a.keys, b.keys) && matchValues(a.values, b.values);
    case "table":
      return (
        b.kind === "table" &&
        a.columns.length === b.columns.length &&
        a.columns.every((c, i) => c === b.columns[i]) &&
        a.data.every((c, i) => matchValues(c, b.data[i]!))
      );
    case "identity":
      return b.kind === "identity";
    case "lambda":
      return b.kind === "lambda" && a.source === b.source;
    case "prim":
      return b.kind === "prim" && kForm(a.name) === kForm(b.name);
    case "iterator":
      return b.kind === "iterator" && a.glyph === b.glyph;
    case "projection":
      return (
        b.kind === "projection" &&
        matchValues(a.fn, b.fn) &&
        a.args.length === b.args.length &&
        a.args.every((x, i) => {
          const y = b.args[i];
          return x === undefined || y === undefined ? x === y : matchValues(x, y);
        })
      );
    case "composition":
      return (
        b.kind === "composition" && a.fns.length === b.fns.length && a.fns.every((f, i) => matchValues(f, b.fns[i]!))
      );
    case "derived":
      return b.kind === "derived" && a.iterator === b.iterator && matchValues(a.fn, b.fn);
  }
}

function payloadKey(t: number, v: AtomValue): string {
  if (t === 2) return Array.from(v as Uint8Array, (x) => x.toString(16).padStart(2, "0")).join("");
  if (typeof v === "number" && Number.isNaN(v)) return "NaN";
  if (v === 0) return "0"; // -0 and 0 are one key
  return String(v);
}

/** A string that is equal for matching values (exact, not tolerant): keys for Maps in group/distinct/find. */
export function hashKey(v: Value): string {
  switch (v.kind) {
    case "atom":
      return `${v.type}:${payloadKey(v.type, v.v)}`;
    case "vector": {
      const n = count(v);
      const parts = new Array<string>(n);
      for (let i = 0; i < n; i++) parts[i] = payloadKey(v.type, vectorAt(v, i));
      return `${v.type}[${parts.join(",")}]`;
    }
    case "list":
      return `(${v.items.map(hashKey).join(";")})`;
    case "dict":
      return `{${hashKey(v.keys)}!${hashKey(v.values)}}`;
    case "table":
      return `+${v.columns.join(",")}!${v.data.map(hashKey).join(";")}`;
    case "lambda":
      return `\u03bb${v.source}`;
    case "prim":
      return `p${v.name}`;
    default:
      return v.kind;
  }
}

/**
 * Per-item keys of a list-like value, cheap for vectors: the payload itself is a Map key
 * (numbers, bigints and strings compare by value under SameValueZero).
 */
export function itemKeys(v: Value): (string | number | bigint)[] {
  if (v.kind === "vector") {
    const n = count(v);
    const out = new Array<string | number | bigint>(n);
    if (v.type === 2) for (let i = 0; i < n; i++) out[i] = payloadKey(2, vectorAt(v, i));
    else for (let i = 0; i < n; i++) out[i] = vectorAt(v, i) as number | bigint | string;
    return out;
  }
  if (v.kind === "table") {
    const n = count(v);
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = hashKey(index(v, i));
    return out;
  }
  return items(v).map(hashKey);
}

/** The key of a single item `y` compatible with `itemKeys` of a list of type `t` (vector) or general list. */
export function keyFor(list: Value, y: Value): string | number | bigint {
  if (list.kind === "vector") {
    if (y.kind !== "atom" || y.type !== list.type) return hashKey(y);
    return y.type === 2 ? payloadKey(2, y.v) : (y.v as number | bigint | string);
  }
  return hashKey(y);
}

/** Index of the first item of `lst` matching `y`, or count if none (q's find for one item). */
export function findIndex(lst: Value, y: Value): number {
  const n = count(lst);
  if (lst.kind === "vector") {
    if (y.kind !== "atom" || y.type !== lst.type) return n;
    // Find is exact, without comparison tolerance (basics/precision: `?`, `in`, `except` are not tolerant).
    const floaty = y.type === 8 || y.type === 9 || y.type === 15;
    const eq = floaty
      ? (a: AtomValue): boolean => a === y.v || (Number.isNaN(a as number) && Number.isNaN(y.v as number))
      : (a: AtomValue): boolean => payloadEq(y.type, a, y.v);
    for (let i = 0; i < n; i++) if (eq(vectorAt(lst, i))) return i;
    return n;
  }
  for (let i = 0; i < n; i++) if (matchValues(index(lst, i), y)) return i;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Gather, slice, join

/** Items of v at positions idx; positions out of range give the null item. */
export function gather(v: Value, idx: ArrayLike<number>): Value {
  switch (v.kind) {
    case "vector":
      return gatherVector(v, idx);
    case "list": {
      const out = new Array<Value>(idx.length);
      const n = v.items.length;
      for (let k = 0; k < idx.length; k++) {
        const i = idx[k]!;
        out[k] = i >= 0 && i < n ? v.items[i]! : nullOf(v);
      }
      return list(out);
    }
    case "table":
      return table(
        v.columns,
        v.data.map((c) => gather(c, idx)),
      );
    case "dict":
      return dict(gather(v.keys, idx), gather(v.values, idx));
    default:
      return raise("type");
  }
}

export function gatherVector(v: QVector, idx: ArrayLike<number>): QVector {
  const n = count(v);
  const m = idx.length;
  const t = v.type;
  if (t === 2) {
    const src = v.data as Uint8Array;
    const out = new Uint8Array(16 * m);
    for (let k = 0; k < m; k++) {
      const i = idx[k]!;
      if (i >= 0 && i < n) out.set(src.subarray(16 * i, 16 * i + 16), 16 * k);
    }
    return vector(2, out);
  }
  let inRange = true;
  for (let k = 0; k < m && inRange; k++) inRange = idx[k]! >= 0 && idx[k]! < n;
  if (isLongType(t) && !inRange) {
    const vals = new Array<number | bigint>(m);
    for (let k = 0; k < m; k++) {
      const i = idx[k]!;
      vals[k] = i >= 0 && i < n ? (vectorAt(v, i) as number | bigint) : (nullValue(t) as bigint);
    }
    return longVector(vals, t);
  }
  const src = v.data;
  const out = Array.isArray(src) ? new Array<string>(m) : allocLike(src, m);
  const nul = nullValue(t);
  for (let k = 0; k < m; k++) {
    const i = idx[k]!;
    (out as unknown as AtomValue[])[k] = i >= 0 && i < n ? src[i]! : nul;
  }
  return vector(t, out as QVector["data"]);
}

function allocLike(src: Exclude<QVector["data"], string[]>, n: number): Exclude<QVector["data"], string[]> {
  reserveBytes(n * src.BYTES_PER_ELEMENT);
  return new (src.constructor as new (n: number) => Exclude<QVector["data"], string[]>)(n);
}

/** Items start..end-1 of a list-like value (in range). */
export function sliceValue(v: Value, start: number, end: number): Value {
  switch (v.kind) {
    case "vector": {
      const w = v.type === 2 ? 16 : 1;
      return vector(v.type, v.data.slice(start * w, end * w) as QVector["data"]);
    }
    case "list":
      return list(v.items.slice(start, end));
    case "table":
      return table(
        v.columns,
        v.data.map((c) => sliceValue(c, start, end)),
      );
    case "dict":
      return dict(sliceValue(v.keys, start, end), sliceValue(v.values, start, end));
    default:
      return raise("type");
  }
}

/** q's join `,`. */
export function joinValues(x: Value, y: Value): Value {
  const simple = (v: Value): v is QAtom | QVector => v.kind === "atom" || v.kind === "vector";
  if (simple(x) && simple(y) && x.type === y.type) return concatSame(x, y);
  // Enumerations over different domains, or beside plain symbols, join as the symbols they stand
  // for; two atoms stay two items (code.kx.com/q/ref/join).
  if (enumsExist() && (isEnum(x) || isEnum(y))) {
    if (x.kind === "atom" && y.kind === "atom") return rawList([x, y]);
    return joinValues(plainEnums(x), plainEnums(y));
  }
  if (x.kind === "table" && y.kind === "table") return joinTables(x, y);
  const keyed = isKeyedTable(x) ? x : undefined;
  if (keyed !== undefined) {
    if (isKeyedTable(y)) return upsertKeyed(keyed, y);
    if (y.kind === "dict") return upsertKeyed(keyed, splitRow(keyed, rowTable(y)));
    if (y.kind === "list" || y.kind === "vector") {
      const t = rowsTable([...keyed.keys.columns, ...keyed.values.columns], y);
      return upsertKeyed(keyed, splitRow(keyed, t));
    }
  }
  if (x.kind === "table" && (y.kind === "list" || y.kind === "vector")) return joinTables(x, rowsTable(x.columns, y));
  if (x.kind === "dict" && y.kind === "dict") {
    const vals = items(x.values);
    const extraK: Value[] = [];
    const extraV: Value[] = [];
    const yk = items(y.keys);
    yk.forEach((k, j) => {
      const i = findIndex(x.keys, k);
      if (i < vals.length) vals[i] = index(y.values, j);
      else {
        extraK.push(k);
        extraV.push(index(y.values, j));
      }
    });
    return dict(extraK.length ? joinValues(x.keys, list(extraK)) : x.keys, list([...vals, ...extraV]));
  }
  if (x.kind === "table" && y.kind === "dict") return joinValues(x, rowTable(y));
  return list([...asItems(x), ...asItems(y)]);
}

/**
 * What `x,:y` appends: it amends x in place, so a typed vector (or a typed table or dictionary
 * column) takes only items of its own type ('type otherwise), and a list of lists takes a vector
 * as one more item (code.kx.com/q/ref/join: "s,:4 5 6" keeps the rank).
 */
export function appendOperand(x: Value, y: Value): Value {
  // `e,:y` enumerates y's symbols into e's domain ('cast when one is not there); `s,:e` appends symbols.
  if (enumsExist()) {
    const e = asEnum(x);
    if (e !== undefined && e.kind === "vector") y = enumerateLike(e, y);
    else if (x.kind === "vector" && x.type === 11) y = plainEnums(y);
  }
  const clash = (a: Value, b: Value) =>
    a.kind === "vector" && (b.kind === "vector" || b.kind === "atom") && a.type !== b.type;
  if (clash(x, y)) raise("type");
  if (x.kind === "table" && y.kind === "table")
    x.columns.forEach((c, i) => {
      const j = y.columns.indexOf(c);
      if (j >= 0 && clash(x.data[i]!, y.data[j]!)) raise("type");
    });
  if (x.kind === "dict" && y.kind === "dict" && x.values.kind === "vector" && clash(x.values, y.values)) raise("type");
  if (x.kind === "list" && x.items.length > 0 && y.kind === "vector" && x.items.every((v) => v.kind === "vector"))
    return list([y]);
  return y;
}

type KeyedTable = QDict & { keys: QTable; values: QTable };
const isKeyedTable = (v: Value): v is KeyedTable =>
  v.kind === "dict" && v.keys.kind === "table" && v.values.kind === "table";

/** A dictionary of column name -> value as a one-row table. */
const rowTable = (d: QDict): QTable =>
  table(
    items(d.keys).map(symText),
    items(d.values).map((v) => list([v])),
  );

/** `t,(5;6)` is one row; `t,(7 8;9 10)` a list of rows (code.kx.com/q/ref/join). */
function rowsTable(columns: readonly string[], y: Value): QTable {
  const its = items(y);
  const oneRow = its.length === columns.length && its.every((v) => v.kind === "atom");
  const rows = oneRow ? [y] : its;
  if (rows.some((r) => r.kind === "atom" || count(r) !== columns.length)) raise("length");
  return table(
    columns,
    columns.map((_, j) => list(rows.map((r) => index(r, j)))),
  );
}

/** A table of rows split into the key and value columns of `like`. */
function splitRow(like: KeyedTable, t: QTable): KeyedTable {
  const pick = (names: readonly string[]) =>
    table(
      names.filter((c) => t.columns.includes(c)),
      names.filter((c) => t.columns.includes(c)).map((c) => t.data[t.columns.indexOf(c)]!),
    );
  const k = pick(like.keys.columns);
  if (k.columns.length !== like.keys.columns.length) raise("mismatch");
  return dict(k, pick(t.columns.filter((c) => !like.keys.columns.includes(c)))) as KeyedTable;
}

/** `n` nulls of a column's kind, for the rows of a join that lack that column. */
const nullColumn = (col: Value, n: number): Value => list(Array.from({ length: n }, () => nullOf(col)));

/**
 * Tables join by rows. The rows joined may lack some of x's columns (filled with nulls, as
 * `t,:([]b:6 7)` on ref/join shows) but not bring new ones (`s,t` on ref/uj: 'mismatch).
 */
function joinTables(x: QTable, y: QTable): QTable {
  if (y.columns.some((c) => !x.columns.includes(c))) raise("mismatch");
  const ny = count(y);
  return table(
    x.columns,
    x.columns.map((c, i) => {
      const j = y.columns.indexOf(c);
      return joinValues(x.data[i]!, j >= 0 ? y.data[j]! : nullColumn(x.data[i]!, ny));
    }),
  );
}

/** Keyed tables join as an upsert: a row whose key is present replaces the columns it has, others append. */
function upsertKeyed(x: KeyedTable, y: KeyedTable): Value {
  if (y.keys.columns.length !== x.keys.columns.length || y.keys.columns.some((c, i) => c !== x.keys.columns[i]))
    raise("mismatch");
  const rowKey = (t: QTable, r: number) => t.data.map((c) => hashKey(index(c, r))).join("\u0001");
  const at = new Map<string, number>();
  const nx = count(x.keys);
  for (let r = 0; r < nx; r++) at.set(rowKey(x.keys, r), r);
  const keyCols = x.keys.data.map(items);
  if (y.values.columns.some((c) => !x.values.columns.includes(c))) raise("mismatch");
  const valNames = x.values.columns;
  const valCols = x.values.data.map(items);
  const ny = count(y.keys);
  for (let r = 0; r < ny; r++) {
    let row = at.get(rowKey(y.keys, r));
    if (row === undefined) {
      row = keyCols[0]!.length;
      at.set(rowKey(y.keys, r), row);
      keyCols.forEach((col, k) => {
        col.push(index(y.keys.data[k]!, r));
      });
      valNames.forEach((c, k) => {
        const j = y.values.columns.indexOf(c);
        valCols[k]!.push(j >= 0 ? index(y.values.data[j]!, r) : nullOf(x.values.data[x.values.columns.indexOf(c)]!));
      });
      continue;
    }
    y.values.columns.forEach((c, j) => {
      valCols[valNames.indexOf(c)]![row!] = index(y.values.data[j]!, r);
    });
  }
  return dict(table(x.keys.columns, keyCols.map(list)), table(valNames, valCols.map(list)));
}

const symText = (v: Value): string => (v.kind === "atom" && v.type === 11 ? (v.v as string) : raise("type"));

/** The items a value contributes to a join: atoms and functions are one item. */
export function asItems(v: Value): Value[] {
  if (v.kind === "list" || v.kind === "vector" || v.kind === "table") return items(v);
  if (v.kind === "dict") return raise("type");
  return [v];
}

/**
 * Atoms and vectors of one type t joined in one allocation: `raze` of many pieces stays linear
 * (joining them pairwise copies the growing prefix each time).
 */
export function concatMany(t: number, parts: readonly (QAtom | QVector)[]): QVector {
  let n = 0;
  let big = false;
  for (const p of parts) {
    n += p.kind === "vector" ? p.data.length : 1;
    if (p.kind === "vector" ? p.data instanceof BigInt64Array : typeof p.v === "bigint") big = true;
  }
  const st = storageOf(t);
  // The memory budget (limits.ts) sees the one buffer before it is allocated.
  reserveBytes(8 * n);
  if (st === "sym") {
    const out = new Array<string>(n);
    let k = 0;
    for (const p of parts) {
      if (p.kind === "atom") out[k++] = p.v as string;
      else for (const e of p.data as string[]) out[k++] = e;
    }
    return vector(t, out);
  }
  if (st === "long") {
    reserveBytes(8 * n);
    const out = big ? new BigInt64Array(n) : new Float64Array(n);
    let k = 0;
    for (const p of parts) {
      if (p.kind === "atom") out[k++] = (big ? BigInt(p.v as number | bigint) : p.v) as never;
      else if (!big) {
        (out as Float64Array).set(p.data as Float64Array, k);
        k += p.data.length;
      } else {
        const d = p.data as ArrayLike<number | bigint>;
        for (let i = 0; i < d.length; i++) out[k++] = BigInt(d[i]!) as never;
      }
    }
    return longVector(out, t);
  }
  // Every other storage holds one array element per item (guid callers join pairwise).
  const out = allocData(t, n) as Uint8Array;
  let k = 0;
  for (const p of parts) {
    if (p.kind === "vector") {
      out.set(p.data as Uint8Array, k);
      k += p.data.length;
    } else out[k++] = p.v as number;
  }
  return vector(t, out);
}

function concatSame(x: QAtom | QVector, y: QAtom | QVector): QVector {
  const t = x.type;
  const part = (v: QAtom | QVector): QVector => (v.kind === "vector" ? v : (vectorOfOne(t, v.v) as QVector));
  const a = part(x);
  const b = part(y);
  if (storageOf(t) === "long") {
    const ad = a.data as Float64Array | BigInt64Array;
    const bd = b.data as Float64Array | BigInt64Array;
    reserveBytes(8 * (ad.length + bd.length));
    if (ad instanceof Float64Array && bd instanceof Float64Array) {
      const out = new Float64Array(ad.length + bd.length);
      out.set(ad);
      out.set(bd, ad.length);
      return longVector(out, t);
    }
    const out = new BigInt64Array(ad.length + bd.length);
    for (let i = 0; i < ad.length; i++) out[i] = BigInt(ad[i]!);
    for (let i = 0; i < bd.length; i++) out[ad.length + i] = BigInt(bd[i]!);
    return longVector(out, t);
  }
  if (Array.isArray(a.data)) return vector(t, [...a.data, ...(b.data as string[])]);
  const ad = a.data as Exclude<QVector["data"], string[]>;
  const out = allocLike(ad, ad.length + b.data.length);
  (out as Uint8Array).set(ad as Uint8Array);
  (out as Uint8Array).set(b.data as Uint8Array, ad.length);
  return vector(t, out);
}

function vectorOfOne(t: number, v: AtomValue): QVector {
  const d = allocData(t, 1);
  if (t === 2) (d as Uint8Array).set(v as Uint8Array);
  else if (storageOf(t) === "long") return longVector([v as number | bigint], t);
  else (d as unknown as AtomValue[])[0] = v;
  return vector(t, d);
}

/** `enlist x`: a one-item list (a one-item vector for atoms). */
export function enlist(x: Value): Value {
  if (x.kind === "atom") return vectorOfOne(x.type, x.v);
  if (x.kind === "dict" && x.keys.kind === "vector" && x.keys.type === 11)
    return table(
      (x.keys.data as string[]).slice(),
      items(x.values).map((v) => enlist(v)),
    );
  return { kind: "list", items: [x] };
}

// ---------------------------------------------------------------------------------------------
// Ordering

/** Numeric view of a payload for ordering (nulls are the smallest values). */
function orderNum(v: AtomValue): number | bigint {
  if (typeof v === "number" && Number.isNaN(v)) return Number.NEGATIVE_INFINITY;
  return v as number | bigint;
}

/** Total order over atoms used by sorting and `<` on mixed lists. */
export function compareAtoms(a: QAtom, b: QAtom): number {
  // Atoms of different types (in a general list) order by type first, as q's sort does.
  if (a.type !== b.type) return a.type - b.type;
  if (a.type === 11) return cmpStr(a.v as string, b.v as string);
  if (a.type === 2 || b.type === 2 || a.type === 11 || b.type === 11) {
    if (a.type !== b.type) return a.type - b.type;
    return cmpStr(payloadKey(a.type, a.v), payloadKey(b.type, b.v));
  }
  const x = orderNum(a.v);
  const y = orderNum(b.v);
  if (x === y) return 0;
  // NaN nulls are -Infinity here, so they sort first; mixed number/bigint compare fine in JS.
  if (x === Number.NEGATIVE_INFINITY && Number.isNaN(a.v as number))
    return y === x && Number.isNaN(b.v as number) ? 0 : -1;
  if (y === Number.NEGATIVE_INFINITY && Number.isNaN(b.v as number)) return 1;
  return x < y ? -1 : 1;
}

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Total order over values: atoms by value, lists lexicographically. */
export function compareValues(a: Value, b: Value): number {
  if (a.kind === "atom" && b.kind === "atom") return compareAtoms(a, b);
  const la = a.kind === "vector" || a.kind === "list";
  const lb = b.kind === "vector" || b.kind === "list";
  if (la && lb) {
    const n = Math.min(count(a), count(b));
    for (let i = 0; i < n; i++) {
      const c = compareValues(index(a, i), index(b, i));
      if (c) return c;
    }
    return count(a) - count(b);
  }
  if (la) return 1;
  if (lb) return -1;
  return 0;
}

/**
 * Stable grade of integer-valued vectors without a comparator: each item becomes the composite
 * key (rank of value)*n + index in a Float64Array, which sorts natively; works while the keys
 * stay below 2^53. Returns undefined when the vector does not qualify.
 */
function gradeIntegers(v: QVector, desc: boolean): Int32Array | undefined {
  const d = v.data;
  if (
    !(
      d instanceof Int32Array ||
      d instanceof Int16Array ||
      d instanceof Uint8Array ||
      (d instanceof Float64Array && isLongType(v.type))
    )
  )
    return undefined;
  const n = d.length;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const e = d[i]!;
    if (e < lo) lo = e;
    if (e > hi) hi = e;
  }
  if (!n || (hi - lo + 1) * n >= 2 ** 53) return undefined;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (desc ? hi - d[i]! : d[i]! - lo) * n + i;
  keys.sort();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = keys[i]! % n;
  return out;
}

/** Stable grade of a list-like value: ascending (q's `iasc`) or descending (`idesc`); ties keep index order. */
export function grade(v: Value, desc = false): Int32Array {
  const n = count(v);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const s = desc ? -1 : 1;
  const by = (cmp: (i: number, j: number) => number): Int32Array => idx.sort((i, j) => s * cmp(i, j) || i - j);
  if (v.kind === "vector") {
    const fast = gradeIntegers(v, desc);
    if (fast) return fast;
    const t = v.type;
    const d = v.data;
    if (t === 11) {
      const str = d as string[];
      return by((i, j) => cmpStr(str[i]!, str[j]!));
    }
    if (t === 2) {
      const keys = itemKeys(v) as string[];
      return by((i, j) => cmpStr(keys[i]!, keys[j]!));
    }
    if (d instanceof Float64Array || d instanceof Float32Array) {
      const k = (i: number): number => (Number.isNaN(d[i]!) ? Number.NEGATIVE_INFINITY : d[i]!);
      const nan = (i: number): number => (Number.isNaN(d[i]!) ? 0 : 1);
      return by((i, j) => nan(i) - nan(j) || (k(i) < k(j) ? -1 : k(i) > k(j) ? 1 : 0));
    }
    const num = d as Int32Array | Int16Array | Uint8Array | BigInt64Array;
    return by((i, j) => (num[i]! < num[j]! ? -1 : num[i]! > num[j]! ? 1 : 0));
  }
  if (v.kind === "table")
    return by((i, j) => {
      for (const c of v.data) {
        const r = compareValues(index(c, i), index(c, j));
        if (r) return r;
      }
      return 0;
    });
  if (v.kind === "dict") return grade(v.values, desc);
  if (v.kind !== "list") return raise("type");
  const its = v.items;
  return by((i, j) => compareValues(its[i]!, its[j]!));
}
