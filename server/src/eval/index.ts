/**
 * Model evaluation: pass@k of a model on a dataset's q tests.
 *
 * STABLE API (the bootstrap loop's evaluate phase and the editor call it;
 * add fields, do not rename or remove them):
 *
 *   evaluate(opts: EvalOptions): Promise<EvalSummary>
 *     opts.datasetDir   dataset folder (problem folders with q tests and expected answers)
 *     opts.problems?    folder names to evaluate (default: every problem with q tests)
 *     opts.source       { kind: "provider", settings: LlmSettings, apiKey?, stop?, concurrency? }
 *                       | { kind: "completions", file }  (JSONL: {task_id, completion} or
 *                         {task_id, sample, completion, model, finish_reason})
 *     opts.n            samples per problem;  opts.k: pass@k to report, each k <= n
 *     opts.outDir       samples.jsonl, completions.jsonl, summary.json, run.json (resumable:
 *                       call again with the same outDir after any kill and it continues)
 *     opts.contamination? { trainDir, threshold?, ngram?, exclude? }: flag (and by default leave out)
 *                       problems that near-duplicate a training problem
 *     opts.jobs?, timeoutMs?, memoryMb?, engine?   judging: as `qds verify` (embedded engine by default)
 *     opts.signal?      abort: no new samples start; the files stay resumable
 *     opts.onProgress?  ({done, total, passed, elapsedMs, etaMs, last}) after each judged sample
 *   → EvalSummary: pass_at_k[k] = {value, ci: [lo, hi]} (95%, bootstrap over problems),
 *     per_problem[{problem, n, c, pass_at_k, failures}], classes (error classes counted),
 *     incomplete (problems short of n samples, not scored), contamination report.
 *
 *   compare(a: EvalSummary, b: EvalSummary): Comparison
 *     per k: both means, B - A with a paired-bootstrap interval and p; exact McNemar
 *     on per-problem "solved"; the list of problems that flipped.
 *   readSummary(path): EvalSummary            summary.json, or an eval output folder
 *   checkContamination(problems, opts): ContaminationReport
 *   passAtK(n, c, k): number                  the unbiased estimator
 *
 * Judging is `qds verify`'s: each test runs as sol + test in a fresh sandboxed
 * engine session, compared by the verify judge; see judge.ts for the error
 * classes and problems.ts for how a problem names the function its tests call.
 */
export { compare, readSummary } from "./compare";
export { checkContamination } from "./contamination";
export { type EvalProblem, loadEvalProblems } from "./problems";
export { DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_MS, evaluate, summarise } from "./run";
export { CI_METHOD, mcnemarExact, pairedBootstrap, passAtK } from "./stats";
export type * from "./types";
