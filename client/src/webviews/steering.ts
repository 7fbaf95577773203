/**
 * Host side of the Steering Explorer: command "Open Steering Explorer" on an
 * analysed trace run folder, one panel per run, and a serializer so panels
 * come back after a reload. The page asks for the run once it has loaded
 * (`steering/ready`); the host reads `<run>/analysis/` through
 * server/src/traces/store.ts, converts it (steering-data.ts) and sends it;
 * row texts are read per request; exports are written here, where the
 * files are.
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import * as vscode from "vscode";
import type { SteeringToHost, SteeringToPage, SteeringUiState, SteeringView } from "../../../server/src/protocol";
import { unitRows } from "../../../server/src/traces/cluster";
import { ANALYSIS_FILES, type AnalysisManifest } from "../../../server/src/traces/model";
import { similarSections } from "../../../server/src/traces/neighbours";
import { analysisDir, readAnalysis, readEmbedding, readRowText } from "../../../server/src/traces/store";
import type { Ctx } from "../ctx";
import { loadPage } from "./panel";
import { exportLines, toRowDetail, toSteeringView } from "./steering-data";

const STEERING_VIEW_TYPE = "qds.steeringExplorer";
/** How many similar sections the page lists. */
const SIMILAR_COUNT = 10;

/** What the page reported after its first paint (tests compare it with the run). */
type SteeringRendered = Extract<SteeringToHost, { type: "steering/rendered" }>;

export interface SteeringPanelHandle {
  panel: vscode.WebviewPanel;
  run: string;
  /** Resolves when the page has drawn the run. */
  rendered: Promise<SteeringRendered>;
}

/** Open panels by run folder (one per run). */
type Panels = Map<string, SteeringPanelHandle>;

function attach(
  ctx: Ctx,
  panels: Panels,
  panel: vscode.WebviewPanel,
  run: string,
  ui?: SteeringUiState,
): SteeringPanelHandle {
  let view: SteeringView | undefined;
  let manifest: AnalysisManifest | undefined;
  /** The unit-normalised embedding, loaded on the first "similar sections" request. */
  let similar: Promise<{ unit: Float32Array; rows: number; dims: number } | undefined> | undefined;
  let lastUi = ui;
  let reportRendered: (r: SteeringRendered) => void = () => {};
  const handle: SteeringPanelHandle = {
    panel,
    run,
    rendered: new Promise((resolve) => {
      reportRendered = resolve;
    }),
  };
  panels.set(run, handle);
  const post = (msg: SteeringToPage) => void panel.webview.postMessage(msg);
  const fail = (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    ctx.output.error(`Steering Explorer (${run}): ${message}`);
    post({ type: "steering/error", message });
  };
  const handlers: { [K in SteeringToHost["type"]]: (m: Extract<SteeringToHost, { type: K }>) => Promise<void> | void } =
    {
      "steering/ready": async () => {
        const analysis = await readAnalysis(run);
        manifest = analysis.manifest;
        view = toSteeringView(run, analysis);
        post({ type: "steering/view", view, ...(lastUi === undefined ? {} : { ui: lastUi }) });
      },
      "steering/rendered": (m) => {
        ctx.output.info(`Steering Explorer: ${m.points} sections, ${m.clusters} clusters drawn in ${m.ms} ms`);
        reportRendered(m);
      },
      "steering/openRow": async (m) => {
        const row = view?.rows[m.index];
        if (row === undefined) return;
        const text = await readRowText(run, row.id);
        if (text === undefined) throw new Error(`${join(analysisDir(run), "texts.jsonl")}: no texts for row ${row.id}`);
        post({ type: "steering/row", detail: toRowDetail(m.index, text) });
      },
      "steering/export": async (m) => {
        if (view === undefined) return;
        const target = await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.file(
            join(run, `steering-selection-${new Date().toISOString().replace(/[:.]/g, "-")}.jsonl`),
          ),
          filters: { "JSON Lines": ["jsonl"] },
          title: `Export ${m.sections.length} steering sections`,
        });
        if (target === undefined) return;
        await writeFile(target.fsPath, exportLines(view, m.sections));
        post({ type: "steering/exported", file: target.fsPath, rows: m.sections.length });
      },
      "steering/similar": async (m) => {
        if (manifest === undefined) return;
        similar ??= readEmbedding(run, manifest).then((e) => e && { unit: unitRows(e), rows: e.rows, dims: e.dims });
        const e = await similar;
        const neighbours = e ? similarSections(e.unit, e.rows, e.dims, m.section, SIMILAR_COUNT) : [];
        post({ type: "steering/similar", section: m.section, neighbours });
      },
      "steering/state": (m) => {
        lastUi = m.ui;
      },
    };
  panel.webview.onDidReceiveMessage((msg: SteeringToHost) => {
    const handler = handlers[msg.type] as ((m: SteeringToHost) => Promise<void> | void) | undefined;
    void Promise.resolve()
      .then(() => handler?.(msg))
      .catch(fail);
  });
  panel.onDidDispose(() => panels.delete(run));
  loadPage(panel, ctx.extension, "steering", "Steering Explorer");
  return handle;
}

/** The run folder from the command's argument (explorer context menu), or asked for. */
async function pickRun(arg: unknown): Promise<string | undefined> {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (typeof arg === "string") return arg;
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    openLabel: "Open Steering Explorer",
    title: "Choose an analysed trace run folder",
  });
  return picked?.[0]?.fsPath;
}

/** Command `qds.openSteeringExplorer`; registers the panel serializer once. */
export function openSteeringExplorer(ctx: Ctx): (arg?: unknown) => Promise<SteeringPanelHandle | undefined> {
  const panels: Panels = new Map();
  ctx.pushExtCleanup(
    vscode.window.registerWebviewPanelSerializer(STEERING_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const ui = state as SteeringUiState | undefined;
        if (typeof ui?.run !== "string") {
          panel.dispose();
          return;
        }
        attach(ctx, panels, panel, ui.run, ui);
      },
    }),
  );
  return async (arg) => {
    const run = await pickRun(arg);
    if (run === undefined) return undefined;
    if (!existsSync(join(analysisDir(run), ANALYSIS_FILES.manifest))) {
      void vscode.window.showErrorMessage(
        `${basename(run)} has no analysis yet: run \`qds traces analyze --run ${run}\` first.`,
      );
      return undefined;
    }
    const open = panels.get(run);
    if (open) {
      open.panel.reveal();
      return open;
    }
    const panel = vscode.window.createWebviewPanel(
      STEERING_VIEW_TYPE,
      `Steering · ${basename(run)}`,
      vscode.ViewColumn.Active,
    );
    return attach(ctx, panels, panel, run);
  };
}
