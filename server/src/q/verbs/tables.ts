// Tables, keyed tables and dictionaries as pure functions over the value representation.
//
// A table is a list of named, equal-length columns; a keyed table is a dict whose keys and
// values are both tables (`([k:...] v:...)`). Joins work row-wise through per-row keys: the
// items of the key columns of one row, hashed to one string, find matching rows in a Map. A
// "merge" then lays the matched rows of a right table over a left table: where a row matched,
// the right table's columns win (and new columns are added); where it did not, the left
// values stay and new columns hold their null. lj, ij, aj and uj are all built from that.
// Errors follow q: 'type for non-table arguments, 'mismatch for disagreeing columns.

import { asEnum, domainList, isEnum, resolveDomain } from "../enums";
import { raise } from "../errors";
import {
  atom,
  count,
  dict,
  type EvalContext,
  emptyVector,
  enumDomain,
  index,
  isNullValue,
  items,
  list,
  type QDict,
  type QTable,
  rawList,
  syms,
  TYPE_CHARS,
  table,
  type Value,
  type VerbDef,
  vector,
} from "../values";
import { compareValues, gather, grade, itemKeys, joinValues } from "./structure";

// ---------------------------------------------------------------------------------------------
// Shapes

/** True for a keyed table: a dict of two tables. */
export function isKeyedTable(v: Value): v is QDict & { keys: QTable; values: QTable } {
  return v.kind === "dict" && v.keys.kind === "table" && v.values.kind === "table";
}

/** Symbol names of a symbol atom or vector (anything else is 'type). */
export function symNames(v: Value): string[] {
  if (v.kind === "atom" && v.type === 11) return [v.v as string];
  if (v.kind === "vector" && v.type === 11) return (v.data as string[]).slice();
  if (v.kind === "list" && v.items.length === 0) return [];
  return raise("type");
}

/** The column named `name`, or undefined. */
export function tableColumn(t: QTable, name: string): Value | undefined {
  const i = t.columns.indexOf(name);
  return i < 0 ? undefined : t.data[i];
}

/** Row i of a table as a dict of column name to item (q's `t i`). */
export function tableRow(t: QTable, i: number): Value {
  return index(t, i);
}

/** A keyed table back to a simple table: key columns then value columns (`0!kt`). */
export function unkey(v: Value): QTable {
  if (v.kind === "table") return v;
  if (isKeyedTable(v)) return table([...v.keys.columns, ...v.values.columns], [...v.keys.data, ...v.values.data]);
  return raise("type");
}

/** `n!t`: key a table on its first n columns (`0!t` unkeys). */
export function keyFirst(n: number, v: Value): Value {
  const t = unkey(v);
  if (n === 0) return t;
  if (n < 0 || n >= t.columns.length) return raise("length");
  return dict(table(t.columns.slice(0, n), t.data.slice(0, n)), table(t.columns.slice(n), t.data.slice(n)));
}

/** `` `a`b xkey t ``: key a table on the named columns (moved to the front). */
export function xkey(names: string[], v: Value): Value {
  const t = reorderColumns(names, unkey(v));
  return names.length === 0 ? t : keyFirst(names.length, t);
}

/** The columns of a table or keyed table, the keys of a dict (`cols`). */
export function columnNames(v: Value): string[] {
  if (v.kind === "table") return v.columns.slice();
  if (isKeyedTable(v)) return [...v.keys.columns, ...v.values.columns];
  if (v.kind === "dict") return symNames(v.keys);
  return raise("type");
}

/** Builds a table from columns, extending atoms to the common length (flip's rule). */
function tableFromColumns(names: string[], cols: Value[]): QTable {
  let n = -1;
  for (const c of cols) {
    if (c.kind === "vector" || c.kind === "list") {
      if (n >= 0 && count(c) !== n) raise("length");
      n = count(c);
    }
  }
  if (n < 0) return raise("rank");
  return table(
    names,
    cols.map((c) => (c.kind === "vector" || c.kind === "list" ? c : list(Array.from({ length: n }, () => c)))),
  );
}

/** `flip`: dict ↔ table, and transposition of a list of equal-length lists. */
export function flip(v: Value): Value {
  switch (v.kind) {
    case "table":
      return dict(syms(v.columns.slice()), rawList(v.data.slice()));
    case "dict": {
      if (isKeyedTable(v)) return raise("type");
      return tableFromColumns(symNames(v.keys), items(v.values));
    }
    case "list": {
      const rows = v.items;
      if (rows.length === 0) return v;
      let n = -1;
      for (const r of rows) {
        if (r.kind === "vector" || r.kind === "list") {
          if (n >= 0 && count(r) !== n) raise("length");
          n = count(r);
        }
      }
      if (n < 0) return raise("rank");
      const out: Value[] = [];
      for (let j = 0; j < n; j++)
        out.push(list(rows.map((r) => (r.kind === "vector" || r.kind === "list" ? index(r, j) : r))));
      return list(out);
    }
    default:
      return raise("rank");
  }
}

/**
 * `(f;x) fby g` (code.kx.com/q/ref/fby): groups the rows of x by g (a list, or a table for
 * several columns), applies f to each group's items and puts the result back on the group's
 * rows: an atom on every row, a list of the group's length item by item.
 */
