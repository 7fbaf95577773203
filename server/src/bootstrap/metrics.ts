/**
 * The bootstrap report's pass@k figures, computed by `qds eval`'s statistics
 * (server/src/eval/stats.ts: the unbiased estimator, the percentile bootstrap
 * over problems and the paired bootstrap of a difference), so that a run's
 * report and `qds eval compare` of the same samples agree. This file only
 * turns the loop's judged samples into per-problem scores.
 *
 * Interval endpoints are eval's interpolated 2.5%/97.5% quantiles, so a
 * report written before the code was shared can differ in its intervals (by
 * less than one step between adjacent resampled means), never in its values.
 */
import { type Estimate, meanWithCi, pairedBootstrap, passAtK } from "../eval/stats";
import type { SampleVerdict } from "./judge";

export interface PassSummary {
  problems: number;
  n: number;
  /** "pass@1" → estimate. */
  passAtK: Record<string, Estimate>;
  perProblem: { problem: string; n: number; c: number }[];
}

/** A problem with fewer than k samples counts as unsolved for pass@k: never inflated by missing samples. */
const score = (p: { n: number; c: number }, k: number): number => (p.n >= k ? passAtK(p.n, p.c, k) : 0);

export function summarise(
  verdicts: ReadonlyMap<string, SampleVerdict[]>,
  problems: readonly string[],
  ks: readonly number[],
): PassSummary {
  const perProblem = problems.map((problem) => {
    const v = verdicts.get(problem) ?? [];
    return { problem, n: v.length, c: v.filter((s) => s.passed).length };
  });
  const passAtKs: Record<string, Estimate> = {};
  for (const k of ks) passAtKs[`pass@${k}`] = meanWithCi(perProblem.map((p) => score(p, k)));
  return { problems: problems.length, n: Math.min(...perProblem.map((p) => p.n)), passAtK: passAtKs, perProblem };
}

export interface Difference {
  base: number;
  trained: number;
  /** trained - base, with a paired bootstrap interval over problems. */
  diff: Estimate;
  /** Problems solved (c > 0) by one model and not the other. */
  gained: string[];
  lost: string[];
}

export function compare(base: PassSummary, trained: PassSummary, k: number): Difference {
  const key = `pass@${k}`;
  const byName = new Map(trained.perProblem.map((p) => [p.problem, p]));
  const pairs = base.perProblem.map((b) => ({ name: b.problem, b, t: byName.get(b.problem) ?? { n: 0, c: 0 } }));
  const d = pairedBootstrap(
    pairs.map((p) => score(p.b, k)),
    pairs.map((p) => score(p.t, k)),
  );
  return {
    base: base.passAtK[key]?.value ?? 0,
    trained: trained.passAtK[key]?.value ?? 0,
    diff: { value: d.diff, ci: d.ci },
    gained: pairs.filter((p) => p.t.c > 0 && p.b.c === 0).map((p) => p.name),
    lost: pairs.filter((p) => p.b.c > 0 && p.t.c === 0).map((p) => p.name),
  };
}
