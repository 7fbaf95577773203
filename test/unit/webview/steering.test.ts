/**
 * The Steering Explorer page in real headless Chromium, served with the
 * panel's own HTML and Content Security Policy (test/support/webview-page.ts;
 * only the extension host is stood in for). The run is a synthetic analysis
 * from server/src/traces/model.ts converted by the panel's adapter, so the
 * page sees what the panel would send. Screenshots go to
 * $QDS_WEBVIEW_SHOTS (default: <tmp>/qds-webview-shots).
 */
import { strict as assert } from "node:assert";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { toRowDetail, toSteeringView } from "../../../client/src/webviews/steering-data";
import type { SteeringView } from "../../../server/src/protocol";
import { syntheticAnalysis } from "../../../server/src/traces/model";
import { similarSections } from "../../../server/src/traces/neighbours";
import { sortRows, thinkSteerRatio } from "../../../webview/src/steering/model";
import { bundlePage, launchChromium, openPage, plainView, type WebviewPage } from "../../support/webview-page";

const SHOTS = process.env["QDS_WEBVIEW_SHOTS"] ?? join(tmpdir(), "qds-webview-shots");

interface PageExplorer {
  shownSections: Uint32Array;
  rowOrderNow: Uint32Array;
  mapWidget: { toClient(i: number): [number, number]; canvas: HTMLCanvasElement };
}