export function fby(x: Value, g: Value, apply: (f: Value, args: Value[]) => Value): Value {
  if (x.kind !== "list" || x.items.length !== 2) return raise("type");
  const [f, data] = x.items as [Value, Value];
  const n = count(g);
  if (count(data) !== n) raise("length");
  const keys = itemKeys(g);
  const groups = new Map<string | number | bigint, number[]>();
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    const rows = groups.get(k);
    if (rows === undefined) groups.set(k, [i]);
    else rows.push(i);
  }
  const out = new Array<Value>(n);
  for (const rows of groups.values()) {
    const r = apply(f, [gather(data, Int32Array.from(rows))]);
    if (r.kind === "atom" || count(r) !== rows.length) for (const i of rows) out[i] = r;
    else for (let j = 0; j < rows.length; j++) out[rows[j]!] = index(r, j);
  }
  // No rows: the type f gives on no items, as q's (#y)#f 0#x does.
  return n === 0 ? take0(apply(f, [gather(data, new Int32Array(0))])) : list(out);
}

const take0 = (v: Value): Value => (v.kind === "atom" ? emptyVector(v.type) : gather(v, new Int32Array(0)));

// ---------------------------------------------------------------------------------------------
// Column selection and ordering

/** `` `a`b#t `` on a table, `` `a`b#d `` on a dict: keep the named columns / keys in that order. */
export function takeKeys(names: string[], v: Value): Value {
  if (v.kind === "table") {
    return table(
      names,
      names.map((n) => tableColumn(v, n) ?? raise(n)),
    );
  }
  if (isKeyedTable(v)) return dict(v.keys, takeKeys(names, v.values));
  if (v.kind === "dict") {
    const keys = symNames(v.keys);
    const idx = names.map((n) => keys.indexOf(n));
    return dict(syms(names), gather(v.values, Int32Array.from(idx)));
  }
  return raise("type");
}

/** `` `a`b _ t `` / `` `a _ d ``: drop the named columns / keys. */
export function dropKeys(names: string[], v: Value): Value {
  if (v.kind === "table")
    return takeKeys(
      v.columns.filter((c) => !names.includes(c)),
      v,
    );
  if (isKeyedTable(v)) return dict(v.keys, dropKeys(names, v.values));
  if (v.kind === "dict") {
    const keys = symNames(v.keys);
    const keep: number[] = [];
    keys.forEach((k, i) => {
      if (!names.includes(k)) keep.push(i);
    });
    return dict(gather(v.keys, Int32Array.from(keep)), gather(v.values, Int32Array.from(keep)));
  }
  return raise("type");
}

/** `xcols`: the named columns first, the rest after in their order. */
export function reorderColumns(names: string[], v: Value): QTable {
  const t = v.kind === "table" ? v : raise("type");
  for (const n of names) if (!t.columns.includes(n)) raise(n);
  return takeKeys([...names, ...t.columns.filter((c) => !names.includes(c))], t) as QTable;
}

/** `xcol`: rename the first columns (a symbol list) or the ones a dict old!new names. */
export function renameColumns(spec: Value, v: Value): Value {
  const rename = (cols: readonly string[]): string[] => {
    if (spec.kind === "dict") {
      const from = symNames(spec.keys);
      const to = symNames(spec.values);
      // A name that is not a column signals (code.kx.com/q/ref/cols#xcol).
      if (from.some((c) => !cols.includes(c))) raise("length");
      return cols.map((c) => (from.includes(c) ? (to[from.indexOf(c)] as string) : c));
    }
    const names = symNames(spec);
    if (names.length > cols.length) raise("length");
    return cols.map((c, i) => (i < names.length ? (names[i] as string) : c));
  };
  if (v.kind === "table") return table(rename(v.columns), v.data);
  if (isKeyedTable(v)) {
    const all = rename([...v.keys.columns, ...v.values.columns]);
    const k = v.keys.columns.length;
    return dict(table(all.slice(0, k), v.keys.data), table(all.slice(k), v.values.data));
  }
  return raise("type");
}

/** Stable row order of a table by several columns (last column first, as a radix of grades). */
function sortIndex(t: QTable, names: string[], desc: boolean): Int32Array {
  let perm = Int32Array.from({ length: count(t) }, (_, i) => i);
  for (let k = names.length - 1; k >= 0; k--) {
    const col = tableColumn(t, names[k] as string) ?? raise(names[k] as string);
    const g = grade(gather(col, perm), desc);
    perm = Int32Array.from(g, (i) => perm[i] as number);
  }
  return perm;
}

/** `xasc` / `xdesc`: sort a (keyed) table by the named columns; xasc marks the first sorted. */
export function sortTable(names: string[], v: Value, desc: boolean): Value {
  if (isKeyedTable(v)) {
    const sorted = sortTable(names, unkey(v), desc) as QTable;
    return keyFirst(v.keys.columns.length, sorted);
  }
  if (v.kind !== "table") return raise("type");
  const perm = sortIndex(v, names, desc);
  const data = v.data.map((c) => gather(c, perm));
  const first = names.length ? v.columns.indexOf(names[0] as string) : -1;
  const lead = data[first];
  if (!desc && lead && lead.kind === "vector") data[first] = vector(lead.type, lead.data, "s");
  return table(v.columns, data);
}

