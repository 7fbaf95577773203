/**
 * Comparing two evaluations of the same problems (base vs trained, provider
 * A vs B). Only problems scored in both count; the rest are listed. For each
 * k both pass@k means are shown with a paired bootstrap of the difference
 * (B - A); an exact McNemar test on per-problem "solved" (at least half of
 * the samples pass) says whether the problems that flipped outnumber chance.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { CI_METHOD, mcnemarExact, pairedBootstrap } from "./stats";
import type { Comparison, EvalSummary, Flip, KComparison, ProblemScore } from "./types";

const solved = (p: ProblemScore): boolean => p.c * 2 >= p.n && p.n > 0;

export function compare(a: EvalSummary, b: EvalSummary): Comparison {
  const byName = (s: EvalSummary) => new Map(s.per_problem.map((p) => [p.problem, p]));
  const ma = byName(a);
  const mb = byName(b);
  const common = [...ma.keys()].filter((k) => mb.has(k)).sort();
  const ks = a.k.filter((k) => b.k.includes(k));
  const per_k: KComparison[] = ks.map((k) => {
    const xa = common.map((name) => ma.get(name)!.pass_at_k[k] ?? 0);
    const xb = common.map((name) => mb.get(name)!.pass_at_k[k] ?? 0);
    const d = pairedBootstrap(xa, xb);
    const avg = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);
    return { k, a: avg(xa), b: avg(xb), ...d };
  });
  let aOnly = 0;
  let bOnly = 0;
  let both = 0;
  let neither = 0;
  const flips: Flip[] = [];
  for (const name of common) {
    const pa = ma.get(name)!;
    const pb = mb.get(name)!;
    const sa = solved(pa);
    const sb = solved(pb);
    if (sa && sb) both++;
    else if (!sa && !sb) neither++;
    else {
      if (sa) aOnly++;
      else bOnly++;
      flips.push({ problem: name, a: pa.c / pa.n, b: pb.c / pb.n, direction: sb ? "gained" : "lost" });
    }
  }
  return {
    problems: common.length,
    only_in_a: [...ma.keys()].filter((k) => !mb.has(k)).sort(),
    only_in_b: [...mb.keys()].filter((k) => !ma.has(k)).sort(),
    per_k,
    mcnemar: { a_only: aOnly, b_only: bOnly, both, neither, p: mcnemarExact(aOnly, bOnly) },
    flips,
    method: `pass@k difference: paired ${CI_METHOD}; flips: exact two-sided McNemar on solved = at least half the samples pass`,
  };
}

/** Reads a summary.json, or the summary.json inside an eval output folder. */
export function readSummary(path: string): EvalSummary {
  const file = statSync(path).isDirectory() ? join(path, "summary.json") : path;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: not a readable eval summary (${(e as Error).message})`);
  }
  const s = parsed as Partial<EvalSummary>;
  if (s.version !== 1 || !Array.isArray(s.per_problem) || !Array.isArray(s.k)) {
    throw new Error(`${file}: not an eval summary (no version 1 per_problem list)`);
  }
  return s as EvalSummary;
}
