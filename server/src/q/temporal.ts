// For E2 (`$` casts): parseTemporalString ("D"$"2024.01.15"), castToTemporal (`date$x on atoms and
// vectors), temporalFieldValue (x.year, `hh$x ...). For E1: parseTemporalLiteral, temporalFieldValue.
/**
 * q's temporal types: calendar arithmetic, literal and string parsing, display, field
 * extraction and casts. Everything here works on raw underlying numbers so it does not
 * depend on the value representation: a temporal value is its q type code plus the raw
 * count q stores, measured from the epoch 2000.01.01:
 *
 *   type  name       raw unit                     storage   display
 *   12    timestamp  nanoseconds                  64-bit    2000.01.01D00:00:00.000000000
 *   13    month      months since 2000.01         32-bit    2000.01m
 *   14    date       days                         32-bit    2000.01.01
 *   15    datetime   days (float, fraction=time)  float     2000.01.01T00:00:00.000
 *   16    timespan   nanoseconds                  64-bit    0D00:00:00.000000000
 *   17    minute     minutes                      32-bit    00:00
 *   18    second     seconds                      32-bit    00:00:00
 *   19    time       milliseconds                 32-bit    00:00:00.000
 *
 * The last section adapts these to values.ts atoms and vectors for the cast verb.
 *
 * 64-bit raws follow the engine contract for longs: a JS number when it is a safe integer,
 * otherwise a bigint; functions here accept either and return the normalised form
 * (`normLong`). Null and infinities are the underlying type's special values (0N/0W/-0W of
 * int or long, NaN/±Infinity for datetime); they display as 0Nd, 0Wd, -0Wd and so on.
 */

import { type AtomValue, atom, count, type QAtom, type QVector, vectorAt, vectorOf } from "./values";

/** A raw temporal count: number for 32-bit and float types, number|bigint for 64-bit ones. */
export type Raw = number | bigint;

export const INT_NULL = -2147483648;
export const INT_INF = 2147483647;
export const LONG_NULL = -9223372036854775808n;
export const LONG_INF = 9223372036854775807n;

const NS_PER_DAY = 86400000000000n;
const MS_PER_DAY = 86400000;
/** Days between 1970.01.01 and 2000.01.01. */
const UNIX_EPOCH_DAYS = 10957;

/** The suffix character q uses for each temporal type (0Np, 2000.01m, `12:00u`...). */
export const TEMPORAL_CHAR: Readonly<Record<number, string>> = {
  12: "p",
  13: "m",
  14: "d",
  15: "z",
  16: "n",
  17: "u",
  18: "v",
  19: "t",
};

export const TEMPORAL_TYPES = [12, 13, 14, 15, 16, 17, 18, 19] as const;

export function isTemporalType(t: number): boolean {
  return t >= 12 && t <= 19;
}

/** True for the types stored as exact 64-bit integers. */
function isLongType(t: number): boolean {
  return t === 12 || t === 16;
}

/** The contract's normal form for a 64-bit integer: number when safe, else bigint. */
export function normLong(x: bigint): Raw {
  const n = Number(x);
  return Number.isSafeInteger(n) ? n : x;
}

function big(x: Raw): bigint {
  return typeof x === "bigint" ? x : BigInt(Math.trunc(x));
}

/** Floor division on bigints (BigInt `/` truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

// ---------------------------------------------------------------------------------------
// Special values

export type Special = "null" | "inf" | "-inf" | undefined;

/** Classifies a raw as q's null, +infinity or -infinity for its type (undefined: ordinary). */
export function specialOf(type: number, raw: Raw): Special {
  if (type === 15) {
    const f = Number(raw);
    if (Number.isNaN(f)) return "null";
    if (f === Number.POSITIVE_INFINITY) return "inf";
    if (f === Number.NEGATIVE_INFINITY) return "-inf";
    return undefined;
  }
  if (isLongType(type)) {
    if (typeof raw === "number") return undefined;
    if (raw === LONG_NULL) return "null";
    if (raw === LONG_INF) return "inf";
    if (raw === -LONG_INF) return "-inf";
    return undefined;
  }
  if (raw === INT_NULL) return "null";
  if (raw === INT_INF) return "inf";
  if (raw === -INT_INF) return "-inf";
  return undefined;
}

