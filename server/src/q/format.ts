// For E1: formatConsole (console results, `show`, `.Q.s`), compactText (`-3!x`, `.Q.s1`, and what
// `0N!x` prints: q writes the one-line form there, e.g. `0N!(1 2;3 4)` prints `(1 2;3 4)`), qString.
// The dotted names in verbs/text.ts TEXT_VERBS (.Q.s .Q.s1 .Q.f .Q.fmt .j.j .j.k) need binding in the
// session's namespace; `x.year`/`x.mm`/... and `` `year$x `` map to temporal.ts temporalFieldValue.
/**
 * q's text forms of values, as q 4.1 prints them with `\c 25 80` and `\P 7`.
 *
 * Three renderings build on each other:
 *  - the atom/vector form (`1 2 3i`, `,1`, `` `a`b ``, `"ab"`, `0N 1 2`, `` `long$() ``),
 *    which is also the single-line "compact" form `-3!x` / `.Q.s1` extends to lists
 *    (`(1;`a)`), dictionaries (`` `a`b!1 2 ``) and tables (`+`a`b!(1 2;3 4)`);
 *  - the cell form used inside tables, dictionaries and matrices: no type suffix, symbols
 *    without the backtick, booleans as 0/1, nulls blank, nested values in compact form;
 *  - the console form (`formatConsole`): atoms and vectors on one line, general lists one
 *    item per line (aligned like a headerless table when every item is a non-string list of
 *    the same length), dictionaries as `key| value` rows, tables with a header and a dashes
 *    line, keyed tables split by `|`, functions by their source, `::` as nothing; then
 *    lines are cut at cols-1 characters (`..` marks the cut) and the output at rows-2 lines.
 *
 * Floats follow C's `%.{P}g` (P significant digits, exponent form below 1e-5 or from 10^P),
 * trailing zeros removed; a float whose text looks like an integer gets an `f` suffix as an
 * atom, and a float vector gets one `f` when none of its items shows a point or exponent.
 */

import { domainList, enumValues } from "./enums";
import {
  formatTemporalAtom,
  formatTemporalItem,
  isTemporalType,
  specialOf,
  temporalString,
  temporalVectorSuffix,
} from "./temporal";
import {
  type AtomValue,
  count,
  decodeBytes,
  ENUM_BASE,
  enumDomain,
  index,
  kForm,
  type QAtom,
  type QVector,
  str,
  syms,
  TYPE_NAMES,
  type Value,
  vectorAt,
  vectorOf,
} from "./values";
import { sliceValue } from "./verbs/structure";

/** The console settings display depends on (`\P`, `\c`). */
export interface DisplaySettings {
  /** Significant digits for floats; 0 means the maximum (17). */
  precision: number;
  rows: number;
  cols: number;
}

export const DEFAULT_DISPLAY: DisplaySettings = { precision: 7, rows: 25, cols: 80 };

// ---------------------------------------------------------------------------------------
// Numbers

/** C's `%.{p}g` with trailing zeros removed, as q prints floats. */
export function formatFloat(x: number, precision: number): string {
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const p = precision <= 0 ? 17 : Math.min(precision, 17);
  const expText = x.toExponential(p - 1);
  const e = Number(expText.slice(expText.indexOf("e") + 1));
  if (e < -4 || e >= p) {
    const [mant, ex] = expText.split("e") as [string, string];
    const m = mant.includes(".") ? mant.replace(/0+$/, "").replace(/\.$/, "") : mant;
    const sign = ex.startsWith("-") ? "-" : "+";
    return `${m}e${sign}${ex.replace(/^[+-]/, "").padStart(2, "0")}`;
  }
  const fixed = x.toFixed(Math.max(0, p - 1 - e));
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}

const INT_LIMITS: Record<number, [number, number]> = { 5: [-32768, 32767], 6: [-2147483648, 2147483647] };

