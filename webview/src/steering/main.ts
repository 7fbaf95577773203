/**
 * Steering Explorer page (bundled to dist/webview/steering.js). The host
 * sends the analysed run once (`steering/view`); everything after that is
 * local: legend, search and box/lasso selection recompute which sections are
 * coloured, the linked Sections table lists them, the Rows list sorts the
 * dataset rows by think/steer ratio, and opening a row asks the host for its
 * think block. UI state is saved (timestamped) so a hidden tab or a reloaded
 * window comes back as it was.
 */
import type {
  SteeringRowDetail,
  SteeringSort,
  SteeringToHost,
  SteeringToPage,
  SteeringUiState,
  SteeringView,
} from "../../../server/src/protocol";
import {
  badge,
  button,
  dropdown,
  registerComponents,
  setDisabled,
  setPressed,
  tabs,
  textField,
} from "../shared/components";
import { debounce, el, formatInt } from "../shared/dom";
import { connect, newer } from "../shared/host";
import { VirtualTable } from "../shared/table";
import { activeMask, indicesOf, SORTS, sortRows, thinkSteerRatio } from "./model";
import { clusterColor, type MapMode, ScatterMap } from "./scatter";
import "./steering.css";

registerComponents();
const host = connect<SteeringToHost, SteeringToPage>();
const root = document.getElementById("app") ?? document.body;
let app: Explorer | undefined;

host.onMessage((msg) => {
  switch (msg.type) {
    case "steering/view": {
      // The saved state applies only to the run it was saved for.
      const ui = newer(host.loadState<SteeringUiState>(), msg.ui);
      app = new Explorer(withTypedArrays(msg.view), ui?.run === msg.view.run ? ui : undefined);
      break;
    }
    case "steering/row":
      app?.showRow(msg.detail);
      break;
    case "steering/similar":
      app?.showSimilar(msg.section, msg.neighbours);
      break;
    case "steering/exported":
      app?.setStatus(`Exported ${formatInt(msg.rows)} sections to ${msg.file}`);
      break;
    case "steering/error":
      if (app) app.setStatus(msg.message);
      else root.replaceChildren(el("p", "error", msg.message));
      break;
  }
});
root.replaceChildren(el("p", "loading", "Loading the analysed run…"));
host.post({ type: "steering/ready" });

/** Typed arrays cross postMessage intact in VS Code; plain arrays (older hosts, tests) are converted. */
function withTypedArrays(view: SteeringView): SteeringView {
  const s = view.sections;
  return {
    ...view,
    sections: {
      x: Float32Array.from(s.x),
      y: Float32Array.from(s.y),
      cluster: Uint16Array.from(s.cluster),
      row: Uint32Array.from(s.row),
      text: s.text,
    },
  };
}

class Explorer {
  /** Lower-cased section texts, made on the first search (not needed for the first paint). */
  private lower: string[] | undefined;
  private hidden: Set<number>;
  private search: string;
  private sort: SteeringSort;
  private selection: Uint8Array | null = null;
  private shown: Uint32Array = new Uint32Array(0);
  private rowOrder: Uint32Array;
  /** Sections per row, for marking an opened row on the map. */
  private readonly sectionsOfRow: Uint32Array[];
  private readonly map: ScatterMap;
  private readonly sectionsTable: VirtualTable;
  private readonly rowsTable: VirtualTable;
  private readonly legend = el("div", "legend");
  private readonly status = el("span", "status");
  private readonly detail = el("section", "detail");
  /** "Similar sections" of the section last opened: nearest in the analysis's embedding, from the host. */
  private readonly similar = el("section", "similar");
  private similarFor = -1;
  private readonly tooltip = el("div", "tooltip");
  private readonly exportButton: HTMLElement;
  private readonly clearButton: HTMLElement;
  private readonly modeButtons = new Map<MapMode, HTMLElement>();
  private readonly side: ReturnType<typeof tabs>;
  private readonly started = performance.now();

