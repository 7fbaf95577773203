// `$` in its dyadic forms: cast (`` `long$x ``, `"j"$x`, `7h$x`), parse from strings
// (`"J"$"42"`, `` `$"abc" ``, `"D"$"2024.01.15"`) and pad (`5$"ab"`).
//
// Casting works item by item on the payload. Numbers convert with q's rules: floats round to
// the nearest integer (halves away from zero), nulls and infinities map to the target type's
// own null and infinities, integral narrowing wraps. Temporal conversions are delegated to
// temporal.ts, which knows calendars and units.

import { isQError, raise } from "../errors";
import { literalValue } from "../literal";
import {
  castTemporal,
  numberToTemporal,
  parseTemporalString,
  type Special,
  specialOf,
  temporalFieldValue,
} from "../temporal";
import {
  type AtomValue,
  atom,
  count,
  decodeBytes,
  encodeText,
  infValue,
  isFloatType,
  isIntegralType,
  isNumericType,
  isTemporalType,
  items,
  LONG_NULL,
  list,
  nullValue,
  type QVector,
  storageOf,
  TYPE_NAMES,
  typeFromChar,
  type Value,
  vector,
  vectorAt,
  vectorOf,
} from "../values";

/** Target of a cast: type code and whether it parses from text (uppercase letter). */
interface Target {
  type: number;
  parse: boolean;
  /** A field of temporal values (`` `year$d ``, `` `hh$t ``): ints extracted instead of a cast. */
  field?: string;
}

const FIELD_CASTS = new Set(["year", "mm", "dd", "hh", "uu", "ss"]);

const isIdentityTarget = (x: Value): boolean =>
  x.kind === "atom" && ((x.type === 10 && x.v === 42) || (x.type === 5 && Number(x.v) === 0));

function targetOf(x: Value): Target | undefined {
  if (x.kind !== "atom") return undefined;
  if (x.type === 10) {
    const c = String.fromCharCode(x.v as number);
    if (c === "*") return { type: 10, parse: true };
    const t = typeFromChar(c);
    if (t < 0) return raise("type");
    return { type: t, parse: c !== c.toLowerCase() };
  }
  if (x.type === 11) {
    const name = x.v as string;
    if (name === "") return { type: 11, parse: true };
    if (FIELD_CASTS.has(name)) return { type: 6, parse: false, field: name };
    const t = TYPE_NAMES.indexOf(name);
    return t > 0 ? { type: t, parse: false } : raise("type");
  }
  // Only a short names a type (7h$x); an int or long on the left pads strings instead.
  if (x.type === 5) {
    // A negative type parses text, like the upper-case letter (-8h$"3.14" is "E"$"3.14").
    const t = Math.abs(Number(x.v));
    return t > 0 && t <= 19 && t !== 3 ? { type: t, parse: Number(x.v) < 0 } : raise("type");
  }
  return undefined;
}

export function dollar(x: Value, y: Value): Value {
  // "*" and 0h leave a non-string value as it is (("*";0h)$1 is 1 1).
  if (isIdentityTarget(x) && !(y.kind === "vector" && y.type === 10)) return y;
  const target = targetOf(x);
  if (target) return castValue(target, y);
  if (x.kind === "atom" && isIntegralType(x.type)) return pad(Number(x.v), y);
  if (x.kind === "vector" || x.kind === "list") {
    // Several targets against one atom give one result each: (`int;"i";6h)$10.
    if (y.kind === "atom") return list(items(x).map((t) => dollar(t, y)));
    if (count(x) !== count(y)) raise("length");
    const ys = items(y);
    return list(items(x).map((t, i) => dollar(t, ys[i]!)));
  }
  return raise("type");
}

function castValue(t: Target, y: Value): Value {
  switch (y.kind) {
    case "atom":
    case "vector":
      if (t.field !== undefined) return temporalFieldValue(t.field, y) ?? raise("type");
      if (y.type === 10 && (t.parse || t.type === 11)) return parseText(t, y);
      return castSimple(t.type, y);
    case "list":
      // The empty general list casts to the target's typed empty (`long$() is `long$()).
      if (y.items.length === 0) return vectorOf(t.field === undefined ? t.type : 6, []);
      return list(y.items.map((i) => castValue(t, i)));
    case "dict":
      return { kind: "dict", keys: y.keys, values: castValue(t, y.values) };
    case "table":
      return { kind: "table", columns: y.columns, data: y.data.map((c) => castValue(t, c)) };
    default:
      return raise("type");
  }
}

