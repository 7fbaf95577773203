// The verb table: every primitive glyph and I/O-free keyword, with its hover documentation.
//
// Each entry is built with `glyph`/`keyword` from define.ts: docs first (summary, forms,
// example), then the monadic/dyadic (and rarely n-ary) implementations. Atomic primitives are one
// line each through the lifting combinators in lift.ts; the rest call into lists.ts,
// aggregates.ts, strings.ts and cast.ts. The table and text verbs are appended at the end; a later
// entry with the same name replaces an earlier one, so the specialised verbs win.

import { raise } from "../errors";
import { qString } from "../format";
import {
  type AtomValue,
  atom,
  count,
  dict,
  type EvalContext,
  index,
  isAtomic,
  isIntegralType,
  isNullValue,
  items,
  list,
  longVector,
  storageOf,
  sym,
  typeCode,
  type Value,
  type VerbDef,
  vector,
  vectorAt,
  vectorOf,
} from "../values";
import * as agg from "./aggregates";
import { dollar } from "./cast";
import { type Doc, glyph, type Impl, keyword } from "./define";
import { atomicDyad, atomicMonad, type Simple } from "./lift";
import * as L from "./lists";
import { inv, lsq, md5, mmu, rand } from "./matrix";
import * as N from "./numeric";
import * as S from "./strings";
import { enlist, gather, joinValues, matchValues } from "./structure";
import { dropKeys, flip, keyFirst, TABLE_TRIADS, TABLE_VERBS, takeKeys, unkey } from "./tables";
import { TEXT_VERBS } from "./text";

// ---------------------------------------------------------------------------------------------
// Lifted atomic primitives

const plus = atomicDyad(N.plusKernel);
const neg = atomicMonad(N.negKernel);
const minus = atomicDyad(N.minusKernel, (y) => neg(y, undefined as never));
const times = atomicDyad(N.timesKernel);
const divide = atomicDyad(N.divideKernel);
const lesser = atomicDyad(N.minKernel);
const greater = atomicDyad(N.maxKernel);
const fill = atomicDyad(N.fillKernel);
const eq = atomicDyad(N.compareKernel("="));
const ne = atomicDyad(N.compareKernel("<>"));
const lt = atomicDyad(N.compareKernel("<"));
const gt = atomicDyad(N.compareKernel(">"));
const le = atomicDyad(N.compareKernel("<="));
const ge = atomicDyad(N.compareKernel(">="));
const mod = atomicDyad(N.modKernel);
const div = atomicDyad(N.divKernel);
const xexp = atomicDyad(N.xexpKernel);
const xlog = atomicDyad(N.xlogKernel);
const not = atomicMonad(N.notKernel);
const floor = atomicMonad(N.roundKernel(false));
const nullOf = atomicMonad(nullKernel);

const math = (f: (a: number) => number): NonNullable<Impl["monadic"]> => atomicMonad(N.floatMonad(f));

function nullKernel(x: Simple): Value {
  if (x.kind === "atom") return atom(1, +isNullValue(x.type, x.v));
  const n = count(x);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = +isNullValue(x.type, vectorAt(x, i));
  return vector(1, out);
}

/** `x xbar y`: y rounded down to a multiple of x. */
const xbar = (x: Value, y: Value, ctx: EvalContext): Value => {
  // Temporal y is bucketed on its underlying count and keeps its type (5 xbar 11:07 is 11:05).
  if ((y.kind === "atom" || y.kind === "vector") && y.type >= 12 && y.type <= 19) {
    const t = y.type;
    const raw = t === 15 ? 9 : t === 12 || t === 16 ? 7 : 6;
    const r = times(x, div(retype(y, raw), x, ctx), ctx);
    return retype(r, t);
  }
  return times(x, div(y, x, ctx), ctx);
};

/** Reinterprets an atom/vector's payload as another type of the same storage width. */
function retype(v: Value, t: number): Value {
  if (v.kind !== "atom" && v.kind !== "vector") return raise("type");
  const conv = (p: AtomValue): AtomValue => (storageOf(t) === "i32" ? Number(p) : p);
  if (v.kind === "atom") return atom(t, conv(v.v));
  if (storageOf(v.type) === storageOf(t)) return vector(t, v.data);
  return vectorOf(
    t,
    Array.from({ length: count(v) }, (_, i) => conv(vectorAt(v, i))),
  );
}

// ---------------------------------------------------------------------------------------------
// Glyph helpers that dispatch on argument shape

const ATTRS = new Set(["s", "u", "p", "g", ""]);

