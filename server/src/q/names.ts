/**
 * q words that the engine's verb table (`verbs/index.ts`, `VERBS`) does not
 * carry. Together with `VERBS` this is the one list of q's words that the
 * grammar generator (scripts/generate-grammar.ts) and editor features read.
 *
 * Categories:
 *
 *   category  meaning                                         grammar scope
 *   control   control words the parser handles (`if[c;…]`)    keyword.control.q
 *   qsql      qSQL template heads                             keyword.other.qsql.q
 *   clause    qSQL clause words, special only in a template   keyword.other.qsql.q
 *   io        keywords that touch files, handles, the OS      support.function.q
 *   keyword   other q 4.1 keywords not in VERBS yet           support.function.q
 *   glyph     primitive glyphs neither the lexer nor VERBS     keyword.operator.q
 *             knows yet (the file I/O glyph `2:`)
 *
 * Invariant (checked by test/unit/project/grammar-current.test.ts): an `io`,
 * `keyword` or `glyph` entry never names something `VERBS` (or, for glyphs,
 * the lexer's glyph table) already has. When the engine implements one,
 * delete its row here. `control`, `qsql` and `clause`
 * entries describe syntax, so a name may be both a clause word here and a
 * function in `VERBS` (`where`).
 */

export type NameCategory = "control" | "qsql" | "clause" | "io" | "keyword" | "glyph";

export interface QName {
  readonly name: string;
  readonly category: NameCategory;
}

function rows(category: NameCategory, names: string): QName[] {
  return names
    .trim()
    .split(/\s+/)
    .map((name) => ({ name, category }));
}

export const NAMES: readonly QName[] = [
  ...rows("control", "do if while"),
  ...rows("qsql", "delete exec select update"),
  ...rows("clause", "by from where"),
  ...rows("glyph", "2:"),
  ...rows(
    "io",
    `dsave exit get getenv hclose hcount hdel hopen load read0 read1 rload rsave save set
     setenv show system`,
  ),
  ...rows(
    "keyword",
    `asof csv each eval gtime insert over parse peach prior
     reval scan tables ujf view views`,
  ),
];
