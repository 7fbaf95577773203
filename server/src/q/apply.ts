/**
 * Application of any q value to arguments, indexing at depth, and the apply,
 * amend and trap forms of `@` and `.`.
 *
 * q unifies calling and indexing: `f[x;y]`, `list[i;j]`, `dict[k]` and
 * `table[`col]` are the same operation on different values. Two entry points
 * differ only for primitive glyphs given one argument: `applyN` (bracket
 * application) projects `+[1]`, while `applyMonadic` (prefix application `-x`,
 * and higher-order verbs through EvalContext.apply) uses the monadic form.
 *
 * Values are never mutated: amend copies what it changes.
 */

import { holdsEnum, plainEnums } from "./enums";
import { QError, raise } from "./errors";
import {
  count,
  dict,
  type EvalContext,
  enumsExist,
  IDENTITY,
  index,
  isFunction,
  isLongType,
  items,
  list,
  longVector,
  type QAtom,
  type QDerived,
  type QLambda,
  type QVector,
  rawList,
  str,
  table,
  textOf,
  type Value,
  type VerbDef,
  vectorAt,
} from "./values";
import { compareValues, findIndex, gather, joinValues, matchValues } from "./verbs/structure";

/** What apply needs from the interpreter. */
export interface Runtime {
  readonly ctx: EvalContext;
  callLambda(f: QLambda, args: Value[]): Value;
  verb(name: string): VerbDef | undefined;
  /** Functional qSQL: `?[t;c;b;a]` (select/exec) and `![t;c;b;a]` (update/delete). */
  functionalSql(glyph: "?" | "!", args: Value[]): Value;
  /** A global named by a symbol (`@[`a;…]` amends the variable a). */
  getGlobal(name: string): Value;
  setGlobal(name: string, v: Value): void;
  /** `0 "text"` / `0 (f;x)`: evaluate locally. */
  evalHandleZero(x: Value): Value;
  /** A function derived by an iterator (`f/`, `f'`, ...) applied to args: adverbs.ts. */
  applyDerived(d: QDerived, args: Value[]): Value;
}

/** Number of arguments a function value takes (q's valence); data counts as 1. */
export function valence(rt: Runtime, f: Value): number {
  switch (f.kind) {
    case "lambda":
      return f.params.length;
    case "prim": {
      if (f.name.endsWith(":") && f.name.length > 1) return 1;
      if (f.name === ":" || f.name === "'") return 2;
      const def = rt.verb(f.name);
      return def?.dyadic ? 2 : (def?.valence ?? 1);
    }
    case "projection":
      return f.args.filter((a) => a === undefined).length + Math.max(0, valence(rt, f.fn) - f.args.length);
    case "composition":
      return valence(rt, f.fns[f.fns.length - 1]!);
    case "derived": {
      const v = valence(rt, f.fn);
      if (f.iterator === "'" || f.iterator === "':") return Math.max(v, 1);
      if (f.iterator === "/:" || f.iterator === "\\:") return 2;
      return Math.max(v, 1);
    }
    default:
      return 1;
  }
}

const ITERATORS = new Set(["'", "/", "\\", "':", "/:", "\\:"]);

const isHole = (v: Value | undefined): v is undefined => v === undefined;

/** Bracket application `f[a;b;…]`; `undefined` arguments are elided (holes). */
export function applyN(rt: Runtime, f: Value, args: (Value | undefined)[]): Value {
  if (isFunction(f)) {
    if (args.some(isHole)) return project(rt, f, args);
    if (f.kind === "prim" && args.length === 1 && !f.name.endsWith(":") && !/^[a-z]/i.test(f.name)) {
      const def = rt.verb(f.name);
      if (def?.dyadic) return project(rt, f, args);
    }
    return call(rt, f, args as Value[]);
  }
  if (f.kind === "identity") return args.length === 1 ? (args[0] ?? IDENTITY) : raise("rank");
  return indexDepth(rt, f, args, 0);
}

