/**
 * Document outline, workspace symbol search and folding ranges.
 *
 * Outline: every global definition of the file, grouped under its namespace
 * (`.ns.f` and definitions after `\d .ns` sit under `.ns`); a function lists its
 * parameters and locals. Folding: multi-line lambdas and tables, block comments
 * (`/` … `\`) and runs of two or more comment lines.
 */
import type { Span } from "../tokens";
import { LineMap } from "./lint";
import type { Definition, FileModel } from "./model";
import { walk } from "./walk";
import type { Workspace } from "./workspace";

export type SymbolKind = "namespace" | "function" | "variable" | "param" | "local";

export interface OutlineSymbol {
  name: string;
  kind: SymbolKind;
  /** The whole definition. */
  span: Span;
  /** The name. */
  selection: Span;
  children: OutlineSymbol[];
}

function symbolOf(model: FileModel, def: Definition, name: string): OutlineSymbol {
  const children: OutlineSymbol[] = [];
  const info = def.lambda ? model.lambdas.find((l) => l.node === def.lambda) : undefined;
  for (const p of info?.params ?? []) {
    if (!p.implicit) children.push({ name: p.name, kind: "param", span: p.span, selection: p.span, children: [] });
  }
  for (const l of info?.locals.values() ?? []) {
    children.push({ name: l.name, kind: "local", span: l.statement, selection: l.span, children: [] });
  }
  return { name, kind: def.lambda ? "function" : "variable", span: def.statement, selection: def.span, children };
}

export function documentSymbols(model: FileModel): OutlineSymbol[] {
  const top: OutlineSymbol[] = [];
  const spaces = new Map<string, OutlineSymbol>();
  const seen = new Set<string>();
  for (const def of model.globals) {
    if (seen.has(def.fullName)) continue; // the first definition stands for redefinitions
    seen.add(def.fullName);
    const cut = def.fullName.lastIndexOf(".");
    if (cut <= 0) {
      top.push(symbolOf(model, def, def.fullName));
      continue;
    }
    const ns = def.fullName.slice(0, cut);
    let group = spaces.get(ns);
    if (group === undefined) {
      group = { name: ns, kind: "namespace", span: { ...def.statement }, selection: def.span, children: [] };
      spaces.set(ns, group);
      top.push(group);
    }
    group.span.start = Math.min(group.span.start, def.statement.start);
    group.span.end = Math.max(group.span.end, def.statement.end);
    group.children.push(symbolOf(model, def, def.fullName.slice(cut + 1)));
  }
  return top;
}

export interface WorkspaceSymbol {
  name: string;
  kind: SymbolKind;
  uri: string;
  span: Span;
}

/** Globals whose full name contains `query`'s characters in order (case-insensitive). */
export function workspaceSymbols(workspace: Workspace, query: string, limit = 500): WorkspaceSymbol[] {
  const q = query.toLowerCase();
  const matches = (name: string): boolean => {
    let i = 0;
    for (const c of name.toLowerCase()) if (c === q[i]) i++;
    return i === q.length;
  };
  const out: WorkspaceSymbol[] = [];
  for (const entry of workspace.entries()) {
    for (const g of entry.model.globals) {
      if (out.length >= limit) return out;
      if (matches(g.fullName))
        out.push({ name: g.fullName, kind: g.lambda ? "function" : "variable", uri: entry.uri, span: g.span });
    }
  }
  return out;
}

export interface Fold {
  startLine: number;
  endLine: number;
  kind: "region" | "comment";
}

export function foldingRanges(model: FileModel): Fold[] {
  const lines = new LineMap(model.text);
  const out: Fold[] = [];
  const add = (span: Span, kind: Fold["kind"]) => {
    const a = lines.lineOf(span.start);
    const b = lines.lineOf(Math.max(span.start, span.end - 1));
    if (b > a) out.push({ startLine: a, endLine: b, kind });
  };
  walk(model.ast, (n) => {
    if (n.type === "lambda" || n.type === "table") add(n.span, "region");
    return undefined;
  });
  // Block comments and runs of comment lines, from the text (the parser drops comments).
  const count = lines.starts.length;
  for (let i = 0; i < count; i++) {
    const t = lines.line(i).trimEnd();
    if (t === "/") {
      let j = i + 1;
      while (j < count && lines.line(j).trimEnd() !== "\\") j++;
      out.push({ startLine: i, endLine: Math.min(j, count - 1), kind: "comment" });
      i = j;
    } else if (t.startsWith("/")) {
      let j = i;
      while (j + 1 < count && lines.line(j + 1).startsWith("/") && lines.line(j + 1).trimEnd() !== "/") j++;
      if (j > i) out.push({ startLine: i, endLine: j, kind: "comment" });
      i = j;
    }
  }
  return out.sort((a, b) => a.startLine - b.startLine);
}
