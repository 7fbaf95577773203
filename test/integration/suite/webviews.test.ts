/**
 * The webview panels in the real host: "Open Steering Explorer" on an
 * analysed run folder (written with the trace store from a synthetic
 * analysis) opens the panel and its page reports drawing every section of
 * that run; "Open Dataset Overview" on the demo dataset shows its counts, and
 * a whole-dataset verify run from the editor appends a history line that
 * the open overview then charts. With QDS_SCREENSHOT set, the Steering
 * Explorer is pictured while it is open.
 */
import { strict as assert } from "node:assert";
import { existsSync, readFileSync, rmSync } from "node:fs";
import * as vscode from "vscode";
import type { OverviewPanelHandle } from "../../../client/src/webviews/overview";
import type { SteeringPanelHandle } from "../../../client/src/webviews/steering";
import { syntheticAnalysis } from "../../../server/src/traces/model";
import { writeAnalysis } from "../../../server/src/traces/store";
import { HISTORY_FILE } from "../../../server/src/verify/history";
import { extension, fixture, until, within } from "./util";

describe("webviews: Steering Explorer and dataset overview", function () {
  this.timeout(90_000);

  before(async () => {
    const api = await within(extension().activate(), "activation");
    await within(api.whenReady(), "the server to be ready");
  });

  after(async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  it("Open Steering Explorer renders every section of an analysed run", async () => {
    const run = fixture("runs/demo-run");
    const { result, texts } = syntheticAnalysis({ rows: 300, sectionsPerRow: 4, clusters: 9, seed: 5 });
    await writeAnalysis(run.fsPath, result, texts);
    const handle = await within(
      vscode.commands.executeCommand<SteeringPanelHandle>("qds.openSteeringExplorer", run),
      "the command",
    );
    assert.ok(handle, "the command opened no panel");
    const rendered = await within(handle.rendered, "the page to draw the run", 45_000);
    assert.deepEqual([rendered.points, rendered.clusters, rendered.rows], [result.sections.length, 9, 300]);
    assert.equal(handle.panel.visible, true);
    const shot = process.env["QDS_SCREENSHOT"];
    if (shot !== undefined) {
      rmSync(shot, { force: true });
      console.log("qds:screenshot");
      await until(() => existsSync(shot), `the runner to write ${shot}`);
    }
  });

  it("Open Dataset Overview shows the dataset's counts, and a verify run adds a point to its history", async () => {
    const api = await within(extension().activate(), "activation");
    const demo = fixture("datasets/demo");
    const source = vscode.Uri.joinPath(extension().extensionUri, "test", "integration", "fixtures", "datasets", "demo");
    await vscode.workspace.fs.copy(source, demo, { overwrite: true });
    rmSync(vscode.Uri.joinPath(demo, HISTORY_FILE).fsPath, { force: true });
    await within(api.editor.model.refresh(), "the dataset list");
    const problems = await api.editor.model.problems(demo.fsPath);
    const handle = await within(
      vscode.commands.executeCommand<OverviewPanelHandle>("qds.openDatasetOverview", demo.fsPath),
      "the command",
    );
    assert.ok(handle, "the command opened no panel");
    const first = handle.renders[0] ?? (await within(handle.nextRender(), "the overview to render", 45_000));
    const expected: Record<string, number> = { valid: 0, failing: 0, error: 0, untested: 0, no_q: 0, invalid: 0 };
    for (const p of problems) expected[p.status]!++;
    assert.equal(first.total, problems.length);
    assert.deepEqual(first.byStatus, expected);
    assert.equal(first.runs, 0);

    const next = handle.nextRender();
    const summary = api.editor.model.datasets.find((d) => d.dir === demo.fsPath);
    assert.ok(summary);
    await within(
      vscode.commands.executeCommand("qds.verifyDataset", { kind: "dataset", dataset: summary }),
      "the run",
      60_000,
    );
    const lines = readFileSync(vscode.Uri.joinPath(demo, HISTORY_FILE).fsPath, "utf8").trim().split("\n");
    assert.equal(lines.length, 1);
    const entry = JSON.parse(lines[0]!) as { counts: Record<string, number>; passRate: number };
    const after = await api.editor.model.problems(demo.fsPath);
    const counts: Record<string, number> = { valid: 0, failing: 0, error: 0, untested: 0, no_q: 0, invalid: 0 };
    for (const p of after) counts[p.status]!++;
    // The history holds verification results only; "invalid" is the editor's validation status.
    const { invalid, ...verified } = counts;
    assert.equal(invalid, 0, "the demo fixture passes qds validate");
    assert.deepEqual(entry.counts, verified);
    // The open overview refreshes on its own (history watcher, model change) and charts the run.
    let shown = await within(next, "the overview to refresh", 30_000);
    while (shown.runs < 1) shown = await within(handle.nextRender(), "the overview to chart the run", 30_000);
    assert.equal(shown.runs, 1);
    assert.deepEqual(shown.byStatus, counts);
  });
});