/** Prefix application: `f x`, `-x`, and EvalContext.apply with one argument. */
export function applyMonadic(rt: Runtime, f: Value, x: Value): Value {
  switch (f.kind) {
    case "lambda":
      return f.params.length === 1 ? rt.callLambda(f, [x]) : call(rt, f, [x]);
    case "prim":
      return callPrim(rt, f.name, [x]);
    case "atom":
      return applyAtom(rt, f, x);
    case "identity":
      return x;
    default:
      return isFunction(f) ? call(rt, f, [x]) : index1(rt, f, x);
  }
}

/** Calls a function value with all arguments present. */
export function call(rt: Runtime, f: Value, args: Value[]): Value {
  switch (f.kind) {
    case "lambda":
      if (args.length < f.params.length) return project(rt, f, args);
      if (args.length > f.params.length) raise("rank");
      return rt.callLambda(f, args);
    case "prim":
      return callPrim(rt, f.name, args);
    case "projection": {
      const merged: (Value | undefined)[] = [];
      let k = 0;
      for (const a of f.args) merged.push(a === undefined && k < args.length ? args[k++] : a);
      while (k < args.length) merged.push(args[k++]);
      if (merged.some(isHole)) return { kind: "projection", fn: f.fn, args: merged };
      if (f.fn.kind === "prim" && merged.length === 1) return applyMonadic(rt, f.fn, merged[0]!);
      return call(rt, f.fn, merged as Value[]);
    }
    case "composition": {
      const fns = f.fns;
      let r = call(rt, fns[fns.length - 1]!, args);
      for (let i = fns.length - 2; i >= 0; i--) r = applyMonadic(rt, fns[i]!, r);
      return r;
    }
    case "derived":
      return rt.applyDerived(f, args);
    case "identity":
      return args.length === 1 ? args[0]! : raise("rank");
    case "iterator":
      return raise("nyi");
    default:
      return indexDepth(rt, f, args, 0);
  }
}

/** A projection: holes stay undefined; missing trailing arguments become holes. */
function project(rt: Runtime, f: Value, args: (Value | undefined)[]): Value {
  const n = Math.max(valence(rt, f), args.length);
  const padded = args.slice();
  while (padded.length < n) padded.push(undefined);
  if (f.kind === "lambda" && padded.length > f.params.length) raise("rank");
  return { kind: "projection", fn: f, args: padded };
}

function callPrim(rt: Runtime, name: string, args: Value[]): Value {
  if (name === "@" || name === ".") {
    if (args.length === 2) return name === "@" ? at(rt, args[0]!, args[1]!) : dot(rt, args[0]!, args[1]!);
    if (args.length === 3 || args.length === 4) {
      return name === "@" ? amendOrTrapAt(rt, args) : amendOrTrapDot(rt, args);
    }
  }
  if ((name === "?" || name === "!") && args.length === 4) return rt.functionalSql(name, args);
  if (name === "?" && (args.length === 5 || args.length === 6)) return rt.functionalSql(name, args);
  if (ITERATORS.has(name) && args.length === 1) return { kind: "derived", iterator: name, fn: args[0]! };
  // Assign as a function value, `f:(:)`, returns its right argument.
  if (name === ":" && args.length === 2) return args[1]!;
  // `'[f;g;h]` composes: h takes the arguments, the others apply in turn to the result.
  if (name === "'" && args.length > 1) return { kind: "composition", fns: args };
  if (name === "?" && args.length === 3) {
    if (args[0]!.kind === "table" || args[0]!.kind === "dict") return rt.functionalSql("?", args);
    return vectorCond(rt, args[0]!, args[1]!, args[2]!);
  }
  const monadicOnly = name.length > 1 && name.endsWith(":");
  const def = rt.verb(monadicOnly ? name.slice(0, -1) : name);
  if (def === undefined) return raise("nyi");
  if (args.length === 1) {
    if (def.monadic) return def.monadic(args[0]!, rt.ctx);
    if (def.dyadic) return project(rt, { kind: "prim", name }, args);
    return raise("rank");
  }
  if (args.length === 2 && def.dyadic && !monadicOnly) return def.dyadic(args[0]!, args[1]!, rt.ctx);
  // `.Q.fmt[6;2]`: too few arguments for a rank-3 built-in project it, as for lambdas.
  if (def.nary && def.valence !== undefined && args.length < def.valence)
    return project(rt, { kind: "prim", name }, args);
  if (def.nary) return def.nary(args, rt.ctx);
  return raise("rank");
}

