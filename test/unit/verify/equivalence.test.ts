/**
 * Table tests for the equivalence checker: every rule in both directions
 * (q output vs Python expected, and Python vs q), plus the mismatch reasons.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compareOutputs, JUDGE_RULES } from "../../../server/src/verify/equivalence";
import { parsePython, parseQ } from "../../../server/src/verify/literals";

/** [q text, python text, rule the pair exercises] — each must be equal in both directions. */
const EQUAL: [string, string, string][] = [
  ["1 2 3", "[1, 2, 3]", "vector vs list"],
  ["1 2 3", "[1,2,3]", "vector vs LeetCode list"],
  ["1b", "True", "boolean atom"],
  ["0b", "false", "boolean vs lowercase false"],
  ["010b", "[False, True, False]", "boolean vector"],
  ["010b", "[0, 1, 0]", "booleans vs 0/1"],
  ["125i", "125", "int suffix"],
  ["42f", "42.0", "float suffix"],
  ["2f", "2.00000", "fixed decimals"],
  ["2.5e", "2.5", "real suffix"],
  ["1 2 3f", "[1.0, 2.0, 3.0]", "float vector suffix"],
  ["0.3333333", "0.3333333333333333", "float within relative 1e-6"],
  [",1", "[1]", "enlisted atom"],
  ['"abc"', "'abc'", "string quoting"],
  ['"abc"', "abc", "quote-stripped"],
  ["`abc", "'abc'", "symbol vs string"],
  ["`abc", "abc", "symbol vs printed str"],
  ['("ab";"cd")', "['ab', 'cd']", "one-line list of strings"],
  ["`a`b`c", "['a', 'b', 'c']", "symbol vector vs list of strings"],
  ['"abc"', "['a', 'b', 'c']", "char list vs string"],
  ["0N", "None", "long null vs None"],
  ["0n", "null", "float null vs null"],
  ["0w", "inf", "infinity"],
  ["-0w", "-inf", "negative infinity"],
  ["()", "[]", "empty general list"],
  ["`long$()", "[]", "typed empty list"],
  ['""', "[]", "empty string vs empty list"],
  ["(1 2;3 4)", "[[1, 2], [3, 4]]", "one-line nested list"],
  ["1 2\n3 4", "[[1,2],[3,4]]", "multi-line nested list"],
  ['"ab"\n"cd"', "['ab', 'cd']", "list of strings over lines"],
  ["a| 1\nbb| 2", "{'a': 1, 'bb': 2}", "dict display"],
  ["`a`b!1 2", "{'b': 2, 'a': 1}", "one-line dict, key order ignored"],
  ['(1;`a;"xy")', "[1, 'a', 'xy']", "general list"],
  ["1 0N 3", "[1, None, 3]", "null inside a vector"],
  ["-5 -6", "(-5, -6)", "tuple and negatives"],
  ["1e+10", "10000000000", "exponent"],
  ["0x0102", "[1, 2]", "bytes as integers"],
];

describe("equivalence: q vs Python", () => {
  for (const [q, py, rule] of EQUAL) {
    it(`${rule}: ${JSON.stringify(q)} ≡ ${JSON.stringify(py)}`, () => {
      const forward = compareOutputs(py, q);
      assert.equal(forward.equal, true, `python-vs-q: ${forward.reason}`);
      const backward = compareOutputs(q, py);
      assert.equal(backward.equal, true, `q-vs-python: ${backward.reason}`);
    });
  }
});

/** [expected, actual, expected reason substring]. */
const DIFFERENT: [string, string, string][] = [
  ["[1, 2, 4, 4]", "1 2 4 5", "item 3: expected 4, got 5"],
  ["[1, 2, 3]", "1 2 3 4", "length 3 vs 4"],
  ["True", "0b", "expected true, got false"],
  ["2.5", "2.6", "expected 2.5, got 2.6"],
  ["1.0", "1.00001", "expected 1, got 1.00001"],
  ["'abc'", "`abd", 'expected "abc", got "abd"'],
  ["[[1,2],[3,4]]", "(1 2;3 5)", "item 1, item 1: expected 4, got 5"],
  ["{'a': 1}", "b| 1", 'key "a" missing'],
  ["None", "0", "expected null, got 0"],
  ["[1]", "1", "expected list [1], got integer 1"],
  ["5", "'type", `expected integer 5, got string "'type"`],
  ["1000000000", "999999999", "expected 1000000000, got 999999999"],
  ["[]", "", "no output"],
  ["hello world", "`hello", 'expected "hello world", got "hello"'],
];

