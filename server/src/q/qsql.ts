/**
 * qSQL: select / exec / update / delete templates and their functional forms
 * `?[t;c;b;a]` and `![t;c;b;a]`.
 *
 * Evaluation follows q's order: the `from` table, then each `where`
 * constraint in turn narrowing the selected rows, then `by` grouping, then the
 * column expressions. Inside clauses, names resolve to columns of the rows in
 * play (and `i` to row indices) before locals and globals: the interpreter
 * compiles clause expressions with its `sql` flag and reads the current
 * column map from `Interp.sqlColumns`.
 *
 * Grouped results come back as a keyed table sorted by the group keys, with
 * each aggregate either an atom per group or a list per group.
 */

import type { Column, Node, SqlNode } from "./ast";
import { nameCandidates } from "./colnames";
import { asEnum, enumerateLike } from "./enums";
import { raise } from "./errors";
import type { Interp } from "./interp";
import { evalTree } from "./parsetree";
import {
  count,
  dict,
  IDENTITY,
  index,
  items,
  LONG_INF,
  list,
  type QTable,
  sym,
  syms,
  table,
  type Value,
  vectorOf,
} from "./values";
import { compareValues, gather, hashKey } from "./verbs/structure";
import { sortTable } from "./verbs/tables";

type Code = (fr: (Value | undefined)[]) => Value;

/** A table split into key and value columns (an unkeyed table has no key columns). */
function unkey(v: Value): { t: QTable; keyCols: number } {
  if (v.kind === "table") return { t: v, keyCols: 0 };
  if (v.kind === "dict" && v.keys.kind === "table" && v.values.kind === "table") {
    return {
      t: table([...v.keys.columns, ...v.values.columns], [...v.keys.data, ...v.values.data]),
      keyCols: v.keys.columns.length,
    };
  }
  return raise("type");
}

function rekey(t: QTable, keyCols: number): Value {
  if (keyCols === 0) return t;
  return dict(
    table(t.columns.slice(0, keyCols), t.data.slice(0, keyCols)),
    table(t.columns.slice(keyCols), t.data.slice(keyCols)),
  );
}

function columnsOf(t: QTable, idx: Int32Array | null): Map<string, Value> {
  const m = new Map<string, Value>();
  t.columns.forEach((c, k) => {
    m.set(c, idx === null ? t.data[k]! : gather(t.data[k]!, idx));
  });
  m.set("i", vectorOf(7, idx === null ? Array.from({ length: count(t) }, (_, j) => j) : Array.from(idx)));
  return m;
}

/** Runs `f` with column names bound for clause expressions. */
function withColumns<R>(it: Interp, cols: Map<string, Value>, f: () => R): R {
  const saved = it.sqlColumns;
  it.sqlColumns = cols;
  try {
    return f();
  } finally {
    it.sqlColumns = saved;
  }
}

/** Indices of rows passing every constraint, applied in order. */
function filter(it: Interp, t: QTable, where: ((cols: Map<string, Value>) => Value)[]): Int32Array | null {
  let idx: Int32Array | null = null;
  for (const w of where) {
    const r = w(columnsOf(t, idx));
    const n = idx === null ? count(t) : idx.length;
    const keep: number[] = [];
    if (r.kind === "vector" && r.type === 1) {
      if (count(r) !== n) raise("length");
      const d = r.data as Uint8Array;
      for (let j = 0; j < n; j++) if (d[j]) keep.push(idx === null ? j : idx[j]!);
    } else if (r.kind === "atom" && r.type === 1) {
      if (r.v) for (let j = 0; j < n; j++) keep.push(idx === null ? j : idx[j]!);
    } else if (r.kind === "vector" && (r.type === 7 || r.type === 6)) {
      // where clauses may also return indices (e.g. `where i within …` is boolean, `i in 0 1` too)
      for (const j of items(r))
        keep.push(idx === null ? Number((j as { v: number }).v) : idx[Number((j as { v: number }).v)]!);
    } else return raise("type");
    idx = Int32Array.from(keep);
    void it;
  }
  return idx;
}

/** Groups rows (given as positions into `keys` columns) by their key values, sorted by key. */
function groupRows(keyVals: Value[]): { keys: Value[][]; groups: number[][] } {
  const n = keyVals.length ? count(keyVals[0]!) : 0;
  const map = new Map<string, number>();
  const keys: Value[][] = [];
  const groups: number[][] = [];
  for (let r = 0; r < n; r++) {
    const k = keyVals.map((c) => index(c, r));
    const h = k.map(hashKey).join("\u0001");
    let g = map.get(h);
    if (g === undefined) {
      g = keys.length;
      map.set(h, g);
      keys.push(k);
      groups.push([]);
    }
    groups[g]!.push(r);
  }
  const order = keys.map((_, g) => g);
  order.sort((a, b) => {
    for (let c = 0; c < keyVals.length; c++) {
      const d = compareValues(keys[a]![c]!, keys[b]![c]!);
      if (d !== 0) return d;
    }
    return 0;
  });
  return { keys: order.map((g) => keys[g]!), groups: order.map((g) => groups[g]!) };
}

