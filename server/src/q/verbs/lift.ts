// Lifting combinators: how atomic primitives pervade q's container types.
//
// A primitive is written once as a *kernel* over "simple" operands: an atom or a vector (a vector
// stands for many atoms of one type, so kernels work on whole typed arrays at once). The
// combinators here extend a kernel to everything else the way q does:
//   - general lists: item by item, recursively; results re-normalised with `list`;
//   - dicts: over the values (dyadic dict-dict uses upsert semantics on the union of keys);
//   - tables: column by column; keyed tables are dicts of tables and fall out of the dict rule.
// Length mismatches between two lists raise 'length; functions and `::` raise 'type.

import { raise } from "../errors";
import {
  count,
  dict,
  type EvalContext,
  index,
  list,
  type QAtom,
  type QVector,
  table,
  type Value,
  items as valueItems,
} from "../values";
import { findIndex, joinValues, matchValues } from "./structure";

/** An atom or a vector: the operand shape kernels accept. */
export type Simple = QAtom | QVector;

export type MonadKernel = (x: Simple) => Value;
export type DyadKernel = (x: Simple, y: Simple) => Value;

const isSimple = (v: Value): v is Simple => v.kind === "atom" || v.kind === "vector";

/** Lifts a kernel over atoms/vectors to a monadic verb that pervades lists, dicts and tables. */
export function atomicMonad(kernel: MonadKernel): (x: Value, ctx: EvalContext) => Value {
  const go = (x: Value): Value => {
    switch (x.kind) {
      case "atom":
      case "vector":
        return kernel(x);
      case "list":
        return list(x.items.map(go));
      case "dict":
        return dict(x.keys, go(x.values));
      case "table":
        return table(x.columns, x.data.map(go));
      default:
        return raise("type");
    }
  };
  return (x) => go(x);
}

/** Lifts a kernel over pairs of atoms/vectors to a dyadic verb with q's pervasion rules. */
/**
 * `onlyRight` gives the result for a dict key present only in y (dict-dict upsert semantics):
 * y's value for most verbs, its negation for `-`.
 */
export function atomicDyad(
  kernel: DyadKernel,
  onlyRight: (y: Value) => Value = (y) => y,
): (x: Value, y: Value, ctx: EvalContext) => Value {
  const go = (x: Value, y: Value): Value => {
    if (isSimple(x) && isSimple(y)) {
      if (x.kind === "vector" && y.kind === "vector" && count(x) !== count(y)) raise("length");
      return kernel(x, y);
    }
    if (x.kind === "dict" || y.kind === "dict") return dictDyad(x, y, go, onlyRight);
    if (x.kind === "table" || y.kind === "table") return tableDyad(x, y, go);
    if (x.kind === "list" || y.kind === "list") {
      const xs = x.kind === "atom" ? undefined : listItems(x);
      const ys = y.kind === "atom" ? undefined : listItems(y);
      if (xs && ys) {
        if (xs.length !== ys.length) raise("length");
        return list(xs.map((a, i) => go(a, ys[i]!)));
      }
      if (xs) return list(xs.map((a) => go(a, y)));
      return list(ys!.map((b) => go(x, b)));
    }
    return raise("type");
  };
  return (x, y) => go(x, y);
}

function listItems(v: Value): Value[] {
  if (v.kind === "list" || v.kind === "vector") return valueItems(v);
  return raise("type");
}

function tableDyad(x: Value, y: Value, go: (a: Value, b: Value) => Value): Value {
  if (x.kind === "table" && y.kind === "table") {
    if (x.columns.length !== y.columns.length || x.columns.some((c, i) => c !== y.columns[i])) raise("type");
    return table(
      x.columns,
      x.data.map((c, i) => go(c, y.data[i]!)),
    );
  }
  if (x.kind === "table") {
    if (y.kind !== "atom") return listOverRows(x, y, go, true);
    return table(
      x.columns,
      x.data.map((c) => go(c, y)),
    );
  }
  const t = y as Extract<Value, { kind: "table" }>;
  if (x.kind !== "atom") return listOverRows(t, x, go, false);
  return table(
    t.columns,
    t.data.map((c) => go(x, c)),
  );
}

// A table against a list pairs each row (a dict) with an item: q treats a table as a list of dicts.
function listOverRows(
  t: Extract<Value, { kind: "table" }>,
  other: Value,
  go: (a: Value, b: Value) => Value,
  tLeft: boolean,
): Value {
  const n = count(t);
  if (count(other) !== n) raise("length");
  const rows: Value[] = [];
  for (let i = 0; i < n; i++) rows.push(tLeft ? go(index(t, i), index(other, i)) : go(index(other, i), index(t, i)));
  return list(rows);
}

function dictDyad(x: Value, y: Value, go: (a: Value, b: Value) => Value, onlyRight: (y: Value) => Value): Value {
  if (x.kind === "dict" && y.kind === "dict") {
    if (matchValues(x.keys, y.keys)) return dict(x.keys, go(x.values, y.values));
    // Upsert semantics: keys of x in order, then the new keys of y; shared keys combine.
    const xk = valueItems(x.keys);
    const yk = valueItems(y.keys);
    const outVals = valueItems(x.values);
    const extraKeys: Value[] = [];
    const extraVals: Value[] = [];
    yk.forEach((k, j) => {
      const i = findIndex(x.keys, k);
      const yv = index(y.values, j);
      if (i < xk.length) outVals[i] = go(outVals[i]!, yv);
      else {
        extraKeys.push(k);
        extraVals.push(onlyRight(yv));
      }
    });
    if (!extraKeys.length) return dict(x.keys, list(outVals));
    return dict(joinValues(x.keys, list(extraKeys)), list([...outVals, ...extraVals]));
  }
  if (x.kind === "dict") {
    if (y.kind !== "atom" && count(y) !== count(x)) raise("length");
    return dict(x.keys, go(x.values, y));
  }
  const d = y as Extract<Value, { kind: "dict" }>;
  if (x.kind !== "atom" && count(x) !== count(d)) raise("length");
  return dict(d.keys, go(x, d.values));
}
