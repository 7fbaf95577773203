/**
 * Import direction. The headless boundary: nothing reachable from server/src/{q,dataset,verify,
 * llm,eval,bootstrap,traces,steering,proc} may import the VS Code API or the LSP libraries.
 * Biome's noRestrictedImports catches direct imports; this test follows
 * relative imports transitively, which a lint rule cannot. And imports run
 * one way: no cycles among the modules of client/, server/ and webview/
 * (type-only imports count: they couple the files just the same).
 */
import { strict as assert } from "node:assert";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../../..");
const HEADLESS = ["q", "dataset", "verify", "llm", "eval", "bootstrap", "traces", "steering", "proc"].map((d) =>
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

/** Relative imports of each .ts file under `roots`, resolved to files. */
function importGraph(roots: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of roots.flatMap(tsFiles)) {
    const deps: string[] = [];
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? "";
      const target = spec.startsWith(".") ? resolveRelative(file, spec) : undefined;
      if (target !== undefined) deps.push(target);
    }
    graph.set(file, deps);
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan), each as sorted repo-relative paths. */
function findCycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
      onStack.delete(w);
      component.push(w.replace(`${ROOT}/`, ""));
    }
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles.sort();
}

/**
 * Known cycles inside the q engine (issue 14): the split-out system commands
 * and session builtins name the interpreter's type, and qsql calls back into
 * it. Value imports under server/src/q are acyclic
 * (test/unit/q/import-cycles.test.ts); this list counts type-only imports
 * too. Listed member by member, so a new cycle, or a new file joining one,
 * fails. (The adverbs<->apply and verbs/dotq<->verbs/index cycles were
 * broken in issue 14 and are no longer listed.)
 */
const KNOWN_ENGINE_CYCLES = [
  ["server/src/q/interp.ts", "server/src/q/qsql.ts", "server/src/q/session-builtins.ts", "server/src/q/syscmd.ts"],
];

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

describe("import direction", () => {
  const roots = ["client/src", "server/src", "webview/src"].map((d) => join(ROOT, d));

  it("client/src has no import cycles: activation wires features, features depend on services", () => {
    assert.deepEqual(findCycles(importGraph([join(ROOT, "client/src")])), []);
  });

  it("no other cycles anywhere in client/, server/ and webview/ beyond the listed engine ones", () => {
    const cycles = findCycles(importGraph(roots)).filter(
      (c) => !KNOWN_ENGINE_CYCLES.some((k) => JSON.stringify(k) === JSON.stringify(c)),
    );
    assert.deepEqual(cycles, []);
  });

  it("detects a planted three-file cycle made of type-only and value imports", () => {
    const found = findCycles(importGraph([join(ROOT, "test/unit/project/fixtures/cycles")]));
    assert.deepEqual(found, [["a.ts", "b.ts", "c.ts"].map((f) => `test/unit/project/fixtures/cycles/${f}`)]);
  });
});
