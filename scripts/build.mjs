// One esbuild script for every bundle in dist/: the extension client, the
// language server, the `qds` CLI, the webview and the integration-test
// harness. `--production` minifies and drops the test bundles.
import { existsSync } from "node:fs";
import { chmod } from "node:fs/promises";
import { build } from "esbuild";

const production = process.argv.includes("--production");

/** [entry, outfile, platform, extra] — one row per bundle. */
const bundles = [
  ["client/src/main.ts", "dist/client.js", "node", { external: ["vscode"] }],
  ["server/src/lsp/server.ts", "dist/server.js", "node", {}],
  ["server/src/cli/main.ts", "dist/cli.js", "node", {}],
  ["server/src/q/worker.ts", "dist/qworker.js", "node", {}],
  ["webview/src/main.ts", "dist/webview.js", "browser", { format: "iife" }],
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
        ...extra,
      }),
    ),
);
if (existsSync("dist/cli.js")) await chmod("dist/cli.js", 0o755);