function takeOrAttr(x: Value, y: Value): Value {
  if (x.kind === "atom" && x.type === 11 && ATTRS.has(x.v as string) && (y.kind === "vector" || y.kind === "list")) {
    const a = x.v as string;
    if (a === "s" && !matchValues(L.asc(y), L.withAttr(y, "s"))) raise("s-fail");
    if (a === "u" && count(L.distinct(y)) !== count(y)) raise("u-fail");
    if (y.kind === "list") return y;
    return a === "" ? vector(y.type, y.data) : L.withAttr(y, a as "s");
  }
  // `` `s#t `` on a table marks its first column (parted when others follow: code.kx.com/q/ref/set-attribute).
  if (x.kind === "atom" && x.type === 11 && x.v === "s" && y.kind === "table") {
    const t = y.columns.length ? y : raise("s-fail");
    if (!matchValues(L.asc(t), t)) raise("s-fail");
    return L.withAttr(t, "s");
  }
  // `` `s#d `` sorts a dictionary's keys' attribute: the dictionary becomes a step function;
  // on a keyed table the key table is marked.
  if (
    x.kind === "atom" &&
    x.type === 11 &&
    ATTRS.has(x.v as string) &&
    y.kind === "dict" &&
    (y.keys.kind === "vector" || (y.keys.kind === "table" && x.v === "s"))
  )
    return { ...y, keys: takeOrAttr(x, y.keys) };
  if ((x.kind === "atom" || x.kind === "vector") && x.type === 11 && (y.kind === "table" || y.kind === "dict"))
    return takeKeys(symList(x), y);
  return L.take(x, y);
}

function dropAny(x: Value, y: Value): Value {
  // Several keys go on the left (`a`b _ d); one key may go on the right (d _ `a).
  if (x.kind === "vector" && x.type === 11 && (y.kind === "table" || y.kind === "dict")) return dropKeys(symList(x), y);
  if (x.kind === "atom" && x.type === 11 && y.kind === "dict") return dropKeys(symList(x), y);
  if (x.kind === "dict" && y.kind === "atom" && y.type === 11) return dropKeys(symList(y), x);
  // A list of keys drops those entries from a dictionary of any key type (`enlist[100] _ d`, ref/drop).
  if ((x.kind === "vector" || x.kind === "list") && y.kind === "dict" && y.keys.kind !== "table") {
    const gone = items(x);
    const keep: number[] = [];
    const n = count(y.keys);
    for (let i = 0; i < n; i++) {
      const k = index(y.keys, i);
      if (!gone.some((g) => matchValues(g, k))) keep.push(i);
    }
    return dict(gather(y.keys, keep), gather(y.values, keep));
  }
  return L.drop(x, y);
}

const symList = (v: Value): string[] =>
  v.kind === "atom" ? [v.v as string] : v.kind === "vector" ? (v.data as string[]) : raise("type");

function bang(x: Value, y: Value): Value {
  if (x.kind === "atom" && isIntegralType(x.type) && (y.kind === "table" || y.kind === "dict")) {
    const n = Number(x.v);
    return n === 0 ? unkey(y) : keyFirst(n, y);
  }
  return L.bang(x, y);
}

/** `x?y`: roll/deal/permute when x is an int atom and y a count, float, or list; find otherwise. */
function query(x: Value, y: Value, ctx: EvalContext): Value {
  if (x.kind === "atom" && isIntegralType(x.type) && (y.kind === "atom" || y.kind === "vector" || y.kind === "list"))
    if (y.kind === "atom" || Number(x.v) < 0 || isNullValue(x.type, x.v))
      return roll(Number(x.v), isNullValue(x.type, x.v), y, ctx);
  if (x.kind === "atom" && isIntegralType(x.type) && (y.kind === "vector" || y.kind === "list"))
    return roll(Number(x.v), false, y, ctx);
  return L.find(x, y);
}

