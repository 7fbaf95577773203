/**
 * The .vsix holds the run-time files and nothing else. The package is built
 * with vsce's own packer from the real tree and .vscodeignore, from whatever
 * dist/ the last build left; vsce's public entry points always run
 * vscode:prepublish first, which would rebuild the shared dist/ in production
 * mode in the middle of a test run, so the test calls `pack` directly.
 * The archive is then read back with yauzl (a zip's central directory lists every entry).
 *
 * Packaging uses --no-dependencies, so the test also checks that the packaged
 * bundles require nothing but Node built-ins and `vscode`.
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import yauzl from "yauzl";

const ROOT = resolve(__dirname, "../../..");
/** Bundles the manifest points at or the client starts: they must be in the package. */
const BUNDLES = [
  "client.js",
  "server.js",
  "cli.js",
  "qworker.js",
  // Webview pages (the panels' only resource root).
  "webview/steering.js",
  "webview/steering.css",
  "webview/overview.js",
  "webview/overview.css",
];

interface Vsce {
  pack(options: { cwd: string; packagePath: string; dependencies: boolean }): Promise<unknown>;
}

/** Entry names of a zip file, read by yauzl from its central directory. */
function zipEntries(path: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const names: string[] = [];
      zip.on("entry", (e: yauzl.Entry) => {
        names.push(e.fileName);
        zip.readEntry();
      });
      zip.on("end", () => resolve(names));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

describe("vsix package", function () {
  // About 4 s of CPU (vsce walks the whole tree, .vscode-test included), but
  // far longer in wall time when the machine is oversubscribed.
  this.timeout(120_000);
  let entries: string[] = [];

  before(async () => {
    for (const bundle of BUNDLES) {
      assert.ok(existsSync(join(ROOT, "dist", bundle)), `dist/${bundle} is missing: run \`node scripts/build.mjs\``);
    }
    const dir = mkdtempSync(join(tmpdir(), "qds-vsix-"));
    try {
      const vsce = createRequire(__filename)("@vscode/vsce/out/package") as Vsce;
      const packagePath = join(dir, "test.vsix");
      await vsce.pack({ cwd: ROOT, packagePath, dependencies: false });
      // Inside a .vsix the extension's files sit under extension/.
      entries = (await zipEntries(packagePath))
        .filter((e) => e.startsWith("extension/"))
        .map((e) => e.slice("extension/".length));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("contains the manifest, licence, grammar and bundles", () => {
    // vsce stores the licence as LICENSE.txt and the readme as readme.md.
    for (const file of ["package.json", "LICENSE.txt", "readme.md", "language-configuration.json"]) {
      assert.ok(entries.includes(file), `${file} missing from the package`);
    }
    for (const bundle of BUNDLES) assert.ok(entries.includes(`dist/${bundle}`), `dist/${bundle} missing`);
    const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      contributes: { grammars: { path: string }[] };
    };
    for (const grammar of manifest.contributes.grammars) {
      assert.ok(entries.includes(grammar.path.replace(/^\.\//, "")), `${grammar.path} missing`);
    }
  });

  it("contains no sources, tests, source maps or node_modules", () => {
    const unwanted = entries.filter((e) =>
      /^(client|server|webview|test|scripts|bench|examples|node_modules|\.ci|dist\/test)\/|\.map$|\.ts$|^tsconfig|^biome|^\.mocharc/.test(
        e,
      ),
    );
    assert.deepEqual(unwanted, []);
  });

  it("packaged bundles require only Node built-ins and vscode", () => {
    // ws (inside the LLM SDKs) tries these optional native speed-ups in a
    // try/catch and works without them; esbuild leaves such requires as-is.
    const optional = ["bufferutil", "utf-8-validate"];
    const allowed = new Set([...builtinModules, "vscode", ...optional]);
    for (const entry of entries.filter((e) => /^dist\/[^/]+\.js$/.test(e))) {
      // Unminified bundles keep their dependencies' doc comments, examples included.
      const source = readFileSync(join(ROOT, entry), "utf8")
        .split("\n")
        .filter((line) => !/^\s*(\*|\/\/)/.test(line))
        .join("\n");
      // A require right after a quote is text inside a string (source handed to
      // a Worker with eval), not a call in this bundle.
      const external = [...source.matchAll(/(?<![`'"])\brequire\(\s*["']([^"']+)["']\s*\)/g)]
        .map((m) => m[1] ?? "")
        .filter((spec) => !spec.startsWith("node:") && !spec.startsWith(".") && !allowed.has(spec.split("/")[0] ?? ""));
      assert.deepEqual([...new Set(external)], [], `${entry} needs modules from node_modules`);
    }
  });
});