type ColFn = (cols: Map<string, Value>) => Value;

interface Query {
  kind: SqlNode["kind"];
  limit: Value[] | null;
  /** `select[n;>c]`: sort the result on column c (descending for `>`) before the limit. */
  order?: { column: string; desc: boolean } | undefined;
  cols: { name: string; f: ColFn }[];
  by: { name: string; f: ColFn }[] | null;
  where: ColFn[];
  names: string[];
  /** exec with one explicitly named column returns a dictionary. */
  explicitNames?: boolean;
  /** exec … by with explicitly named groups keys its result by a table. */
  explicitBy?: boolean;
}

/** Compiles a qSQL template; clause expressions are compiled in the interpreter's sql mode. */
export function evalSql(it: Interp, n: SqlNode, compile: (x: Node) => Code, compileFrom: (x: Node) => Code): Code {
  const fromCode = compileFrom(n.from);
  const colFn = (c: Column) => ({ name: c.name, candidates: nameCandidates(c.expr), code: compile(c.expr) });
  const cols = n.cols.map(colFn);
  const by = n.by?.map(colFn) ?? null;
  const where = n.where.map((w) => compile(w));
  // `>c` / `<c` among the limit expressions names a result column to sort on, not a value.
  const orderNode = n.limit?.find(isOrderSpec);
  const order = orderNode ? { column: orderNode.arg.name, desc: orderNode.fn.glyph === ">" } : undefined;
  const limit = n.limit?.filter((l) => l !== orderNode).map((l) => compile(l)) ?? null;
  return (fr) => {
    const bind =
      (code: Code): ColFn =>
      (m) =>
        withColumns(it, m, () => code(fr));
    let from = fromCode(fr);
    const byName = from.kind === "atom" && from.type === 11 ? (from.v as string) : null;
    if (byName?.startsWith(".") && n.kind === "delete") {
      // `delete a from `.`: remove globals from a namespace.
      for (const name of n.names) it.env.delete(byName === "." ? name : `${byName}.${name}`);
      return from;
    }
    if (byName !== null) from = it.getGlobal(byName);
    const tableCols =
      from.kind === "table"
        ? from.columns
        : from.kind === "dict" && from.keys.kind === "table" && from.values.kind === "table"
          ? [...from.keys.columns, ...from.values.columns]
          : [];
    const named = (c: { name: string | null; candidates: string[]; code: Code }) => ({
      name: c.name ?? columnName(c.candidates, tableCols),
      f: bind(c.code),
    });
    const q: Query = {
      kind: n.kind,
      limit: limit?.map((l) => l(fr)) ?? null,
      order,
      cols: dedupe(cols.map(named)),
      by: by?.map(named) ?? null,
      where: where.map(bind),
      names: n.names,
      explicitNames: n.cols.some((c) => c.name !== null),
      explicitBy: n.by?.some((c) => c.name !== null) ?? false,
    };
    const r0 = runQuery(it, from, q);
    const r = n.distinct ? it.ctx.apply({ kind: "prim", name: "distinct" }, [r0]) : r0;
    if (byName !== null && (n.kind === "update" || n.kind === "delete")) {
      it.setGlobal(byName, r);
      return sym(byName);
    }
    return r;
  };
}

/** The implied name of a column expression: its first name that is a column (last dotted part), else x. */
function columnName(candidates: string[], tableCols: readonly string[]): string {
  const last = (s: string) => (s.includes(".") ? s.slice(s.lastIndexOf(".") + 1) : s);
  const hit = candidates.find((c) => tableCols.includes(c.split(".")[0]!));
  if (hit !== undefined) return last(hit);
  return "x";
}

/** q renames repeated result columns by appending a number (`c1`, `c11`). */
function dedupe<T extends { name: string }>(cols: T[]): T[] {
  const seen = new Set<string>();
  return cols.map((c) => {
    let name = c.name;
    for (let k = 1; seen.has(name); k++) name = `${c.name}${k}`;
    seen.add(name);
    return name === c.name ? c : { ...c, name };
  });
}

