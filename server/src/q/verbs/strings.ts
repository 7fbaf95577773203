// String primitives: case, trimming, pattern matching (`like`, `ss`, `ssr`) and split/join
// (`vs`, `sv`, including their numeric base-encode/decode forms).
//
// q strings are char vectors of bytes. Pattern syntax shared by `like` and `ss`: `?` any one
// char, `[abc]` / `[^abc]` / `[a-z]` a char class; `like` also has `*` any run of chars.
// Patterns are translated to JS regular expressions over latin1 text so each byte is one char.

import { raise } from "../errors";
import {
  atom,
  bool,
  count,
  isIntegralType,
  isNullValue,
  items,
  list,
  longVector,
  type QVector,
  rawList,
  sym,
  syms,
  type Value,
  vector,
  vectorAt,
} from "../values";
import { intArg, intsArg } from "./lists";
import { gather } from "./structure";

const latin1 = (b: Uint8Array): string => String.fromCharCode(...b);
const fromLatin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Bytes of a string-like value as latin1 text (char vector, char atom, symbol). */
function textArg(v: Value): string {
  if (v.kind === "vector" && v.type === 10) return latin1(v.data as Uint8Array);
  if (v.kind === "atom" && v.type === 10) return String.fromCharCode(v.v as number);
  if (v.kind === "atom" && v.type === 11) return latin1(new TextEncoder().encode(v.v as string));
  return raise("type");
}

const charsOf = (s: string): QVector => vector(10, fromLatin1(s));

/** Text of a char or byte atom/vector (bytes as latin1), else as textArg. */
function bytesText(v: Value): string {
  if (v.kind === "vector" && v.type === 4) return latin1(v.data as Uint8Array);
  if (v.kind === "atom" && v.type === 4) return String.fromCharCode(v.v as number);
  return textArg(v);
}

/** A char or byte separator for vs/sv (the byte atom 0x00 instead converts numbers to bytes). */
function isSeparator(x: Value): boolean {
  return (
    (x.kind === "atom" || x.kind === "vector") && (x.type === 10 || (x.type === 4 && !(x.kind === "atom" && x.v === 0)))
  );
}

/** The type of a separator isSeparator accepted. */
const separatorType = (x: Value): number => (x as Extract<Value, { kind: "atom" | "vector" }>).type;

function mapCase(x: Value, upper: boolean): Value {
  const f = (b: number): number => (upper ? (b >= 97 && b <= 122 ? b - 32 : b) : b >= 65 && b <= 90 ? b + 32 : b);
  switch (x.kind) {
    case "atom":
      if (x.type === 10) return atom(10, f(x.v as number));
      if (x.type === 11) return sym(upper ? (x.v as string).toUpperCase() : (x.v as string).toLowerCase());
      return raise("type");
    case "vector":
      if (x.type === 10) return vector(10, (x.data as Uint8Array).map(f));
      if (x.type === 11) return syms((x.data as string[]).map((s) => (upper ? s.toUpperCase() : s.toLowerCase())));
      return raise("type");
    case "list":
      return list(x.items.map((i) => mapCase(i, upper)));
    default:
      return raise("type");
  }
}

export const lower = (x: Value): Value => mapCase(x, false);
export const upper = (x: Value): Value => mapCase(x, true);