/** The raw null of a temporal type. */
export function temporalNull(type: number): Raw {
  if (type === 15) return Number.NaN;
  return isLongType(type) ? LONG_NULL : INT_NULL;
}

/** The raw +infinity (sign 1) or -infinity (sign -1) of a temporal type. */
export function temporalInf(type: number, sign: 1 | -1): Raw {
  if (type === 15) return sign * Number.POSITIVE_INFINITY;
  if (isLongType(type)) return sign === 1 ? LONG_INF : -LONG_INF;
  return sign * INT_INF;
}

// ---------------------------------------------------------------------------------------
// Calendar (proleptic Gregorian; algorithm from H. Hinnant's "chrono-compatible low-level
// date algorithms", shifted to q's 2000.01.01 epoch)

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

/** Days since 2000.01.01 → year, month (1-12), day. */
export function civilFromDays(days: number): Ymd {
  const z = days + UNIX_EPOCH_DAYS + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** Year, month (1-12), day → days since 2000.01.01. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468 - UNIX_EPOCH_DAYS;
}

function daysInMonth(y: number, m: number): number {
  return daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);
}

// ---------------------------------------------------------------------------------------
// Display

const pad = (n: number | bigint, w: number): string => String(n).padStart(w, "0");

function dateText(days: number): string {
  const { y, m, d } = civilFromDays(days);
  // q prints dates outside years 1..9999 as zeros (0001.01.01-1 shows 0000.00.00).
  if (y < 1 || y > 9999) return "0000.00.00";
  return `${pad(y, 4)}.${pad(m, 2)}.${pad(d, 2)}`;
}

function monthText(months: number): string {
  const y = 2000 + Math.floor(months / 12);
  return `${pad(y, 4)}.${pad((((months % 12) + 12) % 12) + 1, 2)}`;
}

/** hh:mm:ss[.frac] of a non-negative count of `unit`s; hours are not wrapped at 24. */
function clockText(units: bigint, perSecond: bigint, fracDigits: number, withSeconds = true): string {
  const totalSeconds = units / perSecond;
  const hh = totalSeconds / 3600n;
  const mm = (totalSeconds / 60n) % 60n;
  let text = `${pad(hh, 2)}:${pad(mm, 2)}`;
  if (withSeconds) text += `:${pad(totalSeconds % 60n, 2)}`;
  if (fracDigits > 0) text += `.${pad(units % perSecond, fracDigits)}`;
  return text;
}

function signed(raw: number, render: (abs: bigint) => string): string {
  return raw < 0 ? `-${render(BigInt(-raw))}` : render(BigInt(raw));
}

/**
 * The text of one ordinary (non-null, finite) temporal value without any type suffix:
 * exactly what `string` returns and what vector display joins with spaces.
 */
function ordinaryText(type: number, raw: Raw): string {
  switch (type) {
    case 12: {
      const ns = big(raw);
      const day = floorDiv(ns, NS_PER_DAY);
      return `${dateText(Number(day))}D${clockText(ns - day * NS_PER_DAY, 1000000000n, 9)}`;
    }
    case 13:
      return monthText(Number(raw));
    case 14:
      return dateText(Number(raw));
    case 15: {
      const ms = Math.round(Number(raw) * MS_PER_DAY);
      const day = Math.floor(ms / MS_PER_DAY);
      return `${dateText(day)}T${clockText(BigInt(ms - day * MS_PER_DAY), 1000n, 3)}`;
    }
    case 16: {
      const ns = big(raw);
      const abs = ns < 0n ? -ns : ns;
      const day = abs / NS_PER_DAY;
      return `${ns < 0n ? "-" : ""}${day}D${clockText(abs % NS_PER_DAY, 1000000000n, 9)}`;
    }
    case 17:
      return signed(Number(raw), (a) => clockText(a * 60n, 1n, 0, false));
    case 18:
      return signed(Number(raw), (a) => clockText(a, 1n, 0));
    case 19:
      return signed(Number(raw), (a) => clockText(a, 1000n, 3));
    default:
      throw new Error(`not a temporal type: ${type}`);
  }
}

