/**
 * Completion candidates at a position: q builtins (keywords, glyphs, `.Q`/`.z`/
 * `.j` members), globals of the file and workspace, and the parameters and
 * locals of the enclosing lambda. After `.ns.` only that namespace's members
 * are offered. The model may be one edit stale (the server does not reparse a
 * large file on every keystroke), so locals of the lambda being typed are read
 * from the text when the model has no lambda at the cursor.
 */
import { BUILTINS } from "./builtins";
import { type FileModel, lambdaAt } from "./model";
import { openLambdaNames, prefixAt } from "./text";
import type { Workspace } from "./workspace";

export type CandidateKind =
  | "keyword"
  | "glyph"
  | "function"
  | "variable"
  | "param"
  | "local"
  | "namespace"
  | "constant";

export interface Candidate {
  label: string;
  kind: CandidateKind;
  detail?: string;
}

export interface CompletionResult {
  /** Offset where the replaced prefix starts. */
  from: number;
  items: Candidate[];
}

export interface CompletionInput {
  uri: string;
  text: string;
  offset: number;
  /** The file's model; `fresh` says whether it was built from `text`. */
  model: FileModel | undefined;
  fresh: boolean;
  workspace: Workspace;
}

export function complete(input: CompletionInput): CompletionResult {
  const { text, offset, workspace } = input;
  const { start, prefix } = prefixAt(text, offset);
  const dot = prefix.lastIndexOf(".");
  if (dot > 0 && prefix.startsWith(".")) return namespaceMembers(prefix.slice(0, dot), start + dot + 1, workspace);

  const items = new Map<string, Candidate>();
  const add = (c: Candidate) => {
    if (!items.has(c.label)) items.set(c.label, c);
  };
  // Innermost scope first so a local wins over a global of the same name.
  const lam = input.model && input.fresh ? lambdaAt(input.model, offset) : undefined;
  if (lam) {
    for (const p of lam.params) add({ label: p.name, kind: "param", detail: "parameter" });
    for (const l of lam.locals.values()) add({ label: l.name, kind: "local", detail: "local" });
  } else {
    const names = openLambdaNames(text, offset);
    for (const p of names?.params ?? []) add({ label: p, kind: "param", detail: "parameter" });
    for (const l of names?.locals ?? []) add({ label: l, kind: "local", detail: "local" });
  }
  for (const g of input.model?.globals ?? []) {
    if (!g.fullName.startsWith("."))
      add({ label: g.fullName, kind: g.lambda ? "function" : "variable", detail: "global" });
  }
  for (const name of workspace.globalNames()) {
    if (name.startsWith(".")) add({ label: rootNamespace(name), kind: "namespace" });
    else add({ label: name, kind: "variable", detail: "workspace global" });
  }
  for (const b of BUILTINS.values()) {
    if (b.name.startsWith(".")) {
      add({ label: rootNamespace(b.name), kind: "namespace" });
      continue;
    }
    const isGlyph = b.verb?.kind === "glyph" || b.category === "glyph";
    if (isGlyph && prefix !== "") continue;
    add({ label: b.name, kind: isGlyph ? "glyph" : "keyword", detail: b.verb?.doc.summary ?? b.category ?? "" });
  }
  // Editors match fuzzily but always on the first character: send only those.
  const first = prefix.slice(0, 1).toLowerCase();
  const all = [...items.values()];
  return { from: start, items: first === "" ? all : all.filter((c) => c.label.slice(0, 1).toLowerCase() === first) };
}

/** `.ns` of `.ns.f` (a bare `.ns` is its own root). */
function rootNamespace(name: string): string {
  const i = name.indexOf(".", 1);
  return i < 0 ? name : name.slice(0, i);
}

/** Members one level below namespace `ns` (`.Q` → `n`, `fmt`, …). */
function namespaceMembers(ns: string, from: number, workspace: Workspace): CompletionResult {
  const items = new Map<string, Candidate>();
  const consider = (name: string, detail: string) => {
    if (!name.startsWith(`${ns}.`)) return;
    const rest = name.slice(ns.length + 1);
    const cut = rest.indexOf(".");
    const label = cut < 0 ? rest : rest.slice(0, cut);
    if (label !== "" && !items.has(label))
      items.set(label, { label, kind: cut < 0 ? "function" : "namespace", detail });
  };
  for (const b of BUILTINS.values()) consider(b.name, b.verb?.doc.summary ?? "predefined");
  for (const g of workspace.globalNames()) consider(g, "workspace global");
  return { from, items: [...items.values()] };
}
