/**
 * Finding the workspace's q files on disk for the index: a breadth-first walk
 * that skips `node_modules`, `.git` and other dot folders, ignores files over a
 * size cap and stops at a file-count cap, yielding to the event loop between
 * folders so requests keep being answered while a large workspace is read.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";

export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_FILES = 20000;

export async function* qFiles(root: string): AsyncGenerator<{ path: string; text: string }> {
  const queue = [root];
  let count = 0;
  while (queue.length > 0) {
    const dir = queue.shift()!;
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules" && !e.name.startsWith(".")) queue.push(full);
        continue;
      }
      if (!e.isFile() || !e.name.endsWith(".q")) continue;
      const text = await readSmall(full);
      if (text === undefined) continue;
      if (++count > MAX_FILES) return;
      yield { path: full, text };
    }
    await new Promise((r) => setImmediate(r));
  }
}

/** A file's text when it exists and is under the size cap. */
export async function readSmall(path: string): Promise<string | undefined> {
  try {
    if ((await stat(path)).size > MAX_FILE_BYTES) return undefined;
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}