/** `?[c;a;b]`: vector conditional. */
function vectorCond(rt: Runtime, c: Value, a: Value, b: Value): Value {
  const n = count(c);
  const out: Value[] = [];
  for (let i = 0; i < n; i++) {
    const ci = index(c, i) as QAtom;
    const pick = ci.v !== 0 && ci.v !== 0n ? a : b;
    out.push(pick.kind === "atom" ? pick : index(pick, i));
  }
  void rt;
  return list(out);
}

/** `1 "text"`, `-1 "text"` (and 2/-2): write to stdout/stderr; other atoms cannot be applied. */
function applyAtom(rt: Runtime, h: QAtom, x: Value): Value {
  if ((h.type === 7 || h.type === 6) && h.v === 0) return rt.evalHandleZero(x);
  if (
    (h.type === 7 || h.type === 6 || h.type === 5) &&
    typeof h.v === "number" &&
    Math.abs(h.v) >= 1 &&
    Math.abs(h.v) <= 2
  ) {
    const handle = Math.abs(h.v) as 1 | 2;
    const lines =
      x.kind === "vector" && x.type === 10
        ? [textOf(x)]
        : x.kind === "atom" && x.type === 10
          ? [textOf(x)]
          : x.kind === "list"
            ? x.items.map((it) =>
                (it.kind === "vector" || it.kind === "atom") && it.type === 10 ? textOf(it) : raise("type"),
              )
            : raise("type");
    const text = h.v < 0 ? lines.map((l) => `${l}\n`).join("") : lines.join("");
    rt.ctx.print(handle, text);
    return h;
  }
  if (h.kind === "atom" && h.type === 11) return applyN(rt, rt.getGlobal(h.v as string), [x]);
  return raise("type");
}

// ---------------------------------------------------------------- indexing

/** `x@i`: apply a function to one argument or index data at the top level. */
export function at(rt: Runtime, x: Value, i: Value): Value {
  // A binary glyph applied with @ takes i as its left argument: (#)@1 2 is #[1 2] (ref/take).
  if (x.kind === "prim") return applyN(rt, x, [i]);
  if (isFunction(x) || x.kind === "identity" || x.kind === "atom") return applyMonadic(rt, x, i);
  return index1(rt, x, i);
}

/** `x . i`: apply a function to the items of i as arguments, or index data at depth. */
export function dot(rt: Runtime, x: Value, i: Value): Value {
  const args = i.kind === "atom" ? [i] : items(i);
  if (isFunction(x)) return call(rt, x, args.length === 0 ? [IDENTITY] : args);
  if (args.length === 0) return x;
  return indexDepth(rt, x, args, 0);
}

/** Index at depth: `m[i;j]`; an elided index (hole or `::`) selects every item at its level. */
export function indexDepth(rt: Runtime, x: Value, args: (Value | undefined)[], k: number): Value {
  if (k >= args.length) return x;
  const i = args[k];
  if (i === undefined || i.kind === "identity") {
    // An atom has no items to select: `3[::]` is not an application (ref/identity).
    if (x.kind === "atom") return raise("type");
    if (x.kind === "table" && k + 1 < args.length) {
      // t[;`c]: all rows, then the column
      return indexDepth(rt, x, [args[k + 1], ...args.slice(k + 2)], 0);
    }
    if (x.kind === "dict") return dict(x.keys, indexDepthEach(rt, x.values, args, k + 1));
    return indexDepthEach(rt, x, args, k + 1);
  }
  const r = index1(rt, x, i);
  if (k + 1 >= args.length) return r;
  if (i.kind === "atom") return indexDepth(rt, r, args, k + 1);
  return indexDepthEach(rt, r, args, k + 1);
}