  constructor(
    private readonly view: SteeringView,
    ui: SteeringUiState | undefined,
  ) {
    const n = view.sections.x.length;
    this.hidden = new Set(ui?.hiddenClusters ?? []);
    this.search = ui?.search ?? "";
    this.sort = ui?.sort ?? "dataset";
    this.rowOrder = sortRows(view.rows, this.sort);
    const perRow: number[][] = view.rows.map(() => []);
    for (let i = 0; i < n; i++) perRow[view.sections.row[i]!]?.push(i);
    this.sectionsOfRow = perRow.map((a) => Uint32Array.from(a));

    // Toolbar.
    const search = textField("Search sections", "Search steering sections", (v) => this.onSearch(v));
    search.value = this.search;
    const modes: [MapMode, string, string][] = [
      ["pan", "Pan", "Drag to pan, wheel to zoom (P)"],
      ["box", "Box", "Drag a box to select sections; Shift+drag works in any mode (B)"],
      ["lasso", "Lasso", "Draw around sections to select them (L)"],
    ];
    for (const [mode, label, title] of modes) {
      this.modeButtons.set(
        mode,
        button(label, () => this.setMode(mode), { title, pressed: mode === "pan" }),
      );
    }
    this.clearButton = button("Clear selection", () => this.select(null), { title: "Escape on the map" });
    this.exportButton = button("Export…", () => host.post({ type: "steering/export", sections: [...this.shown] }), {
      appearance: "primary",
      title: "Write the sections in the Sections table to a JSONL file",
    });
    const toolbar = el("header", "toolbar");
    toolbar.append(
      el("h1", "title", `Steering Explorer · ${view.run.split(/[\\/]/).filter(Boolean).pop() ?? view.run}`),
      search.element,
      ...this.modeButtons.values(),
      this.clearButton,
      this.exportButton,
      this.status,
    );

    // Map, legend, tooltip.
    const mapHost = el("div", "map-host");
    const mapPane = el("div", "map-pane");
    mapPane.append(mapHost, this.legend, this.tooltip);
    this.tooltip.hidden = true;
    this.detail.hidden = true;
    this.similar.hidden = true;

    // Tables.
    const sec = view.sections;
    this.sectionsTable = new VirtualTable(
      "Sections",
      [
        {
          title: "Section",
          className: "grow",
          text: (k) => sec.text[this.shown[k]!]!,
          title2: (k) => sec.text[this.shown[k]!]!,
        },
        { title: "Cluster", className: "mid", text: (k) => view.clusters[sec.cluster[this.shown[k]!]!]?.name ?? "" },
        { title: "Row", className: "narrow", text: (k) => view.rows[sec.row[this.shown[k]!]!]?.id ?? "" },
      ],
      (k) => this.openSection(this.shown[k]!),
    );
    const rowAt = (k: number) => view.rows[this.rowOrder[k]!]!;
    this.rowsTable = new VirtualTable(
      "Rows",
      [
        { title: "#", className: "num narrow", text: (k) => String(this.rowOrder[k]! + 1) },
        { title: "Row", className: "grow", text: (k) => rowAt(k).id },
        { title: "Source", className: "mid", text: (k) => view.sources[rowAt(k).source] ?? "" },
        { title: "Steering", className: "num narrow", text: (k) => String(rowAt(k).steering) },
        {
          title: "Think tokens",
          className: "num mid",
          text: (k) => (rowAt(k).exactTokens ? "" : "≈") + formatInt(rowAt(k).thinkTokens),
          title2: (k) => (rowAt(k).exactTokens ? "exact (tokenizer)" : "whitespace estimate"),
        },
        {
          title: "Think/steer",
          className: "num mid ratio",
          text: (k) => {
            const r = thinkSteerRatio(rowAt(k));
            return r === undefined ? "—" : (rowAt(k).exactTokens ? "" : "≈") + r.toFixed(1);
          },
        },
      ],
      (k) => this.openRow(this.rowOrder[k]!),
    );
    this.rowsTable.setCount(view.rows.length);
    const sortBox = dropdown("Sort rows", SORTS, this.sort, (s) => this.setSort(s));
    const estimates = view.rows.filter((r) => !r.exactTokens).length;
    const rowsPane = el("div", "pane");
    rowsPane.append(
      el("div", "pane-bar"),
      el(
        "p",
        "note",
        estimates === 0
          ? "Think/steer = think tokens ÷ steering instances, tokens counted exactly by the analysis."
          : `Think/steer = think tokens ÷ steering instances. ≈ marks ${formatInt(estimates)} rows whose tokens are a whitespace estimate (not analysed).`,
      ),
      this.rowsTable.element,
    );
    rowsPane.firstElementChild?.append(el("label", "bar-label", "Order"), sortBox.element);
    const sectionsPane = el("div", "pane");
    sectionsPane.append(this.sectionsTable.element);
    this.side = tabs([
      { id: "sections", label: "Sections", content: sectionsPane },
      { id: "rows", label: `Rows (${formatInt(view.rows.length)})`, content: rowsPane },
      { id: "clusters", label: `Clusters (${view.clusters.length})`, content: this.clusterTable() },
    ]);
    const sidePane = el("div", "side");
    sidePane.append(this.side.element, this.similar, this.detail);

    const main = el("div", "main");
    main.append(mapPane, sidePane);
    root.replaceChildren(toolbar, main);

    this.map = new ScatterMap(
      mapHost,
      sec.x,
      sec.y,
      sec.cluster,
      view.clusters.map((c) => c.name),
      {
        hover: (i, cx, cy) => this.hover(i, cx, cy, mapPane),
        open: (i) => this.openSection(i),
        select: (mask) => this.select(mask),
        viewChanged: () => this.saveLater(),
      },
    );
    if (ui?.view) this.map.setView(ui.view);
    mapHost.addEventListener("keydown", (e) => {
      const mode = ({ p: "pan", b: "box", l: "lasso" } as Record<string, MapMode>)[e.key];
      if (mode) this.setMode(mode);
    });
    this.renderLegend();
    this.update();
    // Report the first real paint (after the map's first frame) to the host.
    requestAnimationFrame(() =>
      requestAnimationFrame(() =>
        host.post({
          type: "steering/rendered",
          points: n,
          clusters: view.clusters.length,
          rows: view.rows.length,
          ms: Math.round(performance.now() - this.started),
        }),
      ),
    );
    (window as unknown as { qdsExplorer: unknown }).qdsExplorer = this;
  }

