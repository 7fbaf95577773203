/**
 * Helpers shared by the integration tests: the extension under test, its
 * API, and waiting on a promise or a condition with a deadline instead of
 * sleeping for a guessed time.
 */
import * as vscode from "vscode";
import type { QdsApi } from "../../../client/src/main";

export const EXTENSION_ID = "qds.q-dataset-studio";

export function extension(): vscode.Extension<QdsApi> {
  const ext = vscode.extensions.getExtension<QdsApi>(EXTENSION_ID);
  if (ext === undefined) throw new Error(`extension ${EXTENSION_ID} is not loaded in the host`);
  return ext;
}

/** Resolves like `promise`, or rejects naming `what` once `ms` have passed. */
export async function within<T>(promise: Thenable<T>, what: string, ms = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve(promise), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits until `condition()` holds, re-checking every 50 ms, for state the API
 * offers no event for (an extension becoming active).
 */
export function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (condition()) resolve();
      else if (Date.now() - started > ms) reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
      else return;
      clearInterval(timer);
    }, 50);
  });
}

/** A file of the fixture workspace (a temp copy made by the runner). */
export function fixture(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder === undefined) throw new Error("the runner opened no workspace folder");
  return vscode.Uri.joinPath(folder.uri, name);
}
