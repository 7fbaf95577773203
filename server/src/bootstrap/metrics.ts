/**
 * pass@k of judged samples and the base-vs-trained difference with its
 * uncertainty. pass@k per problem is the unbiased estimator
 * 1 - C(n-c, k) / C(n, k) (Chen et al. 2021); the run's value is the mean
 * over problems, with a 95% percentile bootstrap interval over problems.
 * The difference is paired (the same held-out problems for both models), so
 * it resamples problems once and takes trained - base on each resample.
 *
 * HACK: the model-evaluation issue (branch ev11, server/src/eval) brings the
 * same estimator and interval to `qds eval`; once merged, this file becomes a
 * call to its `summarise`/`compare`.
 */
import type { SampleVerdict } from "./judge";

export const RESAMPLES = 2000;

export function passAtK(n: number, c: number, k: number): number {
  if (n - c < k) return 1;
  let fail = 1;
  for (let i = n - c + 1; i <= n; i++) fail *= 1 - k / i;
  return 1 - fail;
}

export interface Estimate {
  value: number;
  ci: [number, number];
}

export interface PassSummary {
  problems: number;
  n: number;
  /** "pass@1" → estimate. */
  passAtK: Record<string, Estimate>;
  perProblem: { problem: string; n: number; c: number }[];
}

/** Deterministic PRNG so the interval is the same on every resume. */
function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * sorted.length)))]!;
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Bootstrap of a statistic of resampled problem indices. */
function bootstrap(count: number, stat: (idx: number[]) => number, seed = 1): [number, number] {
  const random = mulberry(seed);
  const values: number[] = [];
  for (let r = 0; r < RESAMPLES; r++) {
    const idx = Array.from({ length: count }, () => Math.floor(random() * count));
    values.push(stat(idx));
  }
  values.sort((a, b) => a - b);
  return [quantile(values, 0.025), quantile(values, 0.975)];
}

export function summarise(
  verdicts: ReadonlyMap<string, SampleVerdict[]>,
  problems: readonly string[],
  ks: readonly number[],
): PassSummary {
  const perProblem = problems.map((problem) => {
    const v = verdicts.get(problem) ?? [];
    return { problem, n: v.length, c: v.filter((s) => s.passed).length };
  });
  const out: PassSummary = {
    problems: problems.length,
    n: Math.min(...perProblem.map((p) => p.n)),
    passAtK: {},
    perProblem,
  };
  for (const k of ks) {
    // A problem with fewer than k samples counts as unsolved for pass@k: never inflated by missing samples.
    const per = perProblem.map((p) => (p.n >= k ? passAtK(p.n, p.c, k) : 0));
    out.passAtK[`pass@${k}`] = { value: mean(per), ci: bootstrap(per.length, (idx) => mean(idx.map((i) => per[i]!))) };
  }
  return out;
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
  const pairs = base.perProblem.map((b) => {
    const t = byName.get(b.problem) ?? { n: 0, c: 0 };
    return {
      name: b.problem,
      b: b.n >= k ? passAtK(b.n, b.c, k) : 0,
      t: t.n >= k ? passAtK(t.n, t.c, k) : 0,
      bSolved: b.c > 0,
      tSolved: t.c > 0,
    };
  });
  const d = pairs.map((p) => p.t - p.b);
  return {
    base: base.passAtK[key]?.value ?? 0,
    trained: trained.passAtK[key]?.value ?? 0,
    diff: { value: mean(d), ci: bootstrap(d.length, (idx) => mean(idx.map((i) => d[i]!))) },
    gained: pairs.filter((p) => p.tSolved && !p.bSolved).map((p) => p.name),
    lost: pairs.filter((p) => p.bSolved && !p.tSolved).map((p) => p.name),
  };
}
