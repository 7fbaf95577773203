/**
 * Typed access to the `qds.*` settings. package.json's
 * contributes.configuration is the schema; no runtime validation here.
 */
import * as vscode from "vscode";

export const SECTION = "qds";

/** Settings whose change needs a language-server restart to take effect. */
export const RESTART_REQUIRED: readonly string[] = ["qds.trace.server"];

export class Config {
  private get<T>(path: string): T | undefined {
    return vscode.workspace.getConfiguration(SECTION).get<T>(path);
  }

  get traceServer(): "off" | "messages" | "verbose" {
    return this.get<"off" | "messages" | "verbose">("trace.server") ?? "off";
  }

  /** Extra dataset folders (absolute, or relative to the first workspace folder). */
  get datasets(): string[] {
    return this.get<string[]>("datasets") ?? [];
  }

  get codeLensEnabled(): boolean {
    return this.get<boolean>("codeLens.enabled") ?? true;
  }

  /** An external q binary; empty means the embedded engine. */
  get qPath(): string {
    return this.get<string>("q.path") ?? "";
  }
}