function indexDepthEach(rt: Runtime, x: Value, args: (Value | undefined)[], k: number): Value {
  if (k >= args.length) return x;
  if (x.kind === "table") return indexDepth(rt, x, args.slice(k), 0);
  return list(items(x).map((it) => indexDepth(rt, it, args, k)));
}

const isIndexType = (t: number) => t === 1 || (t >= 4 && t <= 7);

function toIndices(i: QVector): ArrayLike<number> {
  const d = i.data;
  if (d instanceof BigInt64Array) return Array.from(d, (b) => (b >= -(2n ** 31n) && b < 2n ** 31n ? Number(b) : -1));
  return d as ArrayLike<number>;
}

/** One level of indexing: `x[i]` for data x. */
export function index1(rt: Runtime, x: Value, i: Value): Value {
  if (isFunction(x)) return applyMonadic(rt, x, i);
  switch (x.kind) {
    case "vector":
    case "list":
      if (i.kind === "atom") {
        if (!isIndexType(i.type)) return raise("type");
        const n = typeof i.v === "number" ? i.v : -1;
        return index(x, n);
      }
      if (i.kind === "vector") {
        if (!isIndexType(i.type)) return raise("type");
        return gather(x, toIndices(i));
      }
      if (i.kind === "list") return list(i.items.map((j) => index1(rt, x, j)));
      if (i.kind === "dict") return dict(i.keys, index1(rt, x, i.values));
      return raise("type");
    case "dict":
      // A dictionary or keyed table is looked up by the symbols its enumerated keys and indices stand for.
      if (enumsExist() && (holdsEnum(x.keys) || holdsEnum(i)))
        return indexDict(rt, dict(plainEnums(x.keys), x.values), plainEnums(i));
      return indexDict(rt, x, i);
    case "table":
      if (i.kind === "atom" && i.type === 11) return column(x, i.v as string);
      if (i.kind === "vector" && i.type === 11) return rawList((i.data as string[]).map((c) => column(x, c)));
      if (i.kind === "atom" || i.kind === "vector") return rowsOf(x, i);
      return raise("type");
    case "atom":
      return applyAtom(rt, x, i);
    case "identity":
      return i;
    default:
      return raise("type");
  }
}

function rowsOf(t: Value & { kind: "table" }, i: QAtom | QVector): Value {
  if (i.kind === "atom") return index(t, typeof i.v === "number" ? i.v : -1);
  return gather(t, toIndices(i));
}

function column(t: Value & { kind: "table" }, name: string): Value {
  const k = t.columns.indexOf(name);
  return k < 0 ? raise(name) : t.data[k]!;
}

function indexDict(rt: Runtime, d: Value & { kind: "dict" }, i: Value): Value {
  const keys = d.keys;
  if (keys.kind === "table") {
    // Keyed table: find rows by key value(s); missing keys give null rows.
    const kcols = keys.data;
    const n = count(keys);
    const rowOf = (probe: Value[]): number => {
      for (let r = 0; r < n; r++) if (kcols.every((c, k) => matchValues(index(c, r), probe[k]!))) return r;
      return n;
    };
    if (kcols.length === 1 && (i.kind === "atom" || i.kind === "vector")) {
      if (i.kind === "atom") return index(d.values, rowOf([i]));
      const idx = new Int32Array(count(i));
      for (let k = 0; k < idx.length; k++) idx[k] = rowOf([index(i, k)]);
      return gather(d.values, idx);
    }
    if (i.kind === "table")
      return gather(
        d.values,
        Int32Array.from(items(i), (row) => rowOf(items((row as Value & { kind: "dict" }).values))),
      );
    if (i.kind === "dict") return index(d.values, rowOf(items(i.values)));
    return index(d.values, rowOf(items(i)));
  }
  if (keys.kind === "vector" && keys.attr === "s" && (i.kind === "atom" || i.kind === "vector")) {
    // A sorted dictionary is a step function: a key between two keys takes the lower one's value.
    const n = count(keys);
    const step = (probe: Value): number => {
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareValues(index(keys, mid), probe) <= 0) lo = mid + 1;
        else hi = mid;
      }
      return lo === 0 ? n : lo - 1;
    };
    if (i.kind === "atom") return index(d.values, step(i));
    return gather(
      d.values,
      Int32Array.from({ length: count(i) }, (_, k) => step(index(i, k))),
    );
  }
  if (i.kind === "atom" || keys.kind === "list") {
    const j = findIndex(keys, i);
    return j < count(keys) ? index(d.values, j) : nullFor(d.values);
  }
  if (i.kind === "vector") {
    const idx = new Int32Array(count(i));
    for (let k = 0; k < idx.length; k++) idx[k] = findIndex(keys, { kind: "atom", type: i.type, v: vectorAt(i, k) });
    return gather(d.values, idx);
  }
  if (i.kind === "list") return list(i.items.map((j) => indexDict(rt, d, j)));
  return raise("type");
}

