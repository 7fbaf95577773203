/**
 * Go to definition, find references and rename, across the workspace's files.
 * A symbol is either a local/parameter (one lambda of one file) or a global
 * full name together with the files defining it (see workspace.ts for how a
 * reference resolves); two references denote the same global when they resolve
 * to the same full name with overlapping defining files.
 */
import type { Span } from "../tokens";
import { isBuiltinName, isReservedWord } from "./builtins";
import { type Definition, type Reference, referenceAt } from "./model";
import type { Workspace } from "./workspace";

export interface Location {
  uri: string;
  span: Span;
}

type Symbol_ =
  | { kind: "local"; uri: string; def: Definition }
  | { kind: "global"; fullName: string; files: Set<string> };

function symbolAt(workspace: Workspace, uri: string, offset: number): { ref: Reference; sym: Symbol_ } | undefined {
  const model = workspace.get(uri)?.model;
  if (model === undefined) return undefined;
  const ref = referenceAt(model, offset);
  if (ref === undefined) return undefined;
  if (ref.local) return { ref, sym: { kind: "local", uri, def: ref.local } };
  const res = workspace.resolve(uri, ref);
  if (res === undefined) return undefined;
  return { ref, sym: { kind: "global", fullName: res.fullName, files: new Set(res.hits.map((h) => h.uri)) } };
}

export function definition(workspace: Workspace, uri: string, offset: number): Location[] {
  const found = symbolAt(workspace, uri, offset);
  if (found === undefined) return [];
  const { sym } = found;
  if (sym.kind === "local") return [{ uri, span: sym.def.span }];
  const out: Location[] = [];
  for (const f of sym.files) {
    // The first definition in each file is the one to jump to.
    const def = workspace.get(f)?.model.globals.find((g) => g.fullName === sym.fullName);
    if (def) out.push({ uri: f, span: def.span });
  }
  return out;
}

/** Every occurrence (reads, writes, `set` definitions) of the symbol at the position. */
export function references(workspace: Workspace, uri: string, offset: number): Location[] {
  const found = symbolAt(workspace, uri, offset);
  return found === undefined ? [] : occurrences(workspace, found.sym);
}

function occurrences(workspace: Workspace, sym: Symbol_): Location[] {
  const out: Location[] = [];
  const seen = new Set<string>();
  const push = (u: string, span: Span) => {
    const key = `${u}#${span.start}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ uri: u, span });
  };
  if (sym.kind === "local") {
    const model = workspace.get(sym.uri)!.model;
    if (!sym.def.implicit) push(sym.uri, sym.def.span);
    for (const r of model.references) if (r.local === sym.def) push(sym.uri, r.span);
    return out.sort((a, b) => a.span.start - b.span.start);
  }
  for (const entry of workspace.entries()) {
    for (const g of entry.model.globals) {
      if (g.fullName === sym.fullName && sym.files.has(entry.uri)) push(entry.uri, g.span);
    }
    for (const r of entry.model.references) {
      if (r.local || !r.candidates.includes(sym.fullName)) continue;
      const res = workspace.resolve(entry.uri, r);
      if (res?.fullName === sym.fullName && res.hits.some((h) => sym.files.has(h.uri))) push(entry.uri, r.span);
    }
  }
  return out.sort((a, b) => (a.uri === b.uri ? a.span.start - b.span.start : a.uri < b.uri ? -1 : 1));
}

export interface RenameTarget {
  span: Span;
  placeholder: string;
}

/** The renamable name at the position, or an error message saying why not. */
export function prepareRename(workspace: Workspace, uri: string, offset: number): RenameTarget | string {
  const model = workspace.get(uri)?.model;
  const ref = model ? referenceAt(model, offset) : undefined;
  if (ref === undefined) return "no name here";
  const found = symbolAt(workspace, uri, offset);
  if (found === undefined) return isBuiltinName(ref.name) ? `${ref.name} is a q builtin` : `${ref.name} is not defined`;
  return { span: ref.span, placeholder: ref.name };
}

const NAME = /^\.?[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

export interface TextEdit {
  uri: string;
  span: Span;
  newText: string;
}

/** Edits renaming the symbol at the position to `newName`, or an error message. */
export function rename(workspace: Workspace, uri: string, offset: number, newName: string): TextEdit[] | string {
  if (!NAME.test(newName)) return `${newName} is not a valid q name`;
  if (isReservedWord(newName)) return `${newName} is a q builtin`;
  const found = symbolAt(workspace, uri, offset);
  if (found === undefined) return "nothing to rename here";
  const { sym } = found;
  if (sym.kind === "local") {
    if (newName.includes(".")) return "a local name cannot contain a dot";
    return occurrences(workspace, sym).map((l) => ({ ...l, newText: newName }));
  }
  // `.ns.f` renamed to `g` becomes `.ns.g`; occurrences written short (`f` under `\d .ns`) become `g`.
  const cut = sym.fullName.lastIndexOf(".");
  const newFull = newName.startsWith(".") || cut <= 0 ? newName : `${sym.fullName.slice(0, cut)}.${newName}`;
  const newShort = newFull.slice(newFull.lastIndexOf(".") + 1);
  return occurrences(workspace, sym).map((l) => {
    const written = workspace.get(l.uri)!.model.text.slice(l.span.start, l.span.end);
    return { ...l, newText: written.startsWith(".") ? newFull : newShort };
  });
}
