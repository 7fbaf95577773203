/**
 * The language server's view of the `qds` settings: pulled from the client
 * (`workspace/configuration`), validated by the shared module
 * (server/src/settings.ts), with invalid values reported once on the
 * connection's log. The workspace's trust comes from the client's
 * initializationOptions (`{ trusted }`); a client that sends none has no
 * trust model, and its workspace counts as trusted.
 */
import type { Connection, InitializeParams } from "vscode-languageserver/node";
import { DEFAULT_SETTINGS, effectiveQPath, parseSettings, type Settings } from "../settings";

let trusted = true;
const reported = new Set<string>();

/** Reads the workspace trust the client declared at `initialize`. */
export function readTrust(params: InitializeParams): void {
  const options = params.initializationOptions as { trusted?: unknown } | undefined;
  trusted = options?.trusted !== false;
}

/** The settings for `scopeUri` (or the workspace); defaults when the client cannot be asked. */
export async function pullSettings(connection: Connection, scopeUri?: string): Promise<Settings> {
  let raw: unknown;
  try {
    const item = scopeUri === undefined ? { section: "qds" } : { scopeUri, section: "qds" };
    raw = await connection.workspace.getConfiguration(item);
  } catch {
    return DEFAULT_SETTINGS;
  }
  const { settings, problems } = parseSettings(raw ?? {});
  for (const p of problems) {
    if (reported.has(p)) continue;
    reported.add(p);
    connection.console.warn(`settings: ${p}`);
  }
  return settings;
}

/** `qds.q.path` as it may be used here: "" (the embedded engine) in an untrusted workspace. */
export const qPathOf = (settings: Settings): string => effectiveQPath(settings, trusted);