function nullFor(values: Value): Value {
  return index(values, count(values));
}

// ---------------------------------------------------------------- amend and trap

/** Converts a JS exception to a QError, or rethrows it when it is an internal bug. */
export function toQError(e: unknown): QError {
  if (e instanceof QError) return e;
  if (e instanceof RangeError) {
    // No regular expressions here: this may run with almost no stack left.
    if (e.message.includes("call stack")) return new QError("stack");
    return new QError("wsfull");
  }
  throw e;
}

function trap(rt: Runtime, run: () => Value, handler: Value): Value {
  try {
    return run();
  } catch (e) {
    const q = toQError(e);
    if (isFunction(handler)) return applyMonadic(rt, handler, str(q.qname));
    return handler;
  }
}

function amendOrTrapAt(rt: Runtime, args: Value[]): Value {
  const [x, i, f, y] = args as [Value, Value, Value, Value | undefined];
  if (args.length === 3 && (isFunction(x) || (x.kind === "atom" && x.type !== 11))) {
    return trap(rt, () => applyMonadic(rt, x, i), f);
  }
  return amendVar(rt, x, (v) => amendPath(rt, v, [i], 0, f, y));
}

function amendOrTrapDot(rt: Runtime, args: Value[]): Value {
  const [x, i, f, y] = args as [Value, Value, Value, Value | undefined];
  if (args.length === 3 && isFunction(x)) {
    return trap(rt, () => dot(rt, x, i), f);
  }
  const path = i.kind === "atom" ? [i] : items(i);
  return amendVar(rt, x, (v) => (path.length === 0 ? update(rt, v, f, y) : amendPath(rt, v, path, 0, f, y)));
}

/** Amending a symbol amends the global it names and returns the symbol. */
function amendVar(rt: Runtime, x: Value, f: (v: Value) => Value): Value {
  if (x.kind === "atom" && x.type === 11) {
    const name = x.v as string;
    rt.setGlobal(name, f(rt.getGlobal(name)));
    return x;
  }
  return f(x);
}

function update(rt: Runtime, item: Value, f: Value, y: Value | undefined): Value {
  if (f.kind === "prim" && f.name === ":") return y ?? raise("rank");
  return y === undefined ? applyMonadic(rt, f, item) : call(rt, f, [item, y]);
}

/** `.[x;path;f;y]` at level k: each index in path selects deeper; vectors spread over their items. */
export function amendPath(
  rt: Runtime,
  x: Value,
  path: (Value | undefined)[],
  k: number,
  f: Value,
  y: Value | undefined,
): Value {
  if (k >= path.length) return update(rt, x, f, y);
  const i = path[k];
  if (i === undefined || i.kind === "identity") {
    const n = x.kind === "dict" ? count(x.keys) : count(x);
    const all = Array.from({ length: n }, (_, j) => j);
    return spread(
      rt,
      x,
      all.map((j) => ({ kind: "atom", type: 7, v: j }) as Value),
      path,
      k,
      f,
      y,
      x.kind === "dict",
    );
  }
  if (i.kind !== "atom" && !(x.kind === "dict" && x.keys.kind !== "vector")) {
    return spread(rt, x, items(i), path, k, f, y, false);
  }
  const cur =
    x.kind === "table" && i.kind === "atom" && i.type === 11 ? columnOrEmpty(x, i.v as string) : index1(rt, x, i);
  return setItem(x, i, amendPath(rt, cur, path, k + 1, f, y));
}

