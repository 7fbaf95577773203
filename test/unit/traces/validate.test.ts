/**
 * One test per validation rule, each on a crafted row that breaks exactly
 * that rule, checking the rule code and the reported position; plus the clean
 * file written by validateFile.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSections } from "../../../server/src/traces/think";
import { validateFile, validateRow } from "../../../server/src/traces/validate";

const row = (assistant: string, extra: object = {}) => ({
  id: "r1",
  messages: [
    { role: "user", content: "solve it" },
    { role: "assistant", content: assistant },
  ],
  ...extra,
});
const GOOD = "<think>\n<steer>Plan the loop.</steer>\n<exec>for i in 1..3</exec>\n</think>The answer.";

function rules(assistant: string): { rule: string; offset: number; line: number; column: number }[] {
  return validateRow(row(assistant), "r1", 1).map(({ rule, offset, line, column }) => ({ rule, offset, line, column }));
}

describe("traces: validation rules", () => {
  it("a clean row has no issues (both tag spellings accepted)", () => {
    assert.deepEqual(rules(GOOD), []);
    assert.deepEqual(rules("<think><steering>a</steering><execution>b</execution></think>x"), []);
  });

  it("no-assistant: the row has no assistant message", () => {
    const r = { id: "r1", messages: [{ role: "user", content: "hi" }] };
    assert.deepEqual(
      validateRow(r, "r1", 3).map((i) => [i.rule, i.fileLine]),
      [["no-assistant", 3]],
    );
  });

  it("no-messages: messages is not a list of role/content strings", () => {
    assert.equal(validateRow({ id: 1, messages: "x" }, "1", 1)[0]?.rule, "no-messages");
  });

  it("think-count: zero blocks, two blocks, unclosed", () => {
    assert.deepEqual(rules("no think here"), [{ rule: "think-count", offset: 0, line: 1, column: 1 }]);
    const two = `${GOOD}<think><steer>a</steer><exec>b</exec></think>`;
    assert.deepEqual(
      rules(two).map((i) => [i.rule, i.offset]),
      [["think-count", GOOD.length]],
    );
    assert.deepEqual(
      rules("ok <think><steer>a</steer>").map((i) => [i.rule, i.offset]),
      [["think-count", 3]],
    );
  });

  it("think-count: only the last assistant message counts", () => {
    const r = {
      id: "r",
      messages: [
        { role: "assistant", content: "<think>bad</think><think>two</think>" },
        { role: "user", content: "again" },
        { role: "assistant", content: GOOD },
      ],
    };
    assert.deepEqual(validateRow(r, "r", 1), []);
  });

  it("unclosed-tag: a section is never closed", () => {
    const issues = rules("<think><steer>a</steer><exec>b</think>");
    assert.deepEqual(
      issues.map((i) => [i.rule, i.offset]),
      [["unclosed-tag", 23]],
    );
  });

  it("stray-close: a closer with no opener", () => {
    assert.deepEqual(
      rules("<think><steer>a</steer></exec><exec>b</exec></think>").map((i) => i.rule),
      ["stray-close"],
    );
  });

  it("mismatched-close: opened with one spelling, closed with another", () => {
    assert.deepEqual(
      rules("<think><steer>a</steering><exec>b</exec></think>").map((i) => [i.rule, i.offset]),
      [["mismatched-close", 15]],
    );
  });

  it("nested-section: an opener inside an open section", () => {
    assert.deepEqual(
      rules("<think><steer>a<exec>b</steer><exec>c</exec></think>").map((i) => i.rule),
      ["nested-section"],
    );
  });

  it("unpaired: two steers in a row, exec first, trailing steer", () => {
    assert.ok(
      rules("<think><steer>a</steer><steer>b</steer><exec>c</exec></think>").some((i) => i.rule === "unpaired"),
    );
    assert.ok(rules("<think><exec>a</exec><steer>b</steer></think>").some((i) => i.rule === "unpaired"));
    assert.deepEqual(
      rules("<think><steer>a</steer><exec>b</exec><steer>c</steer></think>").map((i) => i.rule),
      ["unpaired"],
    );
  });

  it("empty-section: a section holding only whitespace", () => {
    assert.deepEqual(
      rules("<think><steer> </steer><exec>b</exec></think>").map((i) => [i.rule, i.offset]),
      [["empty-section", 7]],
    );
  });

  it("no-sections: a think block with no sections at all", () => {
    assert.deepEqual(
      rules("<think>   </think>").map((i) => i.rule),
      ["no-sections"],
    );
  });

  it("outside-text: non-whitespace between sections, reported at line and column", () => {
    const issues = rules("<think>\n<steer>a</steer>\n  so then <exec>b</exec></think>");
    assert.deepEqual(issues, [{ rule: "outside-text", offset: 27, line: 3, column: 3 }]);
  });

  it("parseSections gives the inner spans of each section", () => {
    const t = "<steer>Plan.</steer> <exec>Do.</exec>";
    const { sections, violations } = parseSections(t);
    assert.deepEqual(violations, []);
    assert.deepEqual(
      sections.map((s) => [s.kind, t.slice(s.start, s.end)]),
      [
        ["steer", "Plan."],
        ["exec", "Do."],
      ],
    );
  });

  it("validateFile writes the clean rows and reports every issue with row id and file line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qds-validate-"));
    try {
      const input = join(dir, "in.jsonl");
      const lines = [
        JSON.stringify(row(GOOD, { id: "a" })),
        "{broken",
        JSON.stringify(row("<think><steer>x</steer></think>", { id: "b" })),
        JSON.stringify(row(GOOD, { id: "c" })),
      ];
      writeFileSync(input, `${lines.join("\n")}\n`);
      const s = await validateFile(input, join(dir, "clean.jsonl"), join(dir, "report.json"));
      assert.equal(s.rows, 4);
      assert.equal(s.clean, 2);
      assert.deepEqual(
        s.issues.map((i) => [i.rowId, i.fileLine, i.rule]),
        [
          ["line-2", 2, "bad-json"],
          ["b", 3, "unpaired"],
        ],
      );
      const clean = readFileSync(join(dir, "clean.jsonl"), "utf8").trim().split("\n");
      assert.deepEqual(
        clean.map((l) => (JSON.parse(l) as { id: string }).id),
        ["a", "c"],
      );
      assert.equal((JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as { clean: number }).clean, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