  /** Sections listed in the Sections table (tests and the export read it). */
  get shownSections(): Uint32Array {
    return this.shown;
  }
  get mapWidget(): ScatterMap {
    return this.map;
  }
  get rowOrderNow(): Uint32Array {
    return this.rowOrder;
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }

  private setMode(mode: MapMode): void {
    this.map.mode = mode;
    for (const [m, b] of this.modeButtons) setPressed(b, m === mode);
  }

  private onSearch = debounce((v: string) => {
    this.search = v;
    this.update();
  }, 150);

  private setSort(sort: SteeringSort): void {
    this.sort = sort;
    this.rowOrder = sortRows(this.view.rows, sort);
    this.rowsTable.scrollToTop();
    this.rowsTable.refresh();
    this.saveLater();
  }

  private toggleCluster(c: number, only: boolean): void {
    if (only) {
      const alreadyOnly = !this.hidden.has(c) && this.hidden.size === this.view.clusters.length - 1;
      this.hidden = alreadyOnly ? new Set() : new Set(this.view.clusters.keys());
      this.hidden.delete(c);
    } else if (this.hidden.has(c)) this.hidden.delete(c);
    else this.hidden.add(c);
    this.renderLegend();
    this.update();
  }

  /** A family's legend header: hide its clusters if all are shown, else show them all; `only` shows just them. */
  private toggleFamily(members: readonly number[], only: boolean): void {
    if (only) {
      this.hidden = new Set(this.view.clusters.keys());
      for (const c of members) this.hidden.delete(c);
    } else if (members.every((c) => !this.hidden.has(c))) for (const c of members) this.hidden.add(c);
    else for (const c of members) this.hidden.delete(c);
    this.renderLegend();
    this.update();
  }

