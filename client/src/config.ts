/**
 * The `qds.*` settings as the client uses them: read from VS Code and
 * validated by the shared schema (server/src/settings.ts), so every value the
 * client sees is typed and in range. Invalid values fall back to their
 * defaults and are logged once.
 */
import * as vscode from "vscode";
import { parseSettings, type Settings } from "../../server/src/settings";

/** The `qds` section as VS Code has it now, validated (invalid values: defaults, with the problems). */
export function readSettings(): ReturnType<typeof parseSettings> {
  return parseSettings(JSON.parse(JSON.stringify(vscode.workspace.getConfiguration("qds"))) as unknown);
}

export class Config {
  private readonly reported = new Set<string>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** The whole section, validated; read fresh each time (VS Code caches the configuration itself). */
  get all(): Settings {
    const { settings, problems } = readSettings();
    for (const p of problems) {
      if (this.reported.has(p)) continue;
      this.reported.add(p);
      this.log.warn(`settings: ${p}`);
    }
    return settings;
  }

  /** Extra dataset folders (absolute, or relative to the first workspace folder). */
  get datasets(): string[] {
    return this.all.datasets;
  }

  get codeLensEnabled(): boolean {
    return this.all.codeLens.enabled;
  }

  get autoAcceptWhenPassing(): boolean {
    return this.all.llm.autoAcceptWhenPassing;
  }
}
