/**
 * The judge: deterministic output equivalence (no LLM), replacing the
 * original pipeline's "ask a model whether these match" step.
 *
 * JUDGE_RULES below is the one source of truth for what the judge accepts:
 * the README's "Verification rules" list is that table's text (a unit test
 * compares them), and every rule carries pairs it must accept and pairs it
 * must reject (the unit tests run both). Change a rule here, bump
 * JUDGE_VERSION (it is part of every verification-cache key, so no cached
 * verdict outlives the rules that gave it), and update the README.
 *
 * Order: (1) an empty side is never a value; (2) identical text; (3) one pair
 * of surrounding quotes stripped; (4) both sides read as values
 * (literals.ts: Python literal or q display, whichever parses; text that is
 * neither is a bare string) and compared structurally, each kind by its own
 * rule. A mismatch carries a reason with the path of the first difference.
 */
import { type OutValue, parseOutput, showValue } from "./literals";

/** Bumped whenever a rule changes: part of every verification-cache key. */
export const JUDGE_VERSION = 3;

export const ABS_TOLERANCE = 1e-9;
export const REL_TOLERANCE = 1e-6;

export interface JudgeRule {
  id: string;
  /** The README line (Markdown). */
  text: string;
  /** [expected, actual] pairs this rule makes equal. */
  accepts: [string, string][];
  /** [expected, actual] pairs this rule keeps apart. */
  rejects: [string, string][];
  /** For a rule that applies only to tests with a tolerance: the one its pairs are judged with. */
  absTolerance?: number;
}