function trimWith(x: Value, left: boolean, right: boolean): Value {
  if (x.kind === "list") return list(x.items.map((i) => trimWith(i, left, right)));
  if (x.kind === "dict") return { kind: "dict", keys: x.keys, values: trimWith(x.values, left, right) };
  // A table trims each column; any other atom than a char passes through (`trim 42` is 42).
  if (x.kind === "table") return { ...x, data: x.data.map((c) => trimWith(c, left, right)) };
  if (x.kind === "atom" && x.type !== 10) return x;
  if (x.kind === "vector" && x.type !== 10) {
    // Other vectors trim their leading/trailing nulls (a string's null is the blank).
    const n = count(x);
    let s = 0;
    let e = n;
    if (left) while (s < e && isNullValue(x.type, vectorAt(x, s))) s++;
    if (right) while (e > s && isNullValue(x.type, vectorAt(x, e - 1))) e--;
    return gather(
      x,
      Array.from({ length: e - s }, (_, i) => s + i),
    );
  }
  if (x.kind === "atom" && x.type === 10) return x.v === 32 && (left || right) ? vector(10, new Uint8Array(0)) : x;
  if (x.kind !== "vector" || x.type !== 10) return raise("type");
  const d = x.data as Uint8Array;
  let s = 0;
  let e = d.length;
  if (left) while (s < e && d[s] === 32) s++;
  if (right) while (e > s && d[e - 1] === 32) e--;
  return vector(10, d.slice(s, e));
}

export const trim = (x: Value): Value => trimWith(x, true, true);
export const ltrim = (x: Value): Value => trimWith(x, true, false);
export const rtrim = (x: Value): Value => trimWith(x, false, true);

// ---------------------------------------------------------------------------------------------
// Patterns

function patternSource(p: string, star: boolean): string {
  let out = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === "*" && star) out += "[\\s\\S]*";
    else if (c === "?") out += "[\\s\\S]";
    else if (c === "[") {
      const close = p.indexOf("]", i + 2);
      if (close < 0) {
        out += "\\[";
        continue;
      }
      let body = p.slice(i + 1, close);
      const neg = body.startsWith("^");
      if (neg) body = body.slice(1);
      out += `[${neg ? "^" : ""}${body.replace(/[\\\]]/g, "\\$&")}]`;
      i = close;
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return out;
}

/** Positions of the `*` wildcards in a pattern (a `*` inside a `[…]` class is a plain char). */
function stars(p: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.length; i++) {
    if (p[i] === "[") {
      const close = p.indexOf("]", i + 2);
      if (close >= 0) i = close;
    } else if (p[i] === "*") out.push(i);
  }
  return out;
}

/** `x like y`: whole-string glob match; x may be a string, symbol, or a list/vector of them. */
export function like(x: Value, y: Value): Value {
  const pat = textArg(y);
  // q matches one `*` anywhere, or one at each end (`*the*`); more is 'nyi (basics/regex).
  const at = stars(pat);
  if (at.length > 2 || (at.length === 2 && (at[0] !== 0 || at[1] !== pat.length - 1))) raise("nyi");
  const re = new RegExp(`^${patternSource(pat, true)}$`);
  const one = (v: Value): boolean => re.test(textArg(v));
  if (x.kind === "vector" && x.type === 11)
    return vector(
      1,
      Uint8Array.from(x.data as string[], (s) => +one(sym(s))),
    );
  // A general list must hold strings or symbol atoms: like is not atomic (a nested symbol list is 'type).
  if (x.kind === "list")
    return list(
      x.items.map((i) => (i.kind === "atom" || (i.kind === "vector" && i.type === 10) ? like(i, y) : raise("type"))),
    );
  if (x.kind === "dict") return { kind: "dict", keys: x.keys, values: like(x.values, y) };
  return bool(one(x));
}