function runQuery(it: Interp, from: Value, q: Query): Value {
  // `delete b from d` on a dictionary removes keys (code.kx.com/q/ref/delete).
  if (q.kind === "delete" && from.kind === "dict" && from.keys.kind !== "table" && q.where.length === 0)
    return dropKeys(from, q.names);
  const { t, keyCols } = unkey(from);
  const idx = filter(it, t, q.where);
  switch (q.kind) {
    case "select":
      return select(t, keyCols, idx, q);
    case "exec":
      return exec(t, idx, q);
    case "update":
      return rekey(update(t, idx, q), keyCols);
    case "delete":
      return rekey(del(t, idx, q), keyCols);
  }
}

function dropKeys(d: Value & { kind: "dict" }, names: readonly string[]): Value {
  const keep: number[] = [];
  const n = count(d.keys);
  for (let i = 0; i < n; i++) {
    const k = index(d.keys, i);
    if (!(k.kind === "atom" && k.type === 11 && names.includes(k.v as string))) keep.push(i);
  }
  const ix = Int32Array.from(keep);
  return dict(gather(d.keys, ix), gather(d.values, ix));
}

/** Extends atoms to n rows; checks lengths. */
function column(v: Value, n: number): Value {
  if (v.kind === "atom")
    return vectorOf(
      v.type,
      Array.from({ length: n }, () => v.v),
    );
  if (count(v) !== n) raise("length");
  return v;
}

function aggregateGroups(t: QTable, idx: Int32Array | null, q: Query) {
  const all = columnsOf(t, idx);
  // A computed key that is an atom (`by c:` `) puts every row in one group.
  const rows = idx === null ? count(t) : idx.length;
  const keyVals = q.by!.map((b) => {
    const v = b.f(all);
    return v.kind === "atom" ? column(v, rows) : v;
  });
  const { keys, groups } = groupRows(keyVals);
  const base = idx ?? Int32Array.from({ length: count(t) }, (_, j) => j);
  const groupIdx = groups.map((g) => Int32Array.from(g, (r) => base[r]!));
  const keyTable = table(
    q.by!.map((b) => b.name),
    q.by!.map((_, c) => list(keys.map((k) => k[c]!))),
  );
  return { keyTable, groupIdx };
}

function select(t: QTable, keyCols: number, idx: Int32Array | null, q: Query): Value {
  let result: Value;
  if (q.by !== null) {
    const { keyTable, groupIdx } = aggregateGroups(t, idx, q);
    const cols = q.cols.length
      ? q.cols
      : t.columns
          .filter((c) => !q.by!.some((b) => b.name === c))
          .map((c) => ({
            name: c,
            f: (m: Map<string, Value>) => {
              const v = m.get(c)!;
              return index(v, count(v) - 1);
            },
          }));
    const data = cols.map((c) => list(groupIdx.map((g) => c.f(columnsOf(t, g)))));
    result = dict(
      keyTable,
      table(
        cols.map((c) => c.name),
        data,
      ),
    );
  } else if (q.cols.length === 0) {
    result = rekey(idx === null ? t : (gather(t, idx) as QTable), keyCols);
  } else {
    const m = columnsOf(t, idx);
    const vals = q.cols.map((c) => c.f(m));
    const n = vals.every((v) => v.kind === "atom")
      ? 1
      : Math.max(...vals.map((v) => (v.kind === "atom" ? 0 : count(v))));
    result = table(
      q.cols.map((c) => c.name),
      vals.map((v) => column(v, n)),
    );
  }
  if (q.order !== undefined) result = sortTable([q.order.column], result, q.order.desc);
  return applyLimit(result, q.limit);
}

function isOrderSpec(
  n: Node,
): n is Node & { type: "monad"; fn: { type: "verb"; glyph: string }; arg: { type: "name"; name: string } } {
  return (
    n.type === "monad" && n.fn.type === "verb" && (n.fn.glyph === "<" || n.fn.glyph === ">") && n.arg.type === "name"
  );
}

function applyLimit(v: Value, limit: Value[] | null): Value {
  if (limit === null || limit.length === 0) return v;
  const l = limit[0]!;
  const n = count(v);
  let from = 0;
  let take = n;
  if (l.kind === "atom") {
    const k = Number(l.v);
    if (k >= 0) take = Math.min(k, n);
    else {
      take = Math.min(-k, n);
      from = n - take;
    }
  } else if (l.kind === "vector" && count(l) === 2) {
    from = Number(index(l, 0).kind === "atom" ? (index(l, 0) as { v: number }).v : 0);
    take = Math.min(Number((index(l, 1) as { v: number }).v), Math.max(0, n - from));
  }
  const idx = Int32Array.from({ length: take }, (_, j) => from + j);
  if (v.kind === "dict") return dict(gather(v.keys, idx), gather(v.values, idx));
  return gather(v, idx);
}

