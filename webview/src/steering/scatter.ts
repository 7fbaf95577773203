/**
 * The 2-D map of steering sections, drawn with Canvas 2D and no library (the
 * WebGL scatter libraries compile shaders through `new Function`, which the
 * strict CSP forbids). Each frame writes every point as a small square
 * straight into an ImageData pixel buffer (one Uint32 store per pixel, about
 * a millisecond per 100k points), puts it once, then draws the few vector
 * things on top: cluster labels, the hover ring and the selection shape.
 *
 * Coordinates are normalised once into the unit square (aspect kept); the
 * view is the data point at the canvas centre plus CSS pixels per unit.
 * Hit-testing goes through a PointGrid. Points not coloured (filtered out
 * or outside a selection) are drawn grey underneath the coloured ones:
 * greyed, never hidden, so the shape of the whole set stays visible.
 */
import { resolveColor } from "../shared/dom";
import { PointGrid } from "./grid";
import { insidePolygon } from "./model";

export type MapMode = "pan" | "box" | "lasso";
export interface MapView {
  cx: number;
  cy: number;
  scale: number;
}

export interface MapEvents {
  /** Section under the pointer, or -1. */
  hover(index: number, clientX: number, clientY: number): void;
  open(index: number): void;
  /** A box or lasso finished: the sections inside (whatever their colour), or null when cleared. */
  select(mask: Uint8Array | null): void;
  viewChanged(view: MapView): void;
}

/** 20 categorical colours readable on light and dark backgrounds; clusters beyond 20 reuse them. */
const PALETTE = [
  "#4e9de0",
  "#f28e2b",
  "#59a14f",
  "#e15759",
  "#b07aa1",
  "#edc948",
  "#76b7b2",
  "#ff9da7",
  "#9c755f",
  "#8cd17d",
  "#d37295",
  "#a0cbe8",
  "#ffbe7d",
  "#86bcb6",
  "#e8a23a",
  "#c2a5cf",
  "#61b5c4",
  "#d4a6c8",
  "#b6992d",
  "#f1ce63",
];
export function clusterColor(c: number): string {
  return PALETTE[c % PALETTE.length]!;
}

