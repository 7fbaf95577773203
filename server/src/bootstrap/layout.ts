/**
 * Where everything of a run lives: the seed's layout
 * (`iteration_N/{solved_problems,evaluation,model,metadata.json,dataset_stats.json}`,
 * `final_report.json`, `bootstrap.log`) plus the controller's own files.
 * One table, so the CLI, the runner and the editor never spell a path twice.
 */
import { join } from "node:path";

export const runFiles = (runDir: string) => ({
  config: join(runDir, "config.json"),
  state: join(runDir, "state.json"),
  events: join(runDir, "events.jsonl"),
  log: join(runDir, "bootstrap.log"),
  /** Latest live progress (phase, step, loss, ETA), rewritten atomically; what `attach` shows. */
  progress: join(runDir, "progress.json"),
  /** The train/eval split and the problems solved before the run, fixed at prepare. */
  split: join(runDir, "split.json"),
  report: join(runDir, "final_report.json"),
  /** Signal file: present = stop asked (the controller cancels the remote job and ends). */
  stop: join(runDir, "stop"),
  /** The base model's evaluation, made once per run and shared by every iteration. */
  baseEvaluation: join(runDir, "evaluation_base"),
});

export const iterationFiles = (runDir: string, n: number) => {
  const dir = join(runDir, `iteration_${n}`);
  return {
    dir,
    /** The remote generator's completions for the unsolved problems. */
    generations: join(dir, "generations"),
    /** One candidate folder per (problem, sample), judged by `qds verify`. */
    candidates: join(dir, "candidates"),
    solvedProblems: join(dir, "solved_problems"),
    /** Every problem solved so far (verified copy) and the SFT export of them. */
    dataset: join(dir, "dataset"),
    datasetStats: join(dir, "dataset_stats.json"),
    model: join(dir, "model"),
    evaluation: join(dir, "evaluation"),
    metadata: join(dir, "metadata.json"),
  };
};