describe("Steering Explorer page in Chromium", function () {
  this.timeout(60_000);
  let browser: Browser;
  let files: Map<string, Buffer>;
  let view: SteeringView;
  let wv: WebviewPage;
  const analysis = syntheticAnalysis({ rows: 400, sectionsPerRow: 4, clusters: 8, seed: 7 });

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    files = await bundlePage("steering");
    browser = await launchChromium();
    view = toSteeringView("/runs/demo-run", analysis.result);
    wv = await openPage(browser, "steering", files);
    await wv.waitFor("steering/ready");
    await wv.send({ type: "steering/view", view: plainView(view) });
    await wv.waitFor("steering/rendered");
  });
  after(async () => {
    await browser?.close();
  });

  const shown = () =>
    wv.page.evaluate(() => [...(window as unknown as { qdsExplorer: PageExplorer }).qdsExplorer.shownSections]);
  /** Painted pixels on the map, and how many of them are the translucent grey of unselected points. */
  const painted = () =>
    wv.page.evaluate(() => {
      const c = (window as unknown as { qdsExplorer: PageExplorer }).qdsExplorer.mapWidget.canvas;
      const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      let grey = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] === 0) continue;
        n++;
        if (d[i + 3] === 90) grey++;
      }
      return [n, grey] as const;
    });
  const showTab = (label: RegExp) => wv.page.locator("vscode-panel-tab", { hasText: label }).click();
  /** Text of one column in the rendered (visible) rows of the table in the shown tab. */
  const column = (view: string, col: number) =>
    wv.page.$$eval(`#view-${view} .vrows .vrow`, (rows, c) => rows.map((r) => r.children[c]?.textContent ?? ""), col);

  it("draws every section, a legend entry per cluster and the cluster table, with no CSP violation", async () => {
    const rendered = (await wv.posted()).find((m) => m.type === "steering/rendered") as unknown as {
      points: number;
      clusters: number;
      rows: number;
    };
    assert.deepEqual([rendered.points, rendered.clusters, rendered.rows], [analysis.result.sections.length, 8, 400]);
    assert.equal(await wv.page.locator(".legend-item").count(), 8);
    assert.equal(await wv.page.locator("table.clusters tbody tr").count(), 8);
    // The canvas holds coloured pixels, i.e. the points really were drawn.
    const painted = await wv.page.evaluate(() => {
      const c = (window as unknown as { qdsExplorer: PageExplorer }).qdsExplorer.mapWidget.canvas;
      const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });
    assert.ok(painted > 1000, `only ${painted} painted pixels`);
    await wv.page.screenshot({ path: join(SHOTS, "steering-dark.png") });
    assert.deepEqual(await wv.cspViolations(), []);
  });

  it("clicking a legend entry hides that cluster from the linked Sections table", async () => {
    const before = await shown();
    assert.equal(before.length, view.sections.text.length);
    const target = 3;
    await wv.page.locator(`.legend-item[data-cluster="${target}"]`).click();
    await wv.page.waitForFunction(
      (n) => (window as unknown as { qdsExplorer: PageExplorer }).qdsExplorer.shownSections.length !== n,
      before.length,
    );
    const after = await shown();
    const inTarget = before.filter((i) => view.sections.cluster[i] === target).length;
    assert.ok(inTarget > 0);
    assert.equal(after.length, before.length - inTarget);
    assert.ok(after.every((i) => view.sections.cluster[i] !== target));
    // What the table shows, not only its model: no visible row names the hidden cluster.
    await showTab(/^Sections/);
    const names = await column("sections", 1);
    assert.ok(names.length > 5);
    assert.ok(!names.includes(view.clusters[target]!.name), names.join(","));
    assert.match(
      (await wv.page.locator("#tab-sections").textContent()) ?? "",
      new RegExp(`\\(${after.length.toLocaleString("en-US")}\\)`),
    );
    await wv.page.locator(".legend-all").click();
    await wv.page.waitForFunction(
      (n) => (window as unknown as { qdsExplorer: PageExplorer }).qdsExplorer.shownSections.length === n,
      before.length,
    );
  });

  it("sorting by lowest think/steer ratio orders the Rows list", async () => {
    await showTab(/^Rows/);
    await wv.page.locator("#view-rows vscode-dropdown").click();
    await wv.page.locator("vscode-option", { hasText: "Lowest think/steer ratio" }).click();
    const expected = sortRows(view.rows, "ratioAsc");
    await wv.page.waitForFunction(
      (first) => (window as unknown as { qdsExplorer: PageExplorer }).qdsExplorer.rowOrderNow[0] === first,
      expected[0]!,
    );
    const ids = await column("rows", 1);
    assert.ok(ids.length >= 10, `${ids.length} rows visible`);
    assert.deepEqual(
      ids,
      [...expected.slice(0, ids.length)].map((k) => view.rows[k]!.id),
    );
    const ratios = [...expected.slice(0, ids.length)].map((k) => thinkSteerRatio(view.rows[k]!)!);
    for (let k = 1; k < ratios.length; k++) assert.ok(ratios[k - 1]! <= ratios[k]!);
    // Shown ratios agree with the data, estimates marked with ≈.
    const shownRatios = await column("rows", 5);
    shownRatios.forEach((text, k) => {
      const row = view.rows[expected[k]!]!;
      assert.equal(text, `${row.exactTokens ? "" : "≈"}${thinkSteerRatio(row)!.toFixed(1)}`);
    });
    await wv.page.screenshot({ path: join(SHOTS, "steering-rows.png") });
  });

  it("a box selection (Shift+drag) lists exactly the sections inside the box, the rest greyed", async () => {
    const c = view.sections.cluster;
    const target = c[0]!;
    await wv.page.evaluate(() => new Promise(requestAnimationFrame));
    const [paintedBefore, greyBefore] = await painted();
    // A box around the target cluster's first few members, in screen coordinates.
    const pts = await wv.page.evaluate(
      (ids) => ids.map((i) => (window as unknown as { qdsExplorer: PageExplorer }).qdsExplorer.mapWidget.toClient(i)),
      [...Array(view.sections.text.length).keys()].filter((i) => c[i] === target).slice(0, 20),
    );
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const [x0, y0, x1, y1] = [Math.min(...xs) - 2, Math.min(...ys) - 2, Math.max(...xs) + 2, Math.max(...ys) + 2];
    await wv.page.keyboard.down("Shift");
    await wv.page.mouse.move(x0, y0);
    await wv.page.mouse.down();
    await wv.page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, { steps: 4 });
    await wv.page.mouse.move(x1, y1, { steps: 4 });
    await wv.page.mouse.up();
    await wv.page.keyboard.up("Shift");
    await wv.page.evaluate(() => new Promise(requestAnimationFrame));
    const selected = await shown();
    const everyClient = await wv.page.evaluate((n) => {
      const e = (window as unknown as { qdsExplorer: PageExplorer }).qdsExplorer;
      return Array.from({ length: n }, (_, i) => e.mapWidget.toClient(i));
    }, view.sections.text.length);
    const expected = everyClient.flatMap(([x, y], i) => (x >= x0 && x <= x1 && y >= y0 && y <= y1 ? [i] : []));
    assert.ok(expected.length >= 20, `${expected.length} inside`);
    // Points within float rounding of the box edge may go either way; all others must match.
    const edge = (i: number) => {
      const [x, y] = everyClient[i]!;
      return Math.min(Math.abs(x - x0), Math.abs(x - x1), Math.abs(y - y0), Math.abs(y - y1)) < 0.01;
    };
    assert.deepEqual(
      selected.filter((i) => !edge(i)),
      expected.filter((i) => !edge(i)),
    );
    await showTab(/^Sections/);
    const texts = await column("sections", 0);
    assert.deepEqual(
      texts,
      selected.slice(0, texts.length).map((i) => view.sections.text[i]),
    );
    assert.match((await wv.page.locator(".toolbar .status").textContent()) ?? "", /selected/);
    // Unselected sections are greyed, not hidden: about as many pixels are painted as before.
    const [paintedNow, greyNow] = await painted();
    assert.ok(paintedNow > 0.8 * paintedBefore, `${paintedNow} painted pixels, ${paintedBefore} before the selection`);
    assert.ok(greyNow > greyBefore + 1000, `${greyNow} grey pixels, ${greyBefore} before`);
    await wv.page.screenshot({ path: join(SHOTS, "steering-selection.png") });
    await wv.page.locator("vscode-button", { hasText: "Clear selection" }).click();
    assert.equal((await shown()).length, view.sections.text.length);
  });

  it("opening a row (keyboard) asks the host for it and shows steering and execution beside the original", async () => {
    await showTab(/^Rows/);
    await wv.page.locator("#view-rows .vbody").focus();
    await wv.page.keyboard.press("ArrowDown");
    await wv.page.keyboard.press("Enter");
    const msg = (await wv.waitFor("steering/openRow")) as unknown as { index: number };
    const order = await wv.page.evaluate(() => [
      ...(window as unknown as { qdsExplorer: PageExplorer }).qdsExplorer.rowOrderNow,
    ]);
    assert.equal(msg.index, order[0]);
    const row = view.rows[msg.index]!;
    const text = analysis.texts.find((t) => t.id === row.id)!;
    await wv.send({ type: "steering/row", detail: toRowDetail(msg.index, text) });
    await wv.page.locator(".detail .seg-steer").first().waitFor();
    assert.equal(await wv.page.locator(".detail .seg-steer").count(), row.steering);
    assert.equal(await wv.page.locator(".detail .seg-exec").count(), row.steering);
    assert.equal(await wv.page.locator(".detail .original pre").textContent(), text.original);
    await wv.page.screenshot({ path: join(SHOTS, "steering-row.png") });
    // Every control so far (row view included) stayed within the CSP, and the page logged no error.
    assert.deepEqual(await wv.cspViolations(), []);
    assert.deepEqual(wv.errors, []);
  });

  it("export sends the listed sections to the host", async () => {
    await wv.page.locator(`.legend-item[data-cluster="1"]`).click({ modifiers: ["Alt"] });
    await wv.page.locator("vscode-button", { hasText: "Export" }).click();
    const msg = (await wv.waitFor("steering/export")) as unknown as { sections: number[] };
    const expected = [...view.sections.cluster.keys()].filter((i) => view.sections.cluster[i] === 1);
    assert.deepEqual(msg.sections, expected);
  });

  it("hovering a point previews its section; search narrows the coloured sections", async () => {
    await wv.page.locator(".legend-all").click();
    const i = 17;
    const [x, y] = await wv.page.evaluate(
      (k) => (window as unknown as { qdsExplorer: PageExplorer }).qdsExplorer.mapWidget.toClient(k),
      i,
    );
    await wv.page.mouse.move(x, y);
    const tip = wv.page.locator(".tooltip");
    await tip.waitFor({ state: "visible" });
    // The nearest point under the pointer: this one, or one drawn on top of it at the same spot.
    const text = (await tip.locator(".tip-text").textContent()) ?? "";
    assert.ok(view.sections.text.includes(text), text);
    await wv.page.locator("vscode-text-field").click();
    await wv.page.keyboard.type("TRACE");
    const expected = view.sections.text.flatMap((t, k) => (t.toLowerCase().includes("trace") ? [k] : []));
    await wv.page.waitForFunction(
      (n) => (window as unknown as { qdsExplorer: PageExplorer }).qdsExplorer.shownSections.length === n,
      expected.length,
    );
    assert.deepEqual(await shown(), expected);
    for (let k = 0; k < 5; k++) await wv.page.keyboard.press("Backspace");
    await wv.page.waitForFunction(
      (n) => (window as unknown as { qdsExplorer: PageExplorer }).qdsExplorer.shownSections.length === n,
      view.sections.text.length,
    );
  });

  it("the legend groups clusters by family: a family header hides its clusters, Alt+click shows only that family", async () => {
    await wv.page.locator(".legend-all").click();
    const families = view.families!;
    assert.ok(families.length >= 2, "the synthetic analysis has families");
    assert.equal(await wv.page.locator(".legend-group").count(), families.length);
    const fam = families[1]!;
    // Each family's block lists exactly its clusters.
    const listed = await wv.page
      .locator(".legend-group", { has: wv.page.locator(`.legend-family[data-family="${fam.name}"]`) })
      .locator(".legend-item")
      .evaluateAll((items) => items.map((b) => Number((b as HTMLElement).dataset["cluster"])));
    assert.deepEqual([...listed].sort(), [...fam.clusters].sort());
    const inFamily = (i: number) => fam.clusters.includes(view.sections.cluster[i]!);
    const total = view.sections.text.length;
    const waitShown = (n: number) =>
      wv.page.waitForFunction(
        (k) => (window as unknown as { qdsExplorer: PageExplorer }).qdsExplorer.shownSections.length === k,
        n,
      );
    const header = wv.page.locator(`.legend-family[data-family="${fam.name}"]`);
    await header.click();
    const members = [...Array(total).keys()].filter(inFamily);
    await waitShown(total - members.length);
    assert.ok((await shown()).every((i) => !inFamily(i)));
    assert.equal(await header.getAttribute("aria-pressed"), "false");
    await header.click({ modifiers: ["Alt"] });
    await waitShown(members.length);
    assert.deepEqual(await shown(), members);
    assert.equal(await header.getAttribute("aria-pressed"), "true");
    await wv.page.screenshot({ path: join(SHOTS, "steering-families.png") });
    await wv.page.locator(".legend-all").click();
    await waitShown(total);
  });

  it("opening a section lists its most similar sections from the host; clicking one opens that one", async () => {
    // The host's own search (server/src/traces/neighbours.ts) over a stand-in embedding: the map positions.
    const s = view.sections;
    const emb = new Float32Array(s.text.length * 2);
    for (let i = 0; i < s.text.length; i++) [emb[i * 2], emb[i * 2 + 1]] = [s.x[i]!, s.y[i]!];
    const similarRequests = async () =>
      (await wv.posted()).filter((m) => m.type === "steering/similar") as unknown as { section: number }[];
    await showTab(/^Sections/);
    await wv.page.locator("#view-sections .vrows .vrow").nth(2).click();
    await wv.page.waitForFunction(() =>
      (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === "steering/similar"),
    );
    const first = (await similarRequests())[0]!.section;
    const order = await shown();
    assert.equal(first, order[2]);
    const near = similarSections(emb, s.text.length, 2, first, 10);
    assert.equal(near.length, 10);
    assert.ok(!near.includes(first));
    await wv.send({ type: "steering/similar", section: first, neighbours: near });
    await wv.page.locator(".similar-item").first().waitFor();
    const listed = await wv.page.evaluate(
      () => (window as unknown as { qdsExplorer: { similarShown: number[] } }).qdsExplorer.similarShown,
    );
    assert.deepEqual(listed, near);
    assert.deepEqual(
      await wv.page.locator(".similar-text").allTextContents(),
      near.map((j) => s.text[j]),
    );
    await wv.page.screenshot({ path: join(SHOTS, "steering-similar.png") });
    // A stale answer (for another section) does not replace the list.
    await wv.send({ type: "steering/similar", section: near[5]!, neighbours: [1, 2, 3] });
    await wv.page.locator(".similar-item").nth(3).click();
    await wv.page.waitForFunction(
      () =>
        (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === "steering/similar")
          .length === 2,
    );
    assert.equal((await similarRequests())[1]!.section, near[3]);
    assert.deepEqual(wv.errors, []);
  });

  it("a lasso selects the sections inside the drawn shape", async () => {
    await wv.page.locator("vscode-button", { hasText: "Lasso" }).click();
    const box = await wv.page.locator(".map-canvas").boundingBox();
    assert.ok(box);
    // A triangle over the left half of the map.
    const tri = [
      [box.x + 10, box.y + 10],
      [box.x + box.width / 2, box.y + box.height / 2],
      [box.x + 10, box.y + box.height - 10],
    ] as const;
    await wv.page.mouse.move(tri[0][0], tri[0][1]);
    await wv.page.mouse.down();
    for (const [px, py] of [...tri.slice(1), tri[0]]) await wv.page.mouse.move(px, py, { steps: 12 });
    await wv.page.mouse.up();
    const selected = await shown();
    const everyClient = await wv.page.evaluate((n) => {
      const e = (window as unknown as { qdsExplorer: PageExplorer }).qdsExplorer;
      return Array.from({ length: n }, (_, k) => e.mapWidget.toClient(k));
    }, view.sections.text.length);
    // Inside the triangle (away from its edges, where the traced outline is a polyline of mouse steps).
    const side = (p: readonly number[], a: readonly number[], b: readonly number[]) =>
      ((b[0]! - a[0]!) * (p[1]! - a[1]!) - (b[1]! - a[1]!) * (p[0]! - a[0]!)) /
      Math.hypot(b[0]! - a[0]!, b[1]! - a[1]!);
    const depth = (p: readonly number[]) => {
      const d = [side(p, tri[0], tri[1]), side(p, tri[1], tri[2]), side(p, tri[2], tri[0])];
      return d.every((v) => v >= 0) || d.every((v) => v <= 0) ? Math.min(...d.map(Math.abs)) : -1;
    };
    const clearlyIn = everyClient.flatMap((p, k) => (depth(p) > 2 ? [k] : []));
    const clearlyOut = everyClient.flatMap((p, k) => (depth(p) < 0 ? [k] : []));
    assert.ok(clearlyIn.length > 10, `${clearlyIn.length} inside`);
    const chosen = new Set(selected);
    assert.ok(clearlyIn.every((k) => chosen.has(k)));
    assert.ok(clearlyOut.every((k) => !chosen.has(k)));
    await wv.page.keyboard.press("Escape");
    await wv.page.locator("vscode-button", { hasText: "Pan" }).click();
  });

  it("restores the newer of its saved state and the host's copy (timestamped)", async () => {
    const saved = { savedAt: 2_000, run: view.run, hiddenClusters: [2], search: "", sort: "ratioDesc" };
    const page = await openPage(browser, "steering", files, { state: saved });
    await page.waitFor("steering/ready");
    // The host's copy is older: the page's own state wins.
    await page.send({
      type: "steering/view",
      view: plainView(view),
      ui: { ...saved, savedAt: 1_000, sort: "steering" },
    });
    await page.waitFor("steering/rendered");
    const order = await page.page.evaluate(() => [
      ...(window as unknown as { qdsExplorer: PageExplorer }).qdsExplorer.rowOrderNow,
    ]);
    assert.deepEqual(order, [...sortRows(view.rows, "ratioDesc")]);
    assert.equal(await page.page.locator('.legend-item.off[data-cluster="2"]').count(), 1);
    await page.page.close();
    const newer = await openPage(browser, "steering", files, { state: saved });
    await newer.waitFor("steering/ready");
    await newer.send({
      type: "steering/view",
      view: plainView(view),
      ui: { ...saved, savedAt: 3_000, sort: "steering" },
    });
    await newer.waitFor("steering/rendered");
    const order2 = await newer.page.evaluate(() => [
      ...(window as unknown as { qdsExplorer: PageExplorer }).qdsExplorer.rowOrderNow,
    ]);
    assert.deepEqual(order2, [...sortRows(view.rows, "steering")]);
    await newer.page.close();
  });

  for (const theme of ["light", "highContrast"] as const) {
    it(`renders in the ${theme} theme too (screenshot), with no CSP violation`, async () => {
      const other = await openPage(browser, "steering", files, { theme });
      await other.waitFor("steering/ready");
      await other.send({ type: "steering/view", view: plainView(view) });
      await other.waitFor("steering/rendered");
      await other.page.screenshot({ path: join(SHOTS, `steering-${theme}.png`) });
      assert.deepEqual(await other.cspViolations(), []);
      assert.deepEqual(other.errors, []);
      await other.page.close();
    });
  }
});