/** Parsing a string (or a char atom) to one atom of the target type. */
function parseText(t: Target, y: Extract<Value, { kind: "atom" | "vector" }>): Value {
  const text = y.kind === "atom" ? String.fromCharCode(y.v as number) : decodeBytes(y.data as Uint8Array);
  // `$ drops surrounding blanks (`$"  IBM " is `IBM).
  if (t.type === 11) return atom(11, text.trim());
  if (t.type === 10) return y;
  if (!t.parse) return castSimple(t.type, y);
  return atom(t.type, parsePayload(t.type, text.trim()));
}

/** The payload q's `"T"$string` gives; unparsable text gives the type's null. */
export function parsePayload(type: number, s: string): AtomValue {
  if (isTemporalType(type)) return parseTemporalString(type, s);
  if (type === 1) return /^[1tTxXyY]/.test(s) ? 1 : 0;
  if (type === 2) return parseGuid(s) ?? (nullValue(2) as Uint8Array);
  if (type === 4) return /^(0x)?[0-9a-fA-F]{1,2}$/.test(s) ? Number.parseInt(s.replace(/^0x/, ""), 16) : 0;
  if (!s.length) return nullValue(type);
  // An IPv4 address reads as the 32-bit number of its octets ("I"$"192.168.1.34").
  const ip = type === 6 ? parseIp4(s) : undefined;
  if (ip) return (ip[0]! << 24) | (ip[1]! << 16) | (ip[2]! << 8) | ip[3]! | 0;
  const lit = tryLiteral(s);
  if (lit && lit.kind === "atom") {
    const c = castSimple(type, lit);
    return (c as Extract<Value, { kind: "atom" }>).v;
  }
  // q stops at the first character that cannot continue a number.
  const m = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?/i.exec(s);
  if (m) return parsePayload(type, m[0]);
  return nullValue(type);
}

/** The value of s as a one-element numeric literal, or undefined when it is not one. */
function tryLiteral(s: string): Value | undefined {
  try {
    return literalValue([s]);
  } catch (e) {
    if (isQError(e)) return undefined;
    throw e;
  }
}

function parseGuid(s: string): Uint8Array | undefined {
  const hex = s.replace(/-/g, "");
  if (/^[0-9a-fA-F]{32}$/.test(hex))
    return Uint8Array.from({ length: 16 }, (_, i) => Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16));
  return parseIp6(s);
}

/** The four octets of a dotted-quad IPv4 address, or undefined. */
function parseIp4(s: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o < 256) ? octets : undefined;
}

/**
 * An IP address as the 16 bytes q's `"G"$` gives: IPv6 with `::` compression and an optional
 * trailing dotted quad; a bare IPv4 address maps into IPv6 as ::ffff:a.b.c.d.
 */
function parseIp6(s: string): Uint8Array | undefined {
  const v4 = parseIp4(s);
  if (v4) return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, ...v4]);
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === "") return [];
    const out: number[] = [];
    const pieces = part.split(":");
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i]!;
      const quad = i === pieces.length - 1 ? parseIp4(p) : undefined;
      if (quad) out.push((quad[0]! << 8) | quad[1]!, (quad[2]! << 8) | quad[3]!);
      else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(Number.parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const fill = 8 - head.length - tail.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0) || (halves.length === 2 && fill < 1)) return undefined;
  const words = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  return Uint8Array.from(words.flatMap((w) => [w >> 8, w & 255]));
}

// ---------------------------------------------------------------------------------------------
// Casting payloads

type Num = number | bigint;

/** Classifies a source payload as special (null/inf) in q's sense. */
function special(t: number, v: AtomValue): Special {
  if (isTemporalType(t)) return specialOf(t, v as Num);
  if (isFloatType(t)) {
    const f = v as number;
    return Number.isNaN(f) ? "null" : f === Infinity ? "inf" : f === -Infinity ? "-inf" : undefined;
  }
  // Integer infinities are ordinary numbers to a cast (`float$0Wh is 32767f); only null maps.
  if (t === 5) return v === -32768 ? "null" : undefined;
  if (t === 6) return v === -2147483648 ? "null" : undefined;
  if (t === 7) return v === LONG_NULL ? "null" : undefined;
  return undefined;
}