function exec(t: QTable, idx: Int32Array | null, q: Query): Value {
  const m = columnsOf(t, idx);
  if (q.by?.length === 1 && !q.explicitBy) {
    // `exec a,b by 0b from t`: no grouping at all, the columns as a table.
    const g = q.by[0]!.f(m);
    if (g.kind === "atom" && g.type === 1 && g.v === 0)
      return table(
        q.cols.map((c) => c.name),
        q.cols.map((c) => c.f(m)),
      );
  }
  if (q.by !== null) {
    const { keyTable, groupIdx } = aggregateGroups(t, idx, q);
    // Named groups (`by s:s`, a dict in the functional form) key by a table, a bare `by s` by a list;
    // named columns (`q:sum qty`) give a table of values, one unnamed column a list (code.kx.com/q/ref/exec).
    const keys = keyTable.columns.length === 1 && !q.explicitBy ? keyTable.data[0]! : keyTable;
    if (q.cols.length === 1 && !q.explicitNames)
      return dict(keys, list(groupIdx.map((g) => q.cols[0]!.f(columnsOf(t, g)))));
    const data = q.cols.map((c) => list(groupIdx.map((g) => c.f(columnsOf(t, g)))));
    return dict(
      keys,
      table(
        q.cols.map((c) => c.name),
        data,
      ),
    );
  }
  if (q.cols.length === 0) {
    const rows = idx === null ? count(t) : idx.length;
    return index(idx === null ? t : gather(t, idx), rows - 1);
  }
  if (q.cols.length === 1 && !q.explicitNames) return q.cols[0]!.f(m);
  return dict(syms(q.cols.map((c) => c.name)), list(q.cols.map((c) => c.f(m))));
}

function update(t: QTable, idx: Int32Array | null, q: Query): QTable {
  const n = count(t);
  const rows = idx ?? Int32Array.from({ length: n }, (_, j) => j);
  let columns = t.columns.slice();
  let data = t.data.slice();
  const put = (name: string, vals: Value[]) => {
    // vals: one value per selected row
    const k = columns.indexOf(name);
    const existing = k >= 0 ? items(data[k]!) : null;
    const full: Value[] = existing ?? Array.from({ length: n }, () => nullLike(vals[0]));
    // Some rows of an enumerated column amend it: their symbols are enumerated ('cast outside the domain).
    const e = idx !== null && k >= 0 ? asEnum(data[k]!) : undefined;
    rows.forEach((r, j) => {
      full[r] = e === undefined ? vals[j]! : enumerateLike(e, vals[j]!);
    });
    const col = list(full);
    if (k >= 0) data[k] = col;
    else {
      columns = [...columns, name];
      data = [...data, col];
    }
  };
  if (q.by !== null) {
    const { groupIdx } = aggregateGroups(t, idx, q);
    for (const c of q.cols) {
      const vals: Value[] = new Array(n);
      const order: number[] = [];
      for (const g of groupIdx) {
        const v = c.f(columnsOf(t, g));
        const col = column(v, g.length);
        g.forEach((r, j) => {
          vals[r] = index(col, j);
        });
        order.push(...g);
      }
      put(
        c.name,
        Array.from(rows, (r) => vals[r]!),
      );
    }
    return table(columns, data);
  }
  const m = columnsOf(t, idx);
  const computed = q.cols.map((c) => ({ name: c.name, v: column(c.f(m), rows.length) }));
  for (const c of computed) put(c.name, items(c.v));
  return table(columns, data);
}

function nullLike(v: Value | undefined): Value {
  if (v === undefined) return IDENTITY;
  if (v.kind === "atom") return index(vectorOf(v.type, []), 0);
  return list([]);
}

function del(t: QTable, idx: Int32Array | null, q: Query): QTable {
  if (q.names.length > 0) {
    const keep = t.columns.map((c, k) => (q.names.includes(c) ? -1 : k)).filter((k) => k >= 0);
    return table(
      keep.map((k) => t.columns[k]!),
      keep.map((k) => t.data[k]!),
    );
  }
  if (idx === null)
    return table(
      t.columns,
      t.data.map((c) => gather(c, new Int32Array(0))),
    );
  const drop = new Set(idx);
  const keep = Int32Array.from({ length: count(t) }, (_, j) => j).filter((j) => !drop.has(j));
  return gather(t, keep) as QTable;
}

// ---------------------------------------------------------------- functional forms

