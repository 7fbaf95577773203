/**
 * The verb table: every primitive glyph and keyword the engine implements, by name. The
 * definitions live by theme (core.ts for the glyphs and keywords, tables.ts, text.ts, dotq.ts
 * for .Q utilities); this module only assembles them, so nothing here is imported back.
 */
import type { VerbDef } from "../values";
import { CORE_VERBS } from "./core";
import { DOTH_VERBS } from "./doth";
import { DOTQ_VERBS } from "./dotq";
import { FILE_TEXT_VERBS } from "./filetext";

const VERB_MAP = new Map<string, VerbDef>();
for (const v of [...CORE_VERBS, ...DOTQ_VERBS, ...DOTH_VERBS, ...FILE_TEXT_VERBS]) VERB_MAP.set(v.name, v);

export const VERBS: ReadonlyMap<string, VerbDef> = VERB_MAP;
