/**
 * The iterators: each `'`, over `/`, scan `\`, each-prior `':`, each-right `/:`,
 * each-left `\:`, applied to the function (or data) they derive from.
 *
 * Which form of over/scan runs depends on the derived function's valence and
 * the arguments (code.kx.com "Iterators"):
 * - unary f, one argument: converge (`f/x`, `f\x`);
 * - unary f, two arguments: do (`n f/x`, integer n) or while (`p f/x`, p a function);
 * - f of rank 2+, one argument: fold/scan over the items, the first item as seed;
 * - f of rank n, n arguments: fold with the first argument as seed over the rest.
 * Long loops call `ctx.tick()` so the session can enforce its time limit.
 */
import { applyMonadic, call, type Runtime, valence } from "./apply";
import { raise } from "./errors";
import { floatFold } from "./fastfold";
import {
  count,
  dict,
  index,
  isFunction,
  isIntegralType,
  items,
  list,
  nullOf,
  type QDerived,
  type Value,
  vector,
  vectorOf,
} from "./values";
import { matchValues } from "./verbs/structure";

export function applyDerived(rt: Runtime, d: QDerived, args: Value[]): Value {
  switch (d.iterator) {
    case "'":
      if (d.fn.kind === "vector" && isIntegralType(d.fn.type) && d.fn.type !== 1) return caseOf(d.fn, args);
      return each(rt, d.fn, args);
    case "/":
      return overScan(rt, d.fn, args, false);
    case "\\":
      return overScan(rt, d.fn, args, true);
    case "':":
      return eachPrior(rt, d.fn, args);
    case "/:":
      if (!isFunction(d.fn) && args.length === 1) return call(rt, { kind: "prim", name: "sv" }, [d.fn, args[0]!]);
      if (args.length !== 2) return raise("rank");
      return mapItems(args[1]!, (yi) => call(rt, d.fn, [args[0]!, yi]));
    case "\\:":
      if (!isFunction(d.fn) && args.length === 1) return call(rt, { kind: "prim", name: "vs" }, [d.fn, args[0]!]);
      if (args.length !== 2) return raise("rank");
      return mapItems(args[0]!, (xi) => call(rt, d.fn, [xi, args[1]!]));
    default:
      return raise("nyi");
  }
}

/**
 * Case (code.kx.com/q/ref/maps#case): `0 1 0'["abc";"xyz"]` picks item i from the list that
 * x[i] names; an atom stands for every item, and dictionaries must share one key order.
 */
function caseOf(x: Value, args: Value[]): Value {
  const n = count(x);
  let keys: Value | undefined;
  if (args.some((a) => a.kind !== "atom" && count(a) !== n)) raise("length");
  const lists = args.map((a) => {
    if (a.kind !== "dict") return a;
    if (keys !== undefined && !matchValues(keys, a.keys)) raise("domain");
    keys = a.keys;
    return a.values;
  });
  const out = new Array<Value>(n);
  for (let i = 0; i < n; i++) {
    const k = Number((index(x, i) as { v: number }).v);
    const src = lists[k] ?? raise("index");
    out[i] = src.kind === "atom" ? src : index(src, i);
  }
  return list(out);
}

/** Applies f to each item of x; a dictionary keeps its keys; an atom is applied directly. */
function mapItems(x: Value, f: (v: Value) => Value): Value {
  if (x.kind === "atom" || x.kind === "identity" || isFunction(x)) return f(x);
  if (x.kind === "dict") return dict(x.keys, mapItems(x.values, f));
  const its = items(x);
  const out = new Array<Value>(its.length);
  for (let i = 0; i < its.length; i++) out[i] = f(its[i]!);
  return list(out);
}

function each(rt: Runtime, f: Value, args: Value[]): Value {
  const apply1 = (v: Value) => (args.length === 1 ? applyMonadic(rt, f, v) : call(rt, f, [v]));
  if (args.length === 1) return mapItems(args[0]!, apply1);
  // each-both (and higher ranks): atoms extend; lists must agree in length
  let n = -1;
  for (const a of args) {
    if (a.kind === "atom" || isFunction(a) || a.kind === "identity") continue;
    const c = count(a);
    if (n >= 0 && c !== n) raise("length");
    n = c;
  }
  if (n < 0) return call(rt, f, args);
  const out = new Array<Value>(n);
  for (let i = 0; i < n; i++) {
    out[i] = call(
      rt,
      f,
      args.map((a) => (a.kind === "atom" || isFunction(a) || a.kind === "identity" ? a : index(a, i))),
    );
  }
  const first = args.find((a) => a.kind === "dict");
  return first?.kind === "dict" ? dict(first.keys, list(out)) : list(out);
}

