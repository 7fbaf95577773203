/**
 * Token kinds of the q lexer. Each kind carries the facts the parser needs to
 * decide without re-reading text (acorn's data-carrying token types):
 *
 * - `num`: one numeric/temporal literal or a space-separated run of them
 *   (`1 2 3`, `2020.01.01 2020.01.02`, `101b`, `0x0f`); `parts` holds each
 *   element's text, handed unchanged to the literal parser.
 * - `str`: a string literal; `value` is its decoded bytes as a latin-1 JS string
 *   (escapes resolved; non-ASCII source characters are UTF-8 encoded first).
 * - `sym`: one or more adjacent symbols (`` `a`b ``); `parts` holds the names.
 * - `name`: an identifier, possibly dotted (`.ns.f`, `t.col`).
 * - `op`: a primitive glyph (`+`, `<=`, `::`, and infix `0:` `1:` `2:`).
 * - `adverb`: an iterator glyph (`'` `/` `\` `':` `/:` `\:`) written directly
 *   after the thing it modifies.
 * - `punct`: `(` `)` `[` `]` `{` `}` `;`.
 * - `nl`: a statement-ending line break.
 * - `sys`: a system command line (`\d .ns`, `\c 25 80`); `value` is the text
 *   after the backslash.
 * - `eof`.
 *
 * `spaceBefore` records whether whitespace preceded the token: q's grammar
 * depends on it (`x -1` versus `x-1`, ` /` comments, `f'` versus `f '`).
 */

export type TokenKind = "num" | "str" | "sym" | "name" | "op" | "adverb" | "punct" | "nl" | "sys" | "eof";

export interface Span {
  start: number;
  end: number;
}

export interface Token {
  kind: TokenKind;
  /** Source text of the token. */
  text: string;
  start: number;
  end: number;
  spaceBefore: boolean;
  /** num: element texts; sym: symbol names. */
  parts?: string[] | undefined;
  /** str: decoded bytes (latin-1 string); sys: command text. */
  value?: string | undefined;
}

/** Glyphs that are primitive verbs. Two-character glyphs are matched first. */
export const GLYPHS2 = ["<=", ">=", "<>", "::"];
export const GLYPHS1 = "+-*%!&|<>=~,^#_$?@.:";

export const ADVERBS = ["':", "/:", "\\:", "'", "/", "\\"];

/** Keywords that q parses infix (`x mod y`) like glyphs. */
export const INFIX_KEYWORDS = new Set([
  "and",
  "or",
  "mod",
  "div",
  "xexp",
  "xlog",
  "in",
  "within",
  "like",
  "bin",
  "binr",
  "except",
  "inter",
  "union",
  "cross",
  "sv",
  "vs",
  "xbar",
  "xprev",
  "xrank",
  "xasc",
  "xdesc",
  "xcol",
  "xcols",
  "xkey",
  "xgroup",
  "lj",
  "ljf",
  "ij",
  "ijf",
  "uj",
  "ujf",
  "pj",
  "asof",
  "fby",
  "cor",
  "cov",
  "scov",
  "wavg",
  "wsum",
  "mavg",
  "mcount",
  "mdev",
  "mmax",
  "mmin",
  "msum",
  "mmu",
  "ema",
  "each",
  "peach",
  "over",
  "scan",
  "prior",
  "sublist",
  "rotate",
  "set",
  "upsert",
  "insert",
  "ss",
  "cut",
  "dsave",
  "lsq",
  "setm",
]);

/** qSQL template keywords and their clause words. */
export const QSQL_KEYWORDS = new Set(["select", "exec", "update", "delete"]);