// ---------------------------------------------------------------------------------------------
// Row keys, grouping

/** One string per row that is equal exactly when the rows' items match. */
export function rowKeys(cols: readonly Value[]): string[] {
  const n = cols.length ? count(cols[0] as Value) : 0;
  if (cols.length === 1) return itemKeys(cols[0] as Value).map((k) => `${typeof k}:${String(k)}`);
  const parts = cols.map((c) => itemKeys(c));
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = parts.map((p) => `${typeof p[i]}:${String(p[i])}`).join("\u0001");
  return out;
}

/**
 * Groups row positions by the values of the key columns, in order of first appearance:
 * `keys` holds each key column's distinct rows, `indices` the row positions of each group.
 * This is what `by` in select/exec and `group` on tables need.
 */
export function groupRows(keyCols: readonly Value[]): { keys: Value[]; indices: Int32Array[] } {
  const rk = rowKeys(keyCols);
  const groups = new Map<string, number[]>();
  rk.forEach((k, i) => {
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  const indices = [...groups.values()].map((g) => Int32Array.from(g));
  const firsts = Int32Array.from(indices, (g) => g[0] as number);
  return { keys: keyCols.map((c) => gather(c, firsts)), indices };
}

// ---------------------------------------------------------------------------------------------
// Joins

/** Index of the matching row of `right` for each row of `left`, on `names`; -1 where none. */
function matchRows(left: QTable, right: QTable, names: readonly string[]): Int32Array {
  const lk = rowKeys(names.map((n) => tableColumn(left, n) ?? raise(n)));
  const rk = rowKeys(names.map((n) => tableColumn(right, n) ?? raise(n)));
  const first = new Map<string, number>();
  rk.forEach((k, i) => {
    if (!first.has(k)) first.set(k, i);
  });
  return Int32Array.from(lk, (k) => first.get(k) ?? -1);
}

/** Column `c` where matched rows (idx >= 0) take `over`'s item and the others keep `base`'s. */
function overlay(base: Value, over: Value, idx: Int32Array, fill: boolean): Value {
  const n = idx.length;
  if (n === 0) return base;
  const out = new Array<Value>(n);
  for (let i = 0; i < n; i++) {
    const v = (idx[i] as number) >= 0 ? index(over, idx[i] as number) : undefined;
    out[i] = v !== undefined && !(fill && isNullItem(v)) ? v : index(base, i);
  }
  return list(out);
}

const isNullItem = (v: Value): boolean => v.kind === "atom" && isNullValue(v.type, v.v);

/**
 * Lays rows `idx` of `right` over `left` (same row count as idx): right's columns replace
 * left's where matched; right's new columns are appended, null where unmatched.
 */
function mergeRows(left: QTable, right: QTable, idx: Int32Array, fill = false): QTable {
  const columns = left.columns.slice();
  const data = left.data.slice();
  right.columns.forEach((name, j) => {
    const col = right.data[j] as Value;
    const at = columns.indexOf(name);
    if (at < 0) {
      columns.push(name);
      data.push(gather(col, idx));
    } else data[at] = overlay(data[at] as Value, col, idx, fill);
  });
  return table(columns, data);
}

function asTable(v: Value): QTable {
  return v.kind === "table" ? v : isKeyedTable(v) ? unkey(v) : raise("type");
}

/** Applies a join to the rows of a (possibly keyed) left table, keeping its keys. */
function onRows(x: Value, f: (t: QTable) => QTable): Value {
  if (isKeyedTable(x)) {
    const k = x.keys.columns.length;
    return keyFirst(k, f(unkey(x)));
  }
  return f(asTable(x));
}

/** `x lj y`: left join against keyed table y. */
export function leftJoin(x: Value, y: Value, fill = false): Value {
  // The general empty list joins nothing (code.kx.com/q/ref/lj).
  if (y.kind === "list" && y.items.length === 0 && (x.kind === "table" || isKeyedTable(x))) return x;
  if (!isKeyedTable(y)) return raise("type");
  return onRows(x, (t) => mergeRows(t, y.values, matchRows(t, y.keys, y.keys.columns), fill));
}

/** `x ij y`: the rows of x with a match in keyed table y, joined with y's values. */
export function innerJoin(x: Value, y: Value, fill = false): Value {
  if (!isKeyedTable(y)) return raise("type");
  return onRows(x, (t) => {
    const idx = matchRows(t, y.keys, y.keys.columns);
    const keep = Int32Array.from(idx.keys()).filter((i) => (idx[i] as number) >= 0);
    return mergeRows(
      gather(t, keep) as QTable,
      y.values,
      Int32Array.from(keep, (i) => idx[i] as number),
      fill,
    );
  });
}

/** `x pj y`: plus join: add y's matching values to x's (missing rows add nothing). */
export function plusJoin(x: Value, y: Value, ctx: EvalContext, plus: Value): Value {
  if (!isKeyedTable(y)) return raise("type");
  return onRows(x, (t) => {
    const idx = matchRows(t, y.keys, y.keys.columns);
    const columns = t.columns.slice();
    const data = t.data.slice();
    y.values.columns.forEach((name, j) => {
      const col = y.values.data[j] as Value;
      const rows = Array.from(idx, (i) => (i >= 0 ? index(col, i) : undefined));
      const at = columns.indexOf(name);
      // q fills y's missing values with 0 before adding (`0i^`), so unmatched rows add zero.
      const zero = col.kind === "vector" ? atom(col.type, 0) : atom(7, 0);
      const added = rows.map((r, i) => {
        const base = at >= 0 ? index(data[at] as Value, i) : undefined;
        if (r === undefined) return base ?? zero;
        return base === undefined ? r : ctx.apply(plus, [base, r]);
      });
      const newCol = added.length ? list(added) : gather(col, idx);
      if (at < 0) {
        columns.push(name);
        data.push(newCol);
      } else data[at] = newCol;
    });
    return table(columns, data);
  });
}

/** `ej[c;x;y]`: equi join on columns c, one result row per matching pair. */
export function equiJoin(names: string[], x: Value, y: Value): Value {
  const l = asTable(x);
  const r = asTable(y);
  const rk = rowKeys(names.map((n) => tableColumn(r, n) ?? raise(n)));
  const lk = rowKeys(names.map((n) => tableColumn(l, n) ?? raise(n)));
  const byKey = new Map<string, number[]>();
  rk.forEach((k, i) => {
    const g = byKey.get(k);
    if (g) g.push(i);
    else byKey.set(k, [i]);
  });
  const li: number[] = [];
  const ri: number[] = [];
  lk.forEach((k, i) => {
    for (const j of byKey.get(k) ?? []) {
      li.push(i);
      ri.push(j);
    }
  });
  const right = dropKeys(names, r) as QTable;
  return mergeRows(gather(l, Int32Array.from(li)) as QTable, right, Int32Array.from(ri));
}

/** Nulls of a column's type for n rows (the fill for a column a table lacks). */
function nullColumn(col: Value, n: number): Value {
  return gather(col, new Int32Array(n).fill(-1));
}

/** Columns of `t` extended with `names` it lacks (nulls shaped like `like`'s columns). */
function fillColumns(t: QTable, like: QTable): QTable {
  const n = count(t);
  const extra = like.columns.filter((c) => !t.columns.includes(c));
  return table(
    [...t.columns, ...extra],
    [...t.data, ...extra.map((c) => nullColumn(tableColumn(like, c) as Value, n))],
  );
}

/** `x uj y`: union join: all columns of both; keyed tables merge on key, others append rows. */
export function unionJoin(x: Value, y: Value): Value {
  if (x.kind === "list" && x.items.length === 0) return y;
  if (y.kind === "list" && y.items.length === 0) return x;
  if (x.kind === "table" && y.kind === "table") {
    const a = fillColumns(x, y);
    const b = fillColumns(y, x);
    return table(
      a.columns,
      a.columns.map((c, i) => joinValues(a.data[i] as Value, tableColumn(b, c) as Value)),
    );
  }
  if (isKeyedTable(x) && isKeyedTable(y)) {
    const keyNames = x.keys.columns;
    const xt = unkey(x);
    const yt = unkey(y);
    const idx = matchRows(yt, xt, keyNames);
    const fresh = Int32Array.from(idx.keys()).filter((i) => (idx[i] as number) < 0);
    const grown = unionJoin(xt, takeKeys(keyNames.slice(), gather(yt, fresh)) as QTable) as QTable;
    return leftJoin(keyFirst(keyNames.length, grown), y);
  }
  return raise("type");
}

/** Binary search: the last position in sorted `times` whose value is <= t, or -1. */
function lastAtOrBefore(times: Value[], t: Value): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareValues(times[mid] as Value, t) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * `aj[c;t;q]` (fromQuote false) and `aj0` (true): for each row of t, the last row of q with
 * equal values in all but the last column of c and a last-column value at or before t's.
 * aj keeps t's value of the time column, aj0 takes q's.
 */
export function asofJoin(names: string[], x: Value, y: Value, fromQuote: boolean, fill = false): Value {
  const t = asTable(x);
  const q = asTable(y);
  const { groups, tKeys, tTimes } = quoteGroups(names, t, q);
  const m = count(t);
  const idx = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const g = groups.get(tKeys[i] ?? "");
    const at = g ? lastAtOrBefore(g.times, index(tTimes, i)) : -1;
    idx[i] = g && at >= 0 ? (g.rows[at] as number) : -1;
  }
  const right = fromQuote ? q : (dropKeys(names, q) as QTable);
  return mergeRows(t, right, idx, fill);
}

/**
 * The rows of q grouped by all but the last column of c (in q's order), with each group's
 * times (the last column), and each row of t's group key and time.
 */
function quoteGroups(names: string[], t: QTable, q: QTable) {
  if (names.length === 0) return raise("length");
  const timeName = names[names.length - 1] as string;
  const eqNames = names.slice(0, -1);
  const qTimes = tableColumn(q, timeName) ?? raise(timeName);
  const tTimes = tableColumn(t, timeName) ?? raise(timeName);
  const qKeys = eqNames.length ? rowKeys(eqNames.map((n) => tableColumn(q, n) ?? raise(n))) : [];
  const tKeys = eqNames.length ? rowKeys(eqNames.map((n) => tableColumn(t, n) ?? raise(n))) : [];
  const groups = new Map<string, { rows: number[]; times: Value[] }>();
  const n = count(q);
  for (let i = 0; i < n; i++) {
    const k = qKeys[i] ?? "";
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { rows: [], times: [] }));
    g.rows.push(i);
    g.times.push(index(qTimes, i));
  }
  return { groups, tKeys, tTimes };
}