/** Evaluates a functional-form parse tree against the columns in play. */
function treeEval(it: Interp, x: Value, cols: Map<string, Value>): Value {
  return evalTree(
    x,
    (name) => cols.get(name) ?? (it.verb(name) !== undefined ? { kind: "prim", name } : it.getGlobal(name)),
    (f, args) => it.ctx.apply(f, args),
  );
}

/** `?[t;i;p]`: evaluate the parse tree p on the rows i of table t. */
export function simpleExec(it: Interp, t: Value, i: Value, p: Value): Value {
  const { t: tt } = unkey(t);
  const idx = Int32Array.from(items(i), (v) => Number((v as { v: number }).v));
  return treeEval(it, p, columnsOf(tt, idx));
}

/**
 * `?[t;c;b;a]` and `![t;c;b;a]`: c a list of constraint trees; b `0b` (no
 * grouping), a dict of group trees or a symbol; a a dict of column trees, `()`
 * for all columns, or (exec) a single tree; for `!`, a symbol vector deletes columns.
 */
export function functionalSql(it: Interp, glyph: "?" | "!", args: Value[]): Value {
  const [tv, c, b, a, limit, order] = args as [Value, Value, Value, Value, Value | undefined, Value | undefined];
  const byName = tv.kind === "atom" && tv.type === 11 ? (tv.v as string) : null;
  if (glyph === "!" && byName?.startsWith(".") && a.kind === "vector" && a.type === 11) {
    // `![`.;();0b;`a`b]`: delete globals from a namespace, as `delete a,b from `.` does.
    for (const name of a.data as string[]) it.env.delete(byName === "." ? name : `${byName}.${name}`);
    return tv;
  }
  const from = byName === null ? tv : it.getGlobal(byName);
  const tree = (x: Value) => (m: Map<string, Value>) => treeEval(it, x, m);
  const where = c.kind === "atom" ? [] : items(c).map(tree);
  const dictCols = (d: Value & { kind: "dict" }) =>
    items(d.keys).map((k, i) => ({ name: String((k as { v: string }).v), f: tree(index(d.values, i)) }));
  const groups = (x: Value) =>
    x.kind === "dict"
      ? dictCols(x)
      : x.kind === "atom" && x.type === 11
        ? [{ name: x.v as string, f: tree(x) }]
        : x.kind === "vector" && x.type === 11 && count(x) > 0
          ? // a symbol list is a parse tree (`c1`c2 applies c1 to c2): one unnamed key
            [{ name: "x", f: tree(x) }]
          : null;
  const by = groups(b);
  const allCols = (a.kind === "list" || a.kind === "vector") && count(a) === 0;
  const q: Query = {
    kind: "select",
    limit: null,
    cols: [],
    by: by?.length ? by : null,
    where,
    names: [],
    explicitBy: b.kind === "dict",
  };
  if (glyph === "!") {
    if (a.kind === "vector" && a.type === 11) {
      q.kind = "delete";
      q.names = a.data as string[];
    } else if (a.kind === "dict") {
      q.kind = "update";
      q.cols = dictCols(a);
    } else q.kind = "delete";
  } else {
    const select = (b.kind === "atom" && b.type === 1) || (b.kind === "dict" && (a.kind === "dict" || allCols));
    if (!select) q.kind = "exec";
    if (a.kind === "dict") {
      q.cols = dictCols(a);
      q.explicitNames = true;
    } else if (!allCols) q.cols = [{ name: "x", f: tree(a) }];
  }
  if (q.kind === "select" && b.kind === "atom" && b.type === 1 && b.v) {
    // `?[t;c;1b;a]`: select distinct
    q.by = null;
    const r0 = runQuery(it, from, q);
    return it.ctx.apply({ kind: "prim", name: "distinct" }, [r0]);
  }
  let r = runQuery(it, from, q);
  if (order !== undefined && order.kind === "list" && order.items.length === 2) {
    // `(idesc;`c)`: sort rows by the grade of a column before the limit.
    const [grader, col] = order.items as [Value, Value];
    const g = it.ctx.apply(grader.kind === "atom" ? it.getGlobal(grader.v as string) : grader, [
      treeEval(it, col, columnsOf(r as QTable, null)),
    ]);
    r = gather(
      r,
      Int32Array.from(items(g), (v) => Number((v as { v: number }).v)),
    );
  }
  if (limit !== undefined && !(limit.kind === "atom" && limit.v === LONG_INF)) r = applyLimit(r, [limit]);
  if (byName !== null && glyph === "!") {
    it.setGlobal(byName, r);
    return sym(byName);
  }
  return r;
}