describe("equivalence: mismatches and reasons", () => {
  for (const [e, a, reason] of DIFFERENT) {
    it(`${JSON.stringify(e)} ≢ ${JSON.stringify(a)}`, () => {
      const r = compareOutputs(e, a);
      assert.equal(r.equal, false);
      assert.ok(r.reason?.includes(reason), `reason was: ${r.reason}`);
    });
  }
  it("treats 1 vs 2 as different in both directions", () => {
    assert.equal(compareOutputs("1", "2").equal, false);
    assert.equal(compareOutputs("2", "1").equal, false);
  });
});

describe("equivalence: rule order", () => {
  it("reports exact match first, then quote-stripped, then value", () => {
    assert.equal(compareOutputs(" 1 2 3\n", "1 2 3").rule, "exact");
    assert.equal(compareOutputs('"hello world"', "hello world").rule, "unquoted");
    assert.equal(compareOutputs("[1, 2]", "1 2").rule, "value");
  });
  it("compares unreadable texts as strings", () => {
    assert.equal(compareOutputs("2020.01.01", "2020.01.01").equal, true);
    assert.equal(compareOutputs("2020.01.01", "2020.01.02").equal, false);
  });
});

describe("literal readers", () => {
  it("reads Python escapes, sets and nested dicts", () => {
    assert.deepEqual(parsePython("'a\\nb'"), { t: "str", v: "a\nb" });
    assert.deepEqual(parsePython("{1, 2}"), {
      t: "list",
      items: [
        { t: "int", v: 1n },
        { t: "int", v: 2n },
      ],
    });
    assert.equal(parsePython("[1, 2"), undefined);
    assert.equal(parsePython("1 2"), undefined);
  });
  it("reads q strings with escapes and rejects junk", () => {
    assert.deepEqual(parseQ('"a\\"b"'), { t: "str", v: 'a"b' });
    assert.equal(parseQ("1 2 3x"), undefined);
    assert.equal(parseQ("(1;2"), undefined);
  });
});

describe("judge rule table", () => {
  for (const rule of JUDGE_RULES) {
    for (const [e, a] of rule.accepts) {
      it(`judge rule ${rule.id} accepts ${JSON.stringify(e)} vs ${JSON.stringify(a)}`, () => {
        const r = compareOutputs(e, a, rule.absTolerance);
        assert.equal(r.equal, true, r.reason);
      });
    }
    for (const [e, a] of rule.rejects) {
      it(`judge rule ${rule.id} rejects ${JSON.stringify(e)} vs ${JSON.stringify(a)}`, () => {
        assert.equal(compareOutputs(e, a, rule.absTolerance).equal, false);
      });
    }
    // A rule for tests with a tolerance must not loosen the others: its pairs, judged without one, differ.
    if (rule.absTolerance !== undefined) {
      for (const [e, a] of rule.accepts) {
        it(`judge rule ${rule.id}: ${JSON.stringify(e)} vs ${JSON.stringify(a)} differ without a tolerance`, () => {
          assert.equal(compareOutputs(e, a).equal, false);
        });
      }
    }
  }

  it("gives every rule at least one accepted and one rejected pair, and unique ids", () => {
    for (const rule of JUDGE_RULES) {
      assert.ok(rule.accepts.length > 0 && rule.rejects.length > 0, rule.id);
    }
    assert.equal(new Set(JUDGE_RULES.map((r) => r.id)).size, JUDGE_RULES.length);
  });

  it("is the README's Verification rules list, line for line", () => {
    const readme = readFileSync(join(__dirname, "../../../README.md"), "utf8");
    const section = /^## Verification rules\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? "";
    const bullets = section.split("\n").filter((l) => l.startsWith("- "));
    assert.deepEqual(
      bullets,
      JUDGE_RULES.map((r) => `- ${r.text}`),
    );
  });
});