  private select(mask: Uint8Array | null): void {
    this.selection = mask;
    this.update();
    if (mask) this.side.show("sections");
  }

  /** Recomputes colours, the linked table and the status line after legend, search or selection changed. */
  private update(): void {
    if (this.search.trim() !== "") this.lower ??= this.view.sections.text.map((t) => t.toLowerCase());
    const active = activeMask(this.view, this.hidden, this.search, this.lower);
    const coloured = active;
    if (this.selection) for (let i = 0; i < coloured.length; i++) coloured[i]! &= this.selection[i]!;
    const labelled = Uint8Array.from(this.view.clusters, (_, c) => (this.hidden.has(c) ? 0 : 1));
    this.map.setColoured(coloured, labelled);
    this.shown = indicesOf(coloured);
    this.sectionsTable.setCount(this.shown.length);
    this.sectionsTable.scrollToTop();
    const total = this.view.sections.x.length;
    const what = this.selection ? "selected" : "shown";
    this.side.setLabel("sections", `Sections (${formatInt(this.shown.length)})`);
    this.setStatus(`${formatInt(this.shown.length)} of ${formatInt(total)} sections ${what}`);
    setDisabled(this.clearButton, this.selection === null);
    setDisabled(this.exportButton, this.shown.length === 0);
    this.saveLater();
  }

  /** The legend, grouped under family headers when the analysis made families, largest first. */
  private renderLegend(): void {
    const { clusters } = this.view;
    const bySize = (a: number, b: number) => clusters[b]!.size - clusters[a]!.size;
    const item = (c: number) => {
      const cl = clusters[c]!;
      const b = el("button", this.hidden.has(c) ? "legend-item off" : "legend-item");
      b.dataset["cluster"] = String(c);
      b.setAttribute("aria-pressed", String(!this.hidden.has(c)));
      b.title = `${cl.name}${cl.family ? ` (${cl.family})` : ""}: click to hide or show, Alt+click to show only this cluster`;
      const swatch = el("span", "swatch");
      swatch.style.backgroundColor = clusterColor(c);
      b.append(swatch, el("span", "legend-name", cl.name), el("span", "legend-count", formatInt(cl.size)));
      b.addEventListener("click", (e) => this.toggleCluster(c, e.altKey));
      return b;
    };
    const all = el("button", "legend-all", "Show all");
    all.addEventListener("click", () => {
      this.hidden.clear();
      this.renderLegend();
      this.update();
    });
    const families = this.view.families ?? [];
    if (families.length === 0) {
      this.legend.replaceChildren(el("h2", undefined, "Clusters"), all, ...[...clusters.keys()].sort(bySize).map(item));
      return;
    }
    const grouped = new Set(families.flatMap((f) => f.clusters));
    const groups = families.map((f) => ({ name: f.name, members: [...f.clusters].sort(bySize) }));
    const rest = [...clusters.keys()].filter((c) => !grouped.has(c)).sort(bySize);
    if (rest.length > 0) groups.push({ name: "(no family)", members: rest });
    const sizeOf = (m: number[]) => m.reduce((a, c) => a + clusters[c]!.size, 0);
    groups.sort((a, b) => sizeOf(b.members) - sizeOf(a.members));
    const blocks = groups.map((g) => {
      const shown = g.members.filter((c) => !this.hidden.has(c)).length;
      const head = el("button", shown === 0 ? "legend-family off" : "legend-family");
      head.dataset["family"] = g.name;
      head.setAttribute("aria-pressed", shown === g.members.length ? "true" : shown === 0 ? "false" : "mixed");
      head.title = `Family ${g.name}: click to hide or show its ${g.members.length} clusters, Alt+click to show only this family`;
      head.append(el("span", "legend-name", g.name), el("span", "legend-count", formatInt(sizeOf(g.members))));
      head.addEventListener("click", (e) => this.toggleFamily(g.members, e.altKey));
      const block = el("div", "legend-group");
      block.setAttribute("role", "group");
      block.setAttribute("aria-label", `Family ${g.name}`);
      block.append(head, ...g.members.map(item));
      return block;
    });
    this.legend.replaceChildren(el("h2", undefined, "Families and clusters"), all, ...blocks);
  }

