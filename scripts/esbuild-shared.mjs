// What every esbuild call in the project shares: scripts/build.mjs (dist/) and
// test/support/bundle.ts (bundles for tests and benchmarks) lay bundles out alike.
import { dirname, join, relative } from "node:path";

// jsonc-parser's "main" is a UMD build whose inner requires esbuild cannot follow; its ESM build bundles cleanly.
export const alias = { "jsonc-parser": "jsonc-parser/lib/esm/main.js" };

// The vendor SDKs (server/src/llm/sdks.ts) are megabytes: they get their own bundle, sdks.js beside the
// others, and every other bundle reaches it through server/src/llm/sdk.ts's require("./sdks"), rewritten
// here to a path relative to that bundle, so only commands that call a model ever read them.
export const SDKS_ENTRY = "server/src/llm/sdks.ts";

/** The esbuild plugin that leaves the SDKs out of the bundle written to `outfile`; `sdksOut` is where sdks.js goes. */
export function sdksApart(outfile, sdksOut) {
  return {
    name: "sdks-apart",
    setup(b) {
      b.onResolve({ filter: /^\.\/sdks$/ }, (args) =>
        args.importer.endsWith(join("server", "src", "llm", "sdk.ts"))
          ? { path: `./${relative(dirname(outfile), sdksOut)}`, external: true }
          : undefined,
      );
    },
  };
}