/** Identity elements used for an empty fold and as the each-prior seed of some glyphs. */
export function identityOf(f: Value): Value | undefined {
  if (f.kind !== "prim") return undefined;
  switch (f.name) {
    case "+":
    case "-":
    case "|":
      return { kind: "atom", type: 7, v: 0 };
    case "*":
      return { kind: "atom", type: 7, v: 1 };
    case "%":
      return { kind: "atom", type: 9, v: 1 };
    case "&":
      return { kind: "atom", type: 1, v: 1 };
    default:
      return undefined;
  }
}

/**
 * The rank of a list used as the value of an iterator: a list of lists (or of functions) is
 * indexed at depth 2, `m[state;input]`, as a finite-state machine (ref/accumulators); any
 * other list or dictionary is unary.
 */
function listRank(f: Value): number {
  if (f.kind !== "list" || f.items.length === 0) return 1;
  return f.items.every((x) => x.kind !== "atom" && x.kind !== "identity") ? 2 : 1;
}

/**
 * A fold or scan of a binary value over an empty list evaluates nothing (ref/accumulators,
 * "Empty lists"): a glyph's identity element, an empty list of a list value's type, else ().
 */
function emptyFold(f: Value): Value {
  const id = identityOf(f);
  if (id !== undefined) return id;
  if (f.kind === "vector") return vectorOf(f.type, []);
  return list([]);
}

/**
 * `a b\c` for float a, float vector b and float c (q 3.1+, ref/accumulators "Alternative
 * syntax"): the linear recurrence r[i] = c[i] + r[i-1]*b[i], seeded by a.
 */
function linearScan(seed: Value, b: Value & { kind: "vector" }, c: Value): Value {
  const n = b.data.length;
  const bs = b.data as Float64Array;
  const cs = c.kind === "vector" ? (c.data as Float64Array) : undefined;
  if (cs !== undefined && cs.length !== n) return raise("length");
  const c0 = c.kind === "atom" ? (c.v as number) : 0;
  const s = seed.kind === "atom" ? (seed.v as number) : 0;
  const out = new Float64Array(n);
  let r = s;
  for (let i = 0; i < n; i++) {
    r = (cs === undefined ? c0 : cs[i]!) + r * bs[i]!;
    out[i] = r;
  }
  return vector(9, out);
}

function overScan(rt: Runtime, f: Value, args: Value[], scan: boolean): Value {
  if (scan && f.kind === "vector" && f.type === 9 && args.length === 2) {
    const [a, c] = args as [Value, Value];
    if (a.kind === "atom" && a.type === 9 && (c.kind === "atom" || c.kind === "vector") && c.type === 9)
      return linearScan(a, f, c);
  }
  const v = isFunction(f) ? valence(rt, f) : listRank(f);
  // A derived over/scan (`,/`) is variadic: given one argument it is unary, so `(,/) over x`
  // converges (razes until flat) rather than folding `,/` between the items.
  const unaryDerived = f.kind === "derived" && (f.iterator === "/" || f.iterator === "\\");
  if ((v === 1 || unaryDerived) && args.length === 1) return converge(rt, f, args[0]!, scan);
  if (v === 1 && args.length === 2) {
    const [n, x] = args as [Value, Value];
    if (n.kind === "atom" && (n.type === 7 || n.type === 6 || n.type === 5 || n.type === 4 || n.type === 1)) {
      return repeat(rt, f, Number(n.v), x, scan);
    }
    if (isFunction(n)) return whileLoop(rt, f, n, x, scan);
    return raise("type");
  }
  if (args.length === 1) {
    // fold/scan over the items, first item as the seed
    const x = args[0]!;
    if (x.kind === "atom") return x;
    // `,/x` is raze: joined in one pass, not by copying the growing prefix at each step.
    if (!scan && f.kind === "prim" && f.name === "," && x.kind === "list")
      return applyMonadic(rt, { kind: "prim", name: "raze" }, x);
    const quick = floatFold(f, x, scan);
    if (quick !== undefined) return quick;
    const its = items(x);
    // Join keeps the empty list it was given (`(,/)0#0` razes to 0#0).
    if (its.length === 0) return f.kind === "prim" && f.name === "," ? x : emptyFold(f);
    // Join's identity is the empty list, so its first step is `(),x 0`: `(,\)2 3 4` starts with `,2`.
    const first = f.kind === "prim" && f.name === "," ? call(rt, f, [{ kind: "list", items: [] }, its[0]!]) : its[0]!;
    return fold(rt, f, first, [its.slice(1)], scan, true, x.kind === "dict" ? x.keys : undefined);
  }
  const seed = args[0]!;
  const rest = args.slice(1);
  let n = -1;
  for (const r of rest) {
    if (r.kind === "atom") continue;
    const c = count(r);
    if (n >= 0 && c !== n) raise("length");
    n = c;
  }
  if (n < 0) n = 1;
  const cols = rest.map((r) => (r.kind === "atom" ? Array.from({ length: n }, () => r) : items(r)));
  const keys = rest[0]?.kind === "dict" ? rest[0].keys : undefined;
  return fold(rt, f, seed, cols, scan, false, keys);
}

