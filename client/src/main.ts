/**
 * Extension entry: wiring only. Builds the Ctx, registers commands, starts
 * the language server. Activation failures are shown, then re-thrown so the
 * host records them.
 */
import * as vscode from "vscode";
import { registerCommands } from "./commands";
import { Ctx } from "./ctx";

let ctx: Ctx | undefined;

/** What activate() returns: integration tests use it to wait for readiness without sleeping. */
export interface QdsApi {
  whenReady(): Promise<{ engine: string }>;
}

export async function activate(extension: vscode.ExtensionContext): Promise<QdsApi> {
  const c = new Ctx(extension);
  ctx = c;
  try {
    registerCommands(c);
    await c.start();
  } catch (err) {
    void vscode.window.showErrorMessage(`Q Dataset Studio failed to start: ${String(err)}`);
    throw err;
  }
  return { whenReady: () => c.whenReady() };
}

export async function deactivate(): Promise<void> {
  await ctx?.dispose();
  ctx = undefined;
}