export const JUDGE_RULES: readonly JudgeRule[] = [
  {
    id: "empty-output",
    text: "An empty output is never a value: it matches nothing, not `[]`, not `()`, not an empty expected answer.",
    accepts: [["[]", "()"]],
    rejects: [
      ["[]", ""],
      ["", ""],
      ['""', " \n"],
    ],
  },
  {
    id: "exact-text",
    text: "Identical text matches (line ends normalised, surrounding whitespace trimmed).",
    accepts: [[" 2020.01.01\r\n", "2020.01.01"]],
    rejects: [["2020.01.01", "2020.01.02"]],
  },
  {
    id: "unquoted",
    text: 'One pair of surrounding quotes is ignored on either side (`"hello world"` ≡ `hello world`).',
    accepts: [['"hello world"', "hello world"]],
    rejects: [['"hello world"', "hello  world"]],
  },
  {
    id: "notation",
    text: "Otherwise both sides are read as values, in q display or Python literal notation, whichever parses; text that is neither is a plain string (`1 2 3` ≡ `[1, 2, 3]`).",
    accepts: [
      ["[1, 2, 3]", "1 2 3"],
      ["abc", "`abc"],
    ],
    rejects: [["hello world", "`hello"]],
  },
  {
    id: "integers",
    text: "Integers compare exactly at any size (no tolerance, no rounding through doubles); q's integer widths are the same value (`125` ≡ `125i`, `1000000000` ≢ `999999999`).",
    accepts: [
      ["125", "125i"],
      ["[9007199254740993]", ",9007199254740993"],
      ["0x0102", "[1, 2]"],
    ],
    rejects: [
      ["1000000000", "999999999"],
      ["[9007199254740993]", ",9007199254740992"],
    ],
  },
  {
    id: "integer-vs-float",
    text: "An expected integer matches a float only when the float is exactly that integer (`3` ≡ `3f`, `3` ≢ `3.0000001`).",
    accepts: [["3", "3f"]],
    rejects: [
      ["3", "3.0000001"],
      ["1000000000", "999999999.9"],
    ],
  },
  {
    id: "floats",
    text: "An expected float allows 1e-9 absolute or 1e-6 relative difference (`0.3333333` ≡ `0.3333333333333333`, `42.0` ≡ `42f`); an integer output is read as its float.",
    accepts: [
      ["0.3333333333333333", "0.3333333"],
      ["42.0", "42f"],
      ["[1.0, 2.0]", "1 2f"],
      ["2.0", "2"],
    ],
    rejects: [
      ["1.0", "1.00001"],
      ["2.5", "2.6"],
    ],
  },
  {
    id: "infinities",
    text: "Infinities match by sign (`0w` ≡ `inf`, `-0w` ≡ `-inf`).",
    accepts: [
      ["inf", "0w"],
      ["-inf", "-0w"],
    ],
    rejects: [["inf", "-0w"]],
  },
  {
    id: "booleans",
    text: "Booleans match booleans and the integers 0 and 1, exactly (`1b` ≡ `True`, `010b` ≡ `[0, 1, 0]`, `1b` ≢ `2`).",
    accepts: [
      ["True", "1b"],
      ["[0, 1, 0]", "010b"],
    ],
    rejects: [
      ["True", "0b"],
      ["True", "2"],
      ["True", "1f"],
    ],
  },
  {
    id: "strings",
    text: "Strings compare exactly whatever the notation: q symbol ≡ q string ≡ Python str, and a list of one-character strings ≡ the string it spells (`` `abc `` ≡ `\"abc\"` ≡ `'abc'` ≡ `['a', 'b', 'c']`).",
    accepts: [
      ["'abc'", "`abc"],
      ["['a', 'b', 'c']", '"abc"'],
      ["['ab', 'cd']", '("ab";"cd")'],
    ],
    rejects: [
      ["'abc'", "`abd"],
      ["'abc'", "`ABC"],
      ["'abc '", "`abc"],
    ],
  },
  {
    id: "lists",
    text: "Lists (Python list, tuple or set; q vector or general list, one per line or on one line) match item by item, same length, same order (`,1` ≡ `[1]`).",
    accepts: [
      ["[1]", ",1"],
      ["[[1, 2], [3, 4]]", "1 2\n3 4"],
      ["(-5, -6)", "-5 -6"],
    ],
    rejects: [
      ["[1, 2]", "2 1"],
      ["[1, 2, 3]", "1 2 3 4"],
      ["[1]", "1"],
    ],
  },
  {
    id: "empty-lists",
    text: 'Every empty list form matches every other and the empty string (`()` ≡ `` `long$() `` ≡ `""` ≡ `[]`).',
    accepts: [
      ["[]", "`long$()"],
      ["[]", '""'],
    ],
    rejects: [
      ["[]", ",0"],
      ["[]", "0"],
    ],
  },
  {
    id: "dicts",
    text: "Dicts match key by key, key order ignored (`` `a`b!1 2 `` ≡ `{'b': 2, 'a': 1}`).",
    accepts: [
      ["{'b': 2, 'a': 1}", "`a`b!1 2"],
      ["{'a': 1, 'bb': 2}", "a| 1\nbb| 2"],
    ],
    rejects: [
      ["{'a': 1}", "b| 1"],
      ["{'a': 1}", "a| 2"],
    ],
  },
  {
    id: "nulls",
    text: "By design, q's nulls (`::`, `0N`, `0n`, `0Ni`, …) and Python's `None` (and `nan`) are one null, which matches only a null: a q function with nothing to return gives `::` where Python returns `None`.",
    accepts: [
      ["None", "::"],
      ["None", "0N"],
      ["[1, None, 3]", "1 0N 3"],
    ],
    rejects: [
      ["None", "0"],
      ["None", "()"],
    ],
  },
  {
    id: "abs-tolerance",
    text: "A test with its own absolute tolerance (entry.json `abs_tolerance`, test number → tolerance, kept from HumanEval's `abs(x - y) < t` asserts) also matches a number, or a list of numbers item by item, closer than that to the expected one.",
    absTolerance: 1e-3,
    accepts: [
      ["0.5", "0.5004"],
      ["[1.0, 2.0]", "1.0003 1.9998"],
    ],
    rejects: [
      ["0.5", "0.502"],
      ["[1.0, 2.0]", "1.0003 2.01"],
      ["[1.0, 2.0]", "1.0003"],
    ],
  },
];

