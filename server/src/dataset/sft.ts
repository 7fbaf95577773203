/**
 * `qds export sft`: VALID problems only (the verification cache must hold a
 * fresh "valid" record; see load.ts) rendered through the templates in
 * prompts/ into train.jsonl and test.jsonl, plus dataset_stats.json.
 *
 * Determinism: problems are ordered by folder name, then split and shuffled
 * with a seeded PRNG (mulberry32), per stratum when stratifying; output is
 * byte-identical for the same dataset, options and seed.
 *
 * Formats: "prompt-completion" writes `{"prompt", "completion"}` records as
 * the original pipeline did; "chat" writes `{"messages": [system, user,
 * assistant]}`. Token counts in the stats are estimates: characters / 4,
 * rounded up (no tokenizer is bundled).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DESCRIPTION_FILE, ENTRY_FILE, PY_SOLUTION_FILE, Q_SOLUTION_FILE } from "./format";
import { writeFileAtomic } from "./fsx";
import { loadDataset, type Problem, readProblemFile } from "./load";
import { mulberry32 } from "./random";
import { entrySchema } from "./schema";

export type SftFormat = "chat" | "prompt-completion";

export interface SftOptions {
  out: string;
  format: SftFormat;
  testRatio: number;
  seed: number;
  stratify?: "difficulty";
  /** Folder holding sft-system.md, sft-prompt.md, sft-completion.md. */
  promptsDir: string;
}

export interface SftStats {
  format: SftFormat;
  seed: number;
  testRatio: number;
  stratify: string | null;
  skipped: { notValid: number };
  splits: Record<
    "train" | "test",
    { count: number; byDifficulty: Record<string, number>; estTokens: TokenStats; ids: string[] }
  >;
}

interface TokenStats {
  total: number;
  mean: number;
  max: number;
}

function shuffle<T>(xs: T[], random: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface Template {
  file: string;
  text: string;
  /** Lines of documentation comment removed from the top, to report file line numbers. */
  skippedLines: number;
}

/** Loads a template, dropping its leading `<!-- … -->` documentation comment. */
export function loadTemplate(promptsDir: string, name: string): Template {
  const file = join(promptsDir, name);
  const raw = readFileSync(file, "utf8");
  const doc = /^<!--[\s\S]*?-->\s*\n/.exec(raw)?.[0] ?? "";
  return { file, text: raw.slice(doc.length), skippedLines: doc.split("\n").length - 1 };
}

/** Fills `{{name}}` placeholders; an unknown one is an error naming the template file and line. */
export function render(t: Template, vars: Record<string, string>): string {
  return t.text
    .replace(/\{\{(\w+)\}\}/g, (whole, name: string, offset: number) => {
      const v = vars[name];
      if (v === undefined) {
        const line = t.skippedLines + t.text.slice(0, offset).split("\n").length;
        throw new Error(`${t.file}:${line}: unknown placeholder ${whole}`);
      }
      return v;
    })
    .trim();
}

/** A problem's template placeholders; `q` is empty while it has no sol.q (the bootstrap's prompts for unsolved problems). */
export function problemVars(
  p: Problem,
): Record<"title" | "difficulty" | "description" | "python" | "entry_point" | "q", string> {
  const entry = entrySchema.parse(JSON.parse(readProblemFile(p, ENTRY_FILE)));
  return {
    title: entry.title ?? p.name,
    difficulty: entry.difficulty ?? "Unknown",
    description: readProblemFile(p, DESCRIPTION_FILE).trim(),
    python: readProblemFile(p, PY_SOLUTION_FILE).trim(),
    entry_point: entry.entry_point ?? "solve",
    q: p.files.includes(Q_SOLUTION_FILE) ? readProblemFile(p, Q_SOLUTION_FILE).trim() : "",
  };
}

const estTokens = (s: string): number => Math.ceil(s.length / 4);

export async function exportSft(datasetDir: string, opts: SftOptions): Promise<SftStats> {
  if (!(opts.testRatio >= 0 && opts.testRatio < 1))
    throw new Error(`test ratio must be in [0, 1), got ${opts.testRatio}`);
  const templates = {
    system: loadTemplate(opts.promptsDir, "sft-system.md"),
    prompt: loadTemplate(opts.promptsDir, "sft-prompt.md"),
    completion: loadTemplate(opts.promptsDir, "sft-completion.md"),
  };
  const dataset = loadDataset(datasetDir);
  const valid = dataset.problems.filter((p) => p.status === "valid");
  const rows = valid.map((p) => {
    const vars = problemVars(p);
    const prompt = render(templates.prompt, vars);
    const completion = render(templates.completion, vars);
    const record =
      opts.format === "chat"
        ? {
            messages: [
              { role: "system", content: render(templates.system, vars) },
              { role: "user", content: prompt },
              { role: "assistant", content: completion },
            ],
          }
        : { prompt, completion };
    const text = JSON.stringify(record);
    return { id: p.name, difficulty: vars.difficulty, line: text, tokens: estTokens(text) };
  });

  // Strata in sorted key order, members in name order, so only the seed decides the split.
  const strata = new Map<string, typeof rows>();
  for (const r of rows) {
    const key = opts.stratify === "difficulty" ? r.difficulty : "all";
    strata.set(key, [...(strata.get(key) ?? []), r]);
  }
  const random = mulberry32(opts.seed);
  const split = { train: [] as typeof rows, test: [] as typeof rows };
  for (const key of [...strata.keys()].sort()) {
    const members = shuffle(strata.get(key)!, random);
    const nTest = Math.round(members.length * opts.testRatio);
    split.test.push(...members.slice(0, nTest));
    split.train.push(...members.slice(nTest));
  }
  split.train = shuffle(split.train, random);
  split.test = shuffle(split.test, random);

  const describe = (xs: typeof rows) => {
    const byDifficulty: Record<string, number> = {};
    for (const r of xs) byDifficulty[r.difficulty] = (byDifficulty[r.difficulty] ?? 0) + 1;
    const total = xs.reduce((n, r) => n + r.tokens, 0);
    return {
      count: xs.length,
      byDifficulty,
      estTokens: {
        total,
        mean: xs.length === 0 ? 0 : Math.round(total / xs.length),
        max: Math.max(0, ...xs.map((r) => r.tokens)),
      },
      ids: xs.map((r) => r.id),
    };
  };
  const stats: SftStats = {
    format: opts.format,
    seed: opts.seed,
    testRatio: opts.testRatio,
    stratify: opts.stratify ?? null,
    skipped: { notValid: dataset.problems.length - valid.length },
    splits: { train: describe(split.train), test: describe(split.test) },
  };
  const jsonl = (xs: typeof rows): string => xs.map((r) => `${r.line}\n`).join("");
  await writeFileAtomic(join(opts.out, "train.jsonl"), jsonl(split.train));
  await writeFileAtomic(join(opts.out, "test.jsonl"), jsonl(split.test));
  await writeFileAtomic(join(opts.out, "dataset_stats.json"), `${JSON.stringify(stats, null, 2)}\n`);
  return stats;
}
