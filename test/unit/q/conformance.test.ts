// The conformance ratchet: every step listed in test/conformance/baseline.json
// matched when the baseline was last updated (`npm run conformance --
// --update-baseline`) and must still match. The test never fails because the
// overall rate is below 100%, only when a step regresses, when an id leaves the
// baseline without a reason in removals.json, or when the vendored corpus is
// missing (it fails then: a ratchet that cannot run must not look green).
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { relative } from "node:path";
import {
  BASELINE,
  type Case,
  CONFORMANCE_DIR,
  compareStep,
  DEFAULT_CORPUS,
  dependencies,
  figures,
  loadBaseline,
  loadCorpus,
  loadNotes,
  loadRemovals,
  nextBaseline,
  prefixMatch,
  runCase,
  type Step,
  type StepResult,
} from "../../../scripts/conformance";

const step = (check: Step["check"], out: string, error: string | null = null): Step => ({
  in: "",
  out,
  error,
  check,
  flags: [],
  prompt: "q)",
});

const result = (verdict: StepResult["verdict"], nonTrivial: boolean): StepResult => ({
  id: "p#0:0",
  page: "p",
  check: "exact",
  nonTrivial,
  verdict,
  actual: "",
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
  it("counts steps with an empty expected output only in the all-steps figure", () => {
    const f = figures([
      result("match", true),
      result("match", false),
      result("differ", true),
      result("differ", false),
      result("out-of-scope", true),
      result("exception", true),
      result("skipped", true),
    ]);
    assert.deepEqual(f.all, { match: 2, compared: 4 });
    assert.deepEqual(f.nonTrivial, { match: 1, compared: 2 });
    assert.deepEqual([f.outOfScope, f.exceptions, f.skipped], [1, 1, 1]);
  });
  it("runs a case's reviewed extra dependencies before its corpus ones, each once", () => {
    const mk = (id: string, depends_on: string[] = []): Case => ({ id, page: "p", steps: [], depends_on });
    const byId = new Map([mk("p#0"), mk("p#1", ["p#0"]), mk("p#2", ["p#1"])].map((c) => [c.id, c]));
    const extra = { "p#2": { after: ["p#0"], reason: "r" } };
    assert.deepEqual(
      dependencies(byId.get("p#2")!, byId, extra).map((c) => c.id),
      ["p#0", "p#1"],
    );
    assert.deepEqual(
      dependencies(byId.get("p#2")!, byId).map((c) => c.id),
      ["p#0", "p#1"],
    );
    const lone = new Map([mk("p#0"), mk("p#3")].map((c) => [c.id, c]));
    assert.deepEqual(
      dependencies(lone.get("p#3")!, lone, { "p#3": { after: ["p#0"], reason: "r" } }).map((c) => c.id),
      ["p#0"],
    );
  });
  it("runs a step whose expected line is wider than 80 columns at a console that fits it", () => {
    const wide = Array.from({ length: 40 }, (_, i) => i).join(" ");
    const c: Case = {
      id: "w#0",
      page: "w",
      steps: [
        { ...step("exact", wide), in: "til 40" },
        {
          ...step("prefix", "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 .."),
          in: "til 40",
        },
      ],
    };
    const notes = { exceptions: {}, outOfScope: {}, dependencies: {} };
    const [full, narrow] = runCase(c, new Map([[c.id, c]]), DEFAULT_CORPUS, notes);
    assert.equal(full!.verdict, "match", full!.actual);
    // The next step is back at 80 columns: q elides the line there.
    assert.ok(narrow!.actual.trimEnd().endsWith(".."), narrow!.actual);
  });
  it("updates the baseline by adding only, and drops an id only through removals.json", () => {
    assert.deepEqual(nextBaseline(["a:0", "b:0"], ["c:0"], {}), ["a:0", "b:0", "c:0"]);
    assert.deepEqual(nextBaseline(["a:0", "b:0"], ["a:0"], { "b:0": "reason" }), ["a:0"]);
  });
});

