/**
 * The webview fence (STYLE.md item 19): page code under webview/src imports
 * only other page code, the protocol module (as types: nothing of the
 * extension's runtime enters a page bundle), and the component library only
 * through webview/src/shared/components.ts, so swapping it touches one file.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const ROOT = resolve(__dirname, "../../..");
const WEBVIEW = join(ROOT, "webview", "src");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("webview fence", () => {
  it("page code imports only page code, protocol types and (in components.ts) the toolkit", () => {
    const problems: string[] = [];
    const all = files(WEBVIEW);
    assert.ok(all.length >= 5);
    for (const file of all) {
      const rel = relative(ROOT, file);
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(
        /^import\s+(type\s+)?[^"']*?from\s+["']([^"']+)["']|^import\s+["']([^"']+)["']/gm,
      )) {
        const isType = m[1] !== undefined;
        const spec = m[2] ?? m[3]!;
        if (spec.startsWith(".")) {
          const target = resolve(file, "..", spec);
          if (target === join(ROOT, "server", "src", "protocol")) {
            if (!isType) problems.push(`${rel}: imports the protocol module for values; use \`import type\``);
          } else if (!target.startsWith(WEBVIEW)) problems.push(`${rel}: imports ${spec} from outside webview/src`);
        } else if (spec === "@vscode/webview-ui-toolkit") {
          if (rel !== join("webview", "src", "shared", "components.ts"))
            problems.push(`${rel}: uses the toolkit directly; go through shared/components.ts`);
        } else problems.push(`${rel}: imports package ${spec}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
