// Values to text and back: `string`, the console text as a string (`.Q.s`), the one-line
// form (`.Q.s1`, also what `-3!` returns), fixed-point number formatting (`.Q.f`, `.Q.fmt`)
// and JSON (`.j.j` serialises, `.j.k` parses). The display rules themselves live in
// format.ts; this file adapts them to verb signatures and adds JSON.
//
// JSON follows q's mapping: numbers are floats on the way in; symbols and strings become
// JSON strings, booleans true/false, dictionaries objects, tables arrays of objects, null
// floats `null` and infinite floats `inf`/`-inf` on the way out; temporal values become
// ISO-style strings (2024-01-15, 2024-01-15T12:00:00.000000000).

import { raise } from "../errors";
import { compactText, DEFAULT_DISPLAY, formatFloat, qDotF, qDotFmt, qDotS, qString } from "../format";
import { formatTemporalItem, specialOf } from "../temporal";
import {
  bool,
  count,
  decodeBytes,
  dict,
  EMPTY_LIST,
  type EvalContext,
  float,
  index,
  isTemporalType,
  list,
  str,
  syms,
  table,
  textOf,
  type Value,
  type VerbDef,
} from "../values";

// ---------------------------------------------------------------------------------------------
// Numbers from q values

function numberOf(v: Value): number {
  if (v.kind !== "atom" || typeof v.v === "string" || v.v instanceof Uint8Array) return raise("type");
  if (typeof v.v === "bigint") return specialOf(12, v.v) === "null" ? Number.NaN : Number(v.v);
  if ((v.type === 6 && v.v === -2147483648) || (v.type === 5 && v.v === -32768)) return Number.NaN;
  return v.v;
}

// ---------------------------------------------------------------------------------------------
// JSON out

function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (c < 32) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** ISO-style text of a temporal item: dots in the date become dashes, D becomes T. */
function isoTemporal(type: number, raw: number | bigint): string {
  const text = formatTemporalItem(type, raw);
  if (type === 12 || type === 14 || type === 15 || type === 13) {
    return text
      .replace(/^(\d{4})\.(\d\d)(?:\.(\d\d))?/, (_m, y, m, d) => (d ? `${y}-${m}-${d}` : `${y}-${m}`))
      .replace("D", "T");
  }
  return text;
}

function jsonAtom(v: Extract<Value, { kind: "atom" }>, precision: number, null0w: boolean): string {
  switch (v.type) {
    case 1:
      return v.v ? "true" : "false";
    case 10:
      return jsonString(decodeBytes(Uint8Array.of(v.v as number)));
    case 11:
      return jsonString(v.v as string);
    case 8:
    case 9: {
      const f = v.v as number;
      if (Number.isNaN(f)) return "null";
      if (!Number.isFinite(f)) return null0w ? "null" : f > 0 ? "inf" : "-inf";
      return formatFloat(f, precision);
    }
    default: {
      if (isTemporalType(v.type)) {
        return specialOf(v.type, v.v as number | bigint) === "null"
          ? "null"
          : jsonString(isoTemporal(v.type, v.v as number | bigint));
      }
      const n = numberOf(v);
      return Number.isNaN(n) ? "null" : String(v.v);
    }
  }
}

/** `.j.j x`: JSON text of a q value; with null0w (`.j.jd` option) infinite floats become null. */
export function toJson(v: Value, precision: number = DEFAULT_DISPLAY.precision, null0w = false): string {
  switch (v.kind) {
    case "atom":
      return jsonAtom(v, precision, null0w);
    case "vector":
      if (v.type === 10) return jsonString(textOf(v));
      return `[${Array.from({ length: count(v) }, (_, i) => toJson(index(v, i), precision, null0w)).join(",")}]`;
    case "list":
      return `[${v.items.map((x) => toJson(x, precision, null0w)).join(",")}]`;
    case "dict": {
      const n = count(v.keys);
      const parts: string[] = [];
      for (let i = 0; i < n; i++) {
        const k = index(v.keys, i);
        const key = k.kind === "atom" && k.type === 11 ? (k.v as string) : textOf(qString(k, precision));
        parts.push(`${jsonString(key)}:${toJson(index(v.values, i), precision, null0w)}`);
      }
      return `{${parts.join(",")}}`;
    }
    case "table": {
      const n = count(v);
      return `[${Array.from({ length: n }, (_, i) => toJson(index(v, i), precision, null0w)).join(",")}]`;
    }
    case "identity":
      return "null";
    default:
      return jsonString(textOf(qString(v, precision)));
  }
}

/** A boolean option of `.j.jd`'s dictionary (also accepted as a one-row keyed literal `([null0w:1b])`). */
function jsonOption(opts: Value, name: string): boolean {
  if (opts.kind !== "dict") return false;
  let v: Value | undefined;
  if (opts.keys.kind === "vector" && opts.keys.type === 11) {
    const i = (opts.keys.data as string[]).indexOf(name);
    if (i >= 0) v = index(opts.values, i);
  } else if (opts.keys.kind === "table") {
    const c = opts.keys.columns.indexOf(name);
    if (c >= 0 && count(opts.keys) > 0) v = index(opts.keys.data[c]!, 0);
  }
  return v !== undefined && v.kind === "atom" && v.v === 1;
}

// ---------------------------------------------------------------------------------------------
// JSON in