function pack([r, g, b, a]: [number, number, number, number]): number {
  // ImageData is RGBA in memory; a little-endian Uint32 view sees it as ABGR.
  return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

export class ScatterMap {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly x: Float32Array;
  private readonly y: Float32Array;
  private readonly grid: PointGrid;
  private image: ImageData | undefined;
  private pixels: Uint32Array | undefined;
  private clusterRgba = new Uint32Array(0);
  private greyRgba = 0;
  private labelColor = "#ccc";
  private labelHalo = "#000";
  private font = "12px sans-serif";
  private readonly centroids: Float64Array;
  /** 1 = drawn in its cluster's colour (set by the app from legend, search and selection). */
  private coloured: Uint8Array;
  /** Clusters whose label is drawn. */
  private labelled: Uint8Array;
  private hovered = -1;
  private marked: Uint32Array = new Uint32Array(0);
  private dragShape: { kind: "box" | "lasso"; points: number[] } | undefined;
  private frame = 0;
  mode: MapMode = "pan";
  view: MapView = { cx: 0.5, cy: 0.5, scale: 1 };
  /** Milliseconds the last frame took to draw (benchmarks read it). */
  lastFrameMs = 0;
  frames = 0;

  constructor(
    private readonly host: HTMLElement,
    xs: Float32Array,
    ys: Float32Array,
    private readonly cluster: Uint16Array,
    private readonly names: readonly string[],
    private readonly events: MapEvents,
  ) {
    [this.x, this.y] = normalise(xs, ys);
    this.grid = new PointGrid(this.x, this.y);
    this.coloured = new Uint8Array(xs.length).fill(1);
    this.labelled = new Uint8Array(names.length).fill(1);
    this.centroids = centroids(this.x, this.y, cluster, names.length);
    this.canvas = document.createElement("canvas");
    this.canvas.className = "map-canvas";
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute("role", "application");
    this.canvas.setAttribute(
      "aria-label",
      "Map of steering sections. Arrow keys pan, plus and minus zoom, 0 resets, B box select, L lasso, P pan, Escape clears the selection.",
    );
    const ctx = this.canvas.getContext("2d");
    if (ctx === null) throw new Error("this webview has no 2D canvas");
    this.ctx = ctx;
    host.appendChild(this.canvas);
    this.readTheme();
    new ResizeObserver(() => this.resize()).observe(host);
    // VS Code swaps body classes when the colour theme changes.
    new MutationObserver(() => {
      this.readTheme();
      this.requestDraw();
    }).observe(document.body, { attributes: true, attributeFilter: ["class"] });
    this.listen();
    this.resize();
    this.resetView();
  }

  readTheme(): void {
    const style = getComputedStyle(document.body);
    this.clusterRgba = Uint32Array.from(this.names, (_, c) => pack(resolveColor(clusterColor(c))));
    const grey = resolveColor("var(--vscode-disabledForeground, #888)");
    this.greyRgba = pack([grey[0], grey[1], grey[2], 90]);
    this.labelColor = style.getPropertyValue("--vscode-editor-foreground").trim() || "#ccc";
    this.labelHalo = style.getPropertyValue("--vscode-editor-background").trim() || "#000";
    this.font = `600 12px ${style.getPropertyValue("--vscode-font-family").trim() || "sans-serif"}`;
  }

  setColoured(mask: Uint8Array, labelled: Uint8Array): void {
    this.coloured = mask;
    this.labelled = labelled;
    this.requestDraw();
  }

  /** Sections drawn with a ring (the opened row's sections). */
  mark(indices: Uint32Array): void {
    this.marked = indices;
    this.requestDraw();
  }

  resetView(): void {
    const w = this.host.clientWidth || 600;
    const h = this.host.clientHeight || 400;
    this.setView({ cx: 0.5, cy: 0.5, scale: Math.max(50, Math.min(w, h) * 0.92) });
  }

  setView(view: MapView): void {
    this.view = view;
    this.events.viewChanged(view);
    this.requestDraw();
  }

  /** Zoom by `factor` keeping the data point under client position (sx, sy) fixed. */
  zoomAt(factor: number, sx: number, sy: number): void {
    const [dx, dy] = this.toData(sx, sy);
    const scale = Math.max(20, Math.min(1e6, this.view.scale * factor));
    const r = this.canvas.getBoundingClientRect();
    this.setView({
      cx: dx - (sx - r.left - r.width / 2) / scale,
      cy: dy - (sy - r.top - r.height / 2) / scale,
      scale,
    });
  }

  panBy(px: number, py: number): void {
    this.setView({ ...this.view, cx: this.view.cx - px / this.view.scale, cy: this.view.cy - py / this.view.scale });
  }

  /** Client coordinates → normalised data coordinates. */
  toData(clientX: number, clientY: number): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [
      this.view.cx + (clientX - r.left - r.width / 2) / this.view.scale,
      this.view.cy + (clientY - r.top - r.height / 2) / this.view.scale,
    ];
  }

  /** Normalised data coordinates → client coordinates (tests click on points through this). */
  toClient(i: number): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [
      r.left + r.width / 2 + (this.x[i]! - this.view.cx) * this.view.scale,
      r.top + r.height / 2 + (this.y[i]! - this.view.cy) * this.view.scale,
    ];
  }

  /** Sections inside a box given in client coordinates. */
  selectBox(x0: number, y0: number, x1: number, y1: number): Uint8Array {
    const [ax, ay] = this.toData(x0, y0);
    const [bx, by] = this.toData(x1, y1);
    const mask = new Uint8Array(this.x.length);
    const [lx, hx, ly, hy] = [Math.min(ax, bx), Math.max(ax, bx), Math.min(ay, by), Math.max(ay, by)];
    this.grid.visit(lx, ly, hx, hy, (i) => {
      const px = this.x[i]!;
      const py = this.y[i]!;
      if (px >= lx && px <= hx && py >= ly && py <= hy) mask[i] = 1;
    });
    return mask;
  }

  /** Sections inside a lasso polygon given in client coordinates [x0, y0, x1, y1, …]. */
  selectLasso(clientPoly: readonly number[]): Uint8Array {
    const poly: number[] = [];
    let [lx, ly, hx, hy] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let k = 0; k < clientPoly.length; k += 2) {
      const [dx, dy] = this.toData(clientPoly[k]!, clientPoly[k + 1]!);
      poly.push(dx, dy);
      [lx, ly, hx, hy] = [Math.min(lx, dx), Math.min(ly, dy), Math.max(hx, dx), Math.max(hy, dy)];
    }
    const mask = new Uint8Array(this.x.length);
    if (poly.length < 6) return mask;
    this.grid.visit(lx, ly, hx, hy, (i) => {
      if (insidePolygon(this.x[i]!, this.y[i]!, poly)) mask[i] = 1;
    });
    return mask;
  }

  requestDraw(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private resize(): void {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(this.host.clientWidth * dpr));
    const h = Math.max(1, Math.round(this.host.clientHeight * dpr));
    if (w === this.canvas.width && h === this.canvas.height && this.image) return;
    this.canvas.width = w;
    this.canvas.height = h;
    this.image = this.ctx.createImageData(w, h);
    this.pixels = new Uint32Array(this.image.data.buffer);
    this.requestDraw();
  }

  /** Draws one frame now (benchmarks call it directly to time it). */
  draw(): void {
    const t0 = performance.now();
    const { image, pixels } = this;
    if (!image || !pixels) return;
    const w = image.width;
    const h = image.height;
    const dpr = window.devicePixelRatio || 1;
    const k = this.view.scale * dpr;
    const ox = w / 2 - this.view.cx * k;
    const oy = h / 2 - this.view.cy * k;
    // Points grow a little when zoomed in, so sparse regions stay legible.
    const size = Math.max(2, Math.min(7, Math.round(2 * dpr * Math.sqrt(this.view.scale / 400))));
    const half = size >> 1;
    pixels.fill(0);
    const { x, y, coloured, cluster, clusterRgba } = this;
    const n = x.length;
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < n; i++) {
        if (coloured[i] !== pass) continue;
        const px = ((x[i]! * k + ox) | 0) - half;
        const py = ((y[i]! * k + oy) | 0) - half;
        if (px < 0 || py < 0 || px > w - size || py > h - size) continue;
        const c = pass === 0 ? this.greyRgba : clusterRgba[cluster[i]!]!;
        // Plain stores: a fill() call per pixel row costs more than the row itself at these sizes.
        for (let r = 0, at = py * w + px; r < size; r++, at += w) for (let q = 0; q < size; q++) pixels[at + q] = c;
      }
    }
    const ctx = this.ctx;
    ctx.putImageData(image, 0, 0);
    ctx.save();
    ctx.scale(dpr, dpr);
    this.drawLabels(ctx, w / dpr, h / dpr);
    this.drawMarks(ctx);
    this.drawShape(ctx);
    ctx.restore();
    this.lastFrameMs = performance.now() - t0;
    this.frames++;
  }

  private screen(px: number, py: number, w: number, h: number): [number, number] {
    return [w / 2 + (px - this.view.cx) * this.view.scale, h / 2 + (py - this.view.cy) * this.view.scale];
  }

  /** Cluster names at their centroids, biggest first, skipping any that would overlap one already drawn. */
  private drawLabels(ctx: CanvasRenderingContext2D, w: number, h: number): void {
    ctx.font = this.font;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3;
    ctx.strokeStyle = this.labelHalo;
    ctx.fillStyle = this.labelColor;
    const placed: [number, number, number, number][] = [];
    for (let c = 0; c < this.names.length; c++) {
      if (!this.labelled[c] || Number.isNaN(this.centroids[2 * c]!)) continue;
      const [sx, sy] = this.screen(this.centroids[2 * c]!, this.centroids[2 * c + 1]!, w, h);
      const text = this.names[c]!;
      const tw = ctx.measureText(text).width;
      const box: [number, number, number, number] = [sx - tw / 2 - 2, sy - 9, sx + tw / 2 + 2, sy + 9];
      if (box[2] < 0 || box[0] > w || box[3] < 0 || box[1] > h) continue;
      if (placed.some((p) => p[0] < box[2] && box[0] < p[2] && p[1] < box[3] && box[1] < p[3])) continue;
      placed.push(box);
      ctx.strokeText(text, sx, sy);
      ctx.fillText(text, sx, sy);
    }
  }

  private drawMarks(ctx: CanvasRenderingContext2D): void {
    const w = this.canvas.width / (window.devicePixelRatio || 1);
    const h = this.canvas.height / (window.devicePixelRatio || 1);
    ctx.strokeStyle = this.labelColor;
    ctx.lineWidth = 1.5;
    const ring = (i: number, r: number) => {
      const [sx, sy] = this.screen(this.x[i]!, this.y[i]!, w, h);
      ctx.beginPath();
      ctx.arc(sx, sy, r, 0, 2 * Math.PI);
      ctx.stroke();
    };
    for (const i of this.marked) ring(i, 5);
    if (this.hovered >= 0) ring(this.hovered, 7);
  }

  private drawShape(ctx: CanvasRenderingContext2D): void {
    const shape = this.dragShape;
    if (!shape || shape.points.length < 4) return;
    const r = this.canvas.getBoundingClientRect();
    const p = shape.points.map((v, k) => v - (k % 2 === 0 ? r.left : r.top));
    ctx.strokeStyle = this.labelColor;
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 1;
    ctx.beginPath();
    if (shape.kind === "box") {
      ctx.rect(p[0]!, p[1]!, p[2]! - p[0]!, p[3]! - p[1]!);
    } else {
      ctx.moveTo(p[0]!, p[1]!);
      for (let k = 2; k < p.length; k += 2) ctx.lineTo(p[k]!, p[k + 1]!);
      ctx.closePath();
    }
    ctx.stroke();
    ctx.setLineDash([]);
  }

  private hitTest(clientX: number, clientY: number): number {
    const [dx, dy] = this.toData(clientX, clientY);
    return this.grid.nearest(dx, dy, 6 / this.view.scale, () => true);
  }

  private listen(): void {
    const c = this.canvas;
    let drag: { x: number; y: number; moved: boolean; kind: MapMode } | undefined;
    c.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      c.setPointerCapture(e.pointerId);
      const kind = e.shiftKey ? "box" : this.mode;
      drag = { x: e.clientX, y: e.clientY, moved: false, kind };
      if (kind !== "pan") this.dragShape = { kind, points: [e.clientX, e.clientY] };
    });
    c.addEventListener("pointermove", (e) => {
      if (drag === undefined) {
        const i = this.hitTest(e.clientX, e.clientY);
        if (i !== this.hovered) {
          this.hovered = i;
          this.requestDraw();
        }
        this.events.hover(i, e.clientX, e.clientY);
        return;
      }
      if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 3) drag.moved = true;
      if (drag.kind === "pan") {
        this.panBy(e.clientX - drag.x, e.clientY - drag.y);
        drag.x = e.clientX;
        drag.y = e.clientY;
      } else if (this.dragShape) {
        if (drag.kind === "box") this.dragShape.points = [drag.x, drag.y, e.clientX, e.clientY];
        else this.dragShape.points.push(e.clientX, e.clientY);
        this.requestDraw();
      }
    });
    const end = (e: PointerEvent) => {
      if (drag === undefined) return;
      const d = drag;
      drag = undefined;
      const shape = this.dragShape;
      this.dragShape = undefined;
      if (!d.moved) {
        const i = this.hitTest(e.clientX, e.clientY);
        if (i >= 0) this.events.open(i);
        else if (d.kind !== "pan") this.events.select(null);
      } else if (shape?.kind === "box") {
        this.events.select(this.selectBox(d.x, d.y, e.clientX, e.clientY));
      } else if (shape?.kind === "lasso") {
        this.events.select(this.selectLasso(shape.points));
      }
      this.requestDraw();
    };
    c.addEventListener("pointerup", end);
    c.addEventListener("pointercancel", end);
    c.addEventListener("pointerleave", () => {
      if (this.hovered >= 0 && drag === undefined) {
        this.hovered = -1;
        this.events.hover(-1, 0, 0);
        this.requestDraw();
      }
    });
    c.addEventListener(
      "wheel",
      (e) => {
        e.preventDefault();
        this.zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX, e.clientY);
      },
      { passive: false },
    );
    c.addEventListener("keydown", (e) => {
      const step = 40;
      const r = c.getBoundingClientRect();
      const handled: Record<string, () => void> = {
        ArrowLeft: () => this.panBy(step, 0),
        ArrowRight: () => this.panBy(-step, 0),
        ArrowUp: () => this.panBy(0, step),
        ArrowDown: () => this.panBy(0, -step),
        "+": () => this.zoomAt(1.25, r.left + r.width / 2, r.top + r.height / 2),
        "=": () => this.zoomAt(1.25, r.left + r.width / 2, r.top + r.height / 2),
        "-": () => this.zoomAt(0.8, r.left + r.width / 2, r.top + r.height / 2),
        "0": () => this.resetView(),
        Escape: () => this.events.select(null),
      };
      const action = handled[e.key];
      if (action) {
        e.preventDefault();
        action();
      }
    });
  }
}

