/**
 * CodeLens over problem files: "▶ Run test N" (plus the last result) at the
 * top of q_test_case_N.q and "▶ Run all N tests · k/N passing" (or "not run")
 * at the top of sol.q. The lenses run `qds.runTests` with Test Explorer item ids, so they go
 * through the TestController like every other run. `qds.codeLens.enabled`
 * turns them off.
 */
import { basename } from "node:path";
import * as vscode from "vscode";
import type { Ctx } from "./ctx";
import type { DatasetModel } from "./model";
import { problemId, type Testing, testId } from "./testing";

const TEST_FILE = /^q_test_case_(\d+)\.q$/;

export class RunLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly model: DatasetModel,
    private readonly testing: Testing,
  ) {
    this.subscriptions.push(
      this.changed,
      vscode.languages.registerCodeLensProvider({ language: "q", scheme: "file" }, this),
      model.onDidChange(() => this.changed.fire()),
      testing.onDidFinishRun(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("qds.codeLens.enabled")) this.changed.fire();
      }),
    );
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!this.ctx.config.codeLensEnabled) return [];
    const name = basename(document.uri.fsPath);
    const test = TEST_FILE.exec(name);
    if (test === null && name !== "sol.q") return [];
    if (this.model.datasets.length === 0) await this.model.refresh();
    const ref = await this.model.locate(document.uri.fsPath);
    if (ref === undefined) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const { dataset, problem } = ref;
    if (test !== null) {
      const n = Number(test[1]);
      const id = testId(dataset, problem.name, n);
      const lenses = [
        new vscode.CodeLens(top, { title: `▶ Run test ${n}`, command: "qds.runTests", arguments: [[id]] }),
      ];
      const last = this.testing.results.get(id)?.outcome ?? problem.tests.find((t) => t.n === n)?.status;
      if (last !== undefined && last !== "unknown")
        lenses.push(new vscode.CodeLens(top, { title: `last: ${last}`, command: "" }));
      return lenses;
    }
    const total = problem.tests.length;
    // This session's result, else the one recorded by the last verification; undefined: never run.
    const outcomes = problem.tests.map((t) => {
      const last = this.testing.results.get(testId(dataset, problem.name, t.n))?.outcome;
      if (last !== undefined) return last === "passed";
      return t.status === "unknown" ? undefined : t.status === "pass";
    });
    const ran = outcomes.filter((o) => o !== undefined).length;
    const passing = outcomes.filter((o) => o === true).length;
    // "0/2 passing" for tests never run reads as two failures.
    const state = ran === 0 ? "not run" : `${passing}/${total} passing${ran < total ? `, ${total - ran} not run` : ""}`;
    return [
      new vscode.CodeLens(top, {
        title: `▶ Run all ${total} tests · ${state}`,
        command: "qds.runTests",
        arguments: [[problemId(dataset, problem.name)]],
      }),
    ];
  }
}
