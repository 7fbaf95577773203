/**
 * The 2-D layout (server/src/traces/layout.ts): UMAP keeps embedding
 * neighbourhoods and move types together better than the PCA baseline, both
 * fitted on every point and in the fit-a-sample-then-place regime used above
 * `fitSample`; the same seed gives the same map; it runs on a worker thread
 * while the main thread's timers keep firing; and it is cached by a hash of
 * its inputs and parameters.
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import { pcaLayout } from "../../../server/src/traces/cluster";
import { type Embedding, offlineEmbedding } from "../../../server/src/traces/embed";
import { cachedLayout, DEFAULT_LAYOUT, layoutInWorker, layoutKey, umapLayout } from "../../../server/src/traces/layout";
import { layoutQuality } from "../../support/layout-quality";
import { generateMoves } from "../../support/steering-moves";

describe("traces: 2-D layout", function () {
  // Several UMAP fits of 400–1,200 points: seconds each, more on a loaded machine.
  this.timeout(120_000);
  const moves = generateMoves(1200, 5);
  let e: Embedding;
  let dir: string;
  before(() => {
    e = offlineEmbedding(moves.texts);
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "qds-layout-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("UMAP keeps neighbours and move types together better than PCA (full fit and sample-and-place); the seed is used", () => {
    const pca = layoutQuality(e, pcaLayout(e), moves.labels);
    const full = umapLayout(e, { ...DEFAULT_LAYOUT, nEpochs: 150 });
    const fullQ = layoutQuality(e, full, moves.labels);
    // 1,200 points, 400 fitted: the regime every run above fitSample (2,500) is in.
    const placed = umapLayout(e, { ...DEFAULT_LAYOUT, nEpochs: 150, fitSample: 400 });
    const placedQ = layoutQuality(e, placed, moves.labels);
    const f = (q: { preservation: number; labelAccuracy: number }) =>
      `10-NN kept ${q.preservation.toFixed(3)}, move-type 10-NN accuracy ${q.labelAccuracy.toFixed(3)}`;
    console.log(`      1200 sections, 8 move types. PCA: ${f(pca)}`);
    console.log(`      UMAP, all fitted: ${f(fullQ)}`);
    console.log(`      UMAP, 400 fitted + 800 placed: ${f(placedQ)}`);
    for (const q of [fullQ, placedQ]) {
      assert.ok(
        q.preservation > pca.preservation * 1.2,
        `neighbour preservation ${q.preservation} vs PCA ${pca.preservation}`,
      );
      assert.ok(q.labelAccuracy >= pca.labelAccuracy, `accuracy ${q.labelAccuracy} vs PCA ${pca.labelAccuracy}`);
    }
    assert.ok(fullQ.labelAccuracy >= 0.95, `accuracy ${fullQ.labelAccuracy}`);
    // Reproducibility (same seed, same map) is checked across threads below; here, that the seed is used.
    const small: Embedding = { ...e, rows: 300, data: e.data.slice(0, 300 * e.dims) };
    const p = { ...DEFAULT_LAYOUT, nEpochs: 50 };
    assert.notDeepEqual(umapLayout(small, { ...p, seed: 7 }), umapLayout(small, p), "the seed is used");
  });

  it("runs on a worker thread: the main thread's timer keeps firing meanwhile (and does not on the main thread)", async () => {
    const p = { ...DEFAULT_LAYOUT, nEpochs: 100, fitSample: 600 };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const started = ticks;
      const done = await layoutInWorker(e, p);
      const duringWorker = ticks - started;
      assert.notEqual(done.threadId, threadId, "computed on another thread");
      assert.deepEqual(done.xy, umapLayout(e, p), "same seed, same map, whichever thread computes it");
      // The contrast that shows the check can fail: the same work on this thread lets no tick through.
      const before = ticks;
      umapLayout(e, p);
      assert.equal(ticks - before, 0);
      assert.ok(duringWorker >= 2, `the main thread's timer fired ${duringWorker} times during the worker's layout`);
    } finally {
      clearInterval(timer);
    }
  });

  it("is cached by input and parameter hash: a rerun loads the file, changed parameters recompute", async () => {
    const small: Embedding = { ...e, rows: 300, data: e.data.slice(0, 300 * e.dims) };
    const p = { ...DEFAULT_LAYOUT, nEpochs: 60 };
    const first = await cachedLayout(dir, small, p);
    assert.equal(first.cached, false);
    const file = join(dir, `layout-${first.key}.f32`);
    assert.ok(existsSync(file));
    const again = await cachedLayout(dir, small, p);
    assert.equal(again.cached, true);
    assert.deepEqual(again.xy, first.xy);
    // It really reads the file: what is stored there comes back.
    const marked = Float32Array.from(first.xy);
    marked[0] = 12345;
    writeFileSync(file, new Uint8Array(marked.buffer));
    assert.equal((await cachedLayout(dir, small, p)).xy[0], 12345);

    const changed = await cachedLayout(dir, small, { ...p, minDist: 0.3 });
    assert.equal(changed.cached, false);
    assert.notEqual(changed.key, first.key);
    const otherInput = { ...small, data: small.data.map((v, i) => (i === 0 ? v + 1 : v)) };
    assert.notEqual(layoutKey(otherInput, p), first.key, "the embedding is part of the key");
    assert.equal(readdirSync(dir).filter((f) => f.startsWith("layout-")).length, 2);
  });
});