/** Coordinates scaled into the unit square, centred, aspect ratio kept. */
function normalise(xs: Float32Array, ys: Float32Array): [Float32Array, Float32Array] {
  let [lx, ly, hx, hy] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < xs.length; i++) {
    lx = Math.min(lx, xs[i]!);
    hx = Math.max(hx, xs[i]!);
    ly = Math.min(ly, ys[i]!);
    hy = Math.max(hy, ys[i]!);
  }
  const span = Math.max(hx - lx, hy - ly) || 1;
  const x = new Float32Array(xs.length);
  const y = new Float32Array(ys.length);
  const mx = (1 - (hx - lx) / span) / 2;
  const my = (1 - (hy - ly) / span) / 2;
  for (let i = 0; i < xs.length; i++) {
    x[i] = mx + (xs[i]! - lx) / span;
    // Screen y grows downwards; flip so the map reads like the analysis's plot.
    y[i] = 1 - (my + (ys[i]! - ly) / span);
  }
  return [x, y];
}

function centroids(x: Float32Array, y: Float32Array, cluster: Uint16Array, k: number): Float64Array {
  const sum = new Float64Array(2 * k);
  const count = new Float64Array(k);
  for (let i = 0; i < x.length; i++) {
    const c = cluster[i]!;
    sum[2 * c]! += x[i]!;
    sum[2 * c + 1]! += y[i]!;
    count[c]!++;
  }
  for (let c = 0; c < k; c++) {
    sum[2 * c]! /= count[c]!;
    sum[2 * c + 1]! /= count[c]!;
  }
  return sum;
}