/** "null" | "inf" | "-inf" | undefined for an integral or float payload. */
function numericSpecial(type: number, v: AtomValue): "null" | "inf" | "-inf" | undefined {
  if (type === 8 || type === 9) {
    const f = v as number;
    if (Number.isNaN(f)) return "null";
    if (f === Number.POSITIVE_INFINITY) return "inf";
    if (f === Number.NEGATIVE_INFINITY) return "-inf";
    return undefined;
  }
  if (type === 7) return specialOf(12, v as number | bigint);
  const lim = INT_LIMITS[type];
  if (!lim) return undefined;
  if (v === lim[0]) return "null";
  if (v === lim[1]) return "inf";
  if (v === -lim[1]) return "-inf";
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Chars, symbols, guids

const HEX = "0123456789abcdef";
const hexByte = (b: number): string => HEX[b >> 4]! + HEX[b & 15]!;

/**
 * A q string literal for bytes: quotes, escapes for \ " and control characters, and octal
 * escapes for every byte outside ASCII (q 4.1 shows "Zürich" as "Z\303\274rich").
 */
function quoteBytes(bytes: Uint8Array): string {
  const out: number[] = [34];
  for (const b of bytes) {
    if (b === 34 || b === 92) out.push(92, b);
    else if (b === 10) out.push(92, 110);
    else if (b === 9) out.push(92, 116);
    else if (b === 13) out.push(92, 114);
    else if (b < 32 || b >= 127) {
      for (const c of `\\${b.toString(8).padStart(3, "0")}`) out.push(c.charCodeAt(0));
    } else out.push(b);
  }
  out.push(34);
  return decodeBytes(Uint8Array.from(out));
}

function guidText(bytes: Uint8Array): string {
  let h = "";
  for (const b of bytes) h += hexByte(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---------------------------------------------------------------------------------------
// Items: one payload of a given type in atom, vector-item or cell form

type ItemMode = "atom" | "item" | "cell";

const SPECIAL_INT = { null: "0N", inf: "0W", "-inf": "-0W" } as const;
const SPECIAL_FLOAT = { null: "0n", inf: "0w", "-inf": "-0w" } as const;
const INT_SUFFIX: Record<number, string> = { 5: "h", 6: "i", 7: "" };

/** One payload as text. `atom`: console atom; `item`: inside a vector display; `cell`: table cell. */
function itemText(type: number, v: AtomValue, mode: ItemMode, precision: number): string {
  switch (type) {
    case 1:
      return mode === "atom" ? `${v}b` : String(v);
    case 2:
      return guidText(v as Uint8Array);
    case 4:
      return mode === "cell" ? hexByte(v as number) : `0x${hexByte(v as number)}`;
    case 5:
    case 6:
    case 7: {
      const s = numericSpecial(type, v);
      if (s === "null" && mode === "cell") return "";
      const body = s === undefined ? String(v) : SPECIAL_INT[s];
      return mode === "atom" ? body + (INT_SUFFIX[type] as string) : body;
    }
    case 8: {
      const s = numericSpecial(type, v);
      if (s === "null") return mode === "cell" ? "" : mode === "atom" ? "0Ne" : "0N";
      const body = s === undefined ? formatFloat(v as number, precision) : SPECIAL_FLOAT[s];
      return mode === "atom" ? `${body}e` : body;
    }
    case 9: {
      const s = numericSpecial(type, v);
      if (s === "null" && mode === "cell") return "";
      if (s !== undefined) return SPECIAL_FLOAT[s];
      const body = formatFloat(v as number, precision);
      return mode === "atom" && /^-?\d+$/.test(body) ? `${body}f` : body;
    }
    case 10:
      return mode === "cell" ? decodeBytes(Uint8Array.of(v as number)) : quoteBytes(Uint8Array.of(v as number));
    case 11:
      return mode === "cell" ? (v as string) : `\`${v as string}`;
    default: {
      const raw = v as number | bigint;
      if (mode === "atom") return formatTemporalAtom(type, raw);
      if (mode === "cell" && specialOf(type, raw) === "null") return "";
      return formatTemporalItem(type, raw);
    }
  }
}

function atomText(a: QAtom, precision: number): string {
  if (a.type >= ENUM_BASE) return enumText(a, precision);
  return itemText(a.type, a.v, "atom", precision);
}

/**
 * An enumeration as q shows it: `` `d$`a`b `` (its domain's name, then the items it stands for), or
 * `` `d!0 1 `` (the indices) while the domain is not there to read.
 */
function enumText(e: QAtom | QVector, precision: number): string {
  const name = enumDomain(e.type);
  if (domainList(name) === undefined)
    return `\`${name}!${compactText(e.kind === "atom" ? { ...e, type: 7 } : vectorOf(7, Array.from(e.data as Int32Array)), precision)}`;
  const items = enumValues(e);
  const text = compactText(items, precision);
  const attr = e.kind === "vector" && e.attr ? `\`${e.attr}#` : "";
  return `${attr}\`${name}$${items.kind === "vector" && count(items) === 0 ? "`symbol$()" : text}`;
}

/** Payloads of a vector as an array (long items normalised). */
function payloads(v: QVector): AtomValue[] {
  const n = count(v);
  const out = new Array<AtomValue>(n);
  for (let i = 0; i < n; i++) out[i] = vectorAt(v, i);
  return out;
}

/**
 * A vector on one line: `1 2 3i`, `010b`, `0x0102`, `"ab"`, `` `a`b ``, `,1`, `` `long$() ``.
 * `suffix` false drops the numeric type letter (i h e f), as nested cells show vectors.
 */
function vectorText(v: QVector, precision: number, suffix = true): string {
  if (v.type >= ENUM_BASE) return enumText(v, precision);
  const attr = v.attr ? `\`${v.attr}#` : "";
  const n = count(v);
  if (n === 0) return attr + (v.type === 10 ? '""' : `\`${TYPE_NAMES[v.type]}$()`);
  const lead = attr + (n === 1 ? "," : "");
  const vals = payloads(v);
  switch (v.type) {
    case 1:
      return `${lead}${vals.join("")}b`;
    case 4:
      return `${lead}0x${vals.map((b) => hexByte(b as number)).join("")}`;
    case 10:
      return lead + quoteBytes(v.data as Uint8Array);
    case 11:
      return lead + vals.map((s) => `\`${s as string}`).join("");
    default: {
      const items = vals.map((x) => itemText(v.type, x, "item", precision));
      let letter = "";
      if (v.type === 5 || v.type === 6) letter = INT_SUFFIX[v.type] as string;
      else if (v.type === 8) letter = "e";
      else if (v.type === 9) letter = items.every((s) => /^-?\d+$/.test(s)) ? "f" : "";
      else if (isTemporalType(v.type)) letter = temporalVectorSuffix(v.type, vals as (number | bigint)[]);
      if (!suffix && v.type >= 5 && v.type <= 9) letter = "";
      return lead + items.join(" ") + letter;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Functions

function functionText(v: Value, precision: number): string {
  switch (v.kind) {
    case "lambda":
      return v.source;
    case "prim":
      return kForm(v.name);
    case "iterator":
      return v.glyph;
    case "derived":
      return functionText(v.fn, precision) + v.iterator;
    case "projection": {
      // Trailing holes are implicit in q's text: `{x+y}[1]` shows as typed, `{x+y+z}[;1]` keeps its hole.
      const args = v.args.slice();
      while (args.length > 1 && args[args.length - 1] === undefined) args.pop();
      return `${functionText(v.fn, precision)}[${args.map((a) => (a === undefined ? "" : compactText(a, precision))).join(";")}]`;
    }
    case "composition":
      return `'[${v.fns.map((f) => compactText(f, precision)).join(";")}]`;
    default:
      return compactText(v, precision);
  }
}

// ---------------------------------------------------------------------------------------
// Compact (single-line) form: -3!x and .Q.s1

/** The one-line text q's `-3!x` / `.Q.s1 x` gives. */
export function compactText(v: Value, precision: number = DEFAULT_DISPLAY.precision): string {
  switch (v.kind) {
    case "atom":
      return atomText(v, precision);
    case "vector":
      return vectorText(v, precision);
    case "identity":
      return "::";
    case "list": {
      if (v.items.length === 0) return "()";
      if (v.items.length === 1) return `,${compactText(v.items[0] as Value, precision)}`;
      return `(${v.items.map((x) => compactText(x, precision)).join(";")})`;
    }
    case "dict": {
      const k = compactText(v.keys, precision);
      const wrap = k.startsWith(",") || v.keys.kind === "table" || v.keys.kind === "dict";
      return `${wrap ? `(${k})` : k}!${compactText(v.values, precision)}`;
    }
    case "table":
      return `+${compactText({ kind: "dict", keys: syms(v.columns), values: { kind: "list", items: v.data } }, precision)}`;
    default:
      return functionText(v, precision);
  }
}

// ---------------------------------------------------------------------------------------
// Cells and blocks (tables, dictionaries, matrices)

/** The cells of a column-like value: typed items in cell form, anything else compact. */
function cells(col: Value, precision: number): string[] {
  // A table shows an enumeration column's cells as the symbols they stand for.
  if (col.kind === "vector" && col.type >= ENUM_BASE) return cells(enumValues(col), precision);
  if (col.kind === "vector") return payloads(col).map((x) => itemText(col.type, x, "cell", precision));
  if (col.kind === "list") return col.items.map((x) => cellOf(x, precision));
  if (col.kind === "table" || col.kind === "dict") {
    const n = count(col);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(compactText(index(col, i), precision));
    return out;
  }
  return [cellOf(col, precision)];
}

/**
 * One nested value as a cell: compact form (atoms keep their suffix, strings their quotes),
 * except that an empty general list is blank and numeric vectors drop their type letter (`select ... by` shows `1 0 -1`, not
 * `1 0 -1i`; sp.q's int qty lists show as `300 300`).
 */
function cellOf(x: Value, precision: number): string {
  // An empty general list is a blank cell (code.kx.com/q/ref/dotq/#id: `(5#.Q.res)!5#()`).
  if (x.kind === "list" && x.items.length === 0) return "";
  return x.kind === "vector" && count(x) > 0 ? vectorText(x, precision, false) : compactText(x, precision);
}

/** Vector types shown packed, without spaces between items (`010b`, `0x0102`, `"ab"`). */
const isPacked = (x: Value): boolean => x.kind === "vector" && (x.type === 1 || x.type === 4 || x.type === 10);

/**
 * Rows of a matrix (a list of equal-length lists), aligned like a table without header, or
 * undefined when the items do not form one. Rows that are all packed vectors keep their own
 * form instead (`n=/:\:n` shows `11111b` lines, a list of strings shows quoted strings), but a
 * packed row among other rows is split into cells (`b| x y z` beside `a| 1 2 3`).
 */
function matrixRows(items: readonly Value[], precision: number): string[] | undefined {
  if (items.length < 1 || !items.every((x) => x.kind === "vector" || x.kind === "list")) return undefined;
  if (items.every(isPacked)) return undefined;
  const n = count(items[0] as Value);
  if (n < 1 || !items.every((x) => count(x) === n)) return undefined;
  const grid = items.map((x) => cells(x, precision));
  const widths: number[] = [];
  for (let j = 0; j < n; j++) widths.push(Math.max(...grid.map((r) => (r[j] as string).length)));
  return grid.map((r) => r.map((c, j) => (j < n - 1 ? c.padEnd(widths[j] as number) : c)).join(" "));
}

/** A table's text block: header, dashes, rows (all padded to the block width). */
function tableBlock(columns: readonly string[], data: readonly Value[], precision: number): string[] {
  const cols = data.map((c) => cells(c, precision));
  const widths = columns.map((name, j) => Math.max(name.length, ...(cols[j] as string[]).map((c) => c.length)));
  const rows = count(data[0] ?? { kind: "list", items: [] });
  const line = (parts: string[]): string => parts.map((p, j) => p.padEnd(widths[j] as number)).join(" ");
  const out = [line(columns.slice()), "-".repeat(widths.reduce((a, w) => a + w, 0) + Math.max(0, widths.length - 1))];
  for (let i = 0; i < rows; i++) out.push(line(cols.map((c) => c[i] as string)));
  return out;
}

/** The value rows of a dictionary: cells of a vector, matrix rows, or compact items. */
function dictValueRows(values: Value, precision: number): string[] {
  if (values.kind === "list")
    return matrixRows(values.items, precision) ?? values.items.map((x) => cellOf(x, precision));
  return cells(values, precision);
}

function dictLines(keys: Value, values: Value, precision: number): string[] {
  if (keys.kind === "table" && values.kind === "table") {
    const k = tableBlock(keys.columns, keys.data, precision);
    const v = tableBlock(values.columns, values.data, precision);
    return k.map((line, i) => `${line}| ${v[i] ?? ""}`);
  }
  if (keys.kind === "table") {
    // A table keyed to plain values (exec ... by c:c ...): the value column has no header.
    const k = tableBlock(keys.columns, keys.data, precision);
    const rows = dictValueRows(values, precision);
    const width = Math.max(0, ...rows.map((r) => r.length));
    return k.map((line, i) => `${line}| ${i === 0 ? "" : i === 1 ? "-".repeat(width) : (rows[i - 2] ?? "")}`);
  }
  const keyCells = cells(keys, precision);
  if (values.kind === "table") {
    // A dict of rows (exec ... by ...): a keyed-table layout whose key column has no name.
    const v = tableBlock(values.columns, values.data, precision);
    const width = Math.max(0, ...keyCells.map((c) => c.length));
    const head = ["".padEnd(width), "-".repeat(width), ...keyCells.map((c) => c.padEnd(width))];
    return head.map((k, i) => `${k}| ${v[i] ?? ""}`);
  }
  const valueRows = dictValueRows(values, precision);
  const width = Math.max(0, ...keyCells.map((c) => c.length));
  return keyCells.map((k, i) => `${k.padEnd(width)}| ${valueRows[i] ?? ""}`);
}

// ---------------------------------------------------------------------------------------
// Console

/**
 * The lines q shows for a value before truncation. Only what can reach the screen is
 * formatted: the first `cols` items of a vector (enough to overflow the line, so the cut
 * text is the same) and the first `rows` items or rows of lists, dictionaries and tables.
 */
function consoleLines(v: Value, settings: DisplaySettings): string[] {
  const p = settings.precision;
  const head = (x: Value, n: number): Value => (count(x) > n ? sliceValue(x, 0, n) : x);
  switch (v.kind) {
    case "identity":
      return [];
    case "vector": {
      if (count(v) <= settings.cols) return [compactText(v, p)];
      const cut = sliceValue(v, 0, settings.cols) as QVector;
      return [compactText(v.attr ? { ...cut, attr: v.attr } : cut, p)];
    }
    case "list": {
      // Even a one-item list shows its item on a line of its own (`enlist {x}[]` shows `::`).
      if (v.items.length === 0) return ["()"];
      const shown = v.items.slice(0, settings.rows);
      return matrixRows(shown, p) ?? shown.map((x) => compactText(x, p));
    }
    case "dict":
      if (count(v.keys) === 0 && v.keys.kind !== "table") return [compactText(v, p)];
      return dictLines(head(v.keys, settings.rows), head(v.values, settings.rows), p);
    case "table": {
      const t = head(v, settings.rows) as typeof v;
      return tableBlock(t.columns, t.data, p);
    }
    default:
      return [compactText(v, p)];
  }
}

/** Applies `\c`: lines longer than cols-1 end in `..`; more than rows-2 lines are cut with `..`. */
function truncate(lines: string[], settings: DisplaySettings): string[] {
  const maxLines = Math.max(1, settings.rows - 2);
  let out = lines;
  if (out.length > maxLines) out = [...out.slice(0, Math.max(0, settings.rows - 3)), ".."];
  const maxWidth = Math.max(3, settings.cols - 1);
  return out.map((l) => (l.length > maxWidth ? `${l.slice(0, maxWidth - 2)}..` : l));
}

/**
 * The full console display of a value as q prints it after evaluation (no trailing newline;
 * "" for `::`). Trailing blanks are dropped from each line.
 */
export function formatConsole(v: Value, settings: DisplaySettings = DEFAULT_DISPLAY): string {
  const lines = consoleLines(v, settings).map((l) => l.trimEnd());
  return truncate(lines, settings).join("\n");
}

/** `.Q.s x`: the console text with a newline after every line, as a q string. */
export function qDotS(v: Value, settings: DisplaySettings = DEFAULT_DISPLAY): Value {
  const text = formatConsole(v, settings);
  return str(text === "" ? "" : `${text}\n`);
}

// ---------------------------------------------------------------------------------------
// string

/** The text of one atom as q's `string` gives it: no suffix, nulls empty. */
function atomString(a: QAtom, precision: number): string {
  switch (a.type) {
    case 10:
      return decodeBytes(Uint8Array.of(a.v as number));
    case 11:
      return a.v as string;
    case 1:
    case 2:
    case 4:
      return itemText(a.type, a.v, "cell", precision);
    default:
      if (isTemporalType(a.type)) return temporalString(a.type, a.v as number | bigint);
      return itemText(a.type, a.v, "cell", precision);
  }
}

/**
 * q's `string`: an atom becomes a char vector, lists map over their items (so a string
 * becomes a list of one-char strings), dictionaries and tables map over their values,
 * functions give their display text.
 */
export function qString(v: Value, precision: number = DEFAULT_DISPLAY.precision): Value {
  switch (v.kind) {
    case "atom":
      if (v.type === 10) return { kind: "vector", type: 10, data: Uint8Array.of(v.v as number) };
      return str(atomString(v, precision));
    case "vector": {
      const n = count(v);
      const items: Value[] = [];
      for (let i = 0; i < n; i++) items.push(qString(index(v, i), precision));
      return { kind: "list", items };
    }
    case "list":
      return { kind: "list", items: v.items.map((x) => qString(x, precision)) };
    case "dict":
      return { kind: "dict", keys: v.keys, values: qString(v.values, precision) };
    case "table":
      return { kind: "table", columns: v.columns, data: v.data.map((c) => qString(c, precision)) };
    case "identity":
      return str("");
    default:
      return str(functionText(v, precision));
  }
}

// ---------------------------------------------------------------------------------------
// .Q.f and .Q.fmt

/** `.Q.f[d;x]`: x with d decimals, no exponent below 1e15 ("" for null). */
export function qDotF(decimals: number, x: number): string {
  if (Number.isNaN(x)) return "";
  if (x < 0) return `-${qDotF(decimals, -x)}`;
  if (x < 1) return qDotF(decimals, 10 + x).slice(1);
  const scaled = Math.round(x * 10 ** decimals);
  if (!(scaled < 9e15)) return formatFloat(x, DEFAULT_DISPLAY.precision);
  const digits = String(scaled);
  if (decimals <= 0) return `${digits}.`;
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** `.Q.fmt[w;d;x]`: `.Q.f[d;x]` right-aligned in w characters, or w stars if it does not fit. */
export function qDotFmt(width: number, decimals: number, x: number): string {
  const s = qDotF(decimals, x);
  return s.length > width ? "*".repeat(width) : s.padStart(width);
}
