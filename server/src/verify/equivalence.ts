/**
 * Deterministic output equivalence (no LLM), replacing the original
 * pipeline's "ask a model whether these match" step.
 *
 * Order, as the original: (1) exact match after trimming; (2) match after
 * stripping one pair of surrounding quotes from each side; (3) both sides
 * read as values (literals.ts: Python literal or q display, whichever parses;
 * text that is neither is a bare string, like Python's print of a str) and
 * compared structurally:
 * - numbers: equal when |a-b| <= max(1e-9, 1e-6 * max(|a|,|b|)) (absolute
 *   1e-9, relative 1e-6), so `42.0` ≡ `42f` and `2.00000` ≡ `2f`; integers of
 *   any q width compare as numbers (`125` ≡ `125i`); infinities by sign;
 * - booleans equal booleans, and 0/1 (`1b` ≡ `True` ≡ `1`);
 * - strings equal strings whatever the notation: q symbol ≡ q string ≡
 *   Python str; a list of one-character strings ≡ the joined string
 *   (q's char list vs Python's list of chars);
 * - lists (Python list/tuple/set, q vector or general list) item by item;
 *   all empty list forms are equal to each other and to an empty string;
 * - dicts by key (order ignored); null ≡ None ≡ q typed nulls and `::`.
 * A mismatch carries a precise reason with the path of the first difference.
 */
import { type OutValue, parseOutput, showValue } from "./literals";

export const ABS_TOLERANCE = 1e-9;
export const REL_TOLERANCE = 1e-6;

export interface Comparison {
  equal: boolean;
  /** Which rule decided: "exact", "unquoted", "value", or "mismatch". */
  rule: "exact" | "unquoted" | "value" | "mismatch";
  reason?: string;
}

const normalise = (s: string): string => s.replace(/\r\n?/g, "\n").trim();

function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0] ? s.slice(1, -1) : s;
}

function numbersClose(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= Math.max(ABS_TOLERANCE, REL_TOLERANCE * Math.max(Math.abs(a), Math.abs(b)));
}

/** A list made only of one-character strings, read as the string they spell (else undefined). */
function charsOf(v: OutValue): string | undefined {
  if (v.t !== "list" || v.items.length === 0) return undefined;
  let out = "";
  for (const x of v.items) {
    if (x.t !== "str" || [...x.v].length !== 1) return undefined;
    out += x.v;
  }
  return out;
}

const isEmpty = (v: OutValue): boolean => (v.t === "list" && v.items.length === 0) || (v.t === "str" && v.v === "");

/** Structural comparison; returns undefined when equal, else the reason (prefixed with the path). */
export function compareValues(expected: OutValue, actual: OutValue, path = ""): string | undefined {
  const where = path === "" ? "" : `${path}: `;
  const differ = (): string => `${where}expected ${showValue(expected)}, got ${showValue(actual)}`;
  if (isEmpty(expected) && isEmpty(actual)) return undefined;
  if (expected.t === "bool" || actual.t === "bool") {
    const asNum = (v: OutValue): number | undefined =>
      v.t === "bool" ? (v.v ? 1 : 0) : v.t === "num" ? v.v : undefined;
    const a = asNum(expected);
    const b = asNum(actual);
    return a !== undefined && b !== undefined && a === b ? undefined : differ();
  }
  if (expected.t === "num" && actual.t === "num") return numbersClose(expected.v, actual.v) ? undefined : differ();
  if (expected.t === "null" || actual.t === "null") return expected.t === actual.t ? undefined : differ();
  const es = expected.t === "str" ? expected.v : charsOf(expected);
  const as = actual.t === "str" ? actual.v : charsOf(actual);
  if ((expected.t === "str" || actual.t === "str") && es !== undefined && as !== undefined) {
    return es === as ? undefined : differ();
  }
  if (expected.t === "list" && actual.t === "list") {
    if (expected.items.length !== actual.items.length) {
      return `${where}length ${expected.items.length} vs ${actual.items.length} (expected ${showValue(expected)}, got ${showValue(actual)})`;
    }
    for (let k = 0; k < expected.items.length; k++) {
      const r = compareValues(expected.items[k]!, actual.items[k]!, path === "" ? `item ${k}` : `${path}, item ${k}`);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  if (expected.t === "dict" && actual.t === "dict") {
    if (expected.keys.length !== actual.keys.length) {
      return `${where}dict size ${expected.keys.length} vs ${actual.keys.length}`;
    }
    for (let k = 0; k < expected.keys.length; k++) {
      const key = expected.keys[k]!;
      const j = actual.keys.findIndex((x) => compareValues(key, x) === undefined);
      if (j < 0) return `${where}key ${showValue(key)} missing`;
      const r = compareValues(
        expected.values[k]!,
        actual.values[j]!,
        `${path === "" ? "" : `${path}, `}key ${showValue(key)}`,
      );
      if (r !== undefined) return r;
    }
    return undefined;
  }
  return `${where}expected ${describe(expected)} ${showValue(expected)}, got ${describe(actual)} ${showValue(actual)}`;
}

function describe(v: OutValue): string {
  return { null: "null", bool: "boolean", num: "number", str: "string", list: "list", dict: "dict" }[v.t];
}

/** Compares an expected output text with an actual one (either may be q display or Python literal text). */
export function compareOutputs(expectedText: string, actualText: string): Comparison {
  const e = normalise(expectedText);
  const a = normalise(actualText);
  if (e === a) return { equal: true, rule: "exact" };
  if (unquote(e) === unquote(a)) return { equal: true, rule: "unquoted" };
  // Text that is neither notation is a bare string, as Python's print(str) writes one.
  const ev = parseOutput(e) ?? { t: "str", v: e };
  const av = parseOutput(a) ?? { t: "str", v: a };
  const reason = compareValues(ev, av);
  return reason === undefined ? { equal: true, rule: "value" } : { equal: false, rule: "mismatch", reason };
}
