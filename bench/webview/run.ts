/**
 * Steering Explorer map benchmark in headless Chromium (software rendering,
 * as on this machine): a synthetic analysed run of about --points steering
 * sections (default 100,000) goes through the panel's adapter into the real
 * page (panel HTML, strict CSP), and we measure
 *
 *   first paint  from posting the run to the page until the page reports its
 *                first frame drawn (message handling, typed arrays, grid
 *                index, tables, legend, map frame, two animation frames);
 *   frame time   of 120 pan steps and 120 zoom steps (each step moves the
 *                view, then one full redraw is timed): median and p95.
 *
 * Baseline, in the same page and the same frames: the textbook Canvas 2D
 * scatter, one fillRect per point with fillStyle switched per cluster. Both
 * draw the same squares at the same integer positions with no blending, so
 * the two canvases must be pixel-identical; the run checks that (hash of the
 * pixels) before reporting the ratio.
 * Prints a table; writes bench/out/webview.json.
 *
 *   npm run bench:webview [-- --points 100000]
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { toSteeringView } from "../../client/src/webviews/steering-data";
import { writeFileAtomic } from "../../server/src/dataset/fsx";
import { syntheticAnalysis } from "../../server/src/traces/model";
import { bundlePage, launchChromium, openPage, plainView } from "../../test/support/webview-page";

const ROOT = resolve(__dirname, "../..");
const args = process.argv.slice(2);
const opt = (flag: string, dflt: number): number => {
  const i = args.indexOf(flag);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const points = opt("--points", 100_000);
const FRAMES = 120;

/** Runs in the page: times `steps` view changes with our draw and with the fillRect baseline. */
const FRAME_BENCH = `(async ({ steps, kind }) => {
  const map = window.qdsExplorer.mapWidget;
  const canvas = map.canvas;
  const ctx = canvas.getContext("2d");
  const x = map.x, y = map.y, cluster = map.cluster, rgba = map.clusterRgba;
  const colours = Array.from(rgba, (c) => "rgb(" + (c & 255) + "," + ((c >>> 8) & 255) + "," + ((c >>> 16) & 255) + ")");
  const dpr = window.devicePixelRatio || 1;
  // The baseline: per point, fillRect at the same integer square the pixel writer uses.
  function baseline() {
    const t0 = performance.now();
    const w = canvas.width, h = canvas.height;
    const k = map.view.scale * dpr, ox = w / 2 - map.view.cx * k, oy = h / 2 - map.view.cy * k;
    const size = Math.max(2, Math.min(7, Math.round(2 * dpr * Math.sqrt(map.view.scale / 400))));
    const half = size >> 1;
    ctx.clearRect(0, 0, w, h);
    let current = -1;
    for (let i = 0; i < x.length; i++) {
      const px = ((x[i] * k + ox) | 0) - half, py = ((y[i] * k + oy) | 0) - half;
      if (px < 0 || py < 0 || px > w - size || py > h - size) continue;
      if (cluster[i] !== current) { current = cluster[i]; ctx.fillStyle = colours[current]; }
      ctx.fillRect(px, py, size, size);
    }
    ctx.getImageData(0, 0, 1, 1); // wait for the canvas work to finish, as putImageData does
    return performance.now() - t0;
  }
  function hashPixels() {
    const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let h = 2166136261;
    for (let i = 0; i < d.length; i++) h = Math.imul(h ^ d[i], 16777619);
    return h >>> 0;
  }
  const ours = [], base = [];
  const rect = canvas.getBoundingClientRect();
  map.resetView();
  for (let s = 0; s < steps; s++) {
    if (kind === "pan") map.panBy(6, 3);
    else map.zoomAt(s < steps / 2 ? 1.03 : 1 / 1.03, rect.left + rect.width * 0.4, rect.top + rect.height * 0.6);
    map.draw();
    ours.push(map.lastFrameMs);
    base.push(baseline());
  }
  // Same frame both ways, labels off (the baseline draws none): the pixels must match.
  map.labelled = new Uint8Array(map.labelled.length);
  map.marked = new Uint32Array(0);
  map.draw();
  const mine = hashPixels();
  baseline();
  const theirs = hashPixels();
  return { ours, base, same: mine === theirs };
})`;

function stats(xs: number[]): { median: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), p95: at(0.95) };
}

async function main(): Promise<void> {
  const rows = Math.round(points / 5.5); // the generator gives 1…2×mean sections per row, mean 5.5 with mean 5
  const analysis = syntheticAnalysis({ rows, sectionsPerRow: 5, clusters: 24, families: 6, seed: 42 });
  const view = toSteeringView("/bench/run", analysis.result);
  const n = view.sections.x.length;
  const browser = await launchChromium();
  try {
    const wv = await openPage(browser, "steering", await bundlePage("steering"), { width: 1400, height: 860 });
    await wv.waitFor("steering/ready");
    // Timed in the page: from posting the run to the page's own "rendered" report. Functions go in as
    // source text: tsx's transform would leave helper calls inside a function passed directly.
    const paint = await wv.page.evaluateHandle(
      `async (view) => {
        const t0 = performance.now();
        window.postMessage({ type: "steering/view", view }, "*");
        while (!window.__posted.some((m) => m.type === "steering/rendered")) await new Promise((r) => setTimeout(r, 1));
        return performance.now() - t0;
      }`,
    );
    const firstPaintMs = (await paint.evaluate(
      (fn: unknown, v) => (fn as (v: unknown) => Promise<number>)(v),
      plainView(view),
    )) as number;
    const result: Record<string, unknown> = {
      points: n,
      clusters: view.clusters.length,
      rows: view.rows.length,
      firstPaintMs,
    };
    console.log(
      `Steering Explorer map, ${n.toLocaleString("en-US")} points, ${view.clusters.length} clusters, headless Chromium`,
    );
    console.log(`first paint: ${firstPaintMs.toFixed(0)} ms (post → first frame reported)`);
    console.log("frame time (ms)        ours median  ours p95  fillRect median  fillRect p95  speed-up (median)");
    for (const kind of ["pan", "zoom"] as const) {
      const fn = await wv.page.evaluateHandle(FRAME_BENCH);
      const r = (await fn.evaluate((f: unknown, a) => (f as (a: unknown) => Promise<unknown>)(a), {
        steps: FRAMES,
        kind,
      })) as { ours: number[]; base: number[]; same: boolean };
      if (!r.same) throw new Error(`${kind}: the pixel writer and the fillRect baseline drew different pixels`);
      const o = stats(r.ours);
      const b = stats(r.base);
      result[kind] = { ours: o, fillRect: b, speedup: b.median / o.median, samePixels: r.same };
      console.log(
        `${kind.padEnd(22)} ${o.median.toFixed(1).padStart(11)} ${o.p95.toFixed(1).padStart(9)} ${b.median.toFixed(1).padStart(16)} ${b.p95.toFixed(1).padStart(13)} ${`${(b.median / o.median).toFixed(1)}×`.padStart(18)}`,
      );
    }
    mkdirSync(join(ROOT, "bench", "out"), { recursive: true });
    await writeFileAtomic(join(ROOT, "bench", "out", "webview.json"), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
