/**
 * The editor features, built once per activation by main.ts on top of Ctx: the
 * dataset model they share, the explorer tree, the Test Explorer controller,
 * the run CodeLens, the runtime status bar item and the q console output
 * channel. Each part only renders or forwards; the data comes from the server.
 */
import * as vscode from "vscode";
import { BootstrapRuns } from "./bootstrap";
import { RunLenses } from "./codelens";
import type { Ctx } from "./ctx";
import { Explorer } from "./explorer";
import { DatasetModel } from "./model";
import { RuntimeStatus } from "./statusbar";
import { Testing } from "./testing";

/** What commands get: the services plus the features (rust-analyzer's `CtxInit` pattern). */
export type App = Ctx & { readonly editor: Editor };

export class Editor implements vscode.Disposable {
  readonly model: DatasetModel;
  readonly explorer: Explorer;
  readonly testing: Testing;
  readonly lenses: RunLenses;
  readonly runtime: RuntimeStatus;
  /** Bootstrap runs: the view, the qds-bootstrap task provider. */
  readonly bootstrap: BootstrapRuns;
  /** Where "Run q File or Selection" shows the console display. */
  readonly console: vscode.OutputChannel;

  constructor(ctx: Ctx) {
    this.model = new DatasetModel(ctx);
    this.explorer = new Explorer(this.model);
    this.testing = new Testing(ctx, this.model);
    this.lenses = new RunLenses(ctx, this.model, this.testing);
    this.runtime = new RuntimeStatus(ctx);
    this.bootstrap = new BootstrapRuns(ctx);
    this.console = vscode.window.createOutputChannel("q Console", "q");
  }

  dispose(): void {
    for (const d of [this.bootstrap, this.console, this.runtime, this.lenses, this.testing, this.explorer, this.model])
      d.dispose();
  }
}
