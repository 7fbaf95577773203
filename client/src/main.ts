/**
 * Extension entry: wiring only. Builds the services (Ctx), the features on
 * top of them (Editor), registers commands, starts the language server. Activation failures are shown, then re-thrown so the
 * host records them.
 */
import * as vscode from "vscode";
import { registerCommands } from "./commands";
import { Ctx } from "./ctx";
import { type App, Editor } from "./editor";

let ctx: Ctx | undefined;

/** What activate() returns: integration tests use it to wait for readiness without sleeping. */
export interface QdsApi {
  whenReady(): Promise<{ engine: string }>;
  /** The explorer, Test Explorer and CodeLens objects, so tests read what they render. */
  editor: Editor;
  /** This extension's log folder; the output channel (language-server trace included) is a file in it. */
  logUri: vscode.Uri;
}

export async function activate(extension: vscode.ExtensionContext): Promise<QdsApi> {
  const services = new Ctx(extension);
  ctx = services;
  const editor = new Editor(services);
  services.pushExtCleanup(editor);
  const c: App = Object.assign(services, { editor });
  try {
    registerCommands(c);
    await c.start();
    void c.editor.runtime.update().catch((err: unknown) => c.output.warn(`q runtime info: ${String(err)}`));
  } catch (err) {
    void vscode.window.showErrorMessage(`Q Dataset Studio failed to start: ${String(err)}`);
    throw err;
  }
  return { whenReady: () => c.whenReady(), editor: c.editor, logUri: extension.logUri };
}

export async function deactivate(): Promise<void> {
  await ctx?.dispose();
  ctx = undefined;
}
