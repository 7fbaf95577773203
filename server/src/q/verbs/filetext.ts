// `0:` and `1:` on values in memory (code.kx.com/q/ref/file-text, /ref/file-binary): the
// forms that turn a table into delimited text, parse delimited, fixed-width or key-value text
// held in strings, and read binary records from a byte or char vector. The forms whose left
// or right argument is a file handle (`` `:f 0: lines ``, `` ("SS";",")0:`:f ``) touch the file
// system, which the sandbox does not offer: they signal 'nyi like every other file verb here.

import { raise } from "../errors";
import { qString } from "../format";
import {
  atom,
  count,
  decodeBytes,
  index,
  items,
  list,
  rawList,
  str,
  syms,
  table,
  textOf,
  typeFromChar,
  type Value,
  type VerbDef,
  vectorOf,
} from "../values";
import { parsePayload } from "./cast";
import { glyph } from "./define";

const isString = (v: Value): boolean => v.kind === "vector" && v.type === 10;
const isCharAtom = (v: Value): boolean => v.kind === "atom" && v.type === 10;

// ---------------------------------------------------------------------------------------------
// Prepare text: delimiter 0: table (or list of columns)

/** One cell as text; a cell that holds the delimiter or a newline is quoted, its quotes doubled. */
function cellText(v: Value, delim: string, precision: number): string {
  let text: string;
  if (isString(v) || isCharAtom(v)) text = textOf(v);
  else if (v.kind === "atom") text = textOf(qString(v, precision));
  else return raise("type");
  return text.includes(delim) || text.includes("\n") ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `d 0: t`: the lines of a table (with a header) or a list of columns, cells joined by d. */
export function prepareText(delim: string, y: Value, precision: number): Value {
  let header: string[] | undefined;
  let columns: Value[];
  if (y.kind === "table") {
    header = [...y.columns];
    columns = [...y.data];
  } else if (y.kind === "dict" && y.keys.kind === "table" && y.values.kind === "table") {
    header = [...y.keys.columns, ...y.values.columns];
    columns = [...y.keys.data, ...y.values.data];
  } else if (y.kind === "list" || y.kind === "vector") columns = items(y);
  else return raise("type");
  const rows = columns.length === 0 ? 0 : count(columns[0]!);
  const lines: Value[] = header === undefined ? [] : [str(header.join(delim))];
  for (let r = 0; r < rows; r++)
    lines.push(str(columns.map((c) => cellText(index(c, r), delim, precision)).join(delim)));
  return list(lines);
}

// ---------------------------------------------------------------------------------------------
// Load delimited or fixed-width text: (types;delimiter) 0: strings

/** Splits a record at the delimiter outside double quotes; quoted fields lose their quotes. */
function splitRecord(line: string, delim: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  let atStart = true;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && atStart) {
      quoted = true;
      atStart = false;
    } else if (c === delim) {
      out.push(field);
      field = "";
      atStart = true;
    } else {
      field += c;
      atStart = false;
    }
  }
  out.push(field);
  return out;
}

/** Splits at sep where it is not inside double quotes; the quotes stay in the pieces. */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === sep && !quoted) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** A field parsed as the type letter says: `*` keeps the text, upper-case letters parse it. */
function parseField(letter: string, text: string): Value {
  if (letter === "*") return str(text);
  const t = typeFromChar(letter.toLowerCase());
  if (t === 10) return text.length === 1 ? atom(10, text.charCodeAt(0)) : str(text);
  if (t === 11) return atom(11, text.trim());
  return atom(t, parsePayload(t, text.trim()));
}

/** A column from its parsed fields: a vector for atoms of one type, else a general list. */
function column(letter: string, fields: Value[]): Value {
  if (letter === "*") return rawList(fields);
  return list(fields);
}

function loadText(spec: Value, y: Value): Value {
  const parts = items(spec);
  const typeSpec = parts[0] ?? raise("type");
  if (typeSpec.kind !== "atom" && typeSpec.kind !== "vector") return raise("type");
  if (typeSpec.type !== 10) return raise("type");
  const types = textOf(typeSpec);
  const how = parts[1] ?? raise("type");
  let records: string[];
  let single = false;
  if (isString(y)) {
    records = [textOf(y)];
    single = true;
  } else if (y.kind === "list" && y.items.every(isString)) records = y.items.map(textOf);
  else if (y.kind === "list" && y.items.length === 0) records = [];
  else return raise("type");
  // Fixed width: the second item gives each field's width.
  let split: (line: string) => string[];
  let header = false;
  if ((how.kind === "vector" || how.kind === "atom") && how.type >= 5 && how.type <= 7) {
    const widths = how.kind === "atom" ? [Number(how.v)] : Array.from(how.data as ArrayLike<number | bigint>, Number);
    split = (line) => {
      let at = 0;
      return widths.map((w) => line.slice(at, (at += w)));
    };
  } else {
    if ((how.kind !== "atom" && how.kind !== "vector") || how.type !== 10) return raise("type");
    header = how.kind === "vector";
    const delim = textOf(how);
    if (delim.length !== 1) return raise("type");
    split = (line) => splitRecord(line, delim);
  }
  const rows = records.map(split);
  const names = header ? (rows.shift() ?? []) : [];
  const cols: Value[] = [];
  const colNames: string[] = [];
  for (let c = 0; c < types.length; c++) {
    const letter = types[c]!;
    if (letter === " ") continue;
    const fields = rows.map((r) => parseField(letter, r[c] ?? ""));
    cols.push(single ? fields[0]! : column(letter, fields));
    colNames.push((names[c] ?? "").trim());
  }
  return header ? table(colNames, cols) : rawList(cols);
}

