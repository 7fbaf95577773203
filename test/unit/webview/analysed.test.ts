/**
 * The Steering Explorer on a real analysis, not a synthetic one: analyzeRun
 * (offline embedding, two-pass clustering, term names, UMAP layout) over
 * generated rows with 8 known move types, read back through the store,
 * converted by the panel's adapter and drawn in Chromium. The page must show
 * the analysis's clusters and rows, whitespace-estimated tokens marked (no
 * tokenizer here), a row's texts as the store returns them, the legend
 * grouped by the analysis's families, and "similar sections" from the stored
 * embedding, as the panel computes them.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { toRowDetail, toSteeringView } from "../../../client/src/webviews/steering-data";
import { analyzeRun } from "../../../server/src/traces/analyze";
import { unitRows } from "../../../server/src/traces/cluster";
import { similarSections } from "../../../server/src/traces/neighbours";
import { readAnalysis, readEmbedding, readRowText } from "../../../server/src/traces/store";
import { generateMoves } from "../../support/steering-moves";
import { bundlePage, launchChromium, openPage, plainView } from "../../support/webview-page";

const SHOTS = process.env["QDS_WEBVIEW_SHOTS"] ?? join(tmpdir(), "qds-webview-shots");

describe("Steering Explorer page on a real analysis", function () {
  this.timeout(90_000);
  let dir: string;
  let browser: Browser;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "qds-analysed-"));
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("draws the analysis's clusters and rows and opens a row's texts", async () => {
    const moves = generateMoves(600, 13);
    const rows = Array.from({ length: 120 }, (_, r) => {
      const think = moves.texts
        .slice(r * 5, r * 5 + 5)
        .map((s) => `<steer>${s}</steer>\n<exec>working on it</exec>`)
        .join("\n");
      return {
        id: `r${r}`,
        dataset_source: ["math", "code", "science"][r % 3],
        messages: [
          { role: "user", content: "p" },
          { role: "assistant", content: `<think>${think}</think>done` },
        ],
      };
    });
    writeFileSync(join(dir, "validated.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n"));
    await analyzeRun({ run: dir, clusters: 8, families: 3 });
    const analysis = await readAnalysis(dir);
    const view = toSteeringView(dir, analysis);
    assert.equal(view.sections.x.length, 600);

    const wv = await openPage(browser, "steering", await bundlePage("steering"));
    await wv.waitFor("steering/ready");
    await wv.send({ type: "steering/view", view: plainView(view) });
    const rendered = (await wv.waitFor("steering/rendered")) as unknown as { points: number; clusters: number };
    assert.deepEqual([rendered.points, rendered.clusters], [600, analysis.clusters.length]);
    const legend = await wv.page.$$eval(".legend-item .legend-name", (e) => e.map((x) => x.textContent));
    assert.deepEqual(new Set(legend), new Set(analysis.clusters.map((c) => c.name)));
    await wv.page.locator("vscode-panel-tab", { hasText: /^Rows/ }).click();
    const tokens = await wv.page.$$eval("#view-rows .vrows .vrow", (r) => r.map((x) => x.children[4]?.textContent));
    assert.ok(tokens.length > 0 && tokens.every((t) => t?.startsWith("≈")), "tokens not marked as estimates");
    await wv.page.locator("#view-rows .vrows .vrow").first().click();
    const msg = (await wv.waitFor("steering/openRow")) as unknown as { index: number };
    const text = await readRowText(dir, view.rows[msg.index]!.id);
    assert.ok(text);
    await wv.send({ type: "steering/row", detail: toRowDetail(msg.index, text) });
    await wv.page.locator(".detail .seg-steer").first().waitFor();
    assert.equal(await wv.page.locator(".detail .seg-steer").count(), 5);
    assert.equal(await wv.page.locator(".legend-group").count(), analysis.families.length);

    // Similar sections, computed as the panel does from the embedding the analysis stored.
    await wv.page.locator("vscode-panel-tab", { hasText: /^Sections/ }).click();
    await wv.page.locator("#view-sections .vrows .vrow").nth(4).click();
    const ask = (await wv.waitFor("steering/similar")) as unknown as { section: number };
    const e = await readEmbedding(dir, analysis.manifest);
    assert.ok(e, "the manifest names the stored embedding");
    const near = similarSections(unitRows(e), e.rows, e.dims, ask.section, 10);
    await wv.send({ type: "steering/similar", section: ask.section, neighbours: near });
    await wv.page.locator(".similar-item").first().waitFor();
    assert.deepEqual(
      await wv.page.locator(".similar-text").allTextContents(),
      near.map((j) => view.sections.text[j]),
    );
    const sameMove = near.filter((j) => moves.labels[j] === moves.labels[ask.section]).length;
    console.log(`      similar sections of section ${ask.section}: ${sameMove} of 10 share its move type`);
    assert.ok(sameMove >= 8, `${sameMove} of 10 similar sections share the move`);
    await wv.page.screenshot({ path: join(SHOTS, "steering-analysed.png") });
    assert.deepEqual(await wv.cspViolations(), []);
    assert.deepEqual(wv.errors, []);
  });
});
