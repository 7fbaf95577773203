/**
 * The status bar item naming the q runtime that verification and the REPL
 * use: the embedded engine and its version, or the external `qds.q.path`
 * binary and the version it reports. Asked from the server (`qds/runtimeInfo`)
 * at start and whenever `qds.q.path` changes.
 */
import * as vscode from "vscode";
import * as protocol from "../../server/src/protocol";
import type { Ctx } from "./ctx";

export class RuntimeStatus implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    this.item = vscode.window.createStatusBarItem("qds.runtime", vscode.StatusBarAlignment.Left, 0);
    this.item.name = "q Runtime";
    this.item.command = "qds.showEngineInfo";
    this.item.text = "$(loading~spin) q";
    this.item.show();
    this.subscriptions.push(
      this.item,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("qds.q.path")) void this.update();
      }),
    );
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }

  /** Asks the server which runtime is in use and shows it; returns what was shown. */
  async update(): Promise<protocol.RuntimeInfoResult> {
    await this.ctx.whenReady();
    const info = await this.ctx.languageClient.sendRequest(protocol.runtimeInfo);
    if (info.kind === "embedded") {
      this.item.text = `$(beaker) q: embedded ${info.version}`;
      this.item.tooltip = `Embedded q engine ${info.name} ${info.version}`;
    } else {
      this.item.text = `$(terminal) q: ${info.version}`;
      this.item.tooltip = `External q: ${info.name} (${info.version})`;
    }
    return info;
  }
}
