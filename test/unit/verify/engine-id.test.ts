/**
 * The embedded engine's cache identity changes whenever the engine's source
 * changes, so a cached "valid" can never outlive the engine that earned it.
 */
import { strict as assert } from "node:assert";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engineFingerprint, hashEngineSource } from "../../../server/src/q/version";
import { embeddedEngine } from "../../../server/src/verify/embedded";

describe("embedded engine identity", () => {
  it("carries the engine source hash", () => {
    const engine = embeddedEngine();
    assert.ok(engine.id.endsWith(engineFingerprint()), engine.id);
    assert.match(engineFingerprint(), /^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
  });

  it("changes when any engine source file changes", () => {
    const dir = mkdtempSync(join(tmpdir(), "qds-engine-hash-"));
    try {
      cpSync(join(__dirname, "../../../server/src/q"), dir, { recursive: true });
      const before = hashEngineSource(dir);
      assert.equal(hashEngineSource(dir), before, "hash is deterministic");
      writeFileSync(join(dir, "verbs", "index.ts"), "// a one-line change\n", { flag: "a" });
      assert.notEqual(hashEngineSource(dir), before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
