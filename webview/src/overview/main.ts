/**
 * Dataset overview page (bundled to dist/webview/overview.js): counts by
 * status, difficulty and tag as bars, and the pass rate of every recorded
 * whole-dataset verify run over time (from <dataset>/.qds/history.jsonl).
 * Same component layer and theme as the Steering Explorer; the host sends
 * one `overview/data` message per refresh.
 */
import type {
  DatasetOverview,
  OverviewToHost,
  OverviewToPage,
  OverviewUiState,
  ProblemStatus,
} from "../../../server/src/protocol";
import { badge, button, registerComponents } from "../shared/components";
import { el, formatInt } from "../shared/dom";
import { connect } from "../shared/host";
import "./overview.css";

registerComponents();
const host = connect<OverviewToHost, OverviewToPage>();
const root = document.getElementById("app") ?? document.body;

const STATUS_LABEL: Record<ProblemStatus, string> = {
  valid: "Valid",
  failing: "Failing",
  error: "Error",
  untested: "Not verified",
  no_q: "No q yet",
  invalid: "Invalid",
};

host.onMessage((msg) => {
  if (msg.type === "overview/data") render(msg.overview);
});
root.replaceChildren(el("p", "loading", "Loading the dataset…"));
host.post({ type: "overview/ready" });

function render(o: DatasetOverview): void {
  const toolbar = el("header", "toolbar");
  toolbar.append(
    el("h1", "title", `Dataset overview · ${o.name}`),
    badge(`${formatInt(o.total)} problems`),
    el("span", "status", o.dir),
    button("Refresh", () => host.post({ type: "overview/refresh" }), { title: "Reload counts and history" }),
  );
  const statuses = (Object.keys(STATUS_LABEL) as ProblemStatus[]).map(
    (s) => [STATUS_LABEL[s], o.byStatus[s], s] as const,
  );
  const grid = el("div", "cards");
  grid.append(
    card(
      "By status",
      bars(
        statuses.map(([label, n, s]) => [label, n, `st-${s}`]),
        o.total,
        "status",
      ),
    ),
    card(
      "By difficulty",
      bars(
        o.byDifficulty.map(([d, n]) => [d, n, "plain"]),
        o.total,
        "difficulty",
      ),
    ),
    card(
      `By tag (${o.byTag.length})`,
      bars(
        o.byTag.slice(0, 40).map(([t, n]) => [t, n, "plain"]),
        o.total,
        "tag",
      ),
    ),
    card(`Verify runs (${o.history.length})`, history(o), "wide"),
  );
  root.replaceChildren(toolbar, grid);
  host.saveState<OverviewUiState>({ savedAt: Date.now(), dir: o.dir });
  requestAnimationFrame(() => {
    // Read back from the page, so the report says what a user sees.
    const byStatus: Partial<Record<ProblemStatus, number>> = {};
    for (const row of Array.from(document.querySelectorAll<HTMLElement>('.bars[data-kind="status"] .bar-row'))) {
      byStatus[row.dataset["key"] as ProblemStatus] = Number(row.dataset["count"]);
    }
    const runs = document.querySelectorAll(".chart .dot").length;
    host.post({ type: "overview/rendered", total: o.total, runs, byStatus });
  });
}

function card(title: string, body: HTMLElement, extra = ""): HTMLElement {
  const c = el("section", `card ${extra}`);
  c.append(el("h2", undefined, title), body);
  return c;
}

/** Horizontal bars; each row carries data-label/data-count so tests read what is shown. */
function bars(items: readonly (readonly [string, number, string])[], total: number, kind: string): HTMLElement {
  const list = el("div", "bars");
  list.setAttribute("role", "list");
  list.dataset["kind"] = kind;
  const max = Math.max(1, ...items.map(([, n]) => n));
  for (const [label, n, cls] of items) {
    const row = el("div", "bar-row");
    row.setAttribute("role", "listitem");
    row.dataset["label"] = label;
    row.dataset["count"] = String(n);
    if (kind === "status") row.dataset["key"] = cls.replace(/^st-/, "");
    row.title = `${label}: ${formatInt(n)} of ${formatInt(total)} (${total ? Math.round((100 * n) / total) : 0}%)`;
    const track = el("div", "bar-track");
    const fill = el("div", `bar-fill ${cls}`);
    fill.style.width = `${(100 * n) / max}%`;
    track.appendChild(fill);
    row.append(el("span", "bar-label", label), track, el("span", "bar-count", formatInt(n)));
    list.appendChild(row);
  }
  if (items.length === 0) list.appendChild(el("p", "muted", "None."));
  return list;
}

const SVG = "http://www.w3.org/2000/svg";
function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** Pass rate per run as a line over time (runs evenly spaced; the time is in each point's tooltip), then a table. */
function history(o: DatasetOverview): HTMLElement {
  const wrap = el("div", "history");
  const runs = o.history;
  if (runs.length === 0) {
    wrap.appendChild(
      el("p", "muted", "No verify run recorded yet. Run Verify Dataset (or `qds verify`) to start the history."),
    );
    return wrap;
  }
  const [w, h, pad] = [620, 160, 40];
  const chart = svg("svg", { viewBox: `0 0 ${w} ${h}`, class: "chart", role: "img" });
  chart.setAttribute("aria-label", `Pass rate of ${runs.length} verify runs`);
  for (const pct of [0, 50, 100]) {
    const y = h - pad - ((h - 2 * pad) * pct) / 100;
    chart.append(svg("line", { x1: pad, x2: w - 8, y1: y, y2: y, class: "gridline" }));
    const t = svg("text", { x: pad - 4, y: y + 4, class: "axis", "text-anchor": "end" });
    t.textContent = `${pct}%`;
    chart.append(t);
  }
  const xs = (k: number) => pad + (w - pad - 16) * (runs.length === 1 ? 0.5 : k / (runs.length - 1));
  const ys = (r: number) => h - pad - (h - 2 * pad) * r;
  const pts = runs.flatMap((r, k) => (r.passRate === null ? [] : [[xs(k), ys(r.passRate)] as const]));
  chart.append(svg("polyline", { points: pts.map(([x, y]) => `${x},${y}`).join(" "), class: "line" }));
  runs.forEach((r, k) => {
    if (r.passRate === null) return;
    const dot = svg("circle", { cx: xs(k), cy: ys(r.passRate), r: 3.5, class: "dot" });
    const tip = svg("title", {});
    tip.textContent = `${when(r.time)} · ${(100 * r.passRate).toFixed(1)}% · ${r.engine}`;
    dot.append(tip);
    chart.append(dot);
  });
  wrap.appendChild(chart);
  const table = el("table", "runs");
  const head = el("tr");
  for (const t of ["Finished", "Engine", "Valid", "Failing", "Error", "No q", "Pass rate"])
    head.appendChild(el("th", undefined, t));
  table.appendChild(el("thead")).appendChild(head);
  const body = table.appendChild(el("tbody"));
  for (const r of [...runs].reverse().slice(0, 20)) {
    const tr = el("tr");
    tr.append(
      el("td", "nowrap", when(r.time)),
      el("td", undefined, r.engine),
      el("td", "num", formatInt(r.counts.valid)),
      el("td", "num", formatInt(r.counts.failing)),
      el("td", "num", formatInt(r.counts.error)),
      el("td", "num", formatInt(r.counts.no_q)),
      el("td", "num", r.passRate === null ? "—" : `${(100 * r.passRate).toFixed(1)}%`),
    );
    body.appendChild(tr);
  }
  wrap.appendChild(table);
  return wrap;
}

/** A run's finish time, local, to the minute. */
function when(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