function roll(n: number, permute: boolean, y: Value, ctx: EvalContext): Value {
  const pickFrom = (len: number, k: number, distinct: boolean): number[] => {
    if (!distinct) return Array.from({ length: k }, () => Math.floor(ctx.random() * len));
    if (k > len) raise("length");
    const pool = Array.from({ length: len }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(ctx.random() * (len - i));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    return pool.slice(0, k);
  };
  if (y.kind === "atom") {
    if (y.type === 9 || y.type === 8) {
      const r = Float64Array.from({ length: Math.abs(n) }, () => ctx.random() * Number(y.v));
      return vector(y.type, y.type === 8 ? Float32Array.from(r) : r);
    }
    if (!isIntegralType(y.type)) return raise("type");
    const len = Number(y.v);
    const k = permute ? len : Math.abs(n);
    const idx = pickFrom(len, k, n < 0 || permute);
    return y.type === 7 ? longVector(Float64Array.from(idx)) : vector(y.type, Int32Array.from(idx));
  }
  const len = count(y);
  const k = permute ? len : Math.abs(n);
  return gather(y, pickFrom(len, k, n < 0 || permute));
}

function joinOrEnlist(x: Value, y: Value): Value {
  return joinValues(x, y);
}

function within(x: Value, y: Value, ctx: EvalContext): Value {
  if (count(y) !== 2 || isAtomic(y)) raise("length");
  const lo = items(y)[0]!;
  const hi = items(y)[1]!;
  return lesser(le(lo, x, ctx), le(x, hi, ctx), ctx);
}

const windowArg = (x: Value): number => L.intArg(x);

function attr(x: Value): Value {
  return sym(x.kind === "vector" ? (x.attr ?? "") : "");
}

/** q's `type`; values.typeCode cannot see the verb table, so a glyph with no dyadic form (unary, 101) is decided here. */
function typeOf(x: Value): Value {
  byName ??= new Map(CORE_VERBS.map((v) => [v.name, v]));
  return atom(5, x.kind === "prim" && !byName.get(x.name)?.dyadic ? 101 : typeCode(x));
}
let byName: Map<string, VerbDef> | undefined;

/** `x cross y`: every pairing of an item of x with an item of y. */
function cross(x: Value, y: Value): Value {
  if (x.kind === "table" && y.kind === "table") {
    const n = count(x);
    const m = count(y);
    const xi = Int32Array.from({ length: n * m }, (_, k) => Math.floor(k / m));
    const yi = Int32Array.from({ length: n * m }, (_, k) => k % m);
    const a = gather(x, xi);
    const b = gather(y, yi);
    if (a.kind !== "table" || b.kind !== "table") return raise("type");
    return { kind: "table", columns: [...a.columns, ...b.columns], data: [...a.data, ...b.data] };
  }
  const xs = isAtomic(x) ? [x] : items(x);
  const ys = isAtomic(y) ? [y] : items(y);
  const out: Value[] = [];
  for (const a of xs) for (const b of ys) out.push(joinValues(a, b));
  return list(out);
}

/** `n xprev y`: y shifted right by n (left for negative n), null-filled. */
function xprev(x: Value, y: Value): Value {
  const n = L.intArg(x);
  const c = count(y);
  return gather(
    y,
    Int32Array.from({ length: c }, (_, i) => i - n),
  );
}

function avgs(x: Value, ctx: EvalContext): Value {
  if (x.kind === "dict") return dict(x.keys, avgs(x.values, ctx));
  if (x.kind === "table") return { kind: "table", columns: x.columns, data: x.data.map((c) => avgs(c, ctx)) };
  if (isAtomic(x)) return agg.avg(x);
  const its = items(x);
  return list(its.map((_, i) => agg.avg(list(its.slice(0, i + 1)))));
}

// ---------------------------------------------------------------------------------------------
// The table

const d = (summary: string, forms: string[], example: string): Doc => [summary, forms, example];

const CORE: VerbDef[] = [
  // Arithmetic glyphs
  glyph("+", d("Add (atomic); unary form is flip.", ["x+y", "+x"], "2+3 4 5  → 5 6 7"), {
    dyadic: plus,
    monadic: flip,
  }),
  glyph("-", d("Subtract (atomic); unary form negates.", ["x-y", "-x"], "10-1 2 3  → 9 8 7"), {
    dyadic: minus,
    monadic: neg,
  }),
  glyph("*", d("Multiply (atomic); unary form is first.", ["x*y", "*x"], "2*3 4  → 6 8"), {
    dyadic: times,
    monadic: (x) => L.first(x),
  }),
  glyph("%", d("Divide (atomic), always a float result.", ["x%y"], "7%2  → 3.5"), {
    dyadic: divide,
    monadic: math((a) => 1 / a),
  }),
  glyph("&", d("Lesser of (atomic), logical and on booleans; unary form is where.", ["x&y", "&x"], "3&1 5  → 1 3"), {
    dyadic: lesser,
    monadic: (x) => L.where(x),
  }),
  glyph("|", d("Greater of (atomic), logical or on booleans; unary form is reverse.", ["x|y", "|x"], "3|1 5  → 3 5"), {
    dyadic: greater,
    monadic: (x) => L.reverse(x),
  }),
  glyph("^", d("Fill: y with its nulls replaced by x; unary form is null.", ["x^y"], "0^1 0N 3  → 1 0 3"), {
    dyadic: fill,
    monadic: nullOf,
  }),
  // Comparison glyphs
  glyph("=", d("Equal (atomic, tolerant for floats); unary form is group.", ["x=y", "=x"], "1 2 3=2  → 010b"), {
    dyadic: eq,
    monadic: (x) => L.group(x),
  }),
  glyph("<>", d("Not equal (atomic).", ["x<>y"], "1 2 3<>2  → 101b"), { dyadic: ne }),
  glyph("<", d("Less than (atomic); unary form is iasc.", ["x<y", "<x"], "1 2 3<2  → 100b"), {
    dyadic: lt,
    monadic: (x) => L.iasc(x),
  }),
  glyph(">", d("Greater than (atomic); unary form is idesc.", ["x>y", ">x"], "1 2 3>2  → 001b"), {
    dyadic: gt,
    monadic: (x) => L.idesc(x),
  }),
  glyph("<=", d("Up to (atomic).", ["x<=y"], "1 2 3<=2  → 110b"), { dyadic: le }),
  glyph(">=", d("At least (atomic).", ["x>=y"], "1 2 3>=2  → 011b"), { dyadic: ge }),
  glyph("~", d("Match: 1b when x and y are identical; unary form is not.", ["x~y", "~x"], "1 2~1 2  → 1b"), {
    dyadic: (x, y) => atom(1, +matchValues(x, y)),
    monadic: not,
  }),
  // Structural glyphs
  glyph(
    "!",
    d(
      "Dict from keys and values; int!table keys it; unary form is til or key.",
      ["x!y", "!x"],
      "`a`b!1 2  → a| 1 / b| 2",
    ),
    {
      dyadic: bang,
      monadic: (x) => L.key(x),
    },
  ),
  glyph(
    "#",
    d(
      "Take n items (cyclic, negative from the end), reshape, or apply an attribute; unary form is count.",
      ["x#y", "#x"],
      "5#1 2  → 1 2 1 2 1",
    ),
    {
      dyadic: takeOrAttr,
      monadic: (x) => countOf(x),
    },
  ),
  glyph(
    "_",
    d("Drop n items, cut at positions, or remove an item/key; unary form is floor.", ["x_y", "_x"], "2_til 5  → 2 3 4"),
    {
      dyadic: dropAny,
      monadic: floor,
    },
  ),
  glyph(",", d("Join lists, dicts or tables; unary form is enlist.", ["x,y", ",x"], "1 2,3  → 1 2 3"), {
    dyadic: joinOrEnlist,
    monadic: (x) => enlist(x),
  }),
  glyph(
    "?",
    d(
      "Find (index of first occurrence, count if absent), roll/deal with an int left, reverse dict lookup; unary form is distinct.",
      ["x?y", "?x"],
      "10 20 30?20  → 1",
    ),
    {
      dyadic: query,
      monadic: (x) => L.distinct(x),
    },
  ),
  glyph(
    "$",
    d(
      'Cast to a type (`long$, "j"$, 7h$), parse strings ("J"$"42", `$"s"), or pad strings (5$"ab").',
      ["x$y"],
      '"J"$"42"  → 42',
    ),
    {
      dyadic: (x, y) => (isNumericList(x) && isNumericList(y) ? mmu(x, y) : dollar(x, y)),
      // k's unary $ is string; q reaches it only as `($)x` or `$:x` (a bare `$x` signals '$).
      monadic: (x, ctx) => qString(x, ctx.settings.precision),
    },
  ),
  // Math keywords
  keyword("neg", d("Negate (atomic).", ["neg x"], "neg 1 -2  → -1 2"), { monadic: neg }),
  keyword("abs", d("Absolute value (atomic).", ["abs x"], "abs -1 2  → 1 2"), { monadic: atomicMonad(N.absKernel) }),
  keyword("sqrt", d("Square root (atomic); negative gives null.", ["sqrt x"], "sqrt 4  → 2f"), {
    monadic: math(Math.sqrt),
  }),
  keyword("exp", d("e to the power x (atomic).", ["exp x"], "exp 1  → 2.718282"), { monadic: math(Math.exp) }),
  keyword("log", d("Natural logarithm (atomic); negative gives null.", ["log x"], "log 1  → 0f"), {
    monadic: math((a) => (a < 0 ? Number.NaN : Math.log(a))),
  }),
  keyword("floor", d("Greatest integer not above x (atomic), as a long.", ["floor x"], "floor 2.7 -2.7  → 2 -3"), {
    monadic: floor,
  }),
  keyword("ceiling", d("Least integer not below x (atomic), as a long.", ["ceiling x"], "ceiling 2.2  → 3"), {
    monadic: atomicMonad(N.roundKernel(true)),
  }),
  keyword("signum", d("Sign of x as an int: -1, 0 or 1 (atomic).", ["signum x"], "signum -2 0 3  → -1 0 1i"), {
    monadic: atomicMonad(N.signumKernel),
  }),
  keyword("reciprocal", d("1 divided by x (atomic).", ["reciprocal x"], "reciprocal 4  → 0.25"), {
    monadic: math((a) => 1 / a),
  }),
  keyword("sin", d("Sine (atomic).", ["sin x"], "sin 0  → 0f"), { monadic: math(Math.sin) }),
  keyword("cos", d("Cosine (atomic).", ["cos x"], "cos 0  → 1f"), { monadic: math(Math.cos) }),
  keyword("tan", d("Tangent (atomic).", ["tan x"], "tan 0  → 0f"), { monadic: math(Math.tan) }),
  keyword("asin", d("Arcsine (atomic).", ["asin x"], "asin 1  → 1.570796"), { monadic: math(Math.asin) }),
  keyword("acos", d("Arccosine (atomic).", ["acos x"], "acos 1  → 0f"), { monadic: math(Math.acos) }),
  keyword("atan", d("Arctangent (atomic).", ["atan x"], "atan 1  → 0.7853982"), { monadic: math(Math.atan) }),
  keyword("mod", d("Modulus with the sign of y (atomic).", ["x mod y"], "-7 7 mod 3  → 2 1"), { dyadic: mod }),
  keyword("div", d("Integer division rounding down (atomic).", ["x div y"], "7 -7 div 2  → 3 -4"), { dyadic: div }),
  keyword("xexp", d("x to the power y (atomic), a float.", ["x xexp y"], "2 xexp 10  → 1024f"), { dyadic: xexp }),
  keyword("xlog", d("Logarithm of y to base x (atomic).", ["x xlog y"], "2 xlog 8  → 3f"), { dyadic: xlog }),
  keyword("xbar", d("Round y down to a multiple of x.", ["x xbar y"], "5 xbar 3 7 12  → 0 5 10"), { dyadic: xbar }),
  keyword("and", d("Lesser of (logical and on booleans).", ["x and y"], "1010b and 1100b  → 1000b"), {
    dyadic: lesser,
  }),
  keyword("or", d("Greater of (logical or on booleans).", ["x or y"], "1010b or 1100b  → 1110b"), { dyadic: greater }),
  keyword("not", d("1b where x is zero (atomic).", ["not x"], "not 0 1 2  → 100b"), { monadic: not }),
  keyword("null", d("1b where x is null (atomic).", ["null x"], "null 1 0N 3  → 010b"), { monadic: nullOf }),
  // Aggregates
  keyword("sum", d("Total of the items, nulls skipped; columns of a table.", ["sum x"], "sum 1 2 3  → 6"), {
    monadic: agg.sum,
  }),
  keyword("prd", d("Product of the items, nulls skipped.", ["prd x"], "prd 1 2 3 4  → 24"), { monadic: agg.prd }),
  keyword("max", d("Largest item, nulls skipped (-0W for none).", ["max x"], "max 2 7 1  → 7"), { monadic: agg.max }),
  keyword("min", d("Smallest item, nulls skipped (0W for none).", ["min x"], "min 2 7 1  → 1"), { monadic: agg.min }),
  keyword("avg", d("Arithmetic mean as a float, nulls skipped.", ["avg x"], "avg 1 2 3 4  → 2.5"), {
    monadic: agg.avg,
  }),
  keyword("med", d("Median as a float.", ["med x"], "med 10 34 23 123 5 56  → 28.5"), { monadic: agg.med }),
  keyword("var", d("Population variance.", ["var x"], "var 2 4 4 4 5 5 7 9  → 4f"), { monadic: agg.variance }),
  keyword("dev", d("Population standard deviation.", ["dev x"], "dev 2 4 4 4 5 5 7 9  → 2f"), { monadic: agg.dev }),
  keyword("svar", d("Sample variance.", ["svar x"], "svar 1 2 3  → 1f"), { monadic: agg.svar }),
  keyword("sdev", d("Sample standard deviation.", ["sdev x"], "sdev 1 2 3  → 1f"), { monadic: agg.sdev }),
  keyword("cov", d("Population covariance of two vectors.", ["x cov y"], "2 3 5 7 cov 3 3 5 9  → 4.5"), {
    dyadic: agg.cov,
  }),
  keyword("scov", d("Sample covariance of two vectors.", ["x scov y"], "2 3 5 7 scov 3 3 5 9  → 6f"), {
    dyadic: agg.scov,
  }),
  keyword("cor", d("Correlation coefficient of two vectors.", ["x cor y"], "1 3 9 cor 1 3 9  → 1f"), {
    dyadic: agg.cor,
  }),
  keyword("wsum", d("Weighted sum: sum of x*y.", ["x wsum y"], "2 3 wsum 1 2  → 8f"), { dyadic: agg.wsum }),
  keyword(
    "wavg",
    d("Weighted average of y by weights x, nulls skipped.", ["x wavg y"], "2 3 4 wavg 1 2 4  → 2.666667"),
    { dyadic: agg.wavg },
  ),
  keyword("all", d("1b if every item is non-zero.", ["all x"], "all 1 2 0  → 0b"), { monadic: L.all }),
  keyword("any", d("1b if some item is non-zero.", ["any x"], "any 0 0 1  → 1b"), { monadic: L.any }),
  // Uniform (running) functions
  keyword("sums", d("Running totals.", ["sums x"], "sums 1 2 3  → 1 3 6"), { monadic: agg.sums }),
  keyword("prds", d("Running products.", ["prds x"], "prds 1 2 3  → 1 2 6"), { monadic: agg.prds }),
  keyword("maxs", d("Running maximums.", ["maxs x"], "maxs 2 5 1  → 2 5 5"), { monadic: agg.maxs }),
  keyword("mins", d("Running minimums.", ["mins x"], "mins 2 5 1  → 2 2 1"), { monadic: agg.mins }),
  keyword("avgs", d("Running averages.", ["avgs x"], "avgs 1 2 3  → 1 1.5 2"), { monadic: avgs }),
  keyword(
    "deltas",
    d("Differences between adjacent items; first item kept.", ["deltas x", "x deltas y"], "deltas 1 4 9  → 1 3 5"),
    {
      monadic: (x, ctx) => agg.eachPrior(x, (a, b) => minus(a, b, ctx)),
      dyadic: (x, y, ctx) => agg.eachPrior(y, (a, b) => minus(a, b, ctx), x),
    },
  ),
  keyword("ratios", d("Ratios between adjacent items; first item kept.", ["ratios x"], "ratios 2 3 6  → 2 1.5 2"), {
    // The first item is divided by 1 so the result is uniformly float.
    monadic: (x, ctx) => agg.eachPrior(x, (a, b) => divide(a, b, ctx), atom(7, 1)),
    dyadic: (x, y, ctx) => agg.eachPrior(y, (a, b) => divide(a, b, ctx), x),
  }),
  keyword("prev", d("Each item's predecessor (null first).", ["prev x"], "prev 1 2 3  → 0N 1 2"), {
    monadic: (x) => agg.shift(x, 1),
  }),
  keyword("next", d("Each item's successor (null last).", ["next x"], "next 1 2 3  → 2 3 0N"), {
    monadic: (x) => agg.shift(x, -1),
  }),
  keyword("xprev", d("Each item's nth predecessor.", ["n xprev x"], "2 xprev 1 2 3 4  → 0N 0N 1 2"), { dyadic: xprev }),
  keyword("fills", d("Replace nulls by the preceding non-null item.", ["fills x"], "fills 0N 2 0N 4  → 0N 2 2 4"), {
    monadic: agg.fills,
  }),
  keyword("differ", d("1b where an item differs from its predecessor.", ["differ x"], "differ 1 1 2  → 101b"), {
    monadic: L.differ,
  }),
  keyword("mavg", d("Moving averages over windows of x items.", ["x mavg y"], "2 mavg 1 2 3  → 1 1.5 2.5"), {
    dyadic: (x, y) => agg.mavg(windowArg(x), y),
  }),
  keyword("msum", d("Moving sums over windows of x items.", ["x msum y"], "2 msum 1 2 3  → 1 3 5"), {
    dyadic: (x, y) => agg.msum(windowArg(x), y),
  }),
  keyword("mmax", d("Moving maximums over windows of x items.", ["x mmax y"], "2 mmax 1 3 2  → 1 3 3"), {
    dyadic: (x, y) => agg.mextreme(windowArg(x), y, true),
  }),
  keyword("mmin", d("Moving minimums over windows of x items.", ["x mmin y"], "2 mmin 1 3 2  → 1 1 2"), {
    dyadic: (x, y) => agg.mextreme(windowArg(x), y, false),
  }),
  keyword("mcount", d("Moving counts of non-null items.", ["x mcount y"], "3 mcount 0N 1 2  → 0 1 2"), {
    dyadic: (x, y) => agg.mcount(windowArg(x), y),
  }),
  keyword("mdev", d("Moving standard deviations.", ["x mdev y"], "2 mdev 1 2 3  → 0 0.5 0.5"), {
    dyadic: (x, y) => agg.mdev(windowArg(x), y),
  }),
  keyword("ema", d("Exponential moving average with smoothing x.", ["x ema y"], "0.5 ema 1 2 3  → 1 1.5 2.25"), {
    dyadic: agg.ema,
  }),
  // Lists
  keyword("count", d("Number of items.", ["count x"], "count 1 2 3  → 3"), { monadic: (x) => countOf(x) }),
  keyword("til", d("The first x natural numbers.", ["til x"], "til 5  → 0 1 2 3 4"), { monadic: L.til }),
  keyword("first", d("First item (first value of a dict, first row of a table).", ["first x"], "first 5 6 7  → 5"), {
    monadic: L.first,
  }),
  keyword("last", d("Last item.", ["last x"], "last 5 6 7  → 7"), { monadic: L.last }),
  keyword("reverse", d("Items in reverse order.", ["reverse x"], "reverse 1 2 3  → 3 2 1"), { monadic: L.reverse }),
  keyword(
    "enlist",
    d(
      "A one-item list holding x; with several arguments, a list of them.",
      ["enlist x", "enlist[x;y;…]"],
      "enlist 1  → ,1",
    ),
    {
      monadic: (x) => enlist(x),
      nary: (args) => list(args),
    },
  ),
  keyword("raze", d("Join the items of a list together.", ["raze x"], "raze (1 2;3 4)  → 1 2 3 4"), {
    monadic: L.raze,
  }),
  keyword("distinct", d("Unique items in order of first occurrence.", ["distinct x"], "distinct 1 2 1 3  → 1 2 3"), {
    monadic: L.distinct,
  }),
  keyword(
    "group",
    d("Dict from each distinct item to the indices where it occurs.", ["group x"], "group `a`b`a  → a| 0 2 / b| ,1"),
    { monadic: L.group },
  ),
  keyword("where", d("Indices of true booleans, repeated by counts for ints.", ["where x"], "where 0101b  → 1 3"), {
    monadic: L.where,
  }),
  keyword("within", d("1b where lo<=x<=hi for y=(lo;hi).", ["x within y"], "1 5 9 within 2 8  → 010b"), {
    dyadic: within,
  }),
  keyword("in", d("1b where an item of x is an item of y.", ["x in y"], "1 2 3 in 2 4  → 010b"), { dyadic: L.inVerb }),
  keyword("except", d("Items of x not in y.", ["x except y"], "1 2 3 2 except 2  → 1 3"), { dyadic: L.except }),
  keyword("inter", d("Items of x also in y.", ["x inter y"], "1 2 3 inter 2 3 4  → 2 3"), { dyadic: L.inter }),
  keyword("union", d("Distinct items of x and y together.", ["x union y"], "1 2 union 2 3  → 1 2 3"), {
    dyadic: L.union,
  }),
  keyword(
    "cross",
    d("Every pairing of items of x with items of y.", ["x cross y"], "1 2 cross 3 4  → (1 3;1 4;2 3;2 4)"),
    { dyadic: cross },
  ),
  keyword("asc", d("Sorted ascending (with the sorted attribute).", ["asc x"], "asc 3 1 2  → `s#1 2 3"), {
    monadic: L.asc,
  }),
  keyword("desc", d("Sorted descending.", ["desc x"], "desc 3 1 2  → 3 2 1"), { monadic: L.desc }),
  keyword("iasc", d("Indices that sort x ascending (stable).", ["iasc x"], "iasc 30 10 20  → 1 2 0"), {
    monadic: L.iasc,
  }),
  keyword("idesc", d("Indices that sort x descending (stable).", ["idesc x"], "idesc 30 10 20  → 0 2 1"), {
    monadic: L.idesc,
  }),
  keyword("rank", d("Position of each item in the sorted list.", ["rank x"], "rank 30 10 20  → 2 0 1"), {
    monadic: L.rank,
  }),
  keyword("xrank", d("Quantile bucket (0..x-1) of each item.", ["x xrank y"], "4 xrank 1 2 3 4  → 0 1 2 3"), {
    dyadic: L.xrank,
  }),
  keyword("bin", d("Index of the last item of sorted x not above y (-1 if none).", ["x bin y"], "0 2 4 bin 3  → 1"), {
    dyadic: (x, y) => L.binSearch(x, y, false),
  }),
  keyword("binr", d("Index of the first item of sorted x not below y.", ["x binr y"], "0 2 4 binr 3  → 2"), {
    dyadic: (x, y) => L.binSearch(x, y, true),
  }),
  keyword(
    "cut",
    d("Chop y into pieces of length x, or cut at positions x.", ["x cut y"], "2 cut til 5  → (0 1;2 3;,4)"),
    { dyadic: L.cut },
  ),
  keyword(
    "sublist",
    d("Take up to x items (or x=(start;count)) without cycling.", ["x sublist y"], "2 sublist 1 2 3  → 1 2"),
    { dyadic: L.sublist },
  ),
  keyword(
    "rotate",
    d("Rotate the items x places left (right for negative x).", ["x rotate y"], "1 rotate 1 2 3  → 2 3 1"),
    { dyadic: L.rotate },
  ),
  keyword("type", d("Type code as a short: negative for atoms, 0 for general lists.", ["type x"], "type 1 2  → 7h"), {
    monadic: typeOf,
  }),
  keyword(
    "key",
    d("Keys of a dict (key columns of a keyed table); til for an int.", ["key x"], "key `a`b!1 2  → `a`b"),
    { monadic: L.key },
  ),
  keyword("value", d("Values of a dict; other values unchanged.", ["value x"], "value `a`b!1 2  → 1 2"), {
    monadic: L.value,
  }),
  keyword(
    "mmu",
    d("Matrix product of numeric matrices/vectors, as floats (also x$y).", ["x mmu y"], "1 2 3 mmu 4 5 6  → 32f"),
    { dyadic: mmu },
  ),
  keyword(
    "lsq",
    d(
      "Least-squares solution r of x = r mmu y (matrix x, matrix y).",
      ["x lsq y"],
      "(1 2f;3 4f) lsq (1 0f;0 1f)  → (1 2f;3 4f)",
    ),
    { dyadic: lsq },
  ),
  keyword("inv", d("Inverse of a square float matrix.", ["inv x"], "inv (2 0f;0 4f)  → (0.5 0;0 0.25)"), {
    monadic: inv,
  }),
  keyword("rand", d("One random item: below x for a number, an item of a list.", ["rand x"], "rand 10  → 7"), {
    monadic: rand,
  }),
  keyword("md5", d("MD5 digest of a string as 16 bytes.", ["md5 x"], 'md5 ""  → 0xd41d8cd98f00b204e9800998ecf8427e'), {
    monadic: md5,
  }),
  keyword("attr", d("Attribute of x as a symbol (` if none).", ["attr x"], "attr asc 3 1 2  → `s"), { monadic: attr }),
  // Strings
  keyword("lower", d("Lowercase a string or symbol.", ["lower x"], 'lower "AbC"  → "abc"'), { monadic: S.lower }),
  keyword("upper", d("Uppercase a string or symbol.", ["upper x"], 'upper "AbC"  → "ABC"'), { monadic: S.upper }),
  keyword("trim", d("Remove leading and trailing spaces.", ["trim x"], 'trim "  a "  → ,"a"'), { monadic: S.trim }),
  keyword("ltrim", d("Remove leading spaces.", ["ltrim x"], 'ltrim "  a "  → "a "'), { monadic: S.ltrim }),
  keyword("rtrim", d("Remove trailing spaces.", ["rtrim x"], 'rtrim "  a "  → "  a"'), { monadic: S.rtrim }),
  keyword(
    "like",
    d("1b where x matches the pattern y (* ? [..] wildcards).", ["x like y"], '"quick" like "qu*"  → 1b'),
    { dyadic: S.like },
  ),
  keyword("ss", d("Positions where pattern y occurs in string x.", ["x ss y"], '"abcabc" ss "bc"  → 1 4'), {
    dyadic: S.ss,
  }),
  keyword(
    "ssr",
    d(
      "Replace occurrences of pattern y in x by z (a string or a function of the match).",
      ["ssr[x;y;z]"],
      'ssr["hello";"l";"L"]  → "heLLo"',
    ),
    {
      nary: (args, ctx) =>
        args.length === 3 ? S.ssr(args[0]!, args[1]!, args[2]!, (f, a) => ctx.apply(f, a)) : raise("rank"),
      valence: 3,
    },
  ),
  keyword(
    "vs",
    d(
      "Split string y on separator x; ` splits symbols on dots; ints encode y in base x.",
      ["x vs y"],
      '"," vs "a,b"  → (,"a";,"b")',
    ),
    { dyadic: S.vs },
  ),
  keyword(
    "sv",
    d(
      "Join strings y with separator x; ` joins symbols with dots; ints decode digits y.",
      ["x sv y"],
      '"," sv ("a";"b")  → "a,b"',
    ),
    { dyadic: S.sv },
  ),
];

/** A numeric vector or a list of numeric vectors: `$` between two of these is a matrix product. */
function isNumericList(v: Value): boolean {
  const numVec = (u: Value): boolean => u.kind === "vector" && (u.type === 1 || (u.type >= 4 && u.type <= 9));
  return numVec(v) || (v.kind === "list" && v.items.length > 0 && v.items.every(numVec));
}

function countOf(x: Value): Value {
  return atom(7, count(x));
}

function withTriads(defs: readonly VerbDef[]): VerbDef[] {
  return defs.map((v) => {
    const triad = TABLE_TRIADS[v.name];
    if (!triad || v.nary) return v;
    return { ...v, nary: (args: Value[]) => (args.length === 3 ? triad(args[0]!, args[1]!, args[2]!) : raise("rank")) };
  });
}

/** The primitive glyphs and keywords outside the .Q namespace (verbs/index.ts adds those). */
export const CORE_VERBS: readonly VerbDef[] = [...CORE, ...withTriads(TABLE_VERBS), ...TEXT_VERBS];
