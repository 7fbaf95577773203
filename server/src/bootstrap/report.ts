/**
 * What a run reports, derived from its state alone (so `qds bootstrap
 * report` works on a run in progress, and a resumed run reports exactly what
 * an uninterrupted one would): per iteration the solved counts, pass@k of
 * base and trained model with the difference and its interval, and wall and
 * remote compute time per phase. Timing fields end in `_s`; everything else
 * is a pure function of the run's inputs.
 *
 * "Compute" is the span of the remote job's own events (first to last, summed
 * over attempts) on `device` (cuda = GPU time; cpu on GPU-less test hosts).
 */
import { writeFileAtomic } from "../dataset/fsx";
import type { RunConfig } from "./config";
import { iterationFiles } from "./layout";
import { type JobRecord, PHASES, type PhaseName, type PhaseRecord, phaseKey, type RunState } from "./state";

export interface PhaseTiming {
  status: string;
  wall_s: number;
  compute_s?: number;
  device?: string;
  attempts: number;
  launches?: number;
}

export interface IterationReport {
  iteration: number;
  solved: { attempted: number | null; new: string[]; total: number | null };
  train: { records: number | null; steps: number | null; final_loss: number | null };
  evaluation: Record<string, unknown> | null;
  phases: Partial<Record<PhaseName, PhaseTiming>>;
  wall_s: number;
}

export interface FinalReport {
  run_id: string;
  status: string;
  end_reason: string | null;
  error: string | null;
  base_model: string;
  method: string;
  config: {
    max_iterations: number;
    train_steps: number;
    learning_rate: number;
    target_problems: number;
    samples: number;
    eval_samples: number;
    k: number[];
  };
  split: Record<string, unknown> | null;
  iterations: IterationReport[];
  base_evaluation: Record<string, unknown> | null;
  totals: { wall_s: number; compute_s: number; orchestration_s: number };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

export function computeSeconds(job: JobRecord | undefined): number {
  if (job?.spans === undefined) return 0;
  return Object.values(job.spans).reduce((s, [a, b]) => s + Math.max(0, Date.parse(b) - Date.parse(a)) / 1000, 0);
}

function timing(rec: PhaseRecord): PhaseTiming {
  const t: PhaseTiming = { status: rec.status, wall_s: round(rec.wallMs / 1000), attempts: rec.attempts };
  if (rec.job !== undefined) {
    t.compute_s = round(computeSeconds(rec.job));
    if (rec.job.device !== undefined) t.device = rec.job.device;
    t.launches = rec.job.launches;
  }
  return t;
}

export function iterationReport(state: RunState, it: number): IterationReport {
  const rec = (p: PhaseName): PhaseRecord | undefined => state.phases[phaseKey(it, p)];
  const res = <T>(p: PhaseName): T | undefined => rec(p)?.result as T | undefined;
  const phases: IterationReport["phases"] = {};
  let wall = 0;
  for (const p of PHASES) {
    const r = rec(p);
    if (r === undefined) continue;
    phases[p] = timing(r);
    wall += r.wallMs / 1000;
  }
  const verify = res<{ attempted?: number; solved?: string[] }>("verify");
  const train = res<{ finalLoss?: number | null; steps?: number | null }>("train");
  return {
    iteration: it,
    solved: {
      attempted: verify?.attempted ?? null,
      new: verify?.solved ?? [],
      total: res<{ solvedTotal?: number }>("dataset")?.solvedTotal ?? null,
    },
    train: {
      records: res<{ records?: number }>("dataset")?.records ?? null,
      steps: train?.steps ?? null,
      final_loss: train?.finalLoss ?? null,
    },
    evaluation: res<Record<string, unknown>>("evaluate") ?? null,
    phases,
    wall_s: round(wall),
  };
}

export function buildReport(_runDir: string, state: RunState, cfg: RunConfig): FinalReport {
  const iterations: IterationReport[] = [];
  for (let it = 1; it <= state.iteration; it++) iterations.push(iterationReport(state, it));
  const all = Object.values(state.phases);
  const wall = all.reduce((s, r) => s + r.wallMs / 1000, 0);
  const compute = all.reduce((s, r) => s + computeSeconds(r.job), 0);
  return {
    run_id: state.runId,
    status: state.status,
    end_reason: state.endReason ?? null,
    error: state.error ?? null,
    base_model: cfg.baseModel,
    method: cfg.method,
    config: {
      max_iterations: cfg.maxIterations,
      train_steps: cfg.trainSteps,
      learning_rate: cfg.learningRate,
      target_problems: cfg.targetProblems,
      samples: cfg.samples,
      eval_samples: cfg.evalSamples,
      k: cfg.k,
    },
    split: (state.phases[phaseKey(0, "prepare")]?.result as Record<string, unknown> | undefined) ?? null,
    iterations,
    base_evaluation:
      (state.phases[phaseKey(0, "evaluate-base")]?.result as Record<string, unknown> | undefined) ?? null,
    totals: { wall_s: round(wall), compute_s: round(compute), orchestration_s: round(Math.max(0, wall - compute)) },
  };
}

/** iteration_N/metadata.json: the iteration's slice of the report, rewritten when the iteration ends. */
export async function writeIterationMetadata(runDir: string, state: RunState, it: number): Promise<void> {
  await writeFileAtomic(
    iterationFiles(runDir, it).metadata,
    `${JSON.stringify(iterationReport(state, it), null, 2)}\n`,
  );
}
