// Every example the editor shows on hover (the verb table's doc.example, "input  → result") is
// run in a fresh session and must show that result: the console display with lines joined by
// " / ", or q's one-line form (-3!x) for examples written as (a;b) lists. A result ending in
// "..." is a prefix. Examples of session built-ins (value, each, show, ...) are checked too.

import assert from "node:assert/strict";
import { QSession } from "../../../server/src/q/session";
import { VERBS } from "../../../server/src/q/verbs/index";

const ARROW = /\s+→\s+/;

describe("hover examples in the verb table", () => {
  const examples = [...VERBS.values()].filter((v) => v.doc?.example !== undefined);
  it("every verb has an example with a result", () => {
    const without = examples.filter((v) => !ARROW.test(v.doc!.example)).map((v) => v.name);
    assert.deepEqual(without, [], "examples without '→ result'");
  });
  for (const v of examples) {
    const [input, expected] = v.doc!.example.split(ARROW) as [string, string | undefined];
    if (expected === undefined) continue;
    it(`${v.name}: ${input}`, () => {
      const s = new QSession();
      const r = s.evalLine(input);
      assert.equal(r.error, undefined, r.output);
      const shown = r.output
        .trimEnd()
        .split("\n")
        .map((l) => l.trimEnd())
        .join(" / ");
      const compact = s.evalLine(`-3!${input}`).output.trim().replace(/^"|"$/g, "").replace(/\\"/g, '"');
      const want = expected.trim();
      const ok = want.endsWith("...")
        ? shown.startsWith(want.slice(0, -3).trimEnd())
        : shown === want || compact === want;
      assert.ok(ok, `shown ${JSON.stringify(shown)} (one-line ${JSON.stringify(compact)}), example says ${want}`);
    });
  }
});