  private clusterTable(): HTMLElement {
    const { clusters, sources } = this.view;
    const table = el("table", "clusters");
    const head = el("tr");
    for (const t of ["", "Cluster", "Size", "Examples", "Share per source"]) head.appendChild(el("th", undefined, t));
    table.appendChild(el("thead")).appendChild(head);
    const body = table.appendChild(el("tbody"));
    const order = [...clusters.keys()].sort((a, b) => clusters[b]!.size - clusters[a]!.size);
    for (const c of order) {
      const cl = clusters[c]!;
      const tr = el("tr");
      tr.tabIndex = 0;
      tr.title = "Show only this cluster on the map";
      const swatch = el("span", "swatch");
      swatch.style.backgroundColor = clusterColor(c);
      const name = el("td", "name", cl.name);
      if (cl.family) name.appendChild(el("div", "family", cl.family));
      const examples = el("td", "examples");
      for (const ex of cl.examples.slice(0, 3)) examples.appendChild(el("div", "example", ex));
      const share = el("td", "share");
      const bar = el("div", "sharebar");
      const total = cl.bySource.reduce((a, b) => a + b, 0) || 1;
      const parts: string[] = [];
      cl.bySource.forEach((count, s) => {
        if (count === 0) return;
        const seg = el("span", `seg s${s % 8}`);
        seg.style.width = `${(100 * count) / total}%`;
        seg.title = `${sources[s]}: ${formatInt(count)}`;
        bar.appendChild(seg);
        parts.push(`${sources[s]} ${Math.round((100 * count) / total)}%`);
      });
      share.append(bar, el("div", "share-text", parts.join(" · ")));
      tr.append(
        el("td", undefined).appendChild(swatch).parentElement!,
        name,
        el("td", "num", formatInt(cl.size)),
        examples,
        share,
      );
      const solo = () => this.toggleCluster(c, true);
      tr.addEventListener("click", solo);
      tr.addEventListener("keydown", (e) => e.key === "Enter" && solo());
      body.appendChild(tr);
    }
    const wrap = el("div", "pane scroll");
    wrap.appendChild(table);
    return wrap;
  }

