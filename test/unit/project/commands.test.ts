/** package.json contributes.commands and client/src/commands.ts list the same commands. */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "../../..");

describe("command table", () => {
  it("matches package.json contributes.commands in both directions", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      contributes: { commands: { command: string }[] };
    };
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    // Read the table's keys from source: importing it would load `vscode`.
    const source = readFileSync(join(ROOT, "client/src/commands.ts"), "utf8");
    const table = source.slice(source.indexOf("const commands"));
    const implemented = [...table.matchAll(/^\s+"(qds\.[\w.]+)":/gm)].map((m) => m[1]).sort();
    assert.ok(implemented.length > 0, "no commands found in client/src/commands.ts");
    assert.deepEqual(implemented, declared);
  });
});