const SPECIAL_TEXT = { null: "0N", inf: "0W", "-inf": "-0W" } as const;

/** One item of a temporal vector as q displays it: no suffix, nulls as 0N, infinities 0W/-0W. */
export function formatTemporalItem(type: number, raw: Raw): string {
  const s = specialOf(type, raw);
  return s === undefined ? ordinaryText(type, raw) : SPECIAL_TEXT[s];
}

/** A temporal atom as the console shows it: 2000.01m, 2000.01.01, 0Nd, -0Wp, 12:30. */
export function formatTemporalAtom(type: number, raw: Raw): string {
  const s = specialOf(type, raw);
  if (s !== undefined) return SPECIAL_TEXT[s] + TEMPORAL_CHAR[type];
  return type === 13 ? `${ordinaryText(type, raw)}m` : ordinaryText(type, raw);
}

/**
 * The suffix after a displayed temporal vector: months always carry `m`; the other types
 * are self-describing unless every item is a null or infinity (`0N 0Nd`).
 */
export function temporalVectorSuffix(type: number, raws: ArrayLike<Raw>): string {
  if (type === 13) return "m";
  for (let i = 0; i < raws.length; i++) if (specialOf(type, raws[i] as Raw) === undefined) return "";
  return TEMPORAL_CHAR[type] ?? "";
}

/** q's `string` of a temporal atom: ordinary text, nulls as "", infinities as 0W/-0W. */
export function temporalString(type: number, raw: Raw): string {
  const s = specialOf(type, raw);
  if (s === "null") return "";
  return s === undefined ? ordinaryText(type, raw) : SPECIAL_TEXT[s];
}

// ---------------------------------------------------------------------------------------
// Parsing: source literals and cast strings ("D"$"2024.01.15")

export interface TemporalAtom {
  type: number;
  raw: Raw;
}

const CHAR_TYPE: Readonly<Record<string, number>> = { p: 12, m: 13, d: 14, z: 15, n: 16, u: 17, v: 18, t: 19 };

/** Nanoseconds in a fraction string such as "123" (=.123 s); extra digits beyond 9 are dropped. */
function fractionNs(frac: string): bigint {
  return BigInt((frac + "000000000").slice(0, 9));
}

/** hh[:mm[:ss[.fff]]] with validated minute/second fields → nanoseconds, or undefined. */
function clockNs(hh: string, mm?: string, ss?: string, frac?: string): bigint | undefined {
  const m = mm === undefined ? 0 : Number(mm);
  const s = ss === undefined ? 0 : Number(ss);
  if (m > 59 || s > 59) return undefined;
  return (BigInt(hh) * 3600n + BigInt(m) * 60n + BigInt(s)) * 1000000000n + (frac ? fractionNs(frac) : 0n);
}

function validDate(y: number, m: number, d: number): number | undefined {
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return daysFromCivil(y, m, d);
}

const DATE_LIT = /^(\d{4})\.(\d\d)\.(\d\d)$/;
const MONTH_LIT = /^(\d{4})\.(\d\d)m$/;
const STAMP_LIT = /^(\d{4})\.(\d\d)\.(\d\d)([DT])(?:(\d\d?)(?::(\d\d)(?::(\d\d)(?:\.(\d*))?)?)?)?([pz]?)$/;
const SPAN_LIT = /^(\d+)D(?:(\d\d?)(?::(\d\d)(?::(\d\d)(?:\.(\d*))?)?)?)?n?$/;
const CLOCK_LIT = /^(\d\d+):(\d\d)(?::(\d\d)(?:\.(\d*))?)?([nuvt]?)$/;
const SPECIAL_LIT = /^(-?)0([NW])([pmdznuvt])$/;

/** Applies a leading minus to a parsed temporal (negative spans and clock values). */
function negate(a: TemporalAtom): TemporalAtom {
  return { type: a.type, raw: typeof a.raw === "bigint" ? normLong(-a.raw) : -a.raw };
}