/**
 * `wj[w;c;t;(q;(f0;c0);…)]` (prevailing true) and `wj1`: for each row of t, the rows of q with
 * equal keys (all but the last column of c) and time within the window w[0] w[1] of that row;
 * wj also takes the quote prevailing at the window's start. Each (f;col) pair applies f to the
 * column's values in the window (`::` keeps them as a list) (code.kx.com/q/ref/wj).
 */
export function windowJoin(w: Value, c: Value, x: Value, spec: Value, prevailing: boolean, ctx: EvalContext): Value {
  if (count(w) !== 2) return raise("length");
  const [starts, ends] = [index(w, 0), index(w, 1)];
  const parts = items(spec);
  const q = asTable(parts[0] ?? raise("length"));
  const t = asTable(x);
  const { groups, tKeys } = quoteGroups(names(c), t, q);
  const m = count(t);
  if (count(starts) !== m || count(ends) !== m) return raise("length");
  const windows = new Array<Int32Array>(m);
  for (let i = 0; i < m; i++) {
    const g = groups.get(tKeys[i] ?? "");
    if (!g) {
      windows[i] = new Int32Array(0);
      continue;
    }
    const start = index(starts, i);
    let lo = lastAtOrBefore(g.times, start);
    // lo is the last quote at or before the start: wj keeps it, wj1 only one exactly at the start.
    if (lo < 0 || (!prevailing && compareValues(g.times[lo] as Value, start) < 0)) lo++;
    const hi = lastAtOrBefore(g.times, index(ends, i));
    windows[i] = Int32Array.from(g.rows.slice(lo, hi + 1));
  }
  const columns = t.columns.slice();
  const data = t.data.slice();
  for (const pair of parts.slice(1)) {
    const [f, colName] = items(pair);
    if (f === undefined || colName === undefined || colName.kind !== "atom" || colName.type !== 11)
      return raise("type");
    const name = colName.v as string;
    const col = tableColumn(q, name) ?? raise(name);
    const out = list(windows.map((ix) => (f.kind === "identity" ? gather(col, ix) : ctx.apply(f, [gather(col, ix)]))));
    const at = columns.indexOf(name);
    if (at < 0) {
      columns.push(name);
      data.push(out);
    } else data[at] = out;
  }
  return table(columns, data);
}

