/**
 * The vendor SDKs live in their own bundle (dist/sdks.js, see
 * scripts/build.mjs and server/src/llm/sdk.ts): commands that never call a
 * model must not read them, and commands that do must find them. Runs the
 * product build, then the built CLI in child processes with a preload that
 * reports every file Node compiles; the convert end-to-end test
 * (test/unit/llm/e2e.test.ts) is the other half: it calls a model through
 * the same built CLI.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ensureBuilt } from "../lsp/client";

const ROOT = resolve(__dirname, "../../..");
const DIST = join(ROOT, "dist");

describe("vendor SDKs are a separate bundle", function () {
  this.timeout(60_000);
  let tmp: string;
  let preload: string;
  before(() => {
    ensureBuilt();
    tmp = mkdtempSync(join(tmpdir(), "qds-sdk-split-"));
    preload = join(tmp, "trace-loads.js");
    // Prints each module file Node loads through require, on stderr, one per line.
    writeFileSync(
      preload,
      `const M = require("module"); const load = M.prototype._compile;
M.prototype._compile = function (c, f) { process.stderr.write("LOADED " + f + "\\n"); return load.call(this, c, f); };`,
    );
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  const loaded = (args: string[], input?: string): string[] => {
    const r = spawnSync("node", ["-r", preload, join(DIST, "cli.js"), ...args], { input, encoding: "utf8" });
    return r.stderr
      .split("\n")
      .filter((l) => l.startsWith("LOADED "))
      .map((l) => l.slice(7));
  };

  it("keeps the SDKs' code out of the CLI, server and client bundles", () => {
    // Strings only the SDKs carry: the OpenAI/Anthropic SDKs' telemetry headers, Anthropic's version header, Gemini's host.
    const markers = ["x-stainless-", "anthropic-version", "generativelanguage.googleapis.com"];
    for (const bundle of ["cli.js", "server.js", "client.js"]) {
      const text = readFileSync(join(DIST, bundle), "utf8");
      for (const m of markers) assert.ok(!text.includes(m), `${bundle} contains ${m}`);
    }
    const sdks = readFileSync(join(DIST, "sdks.js"), "utf8");
    for (const m of markers) assert.ok(sdks.includes(m), `sdks.js lacks ${m}`);
  });

  it("`qds q` does not load them", () => {
    const q = loaded(["q"], "1+1\n");
    assert.ok(
      q.some((f) => f.endsWith("cli.js")),
      "the preload saw the CLI load",
    );
    assert.ok(!q.some((f) => f.endsWith("sdks.js")), `qds q loaded: ${q.join(", ")}`);
  });
});
