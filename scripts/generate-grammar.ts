/**
 * Generates syntaxes/q.tmLanguage.json, the TextMate grammar for q.
 *
 * Every word and glyph in the grammar comes from the engine's own tables, so
 * the highlighter cannot drift from what the engine knows:
 *
 *   source                          supplies
 *   server/src/q/verbs/index.ts     VERBS: implemented keywords and glyph verbs
 *   server/src/q/names.ts           NAMES: control/qSQL words, keywords and glyphs not in VERBS yet
 *   server/src/q/tokens.ts          GLYPHS1/GLYPHS2/ADVERBS: the lexer's glyph and iterator tables
 *
 * VERBS is loaded only when its module exists (the engine adds it as it grows);
 * a module that exists but fails to load is an error, not a silent fallback.
 * Dotted VERBS names (`.Q.fmt`) must sit in one of q's single-letter
 * namespaces; the namespace rule highlights them.
 * Implemented and not-yet-implemented keywords get the same scope, so moving a
 * keyword from NAMES to VERBS leaves the output unchanged.
 *
 * Output is deterministic: word lists are sorted and object keys are written
 * in sorted order, so test/unit/project/grammar-current.test.ts can compare the
 * checked-in file byte for byte with `renderGrammar(await buildGrammar())`.
 *
 * Rule order matters in TextMate: at one position the first listed rule wins.
 * Comments come before iterators (` /` is a comment, `+/` is Over), temporal
 * literals before plain numbers, `name:` before keywords, qSQL heads before
 * identifiers.
 */
import { existsSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { NAMES, type NameCategory } from "../server/src/q/names";
import { ADVERBS, GLYPHS1, GLYPHS2 } from "../server/src/q/tokens";

const ROOT = resolve(__dirname, "..");
export const GRAMMAR_PATH = join(ROOT, "syntaxes/q.tmLanguage.json");
export const VERBS_PATH = join(ROOT, "server/src/q/verbs/index.ts");

/** One q word and its category, after merging VERBS and NAMES. */
export interface Word {
  name: string;
  category: NameCategory;
}

export interface Vocabulary {
  words: Word[];
  /** Glyph verbs: the lexer's glyphs plus any glyph VERBS defines. */
  glyphs: string[];
  /** Iterator glyphs, from the lexer. */
  iterators: string[];
  /** Names VERBS defines, by kind; empty when the module does not exist yet. */
  verbKeywords: string[];
  verbGlyphs: string[];
}

const IDENT = /^[A-Za-z][A-Za-z0-9_]*$/;
const GLYPH = /^[0-9]?[^A-Za-z0-9_\s]+$/;
// q reserves single-letter namespaces (`.Q`, `.z`, `.j` …) for KX's own functions.
const SYSTEM_MEMBER = /^\.[A-Za-z](?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/** Reads VERBS' names; [] for both kinds while the module does not exist. */
async function loadVerbNames(verbsPath: string): Promise<{ keywords: string[]; glyphs: string[] }> {
  if (!existsSync(verbsPath)) return { keywords: [], glyphs: [] };
  let mod: { VERBS?: unknown };
  try {
    mod = (await import(pathToFileURL(verbsPath).href)) as { VERBS?: unknown };
  } catch (err) {
    throw new Error(`${verbsPath}: cannot load the verb table: ${String(err)}`);
  }
  if (!(mod.VERBS instanceof Map)) throw new Error(`${verbsPath}: expected an exported Map named VERBS`);
  const keywords: string[] = [];
  const glyphs: string[] = [];
  for (const [name, def] of mod.VERBS as Map<string, { kind?: unknown }>) {
    if (def.kind === "keyword") keywords.push(name);
    else if (def.kind === "glyph") glyphs.push(name);
    else throw new Error(`${verbsPath}: VERBS entry '${name}' has kind ${String(def.kind)}, not "glyph" or "keyword"`);
  }
  return { keywords, glyphs };
}

/**
 * Merges VERBS, NAMES and the lexer tables into one sorted vocabulary.
 * `verbsPath` is the verb table module; tests point it at a fixture.
 */
export async function loadVocabulary(verbsPath = VERBS_PATH): Promise<Vocabulary> {
  const verbs = await loadVerbNames(verbsPath);
  const words = new Map<string, Word>();
  const add = (name: string, category: NameCategory, origin: string) => {
    const shapeOk = category === "glyph" ? GLYPH.test(name) : IDENT.test(name);
    if (!shapeOk) throw new Error(`${origin}: '${name}' is not a q ${category === "glyph" ? "glyph" : "identifier"}`);
    const key = `${category} ${name}`;
    if (words.has(key)) throw new Error(`${origin}: '${name}' is listed twice as ${category}`);
    words.set(key, { name, category });
  };
  for (const n of NAMES) add(n.name, n.category, "server/src/q/names.ts");
  for (const name of verbs.keywords) {
    if (name.startsWith(".")) {
      // `.Q.fmt` and friends: the namespace rule highlights every member of a
      // single-letter namespace, so they need no word rule of their own.
      if (!SYSTEM_MEMBER.test(name)) throw new Error(`${verbsPath}: '${name}' is not in a single-letter namespace`);
      continue;
    }
    // NAMES may still list a keyword VERBS has since implemented; the unit
    // test reports that, here the union simply keeps one row.
    if (!words.has(`keyword ${name}`) && !words.has(`io ${name}`)) add(name, "keyword", verbsPath);
  }
  const glyphs = new Set<string>([...GLYPHS2, ...GLYPHS1, ...verbs.glyphs]);
  for (const w of words.values()) if (w.category === "glyph") glyphs.add(w.name);
  return {
    words: [...words.values()].filter((w) => w.category !== "glyph").sort(byName),
    glyphs: [...glyphs].sort(),
    iterators: [...ADVERBS].sort(),
    verbKeywords: [...verbs.keywords].sort(),
    verbGlyphs: [...verbs.glyphs].sort(),
  };
}

function byName(a: Word, b: Word): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}

/**
 * Alternation that tries longer strings first, so `/:` wins over `/`. An empty
 * list would compile to a rule that matches the empty string everywhere and
 * stalls the tokenizer, so it is an error.
 */
function alternation(items: readonly string[]): string {
  if (items.length === 0) throw new Error("generate-grammar: a rule would match from an empty word list");
  const sorted = [...items].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  return sorted.map(escapeRegex).join("|");
}

function namesOf(words: readonly Word[], ...categories: NameCategory[]): string[] {
  return [...new Set(words.filter((w) => categories.includes(w.category)).map((w) => w.name))].sort();
}

// A q name may not continue from a letter, digit, `_` or `.` on either side.
const BEFORE = "(?<![A-Za-z0-9_.])";
const AFTER = "(?![A-Za-z0-9_.])";
const NAME = "\\.?[A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*";
// A `-` joins the number after it unless a noun ends right before it (`x-1`, `f[0]-1`).
const SIGN = "(?:(?<![A-Za-z0-9_.)\\]}\"'`])-)?";
const TIME = "(?:[0-9]{2}(?::[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]*)?)?)?)?";
const DATE = "[0-9]{4}\\.[0-9]{2}\\.[0-9]{2}";

type Rule = Record<string, unknown>;

function match(re: string, name: string): Rule {
  return { match: re, name };
}

/** Builds the grammar object from the vocabulary. */
export function grammarFrom(vocab: Vocabulary): Rule {
  const { words } = vocab;
  const control = namesOf(words, "control");
  const qsql = namesOf(words, "qsql");
  const clauses = namesOf(words, "clause");
  const functions = namesOf(words, "io", "keyword");
  const digitGlyphs = vocab.glyphs.filter((g) => /^[0-9]/.test(g));
  // `:` alone is assignment; `::` (identity, global assignment) stays a plain glyph.
  const otherGlyphs = vocab.glyphs.filter((g) => !digitGlyphs.includes(g) && g !== ":");
  const word = (list: string[]) => `${BEFORE}(?:${alternation(list)})(?![A-Za-z0-9_])`;

  const repository: Record<string, Rule> = {
    "block-comment": {
      name: "comment.block.q",
      begin: "^/[ \\t]*$",
      end: "^\\\\[ \\t]*$",
    },
    "script-end": {
      name: "comment.block.eof.q",
      begin: "^\\\\[ \\t]*$",
      end: "(?!)",
    },
    "system-command": {
      patterns: [
        {
          // \t and \ts time a q expression: highlight it as q.
          match: "^(\\\\ts?(?::[0-9]+)?)(?=[ \\t]|$)(.*)$",
          name: "meta.system-command.q",
          captures: {
            "1": { name: "keyword.other.system-command.q" },
            "2": { patterns: [{ include: "#expression" }] },
          },
        },
        {
          match: "^(\\\\(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]|\\\\))(?=[ \\t]|$)(.*)$",
          name: "meta.system-command.q",
          captures: {
            "1": { name: "keyword.other.system-command.q" },
            "2": { name: "string.unquoted.system-command.q" },
          },
        },
      ],
    },
    "line-comment": match("^/.*$", "comment.line.q"),
    "trailing-comment": match("(?<=[ \\t])/.*$", "comment.line.q"),
    string: {
      name: "string.quoted.double.q",
      begin: '"',
      beginCaptures: { "0": { name: "punctuation.definition.string.begin.q" } },
      end: '"',
      endCaptures: { "0": { name: "punctuation.definition.string.end.q" } },
      patterns: [
        match('\\\\(?:[0-7]{3}|[nrt\\\\"])', "constant.character.escape.q"),
        match("\\\\.?", "invalid.illegal.escape.q"),
      ],
    },
    symbol: match(
      "`(?::[A-Za-z0-9_.:/\\-]*|[A-Za-z0-9_.][A-Za-z0-9_.]*(?::[A-Za-z0-9_.:/\\-]*)?)?",
      "constant.other.symbol.q",
    ),
    temporal: {
      patterns: [
        match(`${BEFORE}${SIGN}${DATE}D${TIME}p?${AFTER}`, "constant.numeric.timestamp.q"),
        match(`${BEFORE}${SIGN}${DATE}T${TIME}z?${AFTER}`, "constant.numeric.datetime.q"),
        match(`${BEFORE}${SIGN}${DATE}d?${AFTER}`, "constant.numeric.date.q"),
        match(`${BEFORE}${SIGN}[0-9]{4}\\.[0-9]{2}m${AFTER}`, "constant.numeric.month.q"),
        match(`${BEFORE}${SIGN}[0-9]+D${TIME}n?${AFTER}`, "constant.numeric.timespan.q"),
        match(
          `${BEFORE}${SIGN}[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]*)?)?[nuvt]?${AFTER}`,
          "constant.numeric.time.q",
        ),
      ],
    },
    null: {
      patterns: [
        match(`${BEFORE}0[Nn][ghijefpmdznuvt]?${AFTER}`, "constant.language.null.q"),
        match(`${BEFORE}${SIGN}0[Ww][hijefpmdznuvt]?${AFTER}`, "constant.language.infinity.q"),
      ],
    },
    "digit-glyph": match(`${BEFORE}(?:${alternation(digitGlyphs)})(?![0-9:])`, "keyword.operator.q"),
    number: {
      patterns: [
        match(`${BEFORE}0x[0-9a-fA-F]*${AFTER}`, "constant.numeric.byte.q"),
        match(`${BEFORE}[01]+b${AFTER}`, "constant.numeric.boolean.q"),
        match(
          `${BEFORE}${SIGN}(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?[hijefpmdznuvt]?${AFTER}`,
          "constant.numeric.q",
        ),
      ],
    },
    qsql: {
      name: "meta.qsql.q",
      begin: word(qsql),
      beginCaptures: { "0": { name: "keyword.other.qsql.q" } },
      // A template ends at a statement or list separator, a closing bracket
      // of the enclosing expression, or a line that starts in column 0 (a new
      // top-level statement: continuation lines in q scripts are indented).
      end: "(?=[;)\\]}])|^(?=[^ \\t])",
      patterns: [{ include: "#qsql-clause" }, { include: "#expression" }],
    },
    "qsql-clause": match(word(clauses), "keyword.other.qsql.q"),
    assignment: {
      patterns: [
        {
          match: `${BEFORE}(${NAME})[ \\t]*(::?)(?=[ \\t]*\\{)`,
          captures: {
            "1": { name: "entity.name.function.q" },
            "2": { name: "keyword.operator.assignment.q" },
          },
        },
        {
          match: `${BEFORE}(${NAME})[ \\t]*(::?)`,
          captures: {
            "1": { name: "variable.other.assignment.q" },
            "2": { name: "keyword.operator.assignment.q" },
          },
        },
      ],
    },
    "keyword-control": match(word(control), "keyword.control.q"),
    "keyword-function": match(word(functions), "support.function.q"),
    namespace: {
      patterns: [
        match(`${BEFORE}\\.z(?:\\.[A-Za-z_][A-Za-z0-9_]*)?(?![A-Za-z0-9_])`, "support.variable.system.q"),
        match(`${BEFORE}\\.[A-Za-z](?:\\.[A-Za-z_][A-Za-z0-9_]*)*(?![A-Za-z0-9_])`, "support.function.system.q"),
        match(`${BEFORE}\\.[A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*`, "variable.other.namespaced.q"),
      ],
    },
    identifier: match(`${BEFORE}${NAME}`, "variable.other.q"),
    lambda: {
      name: "meta.function.lambda.q",
      begin: "\\{",
      beginCaptures: { "0": { name: "punctuation.section.braces.begin.q" } },
      end: "\\}",
      endCaptures: { "0": { name: "punctuation.section.braces.end.q" } },
      patterns: [{ include: "#lambda-parameters" }, { include: "#expression" }],
    },
    "lambda-parameters": {
      // \G: only a `[` right after the `{` opens a parameter list.
      name: "meta.function.parameters.q",
      begin: "\\G[ \\t]*(\\[)",
      beginCaptures: { "1": { name: "punctuation.section.parameters.begin.q" } },
      end: "\\]",
      endCaptures: { "0": { name: "punctuation.section.parameters.end.q" } },
      patterns: [
        match("[A-Za-z][A-Za-z0-9_]*", "variable.parameter.q"),
        match(";", "punctuation.separator.parameters.q"),
      ],
    },
    brackets: {
      begin: "\\[",
      beginCaptures: { "0": { name: "punctuation.section.brackets.begin.q" } },
      end: "\\]",
      endCaptures: { "0": { name: "punctuation.section.brackets.end.q" } },
      patterns: [{ include: "#expression" }],
    },
    parens: {
      begin: "\\(",
      beginCaptures: { "0": { name: "punctuation.section.parens.begin.q" } },
      end: "\\)",
      endCaptures: { "0": { name: "punctuation.section.parens.end.q" } },
      patterns: [{ include: "#expression" }],
    },
    "stray-closer": match("[)\\]}]", "invalid.illegal.stray-bracket.q"),
    // `$[c;t;f]` is q's conditional, control flow like if/do/while, not the cast glyph `$`.
    cond: match("\\$(?=\\[)", "keyword.control.conditional.q"),
    iterator: match(alternation(vocab.iterators), "keyword.operator.iterator.q"),
    operator: {
      patterns: [
        match(alternation(otherGlyphs.filter((g) => g.length > 1)), "keyword.operator.q"),
        match(":", "keyword.operator.assignment.q"),
        match(alternation(otherGlyphs.filter((g) => g.length === 1)), "keyword.operator.q"),
      ],
    },
    separator: match(";", "punctuation.separator.q"),
    expression: {
      patterns: [
        "line-comment",
        "trailing-comment",
        "string",
        "symbol",
        "temporal",
        "null",
        "digit-glyph",
        "number",
        "qsql",
        "assignment",
        "keyword-control",
        "keyword-function",
        "namespace",
        "identifier",
        "lambda",
        "brackets",
        "parens",
        "stray-closer",
        "cond",
        "iterator",
        "operator",
        "separator",
      ].map((r) => ({ include: `#${r}` })),
    },
  };

  return {
    comment:
      "GENERATED by scripts/generate-grammar.ts from server/src/q/verbs (VERBS), server/src/q/names.ts " +
      "and server/src/q/tokens.ts. DO NOT EDIT: change those tables and run `npm run generate`.",
    name: "q",
    scopeName: "source.q",
    fileTypes: ["q"],
    patterns: ["block-comment", "script-end", "system-command", "expression"].map((r) => ({ include: `#${r}` })),
    repository,
  };
}

/** Recursively sorts object keys (arrays keep their order: rule order is meaningful). */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    const obj = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(obj)
        .sort()
        .map((k) => [k, sortKeys(obj[k])]),
    );
  }
  return v;
}

export function renderGrammar(grammar: Rule): string {
  return `${JSON.stringify(sortKeys(grammar), null, 2)}\n`;
}

export async function buildGrammar(verbsPath = VERBS_PATH): Promise<Rule> {
  return grammarFrom(await loadVocabulary(verbsPath));
}

async function main(): Promise<void> {
  const vocab = await loadVocabulary();
  const text = renderGrammar(grammarFrom(vocab));
  const tmp = `${GRAMMAR_PATH}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, GRAMMAR_PATH);
  const sizes = `${vocab.words.length} words, ${vocab.glyphs.length} glyphs, ${vocab.iterators.length} iterators`;
  console.log(`wrote ${GRAMMAR_PATH} (${sizes}; ${vocab.verbKeywords.length} keywords from VERBS)`);
}

if (resolve(process.argv[1] ?? "") === __filename) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
