// The conformance ratchet: every step listed in test/conformance/baseline.json
// matched when the baseline was last updated (`npm run conformance --
// --update-baseline`) and must still match. The test never fails because the
// overall rate is below 100%, only when a step regresses. It also checks the
// runner's comparison rules on their own.
import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import {
  BASELINE,
  type Case,
  compareStep,
  DEFAULT_CORPUS,
  loadCorpus,
  loadExceptions,
  prefixMatch,
  runCase,
  type Step,
} from "../../../scripts/conformance";

const step = (check: Step["check"], out: string, error: string | null = null): Step => ({
  in: "",
  out,
  error,
  check,
  flags: [],
  prompt: "q)",
});

describe("conformance runner", () => {
  it("compares exact output modulo trailing blanks and blank edge lines", () => {
    assert.ok(compareStep(step("exact", "1 2\n3"), "\n1 2   \n3\n\n", undefined));
    assert.ok(!compareStep(step("exact", "1 2"), "1 2 3\n", undefined));
    assert.ok(!compareStep(step("exact", ""), "'type\n", "type"));
  });
  it("compares errors by name only", () => {
    assert.ok(compareStep(step("error", "'type\n  [0]  x", "type"), "'type\n  [0]  other\n", "type"));
    assert.ok(!compareStep(step("error", "'type", "type"), "'length\n", "length"));
    assert.ok(!compareStep(step("error", "'type", "type"), "1\n", undefined));
  });
  it("matches elided output by prefix", () => {
    assert.ok(prefixMatch(["a b", "..", "z"], ["a b", "c", "d", "z"]));
    assert.ok(prefixMatch(["0 1 2 3.."], ["0 1 2 3 4 5"]));
    assert.ok(!prefixMatch(["0 1 2 4.."], ["0 1 2 3 4 5"]));
    assert.ok(!prefixMatch(["a", "..."], ["b"]));
  });
});

describe("conformance ratchet", function () {
  this.timeout(300000);
  if (!existsSync(DEFAULT_CORPUS)) {
    it.skip("corpus not present");
    return;
  }
  it("still matches every baseline step", () => {
    const baseline = JSON.parse(readFileSync(BASELINE, "utf8")) as string[];
    assert.ok(baseline.length > 0, "baseline is empty: run npm run conformance -- --update-baseline");
    const all = loadCorpus(DEFAULT_CORPUS);
    const byId = new Map<string, Case>(all.map((c) => [c.id, c]));
    const wanted = new Set(baseline);
    const caseIds = new Set(baseline.map((id) => id.slice(0, id.lastIndexOf(":"))));
    const exceptions = loadExceptions();
    const regressed: string[] = [];
    for (const id of caseIds) {
      const c = byId.get(id);
      if (c === undefined) {
        regressed.push(`${id} (case no longer in the corpus)`);
        continue;
      }
      for (const r of runCase(c, byId, DEFAULT_CORPUS, exceptions)) {
        if (wanted.has(r.id) && r.verdict !== "match")
          regressed.push(`${r.id}: ${JSON.stringify(r.actual.slice(0, 200))}`);
      }
    }
    assert.deepEqual(regressed, [], `${regressed.length} baseline steps no longer match`);
  });
});
