/**
 * Enumerations (type 20h) against a domain the session names: reading the domain, turning an
 * enumeration back into its symbols, and giving verbs that do not know enumerations their
 * symbols instead (q treats an enumeration like its symbols in comparisons, search, grouping).
 *
 * The values layer cannot see the session's globals, so the session installs a resolver
 * (`setEnumResolver`) before it evaluates; an enumeration reads its domain through it whenever it
 * is shown or used, as q does (code.kx.com/q/ref/enumerate: a later `d[0]:`o` shows in `e`).
 */
import { raise } from "./errors";
import {
  type AtomValue,
  count,
  ENUM_BASE,
  enumDomain,
  enumsExist,
  enumType,
  index,
  list,
  type QAtom,
  type QVector,
  type Value,
  type VerbDef,
  vectorAt,
  vectorOf,
} from "./values";

type Resolver = (name: string) => Value | undefined;
let resolver: Resolver = () => undefined;

/** Installed by the session that evaluates: how a domain name reads its global. */
export function setEnumResolver(r: Resolver): void {
  resolver = r;
}

/** The global a domain name reads now (a symbol list or a keyed table), if any. */
export const resolveDomain = (name: string): Value | undefined => resolver(name);

/** True for an enumeration atom or vector. */
export const isEnum = (v: Value): boolean => (v.kind === "atom" || v.kind === "vector") && v.type >= ENUM_BASE;

/** x as an enumeration, or undefined (a guard that leaves x's type alone when it is not one). */
export const asEnum = (v: Value): QAtom | QVector | undefined =>
  (v.kind === "atom" || v.kind === "vector") && v.type >= ENUM_BASE ? v : undefined;

/**
 * The list an enumeration's indices point into: the domain itself (a symbol list), or the key of a
 * keyed table (its one key column); undefined when the name has no such value now.
 */
export function domainList(name: string): Value | undefined {
  const d = resolver(name);
  if (d === undefined) return undefined;
  if (d.kind === "dict" && d.keys.kind === "table") return d.keys.data.length === 1 ? d.keys.data[0] : d.keys;
  if (d.kind === "vector" || d.kind === "list") return d;
  return undefined;
}

