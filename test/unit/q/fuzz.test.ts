// Property test of the error-collecting parser: for any input, parseCollect
// returns an AST plus positioned errors quickly and never throws; the strict
// parser either returns or throws a QError (never anything else).
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { QError } from "../../../server/src/q/errors";
import { parse, parseCollect } from "../../../server/src/q/parser";

/** Fragments of q syntax, so random programs hit the interesting paths often. */
const FRAGMENTS = [
  "1",
  "2 3",
  "-1",
  "1.5",
  "0N",
  "2020.01.01",
  "`a",
  "`a`b",
  '"s"',
  '"\\n"',
  "x",
  "f",
  "count",
  "each",
  "+",
  "-",
  "*",
  "%",
  ",",
  "#",
  "@",
  ".",
  "$",
  "!",
  "?",
  ":",
  "::",
  "'",
  "/",
  "\\",
  "':",
  "/:",
  "\\:",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ";",
  " ",
  "\n",
  "\n  ",
  " /c",
  "select",
  "from",
  "where",
  "by",
  "update",
  "if[",
  "$[",
  "{[a;b]",
  "([]",
  "\\d .n",
  '"',
  "`:",
  "0x0f",
  "101b",
];

const qish = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((xs) => xs.join(""));

function check(text: string): void {
  const t0 = Date.now();
  const { ast, errors } = parseCollect(text);
  assert.ok(Array.isArray(ast));
  for (const e of errors) {
    assert.equal(typeof e.message, "string");
    assert.ok(e.start >= 0 && e.end <= text.length + 1 && e.start <= e.end, `bad range ${e.start}-${e.end}`);
  }
  try {
    parse(text);
  } catch (e) {
    assert.ok(e instanceof QError, `strict parse threw ${String(e)}`);
  }
  assert.ok(Date.now() - t0 < 500, "parse took too long");
}

describe("q parser fuzz", () => {
  it("handles q-like fragment soup", () => {
    fc.assert(fc.property(qish, check), { numRuns: 1500 });
  });
  it("handles arbitrary unicode strings", () => {
    fc.assert(fc.property(fc.string({ maxLength: 80, unit: "binary" }), check), { numRuns: 1000 });
  });
});