function matches(text: string, pat: string): [number, number][] {
  // `ss` has no `*` wildcard: a pattern with one signals 'length (basics/regex).
  if (!pat.length || stars(pat).length > 0) raise("length");
  const re = new RegExp(patternSource(pat, false), "g");
  const out: [number, number][] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    out.push([m.index, m[0].length]);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/** `x ss y`: start positions of non-overlapping matches of pattern y in string x. */
export function ss(x: Value, y: Value): Value {
  return longVector(Float64Array.from(matches(textArg(x), textArg(y)), (m) => m[0]));
}

/** `ssr[x;y;z]`: replace matches of y in x by z (a string, or a function applied to each match). */
export function ssr(x: Value, y: Value, z: Value, apply: (f: Value, args: Value[]) => Value): Value {
  // The subject must be a string: a char atom is outside ssr's left domain.
  if (x.kind !== "vector") raise("type");
  const text = textArg(x);
  let out = "";
  let at = 0;
  for (const [s, len] of matches(text, textArg(y))) {
    out += text.slice(at, s);
    const piece = text.slice(s, s + len);
    out += z.kind === "vector" || z.kind === "atom" ? textArg(z) : textArg(apply(z, [charsOf(piece)]));
    at = s + len;
  }
  return charsOf(out + text.slice(at));
}

// ---------------------------------------------------------------------------------------------
// Split and join

/** `x vs y`: split string y on x; `` ` vs `` splits a symbol on dots; ints encode y in base x. */
export function vs(x: Value, y: Value): Value {
  if (x.kind === "atom" && x.type === 11 && x.v === "") {
    if (y.kind === "atom" && y.type === 11) return syms((y.v as string).split("."));
    if (y.kind === "vector" && (y.type === 10 || y.type === 4)) {
      // ` vs text splits lines (bytes too, giving strings), dropping a CR before each LF; a final
      // newline does not start another line.
      const lines = bytesText(y)
        .split("\n")
        .map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
      if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
      return rawList(lines.map(charsOf));
    }
    return raise("type");
  }
  if (x.kind === "atom" && x.type === 1) return bitsOf(y);
  if (isSeparator(x)) {
    // The pieces take the separator's type: " " vs "x"$"a b" gives strings.
    const sep = bytesText(x);
    const text = bytesText(y);
    if (!sep.length) raise("length");
    return rawList(text.split(sep).map((p) => vector(separatorType(x), fromLatin1(p))));
  }
  if (x.kind === "atom" && x.type === 4 && x.v === 0) return bytesOf(y);
  // A general list of integers encodes as the numbers it holds, in order: `10 vs(1995;1996 1997)`
  // is `10 vs 1995 1996 1997` (ref/vs).
  if ((x.kind === "atom" || x.kind === "vector") && isIntegralType(x.type) && y.kind === "list") {
    const flat: number[] = [];
    for (const it of y.items) {
      if ((it.kind !== "atom" && it.kind !== "vector") || !isIntegralType(it.type)) return raise("type");
      flat.push(...intsArg(it));
    }
    return vs(x, longVector(Float64Array.from(flat)));
  }
  if (x.kind === "atom" && isIntegralType(x.type)) {
    const base = intArg(x);
    if (y.kind === "vector") return digitMatrix(items(y).map((v) => intsArg(vs(x, v))));
    let n = BigInt(intArg(y));
    if (n === 0n) return longVector(new Float64Array([0]));
    const digits: number[] = [];
    while (n > 0n) {
      digits.unshift(Number(n % BigInt(base)));
      n /= BigInt(base);
    }
    return longVector(Float64Array.from(digits));
  }
  if (x.kind === "vector" && isIntegralType(x.type)) {
    // A vector y encodes each item as a column: row i holds digit i of every item.
    if (y.kind === "vector") {
      const cols = items(y).map((v) => intsArg(vs(x, v)));
      return rawList(
        x.data.length === 0 ? [] : Array.from(intsArg(x), (_, i) => longVector(Float64Array.from(cols, (c) => c[i]!))),
      );
    }
    const bases = intsArg(x);
    let n = intArg(y);
    const out = new Float64Array(bases.length);
    for (let i = bases.length - 1; i >= 0; i--) {
      const b = bases[i]!;
      // A leading 0 base takes whatever is left (0 24 60 vs 100 is 0 1 40).
      if (b === 0) {
        out[i] = n;
        n = 0;
        continue;
      }
      out[i] = ((n % b) + b) % b;
      n = Math.floor(n / b);
    }
    return longVector(out);
  }
  return raise("type");
}

/** Digit rows of several numbers as a matrix: row i holds digit i of each, left-padded with 0. */
function digitMatrix(rows: number[][]): Value {
  const w = Math.max(...rows.map((r) => r.length));
  const padded = rows.map((r) => [...new Array<number>(w - r.length).fill(0), ...r]);
  return rawList(Array.from({ length: w }, (_, i) => longVector(Float64Array.from(padded, (r) => r[i]!))));
}

const WIDTH: Record<number, number> = { 1: 1, 4: 1, 5: 2, 6: 4, 7: 8, 9: 8, 8: 4 };

/** `0x0 vs y`: the big-endian bytes of an integral or float atom. */
function bytesOf(y: Value): Value {
  if (y.kind !== "atom" || WIDTH[y.type] === undefined) return raise("type");
  const w = WIDTH[y.type]!;
  const view = new DataView(new ArrayBuffer(w));
  if (y.type === 9) view.setFloat64(0, y.v as number);
  else if (y.type === 8) view.setFloat32(0, y.v as number);
  else if (w === 8) view.setBigInt64(0, BigInt(y.v as number));
  else if (w === 4) view.setInt32(0, y.v as number);
  else if (w === 2) view.setInt16(0, y.v as number);
  else view.setUint8(0, y.v as number);
  return vector(4, new Uint8Array(view.buffer));
}

function bitsOf(y: Value): Value {
  if (y.kind !== "atom" || !isIntegralType(y.type)) return raise("type");
  const width = y.type === 5 ? 16 : y.type === 6 ? 32 : y.type === 4 ? 8 : 64;
  const n = BigInt.asUintN(width, BigInt(y.v as number));
  const out = new Uint8Array(width);
  for (let i = 0; i < width; i++) out[i] = Number((n >> BigInt(width - 1 - i)) & 1n);
  return vector(1, out);
}

/** `x sv y`: join strings with x; `` ` sv `` joins symbols with dots; ints decode digits y in base x. */
export function sv(x: Value, y: Value): Value {
  if (x.kind === "atom" && x.type === 11 && x.v === "") {
    if (y.kind === "vector" && y.type === 11) return sym((y.data as string[]).join("."));
    // ` sv strings joins lines with the host's line separator (LF here), ending the last one too.
    if (y.kind === "list") return charsOf(y.items.map((l) => `${textArg(l)}\n`).join(""));
    return raise("type");
  }
  if (isSeparator(x)) {
    const sep = bytesText(x);
    const parts = items(y).map(bytesText);
    // A newline separator also terminates the last line, as q does for "\n" sv.
    const t = separatorType(x);
    const joined = parts.join(sep) + (t === 10 && (sep === "\n" || sep === "\r\n") ? sep : "");
    return vector(t, fromLatin1(joined));
  }
  if (x.kind === "atom" && (x.type === 1 || (x.type === 4 && x.v === 0))) {
    // Bits (0b sv) or bytes (0x0 sv) in big-endian order; the count picks the result type.
    const unit = x.type === 1 ? 1 : 8;
    if (y.kind !== "vector" || y.type !== x.type) return raise("type");
    let n = 0n;
    for (const b of y.data as Uint8Array) n = (n << BigInt(unit)) | BigInt(b);
    const bits = count(y) * unit;
    if (bits === 128)
      return atom(
        2,
        Uint8Array.from({ length: 16 }, (_, i) => Number((n >> BigInt(120 - 8 * i)) & 255n)),
      );
    const t = bits === 8 ? 4 : bits === 16 ? 5 : bits === 32 ? 6 : bits === 64 ? 7 : raise("length");
    return t === 7 ? atom(7, BigInt.asIntN(64, n)) : atom(t, t === 4 ? Number(n) : Number(BigInt.asIntN(bits, n)));
  }
  if ((x.kind === "atom" || x.kind === "vector") && isIntegralType(x.type)) {
    const ds = intsArg(y);
    const bases = x.kind === "atom" ? ds.map(() => intArg(x)) : intsArg(x);
    if (bases.length !== ds.length) raise("length");
    let n = 0n;
    ds.forEach((d, i) => {
      n = n * BigInt(bases[i]!) + BigInt(d);
    });
    return atom(7, BigInt.asIntN(64, n));
  }
  return raise("type");
}