/** The items an enumeration stands for (`value e`); out-of-range and null indices give nulls. */
export function enumValues(e: QAtom | QVector): Value {
  const name = enumDomain(e.type);
  const dom = domainList(name);
  if (dom === undefined) return raise(name);
  if (e.kind === "atom") return index(dom, e.v as number);
  const idx = e.data as Int32Array;
  if (dom.kind === "vector" && dom.type === 11) {
    const src = dom.data as string[];
    const out = new Array<string>(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = src[idx[i]!] ?? "";
    return { kind: "vector", type: 11, data: out };
  }
  if (idx.length === 0) return dom.kind === "vector" ? vectorOf(dom.type, []) : list([]);
  return list(Array.from(idx, (i) => index(dom, i)));
}

/** x with every enumeration it holds (itself, table columns, dictionary parts, list items) as plain values. */
export function plainEnums(x: Value): Value {
  switch (x.kind) {
    case "atom":
    case "vector":
      return x.type >= ENUM_BASE ? enumValues(x) : x;
    case "list": {
      let out: Value[] | undefined;
      for (let i = 0; i < x.items.length; i++) {
        const it = x.items[i]!;
        const p = it.kind === "atom" || it.kind === "vector" ? (it.type >= ENUM_BASE ? enumValues(it) : it) : it;
        if (p !== it) {
          out ??= x.items.slice();
          out[i] = p;
        }
      }
      return out === undefined ? x : { kind: "list", items: out };
    }
    case "table": {
      if (!x.data.some(isEnum)) return x;
      return { kind: "table", columns: x.columns, data: x.data.map(plainEnums) };
    }
    case "dict": {
      const keys = plainEnums(x.keys);
      const values = plainEnums(x.values);
      return keys === x.keys && values === x.values ? x : { kind: "dict", keys, values };
    }
    default:
      return x;
  }
}

/** Whether plainEnums would change x (checked before copying anything). */
export function holdsEnum(x: Value): boolean {
  switch (x.kind) {
    case "atom":
    case "vector":
      return x.type >= ENUM_BASE;
    case "list":
      return x.items.some(isEnum);
    case "table":
      return x.data.some(isEnum);
    case "dict":
      return holdsEnum(x.keys) || holdsEnum(x.values);
    default:
      return false;
  }
}

/**
 * Verbs that handle enumerations themselves; every other verb is given the symbols (or key values)
 * an enumeration stands for, which is how q's comparisons, search and arithmetic see them.
 */
const ENUM_VERBS = new Set([
  ".Q.s",
  ".Q.s1",
  "$",
  "?",
  "!",
  ",",
  "~",
  "#",
  "_",
  "key",
  "value",
  "get",
  "type",
  "null",
  "first",
  "last",
  "count",
  "reverse",
  "distinct",
  "enlist",
  "show",
  "0N!",
  // Iterators pass items on as they are: the function they apply decides.
  "each",
  "peach",
  "over",
  "scan",
  "prior",
  "meta",
  "fkeys",
  "xgroup",
  "ungroup",
]);

/**
 * Verbs that work on the plain values but give back a table (or list) whose enumerated columns
 * stay enumerated, as q's do: the argument (by position) whose enumerations the result keeps.
 * A symbol the domain lacks is then 'cast (`` `sp insert (`s9;`p1;1) ``).
 */
const KEEPS_ENUMS: Readonly<Record<string, number>> = {
  upsert: 0,
  lj: 0,
  ljf: 0,
  ij: 0,
  ijf: 0,
  uj: 0,
  ujf: 0,
  pj: 0,
  asc: 0,
  desc: 0,
  xasc: 1,
  xdesc: 1,
  xkey: 1,
};

/** r with the enumerations `like` has given back: like's enumerated columns, or like itself. */
function keepEnums(like: Value, r: Value): Value {
  const e = asEnum(like);
  if (e !== undefined) {
    if (r.kind !== "vector" || r.type !== 11) return r;
    const back = enumerate(enumDomain(e.type), r);
    return r.attr ? { ...(back as QVector), attr: r.attr } : back;
  }
  const types = new Map<string, number>();
  const collect = (t: Value): void => {
    if (t.kind !== "table") return;
    for (let i = 0; i < t.columns.length; i++) {
      const col = t.data[i]!;
      if (isEnum(col)) types.set(t.columns[i]!, (col as QVector).type);
    }
  };
  if (like.kind === "dict") {
    collect(like.keys);
    collect(like.values);
  } else collect(like);
  if (types.size === 0) return r;
  const restore = (t: Value): Value => {
    if (t.kind !== "table") return t;
    const data = t.data.map((col, i) => {
      const et = types.get(t.columns[i]!);
      return et !== undefined && col.kind === "vector" && col.type === 11 ? enumerate(enumDomain(et), col) : col;
    });
    return { kind: "table", columns: t.columns, data };
  };
  return r.kind === "dict" ? { kind: "dict", keys: restore(r.keys), values: restore(r.values) } : restore(r);
}

const plainCache = new WeakMap<VerbDef, VerbDef>();

/** The verb as the interpreter calls it: one that does not know enumerations sees plain values. */
export function enumSafeVerb(def: VerbDef): VerbDef {
  if (ENUM_VERBS.has(def.name)) return def;
  let safe = plainCache.get(def);
  if (safe !== undefined) return safe;
  const { monadic, dyadic, nary } = def;
  safe = { ...def };
  const kept = KEEPS_ENUMS[def.name];
  if (kept !== undefined) {
    if (monadic)
      safe.monadic = (x, ctx) =>
        enumsExist() && holdsEnum(x) ? keepEnums(x, monadic(plainEnums(x), ctx)) : monadic(x, ctx);
    if (dyadic)
      safe.dyadic = (x, y, ctx) =>
        enumsExist() && (holdsEnum(x) || holdsEnum(y))
          ? keepEnums(kept === 0 ? x : y, dyadic(plainEnums(x), plainEnums(y), ctx))
          : dyadic(x, y, ctx);
    plainCache.set(def, safe);
    return safe;
  }
  if (monadic) safe.monadic = (x, ctx) => monadic(enumsExist() && holdsEnum(x) ? plainEnums(x) : x, ctx);
  if (dyadic)
    safe.dyadic = (x, y, ctx) =>
      enumsExist() && (holdsEnum(x) || holdsEnum(y)) ? dyadic(plainEnums(x), plainEnums(y), ctx) : dyadic(x, y, ctx);
  if (nary) safe.nary = (args, ctx) => nary(enumsExist() && args.some(holdsEnum) ? args.map(plainEnums) : args, ctx);
  plainCache.set(def, safe);
  return safe;
}

/** `` `d$y ``: each item of y by its index in the domain d; an item not there is 'cast. */
export function enumerate(name: string, y: QAtom | QVector): Value {
  const domain = domainList(name);
  if (domain === undefined) return raise(name);
  const at = new Map<AtomValue, number>();
  if (domain.kind === "vector" && domain.type === 11) {
    const ks = domain.data as string[];
    for (let i = ks.length - 1; i >= 0; i--) at.set(ks[i]!, i);
  } else
    for (let i = count(domain) - 1; i >= 0; i--) {
      const k = index(domain, i);
      if (k.kind === "atom") at.set(k.v, i);
    }
  const find = (v: AtomValue): number => {
    const i = at.get(v);
    if (i !== undefined) return i;
    return v === "" ? INT_NULL : raise("cast");
  };
  const t = enumType(name);
  if (y.kind === "atom") return { kind: "atom", type: t, v: find(y.v) };
  const m = count(y);
  const out = new Int32Array(m);
  for (let i = 0; i < m; i++) out[i] = find(vectorAt(y, i));
  return { kind: "vector", type: t, data: out };
}

const INT_NULL = -2147483648;

/** y's symbols enumerated into the domain of e, as `e,:y` and `e[i]:y` store them ('cast when absent). */
export function enumerateLike(e: QAtom | QVector, y: Value): Value {
  const plain = plainEnums(y);
  return (plain.kind === "atom" || plain.kind === "vector") && plain.type === 11 && !isEnum(y)
    ? enumerate(enumDomain(e.type), plain)
    : y;
}