function specialPayload(to: number, s: Special): AtomValue {
  if (s === "null") return nullValue(to);
  const inf = infValue(to);
  if (inf === undefined) return nullValue(to);
  if (s === "inf") return inf;
  return typeof inf === "bigint" ? -inf : -(inf as number);
}

/** Rounds half away from zero, as q's float-to-integer casts do. */
const roundQ = (f: number): number => Math.sign(f) * Math.round(Math.abs(f));

function castPayload(from: number, to: number, v: AtomValue): AtomValue {
  if (from === to) return v;
  if (to === 11) {
    if (from === 10) return String.fromCharCode(v as number);
    return raise("type");
  }
  if (from === 11 || from === 2 || to === 2) return raise("type");
  const sp = special(from, v);
  if (isTemporalType(to)) {
    if (isTemporalType(from)) {
      const r = castTemporal(from, to, v as Num);
      return r === undefined ? raise("type") : r;
    }
    const n = isFloatType(from) ? (v as number) : (v as Num);
    return numberToTemporal(to, n, sp);
  }
  if (sp !== undefined && to !== 1 && to !== 4 && to !== 10) return specialPayload(to, sp);
  // Numeric (and a temporal's raw count) to a numeric/char type.
  if (isFloatType(to)) return typeof v === "bigint" ? Number(v) : (v as number);
  let n: bigint;
  if (typeof v === "number") {
    if (Number.isNaN(v)) n = 0n;
    else n = BigInt(isFloatType(from) || from === 15 ? roundQ(v) : v);
  } else n = v as bigint;
  // A long goes to a byte through the int range, saturating: "x"$-2 -1 0 1 2+0Wi is
  // 0xfdfeffffff (ref/cast, Byte). Inferred from that example; other narrowings wrap.
  if (to === 4 && from === 7 && sp === undefined)
    n = n > 2147483647n ? 2147483647n : n < -2147483647n ? -2147483647n : n;
  switch (storageOf(to)) {
    case "u8":
      return to === 1 ? +(n !== 0n || (typeof v === "number" && v !== 0)) : Number(BigInt.asUintN(8, n));
    case "i16":
      return Number(BigInt.asIntN(16, n));
    case "i32":
      return Number(BigInt.asIntN(32, n));
    case "long":
      return BigInt.asIntN(64, n);
    default:
      return raise("type");
  }
}

function castSimple(to: number, y: Extract<Value, { kind: "atom" | "vector" }>): Value {
  if (!(isNumericType(y.type) || isTemporalType(y.type) || y.type === 10 || y.type === 11 || y.type === 2))
    raise("type");
  if (y.kind === "atom") return atom(to, castPayload(y.type, to, y.v));
  const n = count(y);
  if (y.type === to) return vector(to, (y as QVector).data);
  const out = new Array<AtomValue>(n);
  for (let i = 0; i < n; i++) out[i] = castPayload(y.type, to, vectorAt(y, i));
  return vectorOf(to, out);
}

/** `n$string`: pad (or truncate) to width |n|, on the right for positive n, on the left for negative. */
function pad(n: number, y: Value): Value {
  if (y.kind === "list") return list(y.items.map((i) => pad(n, i)));
  // A dictionary pads its values, a table each column (code.kx.com/q/ref/pad).
  if (y.kind === "dict") return { ...y, values: pad(n, y.values) };
  if (y.kind === "table") return { ...y, data: y.data.map((c) => pad(n, c)) };
  if (y.kind === "atom" && y.type === 11) return pad(n, vector(10, encodeText(y.v as string)));
  if (y.kind !== "vector" || y.type !== 10) {
    if (y.kind === "atom" && y.type === 10) return pad(n, vector(10, Uint8Array.of(y.v as number)));
    return raise("type");
  }
  const d = y.data as Uint8Array;
  const w = Math.abs(n);
  const out = new Uint8Array(w).fill(32);
  if (n >= 0) out.set(d.subarray(0, w));
  else out.set(d.subarray(Math.max(0, d.length - w)), Math.max(0, w - d.length));
  return vector(10, out);
}
