// One esbuild script for every bundle in dist/: the extension client, the
// language server, the `qds` CLI, the webview and the integration-test
// harness. `--production` minifies and drops the test bundles.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { chmod } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";
import { alias, SDKS_ENTRY, sdksApart } from "./esbuild-shared.mjs";

const production = process.argv.includes("--production");

// The engine's source hash goes into every bundle (see server/src/q/version.ts):
// verification caches are keyed on it, so any engine change re-verifies.
function engineHash(dir) {
  const h = createHash("sha256");
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) h.update(p.slice(dir.length)).update("\0").update(readFileSync(p)).update("\0");
    }
  };
  walk(dir);
  return h.digest("hex").slice(0, 12);
}
const define = { __QDS_ENGINE_HASH__: JSON.stringify(engineHash("server/src/q")) };
const SDKS_OUT = "dist/sdks.js";

/** [entry, outfile, platform, extra] — one row per bundle. */
const bundles = [
  ["client/src/main.ts", "dist/client.js", "node", { external: ["vscode"] }],
  ["server/src/lsp/server.ts", "dist/server.js", "node", {}],
  ["server/src/cli/main.ts", "dist/cli.js", "node", {}],
  ["server/src/q/worker.ts", "dist/qworker.js", "node", {}],
  ["server/src/traces/layout-worker.ts", "dist/layoutworker.js", "node", {}],
  [SDKS_ENTRY, SDKS_OUT, "node", {}],
  // Webview pages: each emits <name>.js and <name>.css into dist/webview, the only folder panels may load from.
  ["webview/src/steering/main.ts", "dist/webview/steering.js", "browser", { format: "iife" }],
  ["webview/src/overview/main.ts", "dist/webview/overview.js", "browser", { format: "iife" }],
];
const testBundles = [
  ["test/integration/suite/index.ts", "dist/test/suite/index.js", "node", { external: ["vscode", "mocha"] }],
  ["test/integration/runner.ts", "dist/test/runner.js", "node", { external: ["playwright-core"] }],
  ["test/integration/electron.ts", "dist/test/electron.js", "node", { external: ["@vscode/test-electron"] }],
];

const rows = production ? bundles : [...bundles, ...testBundles];
await Promise.all(
  rows
    .filter(([entry]) => existsSync(entry))
    .map(([entry, outfile, platform, extra]) =>
      build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform,
        format: "cjs",
        target: platform === "node" ? "node20" : "es2022",
        sourcemap: !production,
        minify: production,
        logLevel: "warning",
        define,
        alias,
        plugins: platform === "node" ? [sdksApart(outfile, SDKS_OUT)] : [],
        ...extra,
      }),
    ),
);
if (existsSync("dist/cli.js")) await chmod("dist/cli.js", 0o755);
