/**
 * The headless boundary: nothing reachable from server/src/{q,dataset,verify,
 * llm,bootstrap,steering,traces} may import the VS Code API or the LSP libraries.
 * Biome's noRestrictedImports catches direct imports; this test follows
 * relative imports transitively, which a lint rule cannot.
 */
import { strict as assert } from "node:assert";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../../..");
const HEADLESS = ["q", "dataset", "verify", "llm", "bootstrap", "steering", "traces"].map((d) =>
  join(ROOT, "server/src", d),
);
const FORBIDDEN = /^(vscode|vscode-languageserver(\/.*)?|vscode-languageclient(\/.*)?)$/;
const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)/g;

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

function resolveRelative(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  return [`${base}.ts`, join(base, "index.ts"), base].find((p) => existsSync(p) && statSync(p).isFile());
}

/** Returns "file -> spec" chains for each forbidden import reachable from `roots`. */
function findViolations(roots: string[]): string[] {
  const seen = new Set<string>();
  const violations: string[] = [];
  const visit = (file: string, chain: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? "";
      if (FORBIDDEN.test(spec))
        violations.push([...chain, file, spec].map((p) => p.replace(`${ROOT}/`, "")).join(" -> "));
      else if (spec.startsWith(".")) {
        const target = resolveRelative(file, spec);
        if (target !== undefined) visit(target, [...chain, file]);
      }
    }
  };
  for (const f of roots.flatMap(tsFiles)) visit(f, []);
  return violations;
}

describe("headless boundary", () => {
  it("no headless module reaches vscode or the LSP libraries", () => {
    assert.deepEqual(findViolations(HEADLESS), []);
  });

  it("detects a planted violation, direct or transitive", () => {
    const fixture = join(ROOT, "test/unit/project/fixtures/boundary");
    const found = findViolations([join(fixture, "headless")]);
    assert.equal(found.length, 2, found.join("\n"));
    assert.ok(found.some((v) => v.endsWith("direct.ts -> vscode")));
    assert.ok(found.some((v) => v.includes("indirect.ts -> ") && v.endsWith("vscode-languageserver/node")));
  });
});
