/**
 * Host side of the dataset overview: command "Open Dataset Overview" on a
 * dataset (explorer item, or picked), one panel per dataset, refreshed when
 * the dataset model reports a change in that dataset (a verify run, an edit)
 * and restored after a reload by its serializer.
 */
import * as vscode from "vscode";
import type { OverviewToHost, OverviewToPage, OverviewUiState } from "../../../server/src/protocol";
import { HISTORY_FILE, readHistory } from "../../../server/src/verify/history";
import type { App as Ctx } from "../editor";
import type { Node } from "../explorer";
import { overviewOf } from "./overview-data";
import { loadPage } from "./panel";

const OVERVIEW_VIEW_TYPE = "qds.datasetOverview";

type OverviewRendered = Extract<OverviewToHost, { type: "overview/rendered" }>;
export interface OverviewPanelHandle {
  panel: vscode.WebviewPanel;
  dir: string;
  /** Every render the page reports, newest last (a refresh adds one). */
  renders: OverviewRendered[];
  /** Resolves with the next render report. */
  nextRender(): Promise<OverviewRendered>;
}

type Panels = Map<string, OverviewPanelHandle>;

function attach(ctx: Ctx, panels: Panels, panel: vscode.WebviewPanel, dir: string): OverviewPanelHandle {
  const model = ctx.editor.model;
  const waiting: ((r: OverviewRendered) => void)[] = [];
  const handle: OverviewPanelHandle = {
    panel,
    dir,
    renders: [],
    nextRender: () => new Promise((resolve) => waiting.push(resolve)),
  };
  panels.set(dir, handle);
  const post = (msg: OverviewToPage) => void panel.webview.postMessage(msg);
  const send = async () => {
    if (model.datasets.length === 0) await model.refresh();
    const summary = model.datasets.find((d) => d.dir === dir);
    const problems = await model.problems(dir);
    const { entries, skipped } = await readHistory(dir);
    for (const line of skipped) ctx.output.warn(`${line}: not a verify history entry, skipped`);
    post({ type: "overview/data", overview: overviewOf({ dir, name: summary?.name ?? dir }, problems, entries) });
  };
  // A verify run changes every problem, then appends the history line: one refresh after the burst.
  let timer: NodeJS.Timeout | undefined;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () => void send().catch((err: unknown) => ctx.output.error(`Dataset overview (${dir}): ${String(err)}`)),
      150,
    );
  };
  const sub = model.onDidChange((c) => {
    if (c.dataset === undefined || c.dataset === dir) refresh();
  });
  const history = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, HISTORY_FILE));
  history.onDidChange(refresh);
  history.onDidCreate(refresh);
  panel.webview.onDidReceiveMessage((msg: OverviewToHost) => {
    if (msg.type === "overview/ready" || msg.type === "overview/refresh") refresh();
    else if (msg.type === "overview/rendered") {
      handle.renders.push(msg);
      for (const resolve of waiting.splice(0)) resolve(msg);
    }
  });
  panel.onDidDispose(() => {
    clearTimeout(timer);
    sub.dispose();
    history.dispose();
    panels.delete(dir);
  });
  loadPage(panel, ctx.extension, "overview", "Dataset Overview");
  return handle;
}

async function pickDataset(ctx: Ctx, arg: unknown): Promise<string | undefined> {
  if (typeof arg === "object" && arg !== null && (arg as Node).kind === "dataset")
    return (arg as Node & { kind: "dataset" }).dataset.dir;
  if (typeof arg === "string") return arg;
  const model = ctx.editor.model;
  if (model.datasets.length === 0) await model.refresh();
  if (model.datasets.length === 1) return model.datasets[0]?.dir;
  const picked = await vscode.window.showQuickPick(
    model.datasets.map((d) => ({ label: d.name, description: d.dir, dir: d.dir })),
    { title: "Open the overview of which dataset?" },
  );
  return picked?.dir;
}

/** Command `qds.openDatasetOverview`; registers the panel serializer once. */
export function openDatasetOverview(ctx: Ctx): (arg?: unknown) => Promise<OverviewPanelHandle | undefined> {
  const panels: Panels = new Map();
  ctx.pushExtCleanup(
    vscode.window.registerWebviewPanelSerializer(OVERVIEW_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const dir = (state as OverviewUiState | undefined)?.dir;
        if (typeof dir !== "string") {
          panel.dispose();
          return;
        }
        attach(ctx, panels, panel, dir);
      },
    }),
  );
  return async (arg) => {
    const dir = await pickDataset(ctx, arg);
    if (dir === undefined) return undefined;
    const open = panels.get(dir);
    if (open) {
      open.panel.reveal();
      return open;
    }
    const name = ctx.editor.model.datasets.find((d) => d.dir === dir)?.name ?? dir;
    const panel = vscode.window.createWebviewPanel(OVERVIEW_VIEW_TYPE, `Overview · ${name}`, vscode.ViewColumn.Active);
    return attach(ctx, panels, panel, dir);
  };
}