/** Every id a committed or working-tree change to baseline.json ever removed. */
function idsEverRemoved(): Set<string> {
  const file = relative(process.cwd(), BASELINE);
  const git = (args: string[]) => execFileSync("git", args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const diffs = git(["log", "-p", "--format=", "--", file]) + git(["diff", "HEAD", "--", file]);
  const out = new Set<string>();
  for (const line of diffs.split("\n")) {
    const m = /^-\s*"([^"]+)",?$/.exec(line);
    if (m) out.add(m[1]!);
  }
  return out;
}

describe("conformance ratchet", function () {
  this.timeout(300000);
  const corpusHere = existsSync(DEFAULT_CORPUS);

  it("has its vendored corpus", () => {
    assert.ok(corpusHere, `${DEFAULT_CORPUS} is missing: the corpus is vendored under ${CONFORMANCE_DIR}/corpus`);
  });

  it("names a reason in removals.json for every id that left the baseline", () => {
    const baseline = new Set(loadBaseline());
    const removals = loadRemovals();
    const unexplained = [...idsEverRemoved()].filter((id) => !baseline.has(id) && removals[id] === undefined);
    assert.deepEqual(unexplained, [], "ids dropped from baseline.json without a reason in removals.json");
    const stale = Object.keys(removals).filter((id) => baseline.has(id));
    assert.deepEqual(stale, [], "ids in removals.json that are back in the baseline: drop their entries");
  });

  it("lists out-of-scope steps and exceptions that exist in the corpus, none of them in the baseline", () => {
    assert.ok(corpusHere, "corpus missing");
    const cases = loadCorpus(DEFAULT_CORPUS);
    const known = new Set<string>();
    for (const c of cases) {
      known.add(c.page);
      known.add(c.id);
      for (let i = 0; i < c.steps.length; i++) known.add(`${c.id}:${i}`);
    }
    const notes = loadNotes();
    for (const [id, { after }] of Object.entries(notes.dependencies)) {
      const c = cases.find((x) => x.id === id);
      assert.ok(c !== undefined, `dependencies.json names ${id}, not a case`);
      const index = cases.indexOf(c);
      for (const a of after) {
        const d = cases.findIndex((x) => x.id === a);
        assert.ok(d >= 0 && d < index && cases[d]!.page === c.page, `${id}: ${a} is not an earlier case on its page`);
      }
    }
    const listed = [...Object.keys(notes.outOfScope), ...Object.keys(notes.exceptions)];
    assert.deepEqual(
      listed.filter((k) => !known.has(k)),
      [],
      "entries naming no step, case or page",
    );
    const baseline = new Set(loadBaseline());
    assert.deepEqual(
      listed.filter((k) => baseline.has(k)),
      [],
      "baseline steps may not be excused",
    );
  });

  it("still matches every baseline step", () => {
    assert.ok(corpusHere, "corpus missing");
    const baseline = loadBaseline();
    assert.ok(baseline.length > 0, "baseline is empty: run npm run conformance -- --update-baseline");
    const all = loadCorpus(DEFAULT_CORPUS);
    const byId = new Map<string, Case>(all.map((c) => [c.id, c]));
    const wanted = new Set(baseline);
    const caseIds = new Set(baseline.map((id) => id.slice(0, id.lastIndexOf(":"))));
    const notes = loadNotes();
    const regressed: string[] = [];
    for (const id of caseIds) {
      const c = byId.get(id);
      if (c === undefined) {
        regressed.push(`${id} (case no longer in the corpus)`);
        continue;
      }
      for (const r of runCase(c, byId, DEFAULT_CORPUS, notes)) {
        if (wanted.has(r.id) && r.verdict !== "match")
          regressed.push(`${r.id}: ${JSON.stringify(r.actual.slice(0, 200))}`);
      }
    }
    assert.deepEqual(regressed, [], `${regressed.length} baseline steps no longer match`);
  });
});
