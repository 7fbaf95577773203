/**
 * The statistics behind `qds eval` and `qds eval compare`, all exact or
 * seeded so a summary is the same every time it is computed from the same
 * samples (a resumed run must reproduce an uninterrupted one).
 *
 * - pass@k: the unbiased estimator of Chen et al. (2021), 1 - C(n-c, k) / C(n, k)
 *   for a problem with n samples of which c pass, computed as a running
 *   product so large n never overflows. Needs n >= k.
 * - Confidence interval of a mean over problems: percentile bootstrap over
 *   problems (problems are the unit that was sampled from the space of
 *   possible problems; the n samples per problem are already averaged by the
 *   estimator), 2,000 resamples, from a seeded generator.
 * - Paired comparison: exact two-sided McNemar (binomial on the discordant
 *   pairs) on a per-problem pass/fail, and a paired bootstrap over problems
 *   of the difference in pass@k.
 */
import { mulberry32 } from "../dataset/random";

export const BOOTSTRAP_RESAMPLES = 2000;
export const CI_LEVEL = 0.95;
export const CI_METHOD = `percentile bootstrap over problems, ${BOOTSTRAP_RESAMPLES} resamples, ${CI_LEVEL * 100}% interval, seed 1`;

/** Unbiased pass@k for one problem: n samples, c correct. */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || k < 1 || c < 0 || c > n) {
    throw new RangeError(`pass@k needs integers 0 <= c <= n and k >= 1 (n=${n}, c=${c}, k=${k})`);
  }
  if (n < k) throw new RangeError(`pass@${k} needs at least ${k} samples per problem, got ${n}`);
  if (n - c < k) return 1;
  // 1 - prod_{i=n-c+1}^{n} (1 - k/i)
  let miss = 1;
  for (let i = n - c + 1; i <= n; i++) miss *= 1 - k / i;
  return 1 - miss;
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Bootstrap means of `values` resampled over their index (the same index draw for paired use). */
function bootstrapMeans(values: readonly number[], seed: number): number[] {
  const random = mulberry32(seed);
  const m = values.length;
  const out: number[] = [];
  for (let b = 0; b < BOOTSTRAP_RESAMPLES; b++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += values[Math.floor(random() * m)]!;
    out.push(s / m);
  }
  return out.sort((x, y) => x - y);
}

export interface Estimate {
  value: number;
  /** CI_LEVEL interval by CI_METHOD. */
  ci: [number, number];
}

/** Mean over problems with its bootstrap interval. */
export function meanWithCi(values: readonly number[], seed = 1): Estimate {
  const means = bootstrapMeans(values, seed);
  const tail = (1 - CI_LEVEL) / 2;
  return { value: mean(values), ci: [quantile(means, tail), quantile(means, 1 - tail)] };
}

/** ln C(n, k), for the exact binomial tail without overflow. */
function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/**
 * Exact two-sided McNemar test: b problems pass only in A, c only in B.
 * Under the null each discordant problem is a fair coin, so
 * p = min(1, 2 * P(X <= min(b, c))) with X ~ Binomial(b + c, 1/2).
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const lo = Math.min(b, c);
  let tail = 0;
  for (let i = 0; i <= lo; i++) tail += Math.exp(logChoose(n, i) - n * Math.LN2);
  return Math.min(1, 2 * tail);
}

export interface PairedDifference {
  /** mean(b) - mean(a) */
  diff: number;
  ci: [number, number];
  /** Two-sided bootstrap p-value: twice the share of resampled differences on the far side of 0. */
  p: number;
}

/** Paired bootstrap over problems of mean(b) - mean(a); `a` and `b` are aligned by problem. */
export function pairedBootstrap(a: readonly number[], b: readonly number[], seed = 1): PairedDifference {
  if (a.length !== b.length) throw new RangeError("paired bootstrap needs aligned samples");
  const d = a.map((x, i) => b[i]! - x);
  const means = bootstrapMeans(d, seed);
  const tail = (1 - CI_LEVEL) / 2;
  const diff = mean(d);
  if (d.every((x) => x === 0)) return { diff: 0, ci: [0, 0], p: 1 };
  const below = means.filter((x) => x <= 0).length / means.length;
  const above = means.filter((x) => x >= 0).length / means.length;
  return { diff, ci: [quantile(means, tail), quantile(means, 1 - tail)], p: Math.min(1, 2 * Math.min(below, above)) };
}
