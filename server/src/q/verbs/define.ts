// Builders for verb-table records: one call per glyph or keyword, docs next to the code.

import type { EvalContext, Value, VerbDef } from "../values";

export interface Impl {
  monadic?: (x: Value, ctx: EvalContext) => Value;
  dyadic?: (x: Value, y: Value, ctx: EvalContext) => Value;
  nary?: (args: Value[], ctx: EvalContext) => Value;
  valence?: number;
}

/** [summary, forms, example] — the hover text for a verb. */
export type Doc = [summary: string, forms: string[], example: string];

function make(kind: VerbDef["kind"], name: string, doc: Doc, impl: Impl): VerbDef {
  const d: VerbDef = { name, kind, doc: { summary: doc[0], forms: doc[1], example: doc[2] } };
  if (impl.monadic) d.monadic = impl.monadic;
  if (impl.dyadic) d.dyadic = impl.dyadic;
  if (impl.nary) d.nary = impl.nary;
  if (impl.valence) d.valence = impl.valence;
  return d;
}

export const glyph = (name: string, doc: Doc, impl: Impl): VerbDef => make("glyph", name, doc, impl);
export const keyword = (name: string, doc: Doc, impl: Impl): VerbDef => make("keyword", name, doc, impl);