// ---------------------------------------------------------------------------------------------
// Upsert, xgroup, ungroup, meta

/** Rows to add as a table shaped like `t`: a table, a dict (one row) or a list of column values. */
function rowsLike(t: QTable, y: Value): QTable {
  if (y.kind === "table") return y;
  if (isKeyedTable(y)) return unkey(y);
  if (y.kind === "dict")
    return tableFromColumns(
      symNames(y.keys),
      items(y.values).map((v) => list([v])),
    );
  const vals = items(y);
  const width = t.columns.length;
  // A list of records ((`a;1);(`b;2)) rather than one record or a list of columns.
  if (vals.length > 0 && vals.every((r) => r.kind === "list" && r.items.length === width)) {
    const cols = t.columns.map((_, j) => list(vals.map((r) => index(r, j))));
    return tableFromColumns(t.columns.slice(), cols);
  }
  if (vals.length !== width) return raise("length");
  const cols = vals.map((v) => (v.kind === "atom" ? list([v]) : v));
  return tableFromColumns(t.columns.slice(), cols);
}

/** `t upsert y` / `t,y` on in-memory tables: keyed tables update matching keys, others append. */
export function upsert(x: Value, y: Value): Value {
  if (x.kind === "table") {
    const rows = fillColumns(rowsLike(x, y), x);
    return table(
      x.columns,
      x.columns.map((c, i) => joinValues(x.data[i] as Value, tableColumn(rows, c) as Value)),
    );
  }
  if (isKeyedTable(x)) {
    const rows = rowsLike(unkey(x), y);
    const keyNames = x.keys.columns;
    const xt = unkey(x);
    const idx = matchRows(rows, xt, keyNames);
    // Rows already present overwrite in place; the rest append in their order.
    const pos = Int32Array.from(idx);
    const back = new Int32Array(count(xt)).fill(-1);
    pos.forEach((p, i) => {
      if (p >= 0) back[p] = i;
    });
    const updated = mergeRows(
      xt,
      takeKeys(
        rows.columns.filter((c) => !keyNames.includes(c)),
        rows,
      ) as QTable,
      back,
    );
    const fresh = Int32Array.from(idx.keys()).filter((i) => (idx[i] as number) < 0);
    const appended = upsert(
      updated,
      takeKeys(updated.columns.slice(), fillColumns(gather(rows, fresh) as QTable, updated)),
    );
    return keyFirst(keyNames.length, appended);
  }
  if (x.kind === "dict") return joinValues(x, y);
  return raise("type");
}

