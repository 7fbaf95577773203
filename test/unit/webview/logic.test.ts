/**
 * The webviews' data logic in plain Node: row orderings and ratios, which
 * sections are active, the lasso test, the run → view adapter, export lines,
 * overview counts and the verify-run history hook.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { overviewOf } from "../../../client/src/webviews/overview-data";
import { exportLines, toRowDetail, toSteeringView } from "../../../client/src/webviews/steering-data";
import type { ProblemInfo, SteeringRow } from "../../../server/src/protocol";
import { syntheticAnalysis } from "../../../server/src/traces/model";
import { HISTORY_FILE, readHistory, recordRun } from "../../../server/src/verify/history";
import { activeMask, insidePolygon, sortRows, thinkSteerRatio } from "../../../webview/src/steering/model";

const row = (id: string, thinkTokens: number, steering: number): SteeringRow => ({
  id,
  source: 0,
  thinkTokens,
  exactTokens: true,
  steering,
});

describe("webview logic", () => {
  it("sorts rows by dataset order, ratio both ways (rows without steering last) and steering count", () => {
    const rows = [row("a", 100, 4), row("b", 90, 1), row("c", 50, 0), row("d", 30, 3), row("e", 25, 1)];
    assert.deepEqual(thinkSteerRatio(rows[0]!), 25);
    assert.equal(thinkSteerRatio(rows[2]!), undefined);
    const ids = (s: Parameters<typeof sortRows>[1]) => [...sortRows(rows, s)].map((k) => rows[k]!.id);
    assert.deepEqual(ids("dataset"), ["a", "b", "c", "d", "e"]);
    // ratios: a 25, b 90, d 10, e 25 (ties keep dataset order), c none
    assert.deepEqual(ids("ratioAsc"), ["d", "a", "e", "b", "c"]);
    assert.deepEqual(ids("ratioDesc"), ["b", "a", "e", "d", "c"]);
    assert.deepEqual(ids("steering"), ["a", "d", "b", "e", "c"]);
  });

  it("active sections: hidden clusters and a case-insensitive search both filter", () => {
    const view = toSteeringView("/r", syntheticAnalysis({ rows: 30, clusters: 4, seed: 3 }).result);
    const all = activeMask(view, new Set(), "");
    assert.equal(
      all.reduce((a, b) => a + b, 0),
      view.sections.text.length,
    );
    const hidden = activeMask(view, new Set([1]), "");
    assert.deepEqual(
      [...hidden],
      [...view.sections.cluster].map((c) => (c === 1 ? 0 : 1)),
    );
    const search = activeMask(view, new Set(), "VERIFY");
    assert.deepEqual(
      [...search],
      view.sections.text.map((t) => (t.toLowerCase().includes("verify") ? 1 : 0)),
    );
    assert.ok(search.some((v) => v === 1) && search.some((v) => v === 0));
  });

  it("lasso: even-odd point in polygon, concave shape included", () => {
    const u = [0, 0, 10, 0, 10, 10, 7, 10, 7, 3, 3, 3, 3, 10, 0, 10]; // a U shape
    assert.ok(insidePolygon(1, 5, u));
    assert.ok(insidePolygon(8, 8, u));
    assert.ok(!insidePolygon(5, 8, u)); // inside the notch
    assert.ok(!insidePolygon(11, 5, u));
  });

  it("run → view: every section with its cluster, row and source counts; row detail; export lines", () => {
    const { result, texts } = syntheticAnalysis({ rows: 50, clusters: 5, seed: 11, sources: ["math", "code"] });
    const view = toSteeringView("/runs/x", result);
    assert.equal(view.sections.x.length, result.sections.length);
    result.sections.forEach((s, i) => {
      assert.equal(view.sections.text[i], s.text);
      assert.equal(view.rows[view.sections.row[i]!]!.id, s.rowId);
      assert.equal(view.clusters[view.sections.cluster[i]!]!.name, result.clusters[s.clusterId]!.name);
    });
    view.clusters.forEach((c, k) => {
      assert.equal(
        c.bySource.reduce((a, b) => a + b, 0),
        result.clusters[k]!.size,
      );
    });
    assert.deepEqual(new Set(view.sources), new Set(result.rows.map((r) => r.source)));
    const detail = toRowDetail(0, { ...texts[0]!, rewritten: `${texts[0]!.rewritten}stray words` });
    assert.equal(detail.segments.filter((s) => s.kind === "steer").length, result.rows[0]!.steeringCount);
    assert.deepEqual(detail.segments.at(-1), { kind: "other", text: "stray words" });
    const lines = exportLines(view, [2, 0, 99999])
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => [l.section, l.text, l.row]),
      [
        [2, result.sections[2]!.text, result.sections[2]!.rowId],
        [0, result.sections[0]!.text, result.sections[0]!.rowId],
      ],
    );
  });

  it("overview counts by status, difficulty (none counted) and tag", () => {
    const p = (status: ProblemInfo["status"], difficulty: string | undefined, tags: string[]): ProblemInfo => ({
      name: "x",
      dir: "/d/x",
      title: "x",
      ...(difficulty === undefined ? {} : { difficulty }),
      tags,
      status,
      files: [],
      tests: [],
    });
    const o = overviewOf(
      { dir: "/d", name: "d" },
      [p("valid", "Easy", ["Array"]), p("failing", "Easy", ["Array", "Math"]), p("no_q", undefined, [])],
      [],
    );
    assert.equal(o.total, 3);
    assert.deepEqual(o.byStatus, { valid: 1, failing: 1, error: 0, untested: 0, no_q: 1, invalid: 0 });
    assert.deepEqual(o.byDifficulty, [
      ["Easy", 2],
      ["(none)", 1],
    ]);
    assert.deepEqual(o.byTag, [
      ["Array", 2],
      ["(none)", 1],
      ["Math", 1],
    ]);
  });

  it("history: a whole-dataset run appends one line; partial and cancelled runs do not; a bad line is skipped by name", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qds-history-"));
    try {
      const engine = { id: "qds-embedded test" };
      await recordRun(dir, ["valid", "valid", "failing", "no_q"], { engine });
      mkdirSync(join(dir, "a"));
      mkdirSync(join(dir, "b"));
      writeFileSync(join(dir, "a", "entry.json"), "{}");
      writeFileSync(join(dir, "b", "entry.json"), "{}");
      await recordRun(dir, ["valid"], { engine, only: new Set(["a"]) });
      const aborted = new AbortController();
      aborted.abort();
      await recordRun(dir, ["valid"], { engine, signal: aborted.signal });
      const file = join(dir, HISTORY_FILE);
      assert.equal(readFileSync(file, "utf8").trim().split("\n").length, 1);
      writeFileSync(file, `${readFileSync(file, "utf8")}{"cut off\n`);
      // The editor names every problem for a whole-dataset run: that is recorded.
      await recordRun(dir, ["error", "error"], { engine, only: new Set(["a", "b"]) });
      const { entries, skipped } = await readHistory(dir);
      assert.deepEqual(skipped, [`${file}:2`]);
      assert.equal(entries.length, 2);
      assert.deepEqual(entries[0]!.counts, { valid: 2, failing: 1, error: 0, untested: 0, no_q: 1 });
      assert.equal(entries[0]!.passRate, 2 / 3);
      assert.equal(entries[0]!.engine, "qds-embedded test");
      assert.equal(entries[1]!.passRate, 0);
      assert.equal(entries[1]!.counts.error, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
