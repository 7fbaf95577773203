/**
 * What the editor knows about q's own names, gathered from the engine's tables
 * so there is one source of truth: the verb table (`VERBS`, with each verb's
 * hover documentation), the list of other q words (`names.ts`), and the
 * predefined `.Q`/`.z` values every engine session starts with (read from a
 * fresh `Env`, so new entries appear here without edits).
 */
import { Env } from "../env";
import { NAMES, type NameCategory } from "../names";
import type { VerbDef } from "../values";
import { VERBS } from "../verbs/index";

export interface BuiltinInfo {
  name: string;
  /** The verb record when the engine implements the name as a primitive. */
  verb?: VerbDef;
  /** The names.ts category for words outside the verb table. */
  category?: NameCategory;
  /** True for predefined namespace values such as `.Q.n`. */
  predefined?: boolean;
}

/** System namespaces reserved by q: members the engine lacks are not reported as undefined. */
export const SYSTEM_NAMESPACES = [".q", ".Q", ".z", ".j", ".h", ".o"];

const CATEGORY_TEXT: Record<NameCategory, string> = {
  control: "control word",
  qsql: "qSQL template",
  clause: "qSQL clause word",
  io: "q keyword (file, process or OS access; sandboxed in the embedded engine)",
  keyword: "q keyword",
  glyph: "q primitive glyph",
};

export function categoryText(c: NameCategory): string {
  return CATEGORY_TEXT[c];
}

function build(): Map<string, BuiltinInfo> {
  const out = new Map<string, BuiltinInfo>();
  for (const n of NAMES) out.set(n.name, { name: n.name, category: n.category });
  for (const [name, verb] of VERBS) out.set(name, { ...out.get(name), name, verb });
  const env = new Env();
  for (const ns of SYSTEM_NAMESPACES) {
    const d = env.lookup(ns);
    if (d?.kind !== "dict" || d.keys.kind !== "vector" || d.keys.type !== 11) continue;
    for (const member of d.keys.data as string[]) {
      const full = `${ns}.${member}`;
      if (member !== "" && !out.has(full)) out.set(full, { name: full, predefined: true });
    }
  }
  return out;
}

/** Every q builtin name, keyed by its text (`til`, `+`, `.Q.n`). */
export const BUILTINS: ReadonlyMap<string, BuiltinInfo> = build();

/** Names q reserves: assigning to one is an error in q (`'assign`) or shadows a primitive. */
export function isReservedWord(name: string): boolean {
  const b = BUILTINS.get(name);
  if (b === undefined || name.startsWith(".")) return false;
  return b.verb?.kind === "keyword" || (b.category !== undefined && b.category !== "glyph" && b.category !== "clause");
}

/** Is `name` a builtin, or a member of a system namespace we cannot list exhaustively? */
export function isBuiltinName(name: string): boolean {
  if (BUILTINS.has(name)) return true;
  return SYSTEM_NAMESPACES.some((ns) => name.startsWith(`${ns}.`));
}