// ---------------------------------------------------------------------------------------------
// Key-value pairs: "S=;" 0: "a=1;b=2"

function keyValues(spec: string, text: string): Value {
  const keyType = spec[0]!;
  const kv = spec[1] ?? raise("length");
  const quoted = spec[2] === "*";
  const sep = (quoted ? spec[3] : spec[2]) ?? raise("length");
  const records = quoted ? splitOutsideQuotes(text, sep) : text.split(sep);
  const keys: string[] = [];
  const vals: Value[] = [];
  for (const r of records) {
    if (r === "") continue;
    const at = r.indexOf(kv);
    const k = at < 0 ? r : r.slice(0, at);
    let v = at < 0 ? "" : r.slice(at + 1);
    if (quoted && v.startsWith('"') && v.endsWith('"') && v.length > 1) v = v.slice(1, -1);
    keys.push(k);
    vals.push(str(v));
  }
  const t = typeFromChar(keyType.toLowerCase());
  const keyList =
    t === 11
      ? syms(keys)
      : vectorOf(
          t,
          keys.map((k) => parsePayload(t, k)),
        );
  return rawList([keyList, rawList(vals)]);
}

function zeroColon(x: Value, y: Value, precision: number): Value {
  if (isCharAtom(x)) return prepareText(textOf(x), y, precision);
  if (isString(x) && isString(y)) return keyValues(textOf(x), textOf(y));
  if ((x.kind === "list" && x.items.length >= 2) || (x.kind === "vector" && x.type !== 10)) return loadText(x, y);
  return raise("nyi");
}

// ---------------------------------------------------------------------------------------------
// Binary records: (types;widths) 1: bytes

/** Reads one item of the type letter from `width` bytes (little- or big-endian). */
function binaryItem(letter: string, bytes: Uint8Array, big: boolean): Value | string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = !big;
  switch (letter) {
    case "b":
      return atom(1, bytes[0] ? 1 : 0);
    case "x":
      return atom(4, bytes[0]!);
    case "c":
      return atom(10, bytes[0]!);
    case "h":
      return atom(5, view.getInt16(0, le));
    case "i":
      return atom(6, view.getInt32(0, le));
    case "j":
      return atom(7, view.getBigInt64(0, le));
    case "e":
      return atom(8, view.getFloat32(0, le));
    case "f":
      return atom(9, view.getFloat64(0, le));
    case "*":
      return decodeBytes(bytes);
    default:
      return raise("type");
  }
}

function oneColon(x: Value, y: Value): Value {
  const parts = items(x);
  if (parts.length !== 2) return raise("type");
  // Types first reads little-endian; widths first, big-endian.
  const big = !isString(parts[0]!);
  const types = textOf(big ? parts[1]! : parts[0]!);
  const widthsV = big ? parts[0]! : parts[1]!;
  const widths = Array.from({ length: count(widthsV) }, (_, i) => Number((index(widthsV, i) as { v: number }).v));
  if (widths.length !== types.length) return raise("length");
  const bytes = y.kind === "vector" && (y.type === 4 || y.type === 10) ? (y.data as Uint8Array) : raise("type");
  const recordWidth = widths.reduce((a, b) => a + b, 0);
  if (recordWidth === 0) return raise("length");
  const n = Math.floor(bytes.length / recordWidth);
  const cols: Value[] = [];
  let offset = 0;
  for (let c = 0; c < types.length; c++) {
    const w = widths[c]!;
    const got: (Value | string)[] = [];
    for (let r = 0; r < n; r++) {
      const at = r * recordWidth + offset;
      got.push(binaryItem(types[c]!, bytes.subarray(at, at + w), big));
    }
    offset += w;
    cols.push(types[c] === "*" ? str((got as string[]).join("")) : list(got as Value[]));
  }
  return rawList(cols);
}

export const FILE_TEXT_VERBS: VerbDef[] = [
  glyph(
    "0:",
    [
      'Text in memory: a delimiter prepares a table as delimited lines; (types;delimiter) or (types;widths) parses lines; "S=;" parses key=value pairs.',
      ["d 0: t", '("IS";",") 0: lines', '"S=;" 0: text'],
      '"|" 0: (`a`b;1 2)  → ("a|1";"b|2")',
    ],
    { dyadic: (x, y, ctx) => zeroColon(x, y, ctx.settings.precision) },
  ),
  glyph(
    "1:",
    [
      "Binary records: (types;widths) reads little-endian items from bytes or chars; (widths;types) big-endian.",
      ['("ih";4 2) 1: bytes'],
      '(enlist"i";enlist 4) 1: 0x01000000  → ,,1i',
    ],
    { dyadic: (x, y) => oneColon(x, y) },
  ),
];