/** Converts parsed JSON to q: numbers float, arrays normalised to vectors where uniform. */
function fromJs(x: unknown): Value {
  if (x === null) return float(Number.NaN);
  if (typeof x === "number") return float(x);
  if (typeof x === "boolean") return bool(x);
  if (typeof x === "string") return str(x);
  if (Array.isArray(x)) {
    if (x.length === 0) return EMPTY_LIST;
    const items = x.map(fromJs);
    // An array of objects with the same keys in the same order is a table.
    if (items.every((it) => it.kind === "dict")) {
      const first = JSON.stringify(Object.keys(x[0] as object));
      if (x.every((o) => JSON.stringify(Object.keys(o as object)) === first)) {
        const cols = Object.keys(x[0] as object);
        return table(
          cols,
          cols.map((c) => list(x.map((o) => fromJs((o as Record<string, unknown>)[c])))),
        );
      }
    }
    return list(items);
  }
  const obj = x as Record<string, unknown>;
  const keys = Object.keys(obj);
  return dict(syms(keys), keys.length ? list(keys.map((k) => fromJs(obj[k]))) : EMPTY_LIST);
}

/** `.j.k s`: parses JSON text; malformed text raises 'parse. */
export function fromJson(text: string): Value {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return raise("parse");
  }
  return fromJs(parsed);
}

// ---------------------------------------------------------------------------------------------
// Verb records

const precisionOf = (ctx: EvalContext): number => ctx.settings.precision;

/** Applies a number formatter to an atom or each item of a list, giving a string or strings. */
function eachNumber(x: Value, f: (n: number) => string, tick?: () => void): Value {
  if (x.kind === "atom") return str(f(numberOf(x)));
  if (x.kind === "vector" || x.kind === "list") {
    // A long list checks the session's limits as it goes (a step over its time stops).
    return list(
      Array.from({ length: count(x) }, (_, i) => {
        tick?.();
        return eachNumber(index(x, i), f, tick);
      }),
    );
  }
  return raise("type");
}

const intArg = (v: Value): number => {
  const n = numberOf(v);
  return Number.isInteger(n) ? n : raise("type");
};

export const TEXT_VERBS: VerbDef[] = [
  {
    name: "string",
    kind: "keyword",
    monadic: (x, ctx) => qString(x, precisionOf(ctx)),
    doc: {
      summary: "Text of a value: atoms become strings, lists give a string per item, functions their source.",
      forms: ["string x"],
      example: 'string 42  → "42"',
    },
  },
  {
    name: ".Q.s",
    kind: "keyword",
    monadic: (x, ctx) => qDotS(x, ctx.settings),
    doc: {
      summary: "The console display of a value as a string, each line ending in a newline.",
      forms: [".Q.s x"],
      example: '.Q.s 1 2  → "1 2\\n"',
    },
  },
  {
    name: ".Q.s1",
    kind: "keyword",
    monadic: (x, ctx) => str(compactText(x, precisionOf(ctx))),
    doc: {
      summary: "The one-line text form of a value (the same as -3!x).",
      forms: [".Q.s1 x"],
      example: '.Q.s1 `a`b!1 2  → "`a`b!1 2"',
    },
  },
  {
    name: ".Q.f",
    kind: "keyword",
    dyadic: (x, y, ctx) => eachNumber(y, (n) => qDotF(intArg(x), n), ctx.tick),
    doc: {
      summary: "Format a number with a fixed count of decimal places, without exponent.",
      forms: [".Q.f[d;x]"],
      example: '.Q.f[2;3.14159]  → "3.14"',
    },
  },
  {
    name: ".Q.fmt",
    kind: "keyword",
    nary: (args, ctx) => (args.length === 3 ? dotQFmt(args[0]!, args[1]!, args[2]!, ctx?.tick) : raise("rank")),
    valence: 3,
    doc: {
      summary: "Format a number right-aligned in a width with fixed decimals; stars when it does not fit.",
      forms: [".Q.fmt[w;d;x]"],
      example: '.Q.fmt[6;2;1]  → "  1.00"',
    },
  },
  {
    name: ".j.j",
    kind: "keyword",
    monadic: (x, ctx) => str(toJson(x, precisionOf(ctx))),
    doc: {
      summary: "Serialise a value as JSON text.",
      forms: [".j.j x"],
      example: '.j.j `a`b!1 2  → "{\\"a\\":1,\\"b\\":2}"',
    },
  },
  {
    name: ".j.jd",
    kind: "keyword",
    monadic: (x, ctx) => {
      if (x.kind !== "list" || x.items.length !== 2) return raise("type");
      const [v, opts] = x.items as [Value, Value];
      return str(toJson(v, precisionOf(ctx), jsonOption(opts, "null0w")));
    },
    doc: {
      summary: "Serialise a value as JSON with options (null0w: infinite floats as null).",
      forms: [".j.jd (x;opts)"],
      example: '.j.jd (0w 1f;(enlist`null0w)!enlist 1b)  → "[null,1]"',
    },
  },
  {
    name: ".j.k",
    kind: "keyword",
    monadic: (x) => fromJson(x.kind === "vector" && x.type === 10 ? textOf(x) : raise("type")),
    doc: {
      summary: "Parse JSON text: numbers become floats, objects dictionaries, arrays of like objects tables.",
      forms: [".j.k s"],
      example: '.j.k "[1,2]"  → 1 2f',
    },
  },
];

/** `.Q.fmt[w;d;x]`: its three-argument application. */
export function dotQFmt(w: Value, d: Value, x: Value, tick?: () => void): Value {
  return eachNumber(x, (n) => qDotFmt(intArg(w), intArg(d), n), tick);
}