export interface Comparison {
  equal: boolean;
  /** Which step decided: "exact", "unquoted", "value", "tolerance" (the test's own), or "mismatch". */
  rule: "exact" | "unquoted" | "value" | "tolerance" | "mismatch";
  reason?: string;
}

const normalise = (s: string): string => s.replace(/\r\n?/g, "\n").trim();

function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0] ? s.slice(1, -1) : s;
}

/** Tolerance applies only because the expected value is a float. */
function floatsClose(expected: number, actual: number): boolean {
  if (expected === actual) return true;
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return false;
  const scale = Math.max(Math.abs(expected), Math.abs(actual));
  return Math.abs(expected - actual) <= Math.max(ABS_TOLERANCE, REL_TOLERANCE * scale);
}

/** An integer and a float are equal only when the float is exactly that integer. */
function intEqualsFloat(i: bigint, f: number): boolean {
  return Number.isInteger(f) && BigInt(f) === i;
}

function numbersEqual(expected: OutValue, actual: OutValue): boolean | undefined {
  if (expected.t === "int") {
    if (actual.t === "int") return expected.v === actual.v;
    if (actual.t === "float") return intEqualsFloat(expected.v, actual.v);
    return undefined;
  }
  if (expected.t === "float") {
    if (actual.t === "float") return floatsClose(expected.v, actual.v);
    if (actual.t === "int") return floatsClose(expected.v, Number(actual.v));
  }
  return undefined;
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
    // Exactly: a boolean and the integer of the same truth value, never a float or another integer.
    const bit = (v: OutValue): bigint | undefined =>
      v.t === "bool" ? (v.v ? 1n : 0n) : v.t === "int" && (v.v === 0n || v.v === 1n) ? v.v : undefined;
    const a = bit(expected);
    const b = bit(actual);
    return a !== undefined && a === b ? undefined : differ();
  }
  const numeric = numbersEqual(expected, actual);
  if (numeric !== undefined) return numeric ? undefined : differ();
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
  return { null: "null", bool: "boolean", int: "integer", float: "float", str: "string", list: "list", dict: "dict" }[
    v.t
  ];
}

/** Numbers closer than `tol`, lists of them item by item. */
function withinTolerance(e: OutValue, a: OutValue, tol: number): boolean {
  const num = (v: OutValue) => (v.t === "float" ? v.v : v.t === "int" ? Number(v.v) : undefined);
  const x = num(e);
  const y = num(a);
  if (x !== undefined && y !== undefined) return Math.abs(x - y) < tol;
  if (e.t === "list" && a.t === "list")
    return e.items.length === a.items.length && e.items.every((x, i) => withinTolerance(x, a.items[i]!, tol));
  return false;
}

/**
 * Compares an expected output text with an actual one (either may be q display or Python literal
 * text); `absTolerance` is the test's own tolerance, when its entry.json gives one.
 */
export function compareOutputs(expectedText: string, actualText: string, absTolerance?: number): Comparison {
  const e = normalise(expectedText);
  const a = normalise(actualText);
  if (a === "") return { equal: false, rule: "mismatch", reason: "no output (an empty output is never a value)" };
  if (e === "") return { equal: false, rule: "mismatch", reason: "the expected answer is empty" };
  if (e === a) return { equal: true, rule: "exact" };
  if (unquote(e) === unquote(a)) return { equal: true, rule: "unquoted" };
  // Text that is neither notation is a bare string, as Python's print(str) writes one.
  const ev = parseOutput(e) ?? { t: "str", v: e };
  const av = parseOutput(a) ?? { t: "str", v: a };
  const reason = compareValues(ev, av);
  if (reason === undefined) return { equal: true, rule: "value" };
  if (absTolerance !== undefined && withinTolerance(ev, av, absTolerance)) return { equal: true, rule: "tolerance" };
  return { equal: false, rule: "mismatch", reason };
}
