/**
 * Contamination check: which evaluation problems are near-duplicates of a
 * problem in a training dataset, so a score is never reported on problems
 * the model was trained on.
 *
 * A problem's text is its description and its test files (Python and q
 * tests, expected answers). Text is lower-cased and cut into word tokens
 * (runs of letters and digits; q and Python punctuation differ for the same
 * test, the numbers in them do not). The overlap of an evaluation problem
 * with a training problem is the share of the evaluation problem's distinct
 * token n-grams that also occur in the training problem; the problem is
 * flagged when its largest overlap reaches the threshold. A text shorter
 * than n tokens is one n-gram of its whole length. An inverted index over
 * the training n-grams keeps this linear in the total text size.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { classifyTestFile, DESCRIPTION_FILE } from "../dataset/format";
import { listProblemDirs, listProblemFiles } from "../dataset/load";
import type { EvalProblem } from "./problems";
import type { ContaminationHit, ContaminationOptions, ContaminationReport } from "./types";

export const DEFAULT_NGRAM = 8;
export const DEFAULT_THRESHOLD = 0.5;

/** Description and test files of a problem folder, concatenated. */
export function problemText(dir: string): string {
  const parts: string[] = [];
  for (const f of listProblemFiles(dir)) {
    if (f === DESCRIPTION_FILE || classifyTestFile(f) !== undefined) {
      try {
        parts.push(readFileSync(join(dir, f), "utf8"));
      } catch {
        // A file that vanished or is a folder contributes nothing.
      }
    }
  }
  return parts.join("\n");
}

export const tokens = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

export function ngrams(toks: readonly string[], n: number): Set<string> {
  const out = new Set<string>();
  if (toks.length === 0) return out;
  if (toks.length < n) {
    out.add(toks.join(" "));
    return out;
  }
  for (let i = 0; i + n <= toks.length; i++) out.add(toks.slice(i, i + n).join(" "));
  return out;
}

export function checkContamination(
  problems: readonly Pick<EvalProblem, "name" | "dir">[],
  opts: ContaminationOptions,
): ContaminationReport {
  const n = opts.ngram ?? DEFAULT_NGRAM;
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const trainDir = resolve(opts.trainDir);
  const trainNames = listProblemDirs(trainDir);
  const index = new Map<string, number[]>();
  trainNames.forEach((name, t) => {
    for (const g of ngrams(tokens(problemText(join(trainDir, name))), n)) {
      const list = index.get(g);
      if (list === undefined) index.set(g, [t]);
      else list.push(t);
    }
  });
  const flagged: ContaminationHit[] = [];
  for (const p of problems) {
    const grams = ngrams(tokens(problemText(p.dir)), n);
    if (grams.size === 0) continue;
    const shared = new Map<number, number>();
    for (const g of grams) for (const t of index.get(g) ?? []) shared.set(t, (shared.get(t) ?? 0) + 1);
    let best = -1;
    let bestCount = 0;
    for (const [t, c] of shared) if (c > bestCount || (c === bestCount && t < best)) [best, bestCount] = [t, c];
    const overlap = bestCount / grams.size;
    if (best >= 0 && overlap >= threshold) {
      flagged.push({ problem: p.name, train_problem: trainNames[best]!, overlap });
    }
  }
  return {
    train_dir: trainDir,
    ngram: n,
    threshold,
    checked: problems.length,
    flagged,
    excluded: opts.exclude ?? true,
  };
}