/** Converts nanoseconds of a clock literal to the given clock-like type (truncating). */
function clockAs(type: number, ns: bigint): TemporalAtom {
  switch (type) {
    case 16:
      return { type, raw: normLong(ns) };
    case 17:
      return { type, raw: Number(ns / 60000000000n) };
    case 18:
      return { type, raw: Number(ns / 1000000000n) };
    default:
      return { type: 19, raw: Number(ns / 1000000n) };
  }
}

/**
 * Parses one q source token as a temporal literal (2024.01.15, 2024.01m, 2024.01.15D12:00,
 * 2024.01.15T12:00:00.000, 0D12, 1D, 12:30, 12:30:15, 12:30:15.123, 12:00:00.000000000,
 * 0Nd, 0Wp, -0Wz, ...). Returns undefined when the token is not a valid temporal literal.
 */
export function parseTemporalLiteral(token: string): TemporalAtom | undefined {
  if (token.startsWith("-") && !SPECIAL_LIT.test(token)) {
    const inner = parseTemporalLiteral(token.slice(1));
    return inner && (inner.type === 16 || inner.type >= 17) ? negate(inner) : undefined;
  }
  let m = SPECIAL_LIT.exec(token);
  if (m) {
    const type = CHAR_TYPE[m[3] as string] as number;
    if (m[2] === "N") return m[1] ? undefined : { type, raw: temporalNull(type) };
    return { type, raw: temporalInf(type, m[1] ? -1 : 1) };
  }
  m = DATE_LIT.exec(token);
  if (m) {
    const d = validDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return d === undefined ? undefined : { type: 14, raw: d };
  }
  m = MONTH_LIT.exec(token);
  if (m) {
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) return undefined;
    return { type: 13, raw: (Number(m[1]) - 2000) * 12 + mo - 1 };
  }
  m = STAMP_LIT.exec(token);
  if (m) {
    const d = validDate(Number(m[1]), Number(m[2]), Number(m[3]));
    if (d === undefined) return undefined;
    const isDatetime = m[4] === "T" || m[9] === "z";
    if (m[9] === (isDatetime ? "p" : "z")) return undefined;
    const ns = m[5] === undefined ? 0n : clockNs(m[5], m[6], m[7], m[8]);
    if (ns === undefined) return undefined;
    if (isDatetime) return { type: 15, raw: d + Number(ns / 1000000n) / MS_PER_DAY };
    return { type: 12, raw: normLong(BigInt(d) * NS_PER_DAY + ns) };
  }
  m = SPAN_LIT.exec(token);
  if (m) {
    const ns = m[2] === undefined ? 0n : clockNs(m[2], m[3], m[4], m[5]);
    if (ns === undefined) return undefined;
    return { type: 16, raw: normLong(BigInt(m[1] as string) * NS_PER_DAY + ns) };
  }
  m = CLOCK_LIT.exec(token);
  if (m) {
    const ns = clockNs(m[1] as string, m[2], m[3], m[4]);
    if (ns === undefined) return undefined;
    const suffix = m[5] as string;
    if (suffix) return clockAs(CHAR_TYPE[suffix] as number, ns);
    if (m[4] !== undefined) return clockAs(m[4].length > 3 ? 16 : 19, ns);
    return clockAs(m[3] !== undefined ? 18 : 17, ns);
  }
  return undefined;
}

const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** A date part in any of the layouts q's tok accepts: 2024.01.15, 2024-01-15, 20240115, mm/dd/yyyy. */
function parseDatePart(s: string): number | undefined {
  let m = /^(\d{4})[.\-/](\d\d)[.\-/](\d\d)$/.exec(s);
  if (!m) m = /^(\d{4})(\d\d)(\d\d)$/.exec(s);
  if (m) return validDate(Number(m[1]), Number(m[2]), Number(m[3]));
  // mm/dd/yyyy is q's default (\z 0) reading of a slashed date with the year last.
  m = /^(\d\d)\/(\d\d)\/(\d{4})$/.exec(s);
  if (m) return validDate(Number(m[3]), Number(m[1]), Number(m[2]));
  return undefined;
}

