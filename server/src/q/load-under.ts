/**
 * The `\l` allow-list of the `qds q` console: `.q` files inside one folder (the working
 * directory the console was started in). The sandbox itself loads nothing from disk.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";

export function loadUnder(root: string): (path: string) => string | undefined {
  return (path) => {
    const full = resolve(root, path);
    const rel = relative(root, full);
    if (!path.endsWith(".q") || rel.startsWith("..") || isAbsolute(rel)) return undefined;
    try {
      return readFileSync(full, "utf8");
    } catch {
      return undefined;
    }
  };
}
