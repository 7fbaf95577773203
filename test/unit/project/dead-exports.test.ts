/**
 * The client is thin glue: an export of client/src that nothing imports is
 * dead code or a name that should be private. Checked with ts-unused-exports
 * over the whole project (tests count as users). The extension's entry points
 * are the only exports VS Code, not our code, calls.
 */
import { strict as assert } from "node:assert";
import { relative, resolve } from "node:path";
import { analyzeTsConfig } from "ts-unused-exports";

const ROOT = resolve(__dirname, "../../..");
/** Called by VS Code: the extension's activate/deactivate. */
const ENTRY_POINTS = new Set(["client/src/main.ts:activate", "client/src/main.ts:deactivate"]);

describe("no dead exports in the client", function () {
  this.timeout(120_000);
  it("every export under client/src is imported somewhere", () => {
    const { unusedExports } = analyzeTsConfig(resolve(ROOT, "tsconfig.json"));
    const dead = Object.entries(unusedExports)
      .map(([file, exports]) => [relative(ROOT, file), exports] as const)
      .filter(([file]) => file.startsWith("client/src/"))
      .flatMap(([file, exports]) => exports.map((e) => `${file}:${e.exportName}`))
      .filter((name) => !ENTRY_POINTS.has(name));
    assert.deepEqual(dead, []);
  });
});