  private hover(i: number, clientX: number, clientY: number, pane: HTMLElement): void {
    if (i < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const sec = this.view.sections;
    const c = sec.cluster[i]!;
    const text = sec.text[i]!;
    const head = el("div", "tip-head");
    const swatch = el("span", "swatch");
    swatch.style.backgroundColor = clusterColor(c);
    head.append(
      swatch,
      el("span", undefined, `${this.view.clusters[c]?.name} · row ${this.view.rows[sec.row[i]!]?.id}`),
    );
    this.tooltip.replaceChildren(head, el("div", "tip-text", text.length > 280 ? `${text.slice(0, 280)}…` : text));
    this.tooltip.hidden = false;
    const r = pane.getBoundingClientRect();
    const x = Math.min(clientX - r.left + 14, r.width - 330);
    const y = clientY - r.top + 14;
    this.tooltip.style.left = `${Math.max(4, x)}px`;
    this.tooltip.style.top = `${y + 120 > r.height ? y - 130 : y}px`;
  }

  private openSection(i: number): void {
    this.openRow(this.view.sections.row[i]!);
    this.similarFor = i;
    this.similar.hidden = false;
    this.similar.replaceChildren(el("p", "loading", "Finding similar sections…"));
    host.post({ type: "steering/similar", section: i });
  }

  /** The list of sections nearest `section` (when it is still the one last opened); a click opens one. */
  showSimilar(section: number, neighbours: readonly number[]): void {
    if (section !== this.similarFor) return;
    const sec = this.view.sections;
    const head = el("div", "similar-head");
    const close = button("Close", () => {
      this.similar.hidden = true;
      this.similarFor = -1;
    });
    head.append(
      el("h2", undefined, "Similar sections"),
      el("span", "muted similar-of", sec.text[section] ?? ""),
      close,
    );
    if (neighbours.length === 0) {
      this.similar.replaceChildren(head, el("p", "muted", "This analysis has no stored embedding to compare with."));
      return;
    }
    const list = el("ol", "similar-list");
    for (const j of neighbours) {
      const c = sec.cluster[j]!;
      const b = el("button", "similar-item");
      b.dataset["section"] = String(j);
      b.title = `${this.view.clusters[c]?.name} · row ${this.view.rows[sec.row[j]!]?.id}: click to open`;
      const swatch = el("span", "swatch");
      swatch.style.backgroundColor = clusterColor(c);
      b.append(swatch, el("span", "similar-text", sec.text[j] ?? ""));
      b.addEventListener("click", () => this.openSection(j));
      list.appendChild(el("li")).appendChild(b);
    }
    this.similar.replaceChildren(head, list);
  }

  /** Sections in the "Similar sections" list (tests read it). */
  get similarShown(): number[] {
    return Array.from(this.similar.querySelectorAll<HTMLElement>(".similar-item"), (b) => Number(b.dataset["section"]));
  }

  private openRow(index: number): void {
    this.map.mark(this.sectionsOfRow[index] ?? new Uint32Array(0));
    this.detail.hidden = false;
    this.detail.replaceChildren(el("p", "loading", `Opening row ${this.view.rows[index]?.id}…`));
    host.post({ type: "steering/openRow", index });
  }

  showRow(d: SteeringRowDetail): void {
    const row = this.view.rows[d.index];
    this.detail.hidden = false;
    const head = el("div", "detail-head");
    const ratio = row ? thinkSteerRatio(row) : undefined;
    head.append(
      el("h2", undefined, `Row ${d.id}`),
      badge(`${row?.steering ?? 0} steering`),
      el(
        "span",
        "muted",
        row
          ? `${row.exactTokens ? "" : "≈"}${formatInt(row.thinkTokens)} think tokens${row.exactTokens ? "" : " (whitespace estimate)"}` +
              (ratio === undefined ? "" : ` · ${ratio.toFixed(1)} per steering instance`)
          : "",
      ),
      button("Close", () => {
        this.detail.hidden = true;
        this.map.mark(new Uint32Array(0));
      }),
    );
    const original = el("div", "think original");
    original.appendChild(el("h3", undefined, "Original think block"));
    original.appendChild(el("pre", undefined, d.original));
    const rewritten = el("div", "think rewritten");
    rewritten.appendChild(el("h3", undefined, "Steering and execution"));
    const body = el("div", "segments");
    for (const s of d.segments) {
      const seg = el("div", `seg-${s.kind}`);
      seg.appendChild(el("span", "seg-kind", s.kind === "steer" ? "steer" : s.kind === "exec" ? "exec" : "outside"));
      seg.appendChild(el("span", "seg-text", s.text));
      body.appendChild(seg);
    }
    rewritten.appendChild(body);
    const cols = el("div", "think-cols");
    cols.append(original, rewritten);
    this.detail.replaceChildren(head, cols);
  }

  private saveLater = debounce(() => {
    const ui: SteeringUiState = {
      savedAt: Date.now(),
      run: this.view.run,
      hiddenClusters: [...this.hidden],
      search: this.search,
      sort: this.sort,
      view: this.map.view,
    };
    host.saveState(ui);
    host.post({ type: "steering/state", ui });
  }, 300);
}
