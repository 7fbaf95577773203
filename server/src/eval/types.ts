/**
 * The shapes `qds eval` reads and writes. `SampleRecord` is one line of
 * samples.jsonl; `EvalSummary` is summary.json; `Comparison` is what
 * `compare` returns. Field names are snake_case where they are written to
 * files that other tools (the bootstrap loop, notebooks) read.
 */

import type { LlmSettings } from "../llm/settings";
import type { Provider } from "../llm/types";
import type { QEngine } from "../verify/engines";
import type { Estimate, PairedDifference } from "./stats";

/**
 * What became of one sample. "pass": every test passed. Otherwise the class
 * of the first failing test, or of the whole sample when nothing could run:
 * no_code (no q code in the completion), parse_error ('parse from the
 * engine), runtime_error (another q error; `error` names it, e.g. 'type),
 * wrong_answer (ran, printed something else), timeout.
 */
export type ErrorClass = "pass" | "no_code" | "parse_error" | "runtime_error" | "wrong_answer" | "timeout";
export const ERROR_CLASSES: readonly ErrorClass[] = [
  "pass",
  "no_code",
  "parse_error",
  "runtime_error",
  "wrong_answer",
  "timeout",
];

export interface TestVerdict {
  n: number;
  class: ErrorClass;
  expected: string;
  actual?: string;
  /** q's error name ('type, 'length …) for runtime and parse errors; the reason for others. */
  error?: string;
}

/** One line of samples.jsonl. */
export interface SampleRecord {
  /** Problem folder name. */
  problem: string;
  task_id: string;
  sample: number;
  completion: string;
  /** The q code judged (after extraction), or null when there was none. */
  code: string | null;
  passed: boolean;
  class: ErrorClass;
  error?: string;
  tests: TestVerdict[];
  model?: string;
  finish_reason?: string;
  ms: number;
}

/** One completion, produced here or elsewhere (completions.jsonl, the bootstrap's remote generator). */
export interface Completion {
  task_id: string;
  sample: number;
  completion: string;
  model?: string;
  finish_reason?: string;
}

export interface ProviderSource {
  kind: "provider";
  settings: LlmSettings;
  apiKey?: string;
  /** Stop sequences: sent where the API takes them, and applied to every reply here too. */
  stop?: string[];
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** A ready provider instead of one built from settings (tests, custom backends). */
  provider?: Provider;
  retry?: { baseMs?: number; maxMs?: number };
}

export interface CompletionsSource {
  kind: "completions";
  /** JSONL of `{task_id, completion}` or `{task_id, sample, completion, model, finish_reason}`. */
  file: string;
}

export type Source = ProviderSource | CompletionsSource;

export interface ContaminationOptions {
  /** The training dataset folder the evaluated model saw. */
  trainDir: string;
  /** Share of an eval problem's n-grams found in one training problem that flags it (default 0.5). */
  threshold?: number;
  /** Tokens per n-gram (default 8). */
  ngram?: number;
  /** Leave flagged problems out of the score (default true). */
  exclude?: boolean;
}

export interface Progress {
  done: number;
  total: number;
  passed: number;
  elapsedMs: number;
  /** Remaining time at the rate of this run so far; undefined before the first sample. */
  etaMs?: number;
  last?: SampleRecord;
}

export interface EvalOptions {
  datasetDir: string;
  /** Problem folder names; default every problem with tests. */
  problems?: string[];
  source: Source;
  /** Samples per problem. */
  n: number;
  /** pass@k to report, each <= n. */
  k: number[];
  /** Receives samples.jsonl, completions.jsonl, summary.json, run.json. */
  outDir: string;
  /** Concurrent q test runs (default: CPU count). */
  jobs?: number;
  /** Per q test run. */
  timeoutMs?: number;
  memoryMb?: number;
  /** Default: the embedded engine. */
  engine?: QEngine;
  contamination?: ContaminationOptions;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export interface ProblemScore {
  problem: string;
  task_id: string;
  n: number;
  c: number;
  pass_at_k: Record<string, number>;
  /** Classes of the failed samples, counted. */
  failures: Partial<Record<ErrorClass, number>>;
}

export interface ContaminationHit {
  problem: string;
  /** The training problem it overlaps most. */
  train_problem: string;
  /** Share of the eval problem's n-grams found in that training problem. */
  overlap: number;
}

export interface ContaminationReport {
  train_dir: string;
  ngram: number;
  threshold: number;
  checked: number;
  flagged: ContaminationHit[];
  excluded: boolean;
}

export interface EvalSummary {
  version: 1;
  dataset: string;
  source: string;
  model?: string;
  n: number;
  k: number[];
  /** Problems scored (contaminated ones left out when excluded). */
  problems: number;
  /** Samples judged in total (all problems, resumed ones included). */
  samples: number;
  /** Keyed by k. */
  pass_at_k: Record<string, Estimate>;
  ci_method: string;
  classes: Partial<Record<ErrorClass, number>>;
  per_problem: ProblemScore[];
  /** Problems with fewer than n samples (generation failed after retries); not scored. */
  incomplete: string[];
  contamination?: ContaminationReport;
  elapsed_ms: number;
}

export interface KComparison extends PairedDifference {
  k: number;
  a: number;
  b: number;
}

export interface Flip {
  problem: string;
  a: number;
  b: number;
  /** "gained": B solves it (majority of samples pass) and A does not; "lost": the reverse. */
  direction: "gained" | "lost";
}

export interface Comparison {
  /** Problems scored in both; the statistics use these only. */
  problems: number;
  only_in_a: string[];
  only_in_b: string[];
  per_k: KComparison[];
  /** Exact McNemar on "solved" = at least half of a problem's samples pass. */
  mcnemar: { a_only: number; b_only: number; both: number; neither: number; p: number };
  flips: Flip[];
  method: string;
}
