// The engine's modules import one way (compiler -> runtime -> verbs -> values): no module under
// server/src/q may reach itself through value imports. Type-only imports are erased at build
// time and may point anywhere.

import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(__dirname, "../../../server/src/q");

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Value imports of one file, resolved to files under ROOT. */
function valueImports(file: string, text: string): string[] {
  const out: string[] = [];
  const re = /^(?:import|export)\s+(type\s+)?([^;]*?)\s+from\s+"(\.[^"]+)"/gms;
  for (const m of text.matchAll(re)) {
    if (m[1] !== undefined) continue;
    const names = /\{([^}]*)\}/.exec(m[2]!);
    const typeOnly =
      names !== null &&
      !/^\s*\*|^\s*[A-Za-z_$][\w$]*\s*,/.test(m[2]!) &&
      names[1]!
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "")
        .every((s) => s.startsWith("type "));
    if (typeOnly) continue;
    const base = resolve(dirname(file), m[3]!);
    const hit = [`${base}.ts`, join(base, "index.ts")].find((p) => existsSync(p));
    if (hit?.startsWith(ROOT)) out.push(hit);
  }
  return out;
}

/** Every cycle's members (strongly connected components with more than one file, or a self-import). */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  let n = 0;
  const visit = (v: string): void => {
    index.set(v, n);
    low.set(v, n++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe("engine import graph", () => {
  it("finds a cycle when there is one (the checker itself)", () => {
    const g = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    assert.deepEqual(cycles(g), [["a", "b", "c"]]);
    assert.deepEqual(valueImports(join(ROOT, "x.ts"), 'import { type A, type B } from "./values";'), []);
    assert.deepEqual(valueImports(join(ROOT, "x.ts"), 'import { A, type B } from "./values";'), [
      join(ROOT, "values.ts"),
    ]);
  });

  it("has no import cycle under server/src/q", () => {
    const graph = new Map<string, string[]>();
    for (const f of tsFiles(ROOT)) graph.set(f, valueImports(f, readFileSync(f, "utf8")));
    const found = cycles(graph).map((c) => c.map((f) => relative(ROOT, f)).join(" <-> "));
    assert.deepEqual(found, []);
  });
});
