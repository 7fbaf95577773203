/**
 * The dataset overview page in real headless Chromium (panel HTML and CSP,
 * host stood in for as in steering.test.ts), fed the example dataset as the
 * language server loads it plus a recorded history: the bars show the
 * dataset's counts and the chart one point per verify run.
 */
import { strict as assert } from "node:assert";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import { overviewOf } from "../../../client/src/webviews/overview-data";
import { loadDataset } from "../../../server/src/dataset/load";
import { problemInfo } from "../../../server/src/lsp/dataset";
import type { DatasetOverview } from "../../../server/src/protocol";
import { historyEntry } from "../../../server/src/verify/history";
import { bundlePage, launchChromium, openPage, type WebviewPage } from "../../support/webview-page";

const SHOTS = process.env["QDS_WEBVIEW_SHOTS"] ?? join(tmpdir(), "qds-webview-shots");
const EXAMPLES = resolve(__dirname, "../../../examples/dataset");

describe("dataset overview page in Chromium", function () {
  this.timeout(60_000);
  let browser: Browser;
  let wv: WebviewPage;
  let overview: DatasetOverview;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const problems = loadDataset(EXAMPLES).problems.map(problemInfo);
    const history = [0.5, 0.75, 0.9, 1].map((rate, k) =>
      historyEntry(
        problems.map((_, i) => (i < rate * problems.length ? "valid" : "failing")),
        "qds-embedded",
        new Date(Date.UTC(2026, 11, 1 + k)),
      ),
    );
    overview = overviewOf({ dir: EXAMPLES, name: "dataset" }, problems, history);
    browser = await launchChromium();
    wv = await openPage(browser, "overview", await bundlePage("overview"));
    await wv.waitFor("overview/ready");
    await wv.send({ type: "overview/data", overview });
    await wv.waitFor("overview/rendered");
  });
  after(async () => {
    await browser?.close();
  });

  /** [label, count] of each bar in one card, as shown. */
  const bars = (kind: string) =>
    wv.page.$$eval(`.bars[data-kind="${kind}"] .bar-row`, (rows) =>
      rows.map((r) => [r.querySelector(".bar-label")?.textContent ?? "", Number(r.getAttribute("data-count"))]),
    );

  it("shows the dataset's counts by status, difficulty and tag", async () => {
    assert.equal(overview.total, 45);
    const status = await bars("status");
    assert.deepEqual(
      status.map(([, n]) => n),
      ["valid", "failing", "error", "untested", "no_q", "invalid"].map(
        (s) => overview.byStatus[s as keyof typeof overview.byStatus],
      ),
    );
    assert.equal(
      status.reduce((a, [, n]) => a + Number(n), 0),
      45,
    );
    assert.deepEqual(await bars("difficulty"), overview.byDifficulty);
    assert.deepEqual(await bars("tag"), overview.byTag.slice(0, 40));
    // The visible numbers are the counts too, not only the data attributes.
    const shown = await wv.page.$$eval('.bars[data-kind="difficulty"] .bar-count', (e) => e.map((x) => x.textContent));
    assert.deepEqual(
      shown,
      overview.byDifficulty.map(([, n]) => String(n)),
    );
    assert.deepEqual(await wv.cspViolations(), []);
    assert.deepEqual(wv.errors, []);
  });

  it("charts one point per verify run and lists the runs newest first", async () => {
    assert.equal(await wv.page.locator(".chart .dot").count(), 4);
    const rates = await wv.page.$$eval("table.runs tbody tr td:last-child", (e) => e.map((x) => x.textContent));
    assert.deepEqual(
      rates,
      [...overview.history].reverse().map((h) => `${(100 * h.passRate!).toFixed(1)}%`),
    );
    await wv.page.screenshot({ path: join(SHOTS, "overview-dark.png") });
  });

  it("asks the host to refresh from its Refresh button", async () => {
    await wv.page.locator("vscode-button", { hasText: "Refresh" }).click();
    await wv.waitFor("overview/refresh");
  });
});