/** `` `k xgroup t ``: a keyed table with one row per distinct k and list columns of the rest. */
export function xgroup(names: string[], v: Value): Value {
  const t = unkey(v);
  const keyCols = names.map((n) => tableColumn(t, n) ?? raise(n));
  const { keys, indices } = groupRows(keyCols);
  const rest = t.columns.filter((c) => !names.includes(c));
  const data = rest.map((c) => rawList(indices.map((g) => gather(tableColumn(t, c) as Value, g))));
  return dict(table(names, keys), table(rest, data));
}

/** `ungroup t`: one row per item of the list columns (the inverse of xgroup). */
export function ungroup(v: Value): Value {
  const t = unkey(v);
  const n = count(t);
  const nested = t.data.map((c) => c.kind === "list" && c.items.every((x) => x.kind === "vector" || x.kind === "list"));
  const rowIdx: number[] = [];
  const itemIdx: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = nested.indexOf(true);
    const len = j < 0 ? 1 : count(index(t.data[j] as Value, i));
    for (let k = 0; k < len; k++) {
      rowIdx.push(i);
      itemIdx.push(k);
    }
  }
  const data = t.data.map((c, j) => {
    if (!nested[j]) return gather(c, Int32Array.from(rowIdx));
    const parts = rowIdx.map((r, k) => index(index(c, r), itemIdx[k] as number));
    return parts.length ? list(parts) : c;
  });
  return table(t.columns, data);
}

/** The type letter q's meta shows: lower case for vectors, upper case for lists of one vector type. */
function metaType(col: Value): string {
  // An enumeration column shows the type of its domain's items (`s` for symbols, `j` for long keys).
  const e = asEnum(col);
  if (e !== undefined) {
    const dom = domainList(enumDomain(e.type));
    return dom?.kind === "vector" ? (TYPE_CHARS[dom.type] as string) : " ";
  }
  if (col.kind === "vector") return TYPE_CHARS[col.type] as string;
  if (col.kind === "list" && col.items.length) {
    // q reads the type off the first item only (meta is .Q.ty of each column's first item):
    // an atom gives its letter, a vector the upper-case letter (a column of strings is C).
    const first = col.items[0] as Value;
    if (isEnum(first)) return first.kind === "atom" ? metaType(list([first])) : metaType(first).toUpperCase();
    if (first.kind === "atom") return TYPE_CHARS[first.type] as string;
    if (first.kind === "vector") return (TYPE_CHARS[first.type] as string).toUpperCase();
  }
  return " ";
}

/** `meta t`: keyed table ([c:columns] t:type letters; f:foreign keys; a:attributes). */
export function meta(v: Value): Value {
  const t = unkey(v);
  const typeChars = Uint8Array.from(t.data, (c) => metaType(c).charCodeAt(0));
  const attrs = t.data.map((c) => (c.kind === "vector" && c.attr ? c.attr : ""));
  const foreign = t.data.map((c) => foreignTable(c) ?? "");
  return dict(
    table(["c"], [syms(t.columns.slice())]),
    table(["t", "f", "a"], [vector(10, typeChars), syms(foreign), syms(attrs)]),
  );
}

/** The keyed table a column refers to: the domain of an enumeration, when that is a keyed table. */
function foreignTable(col: Value): string | undefined {
  const e = asEnum(col);
  if (e === undefined) return undefined;
  const name = enumDomain(e.type);
  return isKeyedTable(resolveDomain(name) ?? col) ? name : undefined;
}

/** `fkeys t`: each column that is a foreign key, with the keyed table it refers to (code.kx.com/q/ref/fkeys). */
export function fkeys(v: Value): Value {
  const t = unkey(v);
  const cols: string[] = [];
  const targets: string[] = [];
  t.columns.forEach((c, i) => {
    const f = foreignTable(t.data[i]!);
    if (f !== undefined) {
      cols.push(c);
      targets.push(f);
    }
  });
  return dict(syms(cols), syms(targets));
}

/** `keys t`: the key column names of a keyed table (empty for a simple table). */
export function keyNames(v: Value): Value {
  if (isKeyedTable(v)) return syms(v.keys.columns.slice());
  if (v.kind === "table") return emptyVector(11);
  return raise("type");
}

// ---------------------------------------------------------------------------------------------
// Verb records

const names = (v: Value): string[] => symNames(v);

