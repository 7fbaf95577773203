/**
 * Analysis: the offline embedding recovers known move types (adjusted Rand
 * index printed and required ≥ 0.8), and analyzeRun writes a run's analysis
 * that store.ts reads back, with exact token counts from a real tokenizer
 * and section spans that point at the section text.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kmeans } from "ml-kmeans";
import { mulberry32 } from "../../../server/src/dataset/random";
import { analyzeRun } from "../../../server/src/traces/analyze";
import {
  adjustedRandIndex,
  kmeansPlusPlus,
  lloyd,
  twoPassClusters,
  unitRows,
} from "../../../server/src/traces/cluster";
import { offlineEmbedding } from "../../../server/src/traces/embed";
import { syntheticAnalysis } from "../../../server/src/traces/model";
import { readAnalysis, readRowText, writeAnalysis } from "../../../server/src/traces/store";
import { loadTokenizer } from "../../../server/src/traces/tokens";
import { generateMoves, MOVE_TEMPLATES } from "../../support/steering-moves";
import { writeTinyTokenizer } from "../../support/tiny-tokenizer";

describe("traces: analysis", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "qds-analyze-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("the ARI helper: 1 for the same partition relabelled, about 0 for an unrelated one", () => {
    assert.equal(adjustedRandIndex([0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 9, 9]), 1);
    assert.ok(Math.abs(adjustedRandIndex([0, 1, 0, 1, 0, 1, 0, 1], [0, 0, 0, 0, 1, 1, 1, 1])) < 0.2);
  });

  it("the offline embedding + fine clustering recovers 8 known move types (mean ARI over 4 generated sets ≥ 0.8)", () => {
    const aris = [11, 3, 7, 21].map((seed) => {
      const moves = generateMoves(1200, seed);
      const { clusterOf } = twoPassClusters(offlineEmbedding(moves.texts), MOVE_TEMPLATES.length, 3, 1);
      return adjustedRandIndex(clusterOf, moves.labels);
    });
    const mean = aris.reduce((a, b) => a + b, 0) / aris.length;
    console.log(
      `      offline embedding, 4 sets × 1200 sections, 8 move types: ARI ${aris.map((a) => a.toFixed(3)).join(", ")}; mean ${mean.toFixed(3)}`,
    );
    assert.ok(mean >= 0.8, `mean ARI ${mean}`);
    assert.ok(Math.min(...aris) >= 0.75, `worst set ${Math.min(...aris)}`);
  });

  it("the typed-array k-means reaches the same partition as ml-kmeans from the same seeding", () => {
    const moves = generateMoves(400, 2);
    const e = offlineEmbedding(moves.texts, { components: 16 });
    const unit = unitRows(e);
    const init = kmeansPlusPlus(unit, e.rows, e.dims, 8, mulberry32(9));
    const ours = lloyd(unit, e.rows, e.dims, init);
    const points = Array.from({ length: e.rows }, (_, i) => Array.from(unit.subarray(i * e.dims, (i + 1) * e.dims)));
    const initRows = Array.from({ length: 8 }, (_, j) => Array.from(init.subarray(j * e.dims, (j + 1) * e.dims)));
    const theirs = kmeans(points, 8, { initialization: initRows, maxIterations: 100, tolerance: 1e-9 });
    assert.equal(adjustedRandIndex(ours.labels, theirs.clusters), 1);
  });

  it("analyzeRun writes rows, sections, clusters and layout that read back; exact tokens; cached embedding", async () => {
    const moves = generateMoves(120, 5);
    const rows: object[] = [];
    const originals: object[] = [];
    for (let r = 0; r < 30; r++) {
      const steps = moves.texts.slice(r * 4, r * 4 + 4);
      const think = steps.map((s) => `<steer> ${s}</steer>\n<exec>work</exec>`).join("\n");
      const base = { id: `q${r}`, dataset_source: r % 2 ? "math" : "code" };
      rows.push({
        ...base,
        messages: [
          { role: "user", content: "p" },
          { role: "assistant", content: `<think>${think}</think>ok` },
        ],
      });
      originals.push({
        ...base,
        messages: [
          { role: "user", content: "p" },
          { role: "assistant", content: "<think>thethe cat</think>ok" },
        ],
      });
    }
    writeFileSync(join(dir, "validated.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n"));
    writeFileSync(join(dir, "stratified.jsonl"), originals.map((r) => JSON.stringify(r)).join("\n"));
    const tokenizer = await loadTokenizer(writeTinyTokenizer(join(dir, "tokenizer.json")));
    const report = await analyzeRun({ run: dir, tokenizer, clusters: 8, families: 3 });
    assert.equal(report.sections, 120);
    assert.equal(report.embeddingCached, false);
    assert.equal(report.layoutCached, false);

    const a = await readAnalysis(dir);
    assert.equal(a.rows.length, 30);
    // "thethe cat" is 3 tokens for this BPE ("the", "the", "Ġcat"), 2 by whitespace.
    assert.deepEqual(a.rows[0], {
      id: "q0",
      index: 0,
      source: "code",
      thinkTokens: 3,
      tokensExact: true,
      steeringCount: 4,
      ratio: 0.75,
    });
    assert.equal(a.sections.length, 120);
    assert.equal(a.clusters.length, 8);
    assert.equal(a.families.length, 3);
    assert.equal(
      a.clusters.reduce((s, c) => s + c.size, 0),
      120,
    );
    const text = await readRowText(dir, "q1");
    for (const s of a.sections.filter((x) => x.rowId === "q1"))
      assert.equal(text!.rewritten.slice(s.start, s.end), s.text);
    assert.ok(a.sections.every((s) => Number.isFinite(s.x) && Number.isFinite(s.y)));
    assert.ok(a.clusters.every((c) => c.name.length > 0 && c.nameSource === "terms"));

    const again = await analyzeRun({ run: dir, tokenizer, clusters: 8, families: 3 });
    assert.equal(again.embeddingCached, true);
    assert.equal(again.layoutCached, true);
    assert.deepEqual(
      (await readAnalysis(dir)).sections.map((s) => [s.x, s.y]),
      a.sections.map((s) => [s.x, s.y]),
    );
    assert.deepEqual(
      (await readAnalysis(dir)).sections.map((s) => s.clusterId),
      a.sections.map((s) => s.clusterId),
    );
  });

  it("the synthetic generator's output round-trips through the store", async () => {
    const { result, texts } = syntheticAnalysis({ rows: 50, seed: 2 });
    await writeAnalysis(dir, result, texts);
    const back = await readAnalysis(dir);
    assert.equal(back.sections.length, result.sections.length);
    assert.ok(Math.abs(back.sections[7]!.x - result.sections[7]!.x) < 1e-5);
    assert.deepEqual(back.clusters, result.clusters);
  });
});