function spread(
  rt: Runtime,
  x: Value,
  idx: Value[],
  path: (Value | undefined)[],
  k: number,
  f: Value,
  y: Value | undefined,
  byPosition: boolean,
): Value {
  const scalarY = y === undefined || y.kind === "atom" || (k + 1 < path.length && false);
  if (!scalarY && count(y!) !== idx.length) raise("length");
  let out = x;
  idx.forEach((j, n) => {
    const yj = scalarY ? y : index(y!, n);
    if (byPosition && out.kind === "dict") {
      const pos = (j as QAtom).v as number;
      out = dict(out.keys, setItem(out.values, j, amendPath(rt, index(out.values, pos), path, k + 1, f, yj)));
    } else out = amendPath(rt, out, [...path.slice(0, k), j, ...path.slice(k + 1)], k, f, yj);
  });
  return out;
}

function columnOrEmpty(t: Value & { kind: "table" }, name: string): Value {
  const k = t.columns.indexOf(name);
  return k < 0 ? { kind: "list", items: [] } : t.data[k]!;
}

/** A copy of x with item i replaced by v (appending a new dict key when absent). */
export function setItem(x: Value, i: Value, v: Value): Value {
  switch (x.kind) {
    case "vector":
    case "list": {
      if (i.kind !== "atom" || !isIndexType(i.type)) return raise("type");
      const n = typeof i.v === "number" ? i.v : -1;
      // An index out of range in an amend is a length error (code.kx.com/q/basics/dictsandtables).
      if (n < 0 || n >= count(x)) return raise("length");
      if (x.kind === "vector" && v.kind === "atom" && v.type === x.type && isLongType(x.type)) {
        // 64-bit storage: rebuild through longVector so the fast/BigInt representation stays right.
        const vals = Array.from({ length: count(x) }, (_, k) => (k === n ? v.v : vectorAt(x, k)) as number | bigint);
        return longVector(vals, x.type);
      }
      if (x.kind === "vector" && v.kind === "atom" && v.type === x.type && x.type !== 2) {
        const data = x.data.slice() as QVector["data"];
        (data as unknown as unknown[])[n] = x.data instanceof BigInt64Array ? BigInt(v.v as number) : v.v;
        return { kind: "vector", type: x.type, data } as Value;
      }
      // A simple vector takes only atoms of its own type: `@[1 2;::;3 4*]` is a type error
      // (code.kx.com/q/ref/amend).
      if (x.kind === "vector") return raise("type");
      const its = items(x);
      its[n] = v;
      return list(its);
    }
    case "dict": {
      const j = findIndex(x.keys, i);
      if (j < count(x.keys)) return dict(x.keys, setItem(x.values, { kind: "atom", type: 7, v: j }, v));
      return dict(
        joinValues(x.keys, i.kind === "atom" ? i : list([i])),
        joinValues(x.values, v.kind === "atom" ? v : list([v])),
      );
    }
    case "table": {
      if (i.kind === "atom" && i.type === 11) {
        const name = i.v as string;
        const k = x.columns.indexOf(name);
        const col = v.kind === "atom" ? list(Array.from({ length: count(x) }, () => v)) : v;
        if (k < 0) return table([...x.columns, name], [...x.data, col]);
        const data = x.data.slice();
        data[k] = col;
        return table(x.columns, data);
      }
      if (i.kind === "atom" && v.kind === "dict") {
        const n = i.v as number;
        const data = x.columns.map((c, k) => {
          const cv = items(v.values)[items(v.keys).findIndex((kk) => kk.kind === "atom" && kk.v === c)];
          return cv === undefined ? x.data[k]! : setItem(x.data[k]!, { kind: "atom", type: 7, v: n }, cv);
        });
        return table(x.columns, data);
      }
      return raise("type");
    }
    default:
      return raise("type");
  }
}