/** A clock part: hh[:mm[:ss[.f…]]] or the digits-only hhmmss[f…] layout. */
function parseClockPart(s: string): bigint | undefined {
  let m = /^(\d\d?)(?::(\d\d)(?::(\d\d)(?:\.(\d*))?)?)?$/.exec(s);
  if (m) return clockNs(m[1] as string, m[2], m[3], m[4]);
  m = /^(\d\d)(\d\d)(\d\d)?(\d*)$/.exec(s);
  if (m) return clockNs(m[1] as string, m[2], m[3], m[4]);
  return undefined;
}

/**
 * `"P"$`, `"D"$` … on one string: the raw value, or the type's null when q's parser would
 * give up. `type` is the target temporal type code (12..19).
 */
export function parseTemporalString(type: number, text: string): Raw {
  const s = text.trim();
  const nul = temporalNull(type);
  if (s === "") return nul;
  const lit = parseTemporalLiteral(s);
  if (lit && lit.type === type) return lit.raw;
  switch (type) {
    case 13: {
      const m = /^(\d{4})[.\-/]?(\d\d)$/.exec(s);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return nul;
      return (Number(m[1]) - 2000) * 12 + Number(m[2]) - 1;
    }
    case 14: {
      return parseDatePart(s) ?? nul;
    }
    case 12:
    case 15: {
      // Digits only (optionally with a fraction): seconds since the Unix epoch.
      const unix = /^(\d{9,})(?:\.(\d*))?$/.exec(s);
      if (unix && s.length !== 8) {
        const ns =
          (BigInt(unix[1] as string) - BigInt(UNIX_EPOCH_DAYS) * 86400n) * 1000000000n + fractionNs(unix[2] ?? "");
        return type === 12 ? normLong(ns) : Number(ns / 1000000n) / MS_PER_DAY;
      }
      // `04 Jun 2013 07:00:13`: day, month name, year (mail-style dates; code.kx.com/q/ref/file-text).
      const named = /^(\d\d?) ([A-Za-z]{3}) (\d{4})(?:[ T](.*))?$/.exec(s);
      const month = named ? MONTH_NAMES.indexOf((named[2] as string).toLowerCase()) + 1 : 0;
      const m = named
        ? month > 0
          ? ([
              s,
              `${named[3]}.${String(month).padStart(2, "0")}.${(named[1] as string).padStart(2, "0")}`,
              named[4],
            ] as const)
          : null
        : /^(\d{4}-\d\d-\d\d|[^DT\s-]+)(?:[DT\s-](.*))?$/.exec(s);
      if (!m) return nul;
      const d = parseDatePart(m[1] as string);
      const ns = m[2] === undefined || m[2] === "" ? 0n : parseClockPart(m[2]);
      if (d === undefined || ns === undefined) return nul;
      return type === 12 ? normLong(BigInt(d) * NS_PER_DAY + ns) : d + Number(ns / 1000000n) / MS_PER_DAY;
    }
    case 16: {
      const neg = s.startsWith("-");
      const body = neg ? s.slice(1) : s;
      const m = /^(?:(\d+)D)?(.*)$/.exec(body) as RegExpExecArray;
      const ns = m[2] === "" ? 0n : parseClockPart(m[2] as string);
      if (ns === undefined) return nul;
      const total = BigInt(m[1] ?? "0") * NS_PER_DAY + ns;
      return normLong(neg ? -total : total);
    }
    default: {
      // A signed offset such as `+0900` or `-0500` (a time zone in 0: fields) reads as a time.
      const neg = s.startsWith("-");
      const ns = parseClockPart(neg || s.startsWith("+") ? s.slice(1) : s);
      if (ns === undefined) return nul;
      const raw = clockAs(type, ns).raw as number;
      return neg ? -raw : raw;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Casts and fields

/** Nanoseconds of the whole value for the clock-like and point types (undefined: month). */
function toNs(type: number, raw: Raw): bigint | undefined {
  switch (type) {
    case 12:
    case 16:
      return big(raw);
    case 14:
      return BigInt(raw) * NS_PER_DAY;
    case 15:
      return BigInt(Math.round(Number(raw) * MS_PER_DAY)) * 1000000n;
    case 17:
      return BigInt(raw) * 60000000000n;
    case 18:
      return BigInt(raw) * 1000000000n;
    case 19:
      return BigInt(raw) * 1000000n;
    default:
      return undefined;
  }
}

/** The number of the date (days since 2000.01.01) a value falls on. */
function dayOf(type: number, raw: Raw): number {
  if (type === 14) return Number(raw);
  if (type === 13) return daysFromCivil(2000 + Math.floor(Number(raw) / 12), (((Number(raw) % 12) + 12) % 12) + 1, 1);
  if (type === 15) return Math.floor(Math.round(Number(raw) * MS_PER_DAY) / MS_PER_DAY);
  return Number(floorDiv(toNs(type, raw) as bigint, NS_PER_DAY));
}

const isPoint = (t: number): boolean => t === 12 || t === 13 || t === 14 || t === 15;

/**
 * Casts one raw between temporal types (`` `date$ts ``, `` `minute$12:30:15 ``,
 * `` `timestamp$2024.01.15 ``). Nulls and infinities map to the target's null and
 * infinities. Returns undefined where q signals 'type (e.g. a date to a timespan).
 */
export function castTemporal(from: number, to: number, raw: Raw): Raw | undefined {
  if (from === to) return raw;
  const special = specialOf(from, raw);
  if (special === "null") return temporalNull(to);
  if (special !== undefined) return temporalInf(to, special === "inf" ? 1 : -1);
  // Points in time convert among themselves; time-of-day types take the clock part of a
  // point (`time$ts); date/month cannot become spans or clocks and vice versa.
  if (to === 14 || to === 13) {
    if (!isPoint(from)) return undefined;
    const day = dayOf(from, raw);
    if (to === 14) return day;
    const { y, m } = civilFromDays(day);
    return (y - 2000) * 12 + m - 1;
  }
  if (from === 13) {
    if (to !== 12 && to !== 15) return undefined;
    return castTemporal(14, to, dayOf(13, raw));
  }
  let ns = toNs(from, raw) as bigint;
  // Dates beyond the timestamp range become its infinities (`timestamp$1666.09.02 is -0Wp).
  if (to === 12) return ns >= LONG_INF ? LONG_INF : ns <= -LONG_INF ? -LONG_INF : normLong(ns);
  if (to === 15) {
    if (!isPoint(from)) return undefined;
    return Number(floorDiv(ns, 1000000n)) / MS_PER_DAY;
  }
  // A date has no clock part to take; timestamps and datetimes give their time of day.
  if (from === 14) return undefined;
  if (isPoint(from)) ns -= floorDiv(ns, NS_PER_DAY) * NS_PER_DAY;
  if (to === 16) return normLong(ns);
  const unit = to === 17 ? 60000000000n : to === 18 ? 1000000000n : 1000000n;
  return Number(ns / unit);
}

/**
 * Field extraction: `x.year`, `x.mm`, `` `hh$x `` and friends. Returns the int result, the
 * int null for a null input, or undefined for a field the type does not have.
 * Fields: year, mm (month of year), dd (day of month), hh, uu (minute of hour), ss,
 * week (date of the Monday starting the week is `week`; here the day count is returned).
 */
export function temporalField(type: number, raw: Raw, field: string): number | undefined {
  if (specialOf(type, raw) !== undefined) return INT_NULL;
  switch (field) {
    case "year":
    case "mm":
    case "dd": {
      if (!isPoint(type)) return undefined;
      const { y, m, d } = civilFromDays(dayOf(type, raw));
      return field === "year" ? y : field === "mm" ? m : d;
    }
    case "hh":
    case "uu":
    case "ss": {
      if (type === 13 || type === 14) return undefined;
      let ns = toNs(type, raw) as bigint;
      if (isPoint(type)) ns -= floorDiv(ns, NS_PER_DAY) * NS_PER_DAY;
      const secs = ns / 1000000000n;
      if (field === "hh") return Number(secs / 3600n);
      return Number(field === "uu" ? (secs / 60n) % 60n : secs % 60n);
    }
    default:
      return undefined;
  }
}

/**
 * Reinterprets a number as a temporal raw (`` `date$42 ``, `12h$42`): integral types keep
 * their count; floats are truncated for integer-backed types. Null/inf of the source map
 * to the target's.
 */
export function numberToTemporal(to: number, x: Raw, sourceSpecial: Special): Raw {
  if (sourceSpecial === "null") return temporalNull(to);
  if (sourceSpecial !== undefined) return temporalInf(to, sourceSpecial === "inf" ? 1 : -1);
  if (to === 15) return Number(x);
  if (isLongType(to)) return typeof x === "bigint" ? normLong(x) : normLong(BigInt(Math.trunc(x)));
  const n = Number(typeof x === "bigint" ? BigInt.asIntN(32, x) : Math.trunc(x));
  return n | 0;
}

/** The month arithmetic q's `.Q.addmonths` and month shifting need: days + whole months, clamped. */
export function addMonths(days: number, months: number): number {
  const { y, m, d } = civilFromDays(days);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  // q rolls over rather than clamps: 2006.10.29 + 4 months is 2007.03.01.
  return daysFromCivil(ny, nm, 1) + d - 1;
}

// ---------------------------------------------------------------------------------------
// Value-level entry points for `$` casts (verbs/cast.ts) and `x.field` (interp.ts's dot access)

const TYPE_BY_FIELD: Readonly<Record<string, number>> = {
  timestamp: 12,
  month: 13,
  date: 14,
  datetime: 15,
  timespan: 16,
  minute: 17,
  second: 18,
  time: 19,
};

/** Maps each payload of an atom or vector through f, building a result of type `to`. */
function mapPayloads(x: QAtom | QVector, to: number, f: (raw: AtomValue) => AtomValue): QAtom | QVector {
  if (x.kind === "atom") return atom(to, f(x.v));
  const n = count(x);
  const out = new Array<AtomValue>(n);
  for (let i = 0; i < n; i++) out[i] = f(vectorAt(x, i));
  return vectorOf(to, out);
}

/** The null/infinity class of a numeric payload of type t. */
function numericSpecialOf(t: number, v: AtomValue): Special {
  if (t === 8 || t === 9) return specialOf(15, v as number);
  if (t === 7) return specialOf(12, v as number | bigint);
  if (t === 6) return specialOf(14, v as number);
  if (t === 5) return v === -32768 ? "null" : v === 32767 ? "inf" : v === -32767 ? "-inf" : undefined;
  return undefined;
}

/**
 * `` `date$x `` / `"p"$x` / `14h$x` for an atom or vector: from numbers (the count is
 * reinterpreted; floats round to the nearest unit except for datetime) or from another
 * temporal type. Returns undefined when q would signal 'type.
 */
export function castToTemporal(to: number, x: QAtom | QVector): QAtom | QVector | undefined {
  const from = x.type;
  if (isTemporalType(from)) {
    let bad = false;
    const r = mapPayloads(x, to, (v) => {
      const c = castTemporal(from, to, v as Raw);
      if (c === undefined) bad = true;
      return c ?? 0;
    });
    return bad ? undefined : r;
  }
  if (from === 1 || (from >= 4 && from <= 9)) {
    return mapPayloads(x, to, (v) => {
      const n = (from === 8 || from === 9) && to !== 15 ? Math.round(v as number) : (v as Raw);
      return numberToTemporal(to, n, numericSpecialOf(from, v));
    });
  }
  return undefined;
}

/**
 * `x.year`, `x.mm`, `x.dd`, `x.hh`, `x.uu`, `x.ss` (int results) and `x.date`, `x.month`,
 * `x.time`, `x.minute`, `x.second`, `x.timestamp`, ... (casts) on a temporal atom or vector.
 * Returns undefined for a field the type does not have.
 */
export function temporalFieldValue(field: string, x: QAtom | QVector): QAtom | QVector | undefined {
  if (!isTemporalType(x.type)) return undefined;
  const castTo = TYPE_BY_FIELD[field];
  if (castTo !== undefined) return castToTemporal(castTo, x);
  let bad = false;
  const r = mapPayloads(x, 6, (v) => {
    const f = temporalField(x.type, v as Raw, field);
    if (f === undefined) bad = true;
    return f ?? 0;
  });
  return bad ? undefined : r;
}
