/**
 * syntaxes/q.tmLanguage.json is generated from the engine's tables by
 * scripts/generate-grammar.ts. These tests regenerate it in memory and compare
 * it with the checked-in file, keep server/src/q/names.ts free of words the
 * engine has since implemented, and check the grammar's word rules against the
 * keyword list of q 4.1's reference card (code.kx.com/q/ref, "Keywords"), kept
 * here as an independent oracle. Stand-in verb tables (plain .mjs modules in a
 * temp folder) exercise how the generator merges VERBS with names.ts.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildGrammar, GRAMMAR_PATH, loadVocabulary, renderGrammar } from "../../../scripts/generate-grammar";
import { NAMES } from "../../../server/src/q/names";
import { GLYPHS1, GLYPHS2 } from "../../../server/src/q/tokens";

const REFERENCE_CARD_KEYWORDS = `
abs acos aj aj0 ajf ajf0 all and any asc asin asof atan attr avg avgs bin binr ceiling cols cor cos
count cov cross csv cut delete deltas desc dev differ distinct div do dsave each ej ema enlist eval
except exec exit exp fby fills first fkeys flip floor get getenv group gtime hclose hcount hdel hopen
hsym iasc idesc if ij ijf in insert inter inv key keys last like lj ljf load log lower lsq ltime ltrim
mavg max maxs mcount md5 mdev med meta min mins mmax mmin mmu mod msum neg next not null or over parse
peach pj prd prds prev prior rand rank ratios raze read0 read1 reciprocal reval reverse rload rotate
rsave rtrim save scan scov sdev select set setenv show signum sin sqrt ss ssr string sublist sum sums
sv svar system tables tan til trim type uj ujf ungroup union update upper upsert value var view views
vs wavg where while within wj wj1 wsum xasc xbar xcol xcols xdesc xexp xgroup xkey xlog xprev xrank
`
  .trim()
  .split(/\s+/);

interface RawRule {
  match?: string;
  begin?: string;
}

/** Compiles one of the grammar's word rules to a JS RegExp that must match a whole word. */
function wordRule(grammar: unknown, name: string): RegExp {
  const rule = (grammar as { repository: Record<string, RawRule> }).repository[name];
  const source = rule?.match ?? rule?.begin;
  assert.ok(source, `grammar has no word rule '${name}'`);
  return new RegExp(`^(?:${source})$`);
}

describe("q grammar (syntaxes/q.tmLanguage.json)", () => {
  it("is what scripts/generate-grammar.ts produces now (run `npm run generate` after changing its tables)", async () => {
    const expected = renderGrammar(await buildGrammar());
    const actual = readFileSync(GRAMMAR_PATH, "utf8");
    assert.ok(actual === expected, `${GRAMMAR_PATH} is stale: run \`npm run generate\` and commit the result`);
  });

  it("says it is generated", () => {
    const grammar = JSON.parse(readFileSync(GRAMMAR_PATH, "utf8")) as { comment?: string; scopeName?: string };
    assert.match(grammar.comment ?? "", /DO NOT EDIT/);
    assert.equal(grammar.scopeName, "source.q");
  });

  it("lists no keyword or glyph in server/src/q/names.ts that the engine already defines", async () => {
    const vocab = await loadVocabulary();
    const verbKeywords = new Set(vocab.verbKeywords);
    const known = new Set([...vocab.verbGlyphs, ...GLYPHS2, ...GLYPHS1]);
    const stale = NAMES.filter(
      (n) =>
        ((n.category === "io" || n.category === "keyword") && verbKeywords.has(n.name)) ||
        (n.category === "glyph" && known.has(n.name)),
    ).map((n) => n.name);
    assert.deepEqual(stale, [], `server/src/q/names.ts: delete ${stale.join(", ")}: VERBS or the lexer defines them`);
  });

  it("highlights every keyword on q 4.1's reference card, and no near miss", async () => {
    const grammar = await buildGrammar();
    const rules = ["keyword-control", "keyword-function", "qsql"].map((name) => wordRule(grammar, name));
    const missing = REFERENCE_CARD_KEYWORDS.filter((w) => !rules.some((re) => re.test(w)));
    assert.deepEqual(missing, []);
    const nearMisses = REFERENCE_CARD_KEYWORDS.map((w) => `${w}x`).filter((w) => rules.some((re) => re.test(w)));
    assert.deepEqual(nearMisses, []);
  });
});

describe("grammar generator with a verb table", () => {
  let dir = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "qds-verbs-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function verbTable(file: string, entries: [string, string][]): string {
    const path = join(dir, file);
    const rows = entries.map(([name, kind]) => `[${JSON.stringify(name)}, { kind: ${JSON.stringify(kind)} }]`);
    writeFileSync(path, `export const VERBS = new Map([${rows.join(", ")}]);\n`);
    return path;
  }

  it("gives the same grammar whether a keyword sits in VERBS or in names.ts", async () => {
    const moved = NAMES.filter((n) => n.category === "keyword")
      .slice(0, 3)
      .map((n): [string, string] => [n.name, "keyword"]);
    assert.equal(moved.length, 3, "names.ts has fewer than 3 keyword rows to move");
    // `.Q.s`-style members need no word rule: the namespace rule covers them.
    const withVerbs = verbTable("moved.mjs", [...moved, ["+", "glyph"], [".Q.s", "keyword"]]);
    const without = join(dir, "absent.mjs");
    assert.equal(renderGrammar(await buildGrammar(withVerbs)), renderGrammar(await buildGrammar(without)));
  });

  it("highlights a keyword that only VERBS defines", async () => {
    const grammar = await buildGrammar(verbTable("new.mjs", [["zzqfoo", "keyword"]]));
    assert.ok(wordRule(grammar, "keyword-function").test("zzqfoo"));
    assert.ok(!wordRule(await buildGrammar(join(dir, "absent.mjs")), "keyword-function").test("zzqfoo"));
  });

  it("rejects a verb of unknown kind, naming the file and the entry", async () => {
    const path = verbTable("bad.mjs", [["til", "adverb"]]);
    await assert.rejects(loadVocabulary(path), (err: Error) => err.message.includes(path) && /'til'/.test(err.message));
  });

  it("rejects a dotted verb outside q's single-letter namespaces", async () => {
    const path = verbTable("dotted.mjs", [[".foo.bar", "keyword"]]);
    await assert.rejects(
      loadVocabulary(path),
      (err: Error) => err.message.includes(path) && /'\.foo\.bar'/.test(err.message),
    );
  });

  it("reports a verb table that fails to load instead of skipping it", async () => {
    const path = join(dir, "broken.mjs");
    writeFileSync(path, "throw new Error('half-written');\n");
    await assert.rejects(
      loadVocabulary(path),
      (err: Error) => err.message.includes(path) && /half-written/.test(err.message),
    );
  });
});
