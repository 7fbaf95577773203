/**
 * Hover text and signature help. Builtins are described from the engine's verb
 * table (`doc.summary`, `doc.forms`, `doc.example`: the one source of truth) or
 * names.ts; user functions by their parameter list and the comment lines just
 * above their definition. Results are Markdown strings.
 */

import type { Span } from "../tokens";
import { GLYPHS1, GLYPHS2 } from "../tokens";
import { BUILTINS, categoryText } from "./builtins";
import type { Definition, FileModel } from "./model";
import { referenceAt } from "./model";
import { commentAbove, openBracket, wordAt } from "./text";
import type { Workspace } from "./workspace";

export interface HoverResult {
  span: Span;
  markdown: string;
}

const fence = (code: string): string => `\`\`\`q\n${code}\n\`\`\``;

/** Markdown for a builtin name, or undefined when `name` is not one. */
export function builtinHover(name: string): string | undefined {
  const b = BUILTINS.get(name);
  if (b === undefined) return undefined;
  if (b.verb) {
    const d = b.verb.doc;
    return `${fence(d.forms.join("\n"))}\n\n**${name}** — ${d.summary}\n\nExample: \`${d.example}\``;
  }
  if (b.category) return `**${name}** — ${categoryText(b.category)}`;
  return `**${name}** — predefined value`;
}

/** `f[a;b]` for a lambda definition, else the bare name. */
export function signatureOf(def: Definition): string {
  return def.lambda ? `${def.name}[${def.lambda.params.join(";")}]` : def.name;
}

function userHover(def: Definition, text: string | undefined, where: string): string {
  const head =
    def.kind === "global" ? signatureOf(def) : `${def.kind === "param" ? "(parameter)" : "(local)"} ${def.name}`;
  const parts = [fence(head)];
  const comments = def.kind === "global" && text !== undefined ? commentAbove(text, def.statement.start) : [];
  if (comments.length > 0) parts.push(comments.join("\n"));
  if (where !== "") parts.push(where);
  return parts.join("\n\n");
}

/** The glyph (`<=`, `#`) under `offset`, if any. */
function glyphAt(text: string, offset: number): { start: number; end: number; word: string } | undefined {
  for (const g of GLYPHS2) {
    for (const s of [offset - 1, offset]) if (s >= 0 && text.startsWith(g, s)) return { start: s, end: s + 2, word: g };
  }
  const c = text[offset];
  if (c !== undefined && GLYPHS1.includes(c)) return { start: offset, end: offset + 1, word: c };
  return undefined;
}

export function hover(uri: string, model: FileModel, workspace: Workspace, offset: number): HoverResult | undefined {
  const text = model.text;
  // The character under the cursor decides: a glyph there wins over a name ending just before it.
  const glyph = /[A-Za-z0-9_.]/.test(text[offset] ?? " ") ? undefined : glyphAt(text, offset);
  const ref = glyph ? undefined : referenceAt(model, offset);
  if (ref?.local) return { span: ref.span, markdown: userHover(ref.local, text, "") };
  if (ref) {
    const res = workspace.resolve(uri, ref);
    const first = res?.hits[0];
    if (res && first) {
      const other = first.uri === uri ? "" : `defined in ${first.uri.slice(first.uri.lastIndexOf("/") + 1)}`;
      return { span: ref.span, markdown: userHover(first.def, workspace.get(first.uri)?.model.text, other) };
    }
  }
  const w = glyph ?? wordAt(text, offset);
  if (w === undefined) return undefined;
  const md = builtinHover(w.word);
  return md === undefined ? undefined : { span: { start: w.start, end: w.end }, markdown: md };
}

export interface SignatureResult {
  /** One label per known form, with its parameter labels. */
  signatures: { label: string; params: string[]; doc?: string }[];
  activeParameter: number;
}

/** Signature help inside `f[…` for user lambdas and builtins. */
export function signatureHelp(
  uri: string,
  text: string,
  model: FileModel | undefined,
  workspace: Workspace,
  offset: number,
): SignatureResult | undefined {
  const open = openBracket(text, offset, "[");
  if (open === undefined) return undefined;
  const w = wordAt(text, open.at);
  if (w === undefined || w.end !== open.at) return undefined;
  const b = BUILTINS.get(w.word);
  if (b?.verb) {
    const forms = b.verb.doc.forms.filter((f) => f.includes("["));
    const labels = forms.length > 0 ? forms : [`${w.word}[${b.verb.dyadic ? "x;y" : "x"}]`];
    return {
      signatures: labels.map((label) => ({ label, params: bracketParams(label), doc: b.verb!.doc.summary })),
      activeParameter: open.semis,
    };
  }
  const def = model ? findDefinition(uri, model, workspace, w.start, w.word) : undefined;
  if (def?.lambda) {
    const comments = model ? commentAbove(workspace.get(uri)?.model.text ?? text, def.statement.start) : [];
    return {
      signatures: [
        {
          label: signatureOf(def),
          params: def.lambda.params,
          ...(comments.length ? { doc: comments.join("\n") } : {}),
        },
      ],
      activeParameter: open.semis,
    };
  }
  return undefined;
}

function bracketParams(label: string): string[] {
  const m = /\[([^\]]*)\]/.exec(label);
  return m ? m[1]!.split(";") : [];
}

/** A lambda-valued definition for `name` as seen at `offset`: local first, then global. */
function findDefinition(
  uri: string,
  model: FileModel,
  workspace: Workspace,
  offset: number,
  name: string,
): Definition | undefined {
  const ref = referenceAt(model, offset);
  if (ref?.local) return ref.local;
  for (const l of model.lambdas) {
    const s = l.node.span;
    if (s.start < offset && offset < s.end) {
      const local = l.locals.get(name) ?? l.params.find((p) => p.name === name);
      if (local) return local;
    }
  }
  const res = workspace.resolve(
    uri,
    ref ?? { name, span: { start: offset, end: offset }, write: false, candidates: [name], inSql: false, scope: null },
  );
  return res?.hits.find((h) => h.def.lambda)?.def;
}
