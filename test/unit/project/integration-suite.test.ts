/**
 * The integration suite loads its test files from an explicit list in
 * test/integration/suite/index.ts (they are bundled, so there is no folder to
 * scan at run time); a test file missing from that list would silently never
 * run. This checks the list against the folder in both directions.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const SUITE = resolve(__dirname, "../../integration/suite");

describe("integration suite", () => {
  it("index.ts requires exactly the *.test.ts files of its folder", () => {
    const files = readdirSync(SUITE)
      .filter((f) => f.endsWith(".test.ts"))
      .map((f) => f.slice(0, -".ts".length))
      .sort();
    const source = readFileSync(join(SUITE, "index.ts"), "utf8");
    const required = [...source.matchAll(/require\("\.\/([^"]+\.test)"\)/g)].map((m) => m[1]).sort();
    assert.ok(files.length > 0, "no integration test files found");
    assert.deepEqual(required, files);
  });
});
