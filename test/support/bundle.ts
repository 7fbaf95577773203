/**
 * Bundles entry points into a private folder for tests and benchmarks that
 * need the CLI and its q worker as real files (laid out as scripts/build.mjs
 * lays out dist/), with the same engine source hash the product build
 * injects, so cache keys behave as in a real build.
 */
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { alias, SDKS_ENTRY, sdksApart } from "../../scripts/esbuild-shared.mjs";
import { hashEngineSource } from "../../server/src/q/version";

const ROOT = resolve(__dirname, "../..");

/** `entries`: [entry relative to the repo root, output file name] pairs, written into `outDir`. */
export async function bundleNode(entries: readonly (readonly [string, string])[], outDir: string): Promise<void> {
  const define = { __QDS_ENGINE_HASH__: JSON.stringify(hashEngineSource(join(ROOT, "server/src/q"))) };
  // As in dist/: the vendor SDKs go into their own sdks.js whenever a bundle here needs them.
  const all = [...entries, [SDKS_ENTRY, "sdks.js"] as const];
  await Promise.all(
    all.map(([entry, out]) =>
      build({
        entryPoints: [join(ROOT, entry)],
        outfile: join(outDir, out),
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        logLevel: "error",
        define,
        alias,
        plugins: [sdksApart(join(outDir, out), join(outDir, "sdks.js"))],
      }),
    ),
  );
}