/** The join verbs take their left table through a projection in q; here both forms are dyadic. */
export const TABLE_VERBS: VerbDef[] = [
  {
    name: "fby",
    kind: "keyword",
    dyadic: (x, y, ctx) => fby(x, y, (f, a) => ctx.apply(f, a)),
    doc: {
      summary: "(f;x) fby g: f applied to the items of x in each group of g, given back on every row.",
      forms: ["(f;x) fby g"],
      example: "(max;1 5 2 4) fby `a`b`a`b  → 2 5 2 5",
    },
  },
  {
    name: "flip",
    kind: "keyword",
    monadic: (x) => flip(x),
    doc: {
      summary: "Transpose: a dict of equal-length columns becomes a table and back; a list of lists is transposed.",
      forms: ["flip x"],
      example: "flip `a`b!(1 2;3 4)  → a b / --- / 1 3 / 2 4",
    },
  },
  {
    name: "cols",
    kind: "keyword",
    monadic: (x) => syms(columnNames(x)),
    doc: {
      summary: "Column names of a table or keyed table.",
      forms: ["cols t"],
      example: "cols ([]a:1 2;b:3 4)  → `a`b",
    },
  },
  {
    name: "keys",
    kind: "keyword",
    monadic: (x) => keyNames(x),
    doc: { summary: "Key column names of a keyed table.", forms: ["keys t"], example: "keys ([k:1 2]v:3 4)  → ,`k" },
  },
  {
    name: "meta",
    kind: "keyword",
    monadic: (x) => meta(x),
    doc: {
      summary: "Metadata of a table: one row per column with its type letter, foreign key and attribute.",
      forms: ["meta t"],
      example: "meta ([]a:1 2)  → c| t f a / -| ----- / a| j",
    },
  },
  {
    name: "xkey",
    kind: "keyword",
    dyadic: (x, y) => xkey(names(x), y),
    doc: {
      summary: "Key a table on the named columns.",
      forms: ["x xkey t"],
      example: "`a xkey ([]a:1 2;b:3 4)  → a| b ...",
    },
  },
  {
    name: "xasc",
    kind: "keyword",
    dyadic: (x, y) => sortTable(names(x), y, false),
    doc: {
      summary: "Sort a table ascending by the named columns (stable).",
      forms: ["x xasc t"],
      example: "`a xasc ([]a:2 1)  → a / - / 1 / 2",
    },
  },
  {
    name: "xdesc",
    kind: "keyword",
    dyadic: (x, y) => sortTable(names(x), y, true),
    doc: {
      summary: "Sort a table descending by the named columns (stable).",
      forms: ["x xdesc t"],
      example: "`a xdesc ([]a:1 2)  → a / - / 2 / 1",
    },
  },
  {
    name: "xcol",
    kind: "keyword",
    dyadic: (x, y) => renameColumns(x, y),
    doc: {
      summary: "Rename the leading columns of a table, or those named by a dict old!new.",
      forms: ["x xcol t"],
      example: "`c xcol ([]a:1 2)  → c / - / 1 / 2",
    },
  },
  {
    name: "xcols",
    kind: "keyword",
    dyadic: (x, y) => reorderColumns(names(x), y),
    doc: {
      summary: "Move the named columns to the front of a table.",
      forms: ["x xcols t"],
      example: "`b xcols ([]a:1;b:2)  → b a / --- / 2 1",
    },
  },
  {
    name: "lj",
    kind: "keyword",
    dyadic: (x, y) => leftJoin(x, y),
    doc: {
      summary: "Left join: every row of x, with the columns of the matching row of keyed table y (nulls where none).",
      forms: ["x lj y"],
      example: "([]k:1 2) lj ([k:1 3]v:`a`b)  → k v / --- / 1 a / 2",
    },
  },
  {
    name: "ljf",
    kind: "keyword",
    dyadic: (x, y) => leftJoin(x, y, true),
    doc: {
      summary: "Left join that keeps x's value where the matching value of y is null.",
      forms: ["x ljf y"],
      example: "([]k:1 2;v:`x`y) ljf ([k:1 2]v:``z)  → k v / --- / 1 x / 2 z",
    },
  },
  {
    name: "ij",
    kind: "keyword",
    dyadic: (x, y) => innerJoin(x, y),
    doc: {
      summary: "Inner join: the rows of x that match a key of keyed table y, with y's columns.",
      forms: ["x ij y"],
      example: "([]k:1 2) ij ([k:1 3]v:`a`b)  → k v / --- / 1 a",
    },
  },
  {
    name: "ijf",
    kind: "keyword",
    dyadic: (x, y) => innerJoin(x, y, true),
    doc: {
      summary: "Inner join that keeps x's value where the matching value of y is null.",
      forms: ["x ijf y"],
      example: "([]k:1 2;v:`x`y) ijf ([k:1 2]v:``z)  → k v / --- / 1 x / 2 z",
    },
  },
  {
    name: "uj",
    kind: "keyword",
    dyadic: (x, y) => unionJoin(x, y),
    doc: {
      summary: "Union join: all columns of both tables; rows appended (simple tables) or merged by key (keyed tables).",
      forms: ["x uj y"],
      example: "([]a:1 2) uj ([]b:`x`y)  → a b / --- / 1 / 2 /   x /   y",
    },
  },
  {
    name: "pj",
    kind: "keyword",
    dyadic: (x, y, ctx) => plusJoin(x, y, ctx, { kind: "prim", name: "+" }),
    doc: {
      summary: "Plus join: add the values of the matching rows of keyed table y to x's columns.",
      forms: ["x pj y"],
      example: "([]k:1 2;v:10 20) pj ([k:1]v:,5)  → k v / ---- / 1 15 / 2 20",
    },
  },
  {
    name: "ej",
    kind: "keyword",
    doc: {
      summary: "Equi join on the named columns: one row for every matching pair of rows.",
      forms: ["ej[c;t1;t2]"],
      example: "ej[`k;([]k:1 2);([]k:1 1;v:`a`b)]  → k v / --- / 1 a / 1 b",
    },
  },
  {
    name: "aj",
    kind: "keyword",
    doc: {
      summary: "As-of join: each row of t with the last row of q having equal leading keys and time at or before t's.",
      forms: ["aj[c;t;q]"],
      example: "aj[`s`t;([]s:`a`a;t:1 3);([]s:`a`a;t:0 2;p:5 6)]  → s t p / ----- / a 1 5 / a 3 6",
    },
  },
  {
    name: "aj0",
    kind: "keyword",
    doc: {
      summary: "As-of join that takes the time column from q rather than t.",
      forms: ["aj0[c;t;q]"],
      example: "aj0[`s`t;([]s:`a`a;t:1 3);([]s:`a`a;t:0 2;p:5 6)]  → s t p / ----- / a 0 5 / a 2 6",
    },
  },
  {
    name: "fkeys",
    kind: "keyword",
    monadic: (x) => fkeys(x),
    doc: {
      summary: "The foreign keys of a table: each column enumerated against a keyed table, and that table's name.",
      forms: ["fkeys t"],
      example: "count fkeys ([]a:1 2)  → 0",
    },
  },
  {
    name: "ajf",
    kind: "keyword",
    doc: {
      summary: "As-of join that keeps t's value where q's matching value is null.",
      forms: ["ajf[c;t;q]"],
      example: "ajf[`s`t;([]s:`a`a;t:1 3;p:7 8);([]s:`a`a;t:0 2;p:5 0N)]  → s t p / ----- / a 1 5 / a 3 8",
    },
  },
  {
    name: "ajf0",
    kind: "keyword",
    doc: {
      summary: "As ajf, taking the time column from q rather than t.",
      forms: ["ajf0[c;t;q]"],
      example: "ajf0[`s`t;([]s:`a`a;t:1 3;p:7 8);([]s:`a`a;t:0 2;p:5 0N)]  → s t p / ----- / a 0 5 / a 2 8",
    },
  },
  {
    name: "wj",
    kind: "keyword",
    nary: (args, ctx) =>
      args.length === 4 ? windowJoin(args[0]!, args[1]!, args[2]!, args[3]!, true, ctx) : raise("rank"),
    doc: {
      summary: "Window join: aggregates of q's rows in each row's time window, with the quote prevailing at its start.",
      forms: ["wj[w;c;t;(q;(f0;c0);(f1;c1))]"],
      example:
        "wj[(0 2;1 3);`s`t;([]s:`a`a;t:0 2);(([]s:`a`a`a;t:0 1 3;p:1 2 3);(sum;`p))]  → s t p / ----- / a 0 3 / a 2 5",
    },
  },
  {
    name: "wj1",
    kind: "keyword",
    nary: (args, ctx) =>
      args.length === 4 ? windowJoin(args[0]!, args[1]!, args[2]!, args[3]!, false, ctx) : raise("rank"),
    doc: {
      summary: "Window join that takes only q's rows inside each window.",
      forms: ["wj1[w;c;t;(q;(f0;c0);(f1;c1))]"],
      example:
        "wj1[(0 2;1 3);`s`t;([]s:`a`a;t:0 2);(([]s:`a`a`a;t:0 1 3;p:1 2 3);(sum;`p))]  → s t p / ----- / a 0 3 / a 2 3",
    },
  },
  {
    name: "xgroup",
    kind: "keyword",
    dyadic: (x, y) => xgroup(names(x), y),
    doc: {
      summary: "Group a table by the named columns into a keyed table of list columns.",
      forms: ["x xgroup t"],
      example: "`k xgroup ([]k:1 1 2;v:3 4 5)  → k| v / -| --- / 1| 3 4 / 2| ,5",
    },
  },
  {
    name: "ungroup",
    kind: "keyword",
    monadic: (x) => ungroup(x),
    doc: {
      summary: "Flatten the list columns of a table into one row per item.",
      forms: ["ungroup t"],
      example: "ungroup ([]k:1 2;v:(3 4;,5))  → k v / --- / 1 3 / 1 4 / 2 5",
    },
  },
  {
    name: "upsert",
    kind: "keyword",
    dyadic: (x, y) => upsert(x, y),
    doc: {
      summary: "Add rows to an in-memory table; a keyed table updates rows with matching keys.",
      forms: ["t upsert y"],
      example: "([]a:1 2) upsert ([]a:,3)  → a / - / 1 / 2 / 3",
    },
  },
];

/** Triadic table functions (E1 applies them with three arguments): name → implementation. */
export const TABLE_TRIADS: Readonly<Record<string, (c: Value, x: Value, y: Value) => Value>> = {
  ej: (c, x, y) => equiJoin(names(c), x, y),
  aj: (c, x, y) => asofJoin(names(c), x, y, false),
  aj0: (c, x, y) => asofJoin(names(c), x, y, true),
  // ajf, ajf0: where q's value is null, the row keeps t's (code.kx.com/q/ref/aj).
  ajf: (c, x, y) => asofJoin(names(c), x, y, false, true),
  ajf0: (c, x, y) => asofJoin(names(c), x, y, true, true),
};