/** Folds f over the columns of arguments; a scan collects every step (and the seed item when it came from x). */
function fold(
  rt: Runtime,
  f: Value,
  seed: Value,
  cols: Value[][],
  scan: boolean,
  includeSeed: boolean,
  keys: Value | undefined,
): Value {
  const n = cols[0]!.length;
  let acc = seed;
  const out: Value[] = includeSeed ? [seed] : [];
  for (let i = 0; i < n; i++) {
    if ((i & 1023) === 0) rt.ctx.tick();
    const a = [acc];
    for (const c of cols) a.push(c[i]!);
    acc = call(rt, f, a);
    if (scan) out.push(acc);
  }
  if (!scan) return acc;
  return keys !== undefined ? dict(keys, list(out)) : list(out);
}

function converge(rt: Runtime, f: Value, x: Value, scan: boolean): Value {
  const out: Value[] = scan ? [x] : [];
  let prev = x;
  for (;;) {
    rt.ctx.tick();
    const next = applyMonadic(rt, f, prev);
    if (matchValues(next, prev) || matchValues(next, x)) break;
    if (scan) out.push(next);
    prev = next;
  }
  return scan ? list(out) : prev;
}

function repeat(rt: Runtime, f: Value, n: number, x: Value, scan: boolean): Value {
  if (n < 0) return raise("domain");
  const out: Value[] = scan ? [x] : [];
  let acc = x;
  for (let i = 0; i < n; i++) {
    if ((i & 1023) === 0) rt.ctx.tick();
    acc = applyMonadic(rt, f, acc);
    if (scan) out.push(acc);
  }
  return scan ? list(out) : acc;
}

function whileLoop(rt: Runtime, f: Value, p: Value, x: Value, scan: boolean): Value {
  const out: Value[] = scan ? [x] : [];
  let acc = x;
  for (;;) {
    rt.ctx.tick();
    const c = applyMonadic(rt, p, acc);
    if (!truthy(c)) break;
    acc = applyMonadic(rt, f, acc);
    if (scan) out.push(acc);
  }
  return scan ? list(out) : acc;
}

export function truthy(c: Value): boolean {
  if (c.kind !== "atom") return raise("type");
  const v = c.v;
  if (typeof v === "number") return v !== 0 && !Number.isNaN(v);
  if (typeof v === "bigint") return v !== 0n;
  return raise("type");
}

function eachPrior(rt: Runtime, f: Value, args: Value[]): Value {
  let seed: Value | undefined;
  let x: Value;
  if (args.length === 2) {
    seed = args[0]!;
    x = args[1]!;
  } else if (args.length === 1) {
    x = args[0]!;
    // Without a seed the first item pairs with f's identity, else with the null of its type.
    seed = identityOf(f) ?? (count(x) > 0 ? nullOf(index(x, 0)) : undefined);
  } else return raise("rank");
  const its = items(x);
  const out: Value[] = [];
  for (let i = 0; i < its.length; i++) {
    rt.ctx.tick();
    if (i === 0) {
      out.push(seed === undefined || seed.kind === "identity" ? its[0]! : call(rt, f, [its[0]!, seed]));
      continue;
    }
    out.push(call(rt, f, [its[i]!, its[i - 1]!]));
  }
  return x.kind === "dict" ? dict(x.keys, list(out)) : list(out);
}
