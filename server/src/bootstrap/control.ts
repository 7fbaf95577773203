/**
 * Managing runs from outside the controller: create a run folder, reopen a
 * finished or stopped one (optionally from iteration N, the seed's
 * `--resume-iteration`), ask a run to stop, and read what a run looks like
 * now (for `status`, `attach` and the editor's run list). Everything here
 * reads or changes the run folder only through the store and signal files.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeFileAtomicSync } from "../dataset/fsx";
import { checkConfig, type RunConfig, type RunConfigInput, readConfig } from "./config";
import { runFiles } from "./layout";
import type { Progress } from "./loop";
import { type IterationReport, iterationReport } from "./report";
import {
  lockAlive,
  PhaseStatus,
  type RunState,
  RunStatus,
  readLock,
  STATE_FILE,
  Store,
  TERMINAL_PHASE,
  TERMINAL_RUN,
} from "./state";

/** run-<utc date>-<time>-<4 hex>: sortable, and a valid remote job id segment. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `run-${stamp}-${randomBytes(2).toString("hex")}`;
}

/** Validates the config, writes it and a fresh state into a new run folder. */
export function createRun(
  parentOrDir: string,
  input: RunConfigInput,
  opts: { exactDir?: boolean } = {},
): { dir: string; config: RunConfig } {
  const config = checkConfig(input, "run configuration");
  const runId = newRunId();
  const dir = resolve(opts.exactDir ? parentOrDir : join(parentOrDir, runId));
  if (existsSync(join(dir, STATE_FILE))) throw new Error(`${dir} already holds a run`);
  mkdirSync(dir, { recursive: true });
  writeFileAtomicSync(runFiles(dir).config, `${JSON.stringify(config, null, 2)}\n`);
  Store.create(dir, runId);
  return { dir, config };
}

/**
 * Makes a run resumable again: a failed or stopped run goes back to running
 * (its unfinished phase is retried); with `fromIteration`, every phase of that
 * iteration and later is reset to pending, so they are redone.
 */
export function reopenRun(dir: string, fromIteration?: number): void {
  const store = Store.open(dir);
  rmSync(runFiles(dir).stop, { force: true });
  const s = store.snapshot;
  if (fromIteration !== undefined) {
    if (!Number.isInteger(fromIteration) || fromIteration < 1)
      throw new Error(`--resume-iteration must be 1 or more, got ${fromIteration}`);
    for (const rec of Object.values(s.phases)) {
      if (rec.iteration < fromIteration || rec.status === PhaseStatus.Pending) continue;
      const redo = (rec.redo ?? 0) + 1;
      store.transition(rec.key, [rec.status], PhaseStatus.Pending, { redo }, `resume from iteration ${fromIteration}`);
    }
  }
  if (TERMINAL_RUN.has(s.status) || s.status === RunStatus.Stopping) {
    const reason = fromIteration === undefined ? "resumed" : `resumed from iteration ${fromIteration}`;
    store.setRun(
      [RunStatus.Succeeded, RunStatus.Failed, RunStatus.Stopped, RunStatus.Stopping],
      RunStatus.Running,
      {},
      reason,
    );
    // A failed or cancelled phase is retried by the loop (it accepts failed|cancelled → running).
  }
  if (fromIteration !== undefined && store.snapshot.iteration >= fromIteration)
    store.updateRun({ iteration: fromIteration }, `resume from iteration ${fromIteration}`);
}

/** Asks the run's controller to stop (signal file); `stopped` tells whether one is alive to act on it. */
export function requestStop(dir: string): { controllerAlive: boolean } {
  Store.open(dir); // a clear error when dir is not a run
  writeFileSync(runFiles(dir).stop, `${new Date().toISOString()}\n`);
  return { controllerAlive: lockAlive(readLock(dir)) };
}

export interface RunView {
  dir: string;
  runId: string;
  status: RunStatus;
  /** Status and a live controller: "running" with no controller is shown as "detached". */
  controllerAlive: boolean;
  iteration: number;
  maxIterations: number;
  host: string;
  backend: string;
  baseModel: string;
  dataset: string;
  endReason?: string;
  error?: string;
  progress?: Progress;
  /** The phase in flight, if any. */
  phase?: string;
  iterations: IterationReport[];
}

export function viewRun(dir: string): RunView {
  const state: RunState = JSON.parse(readFileSync(join(dir, STATE_FILE), "utf8"));
  const cfg = readConfig(runFiles(dir).config);
  let progress: Progress | undefined;
  try {
    progress = JSON.parse(readFileSync(runFiles(dir).progress, "utf8")) as Progress;
  } catch {
    progress = undefined;
  }
  const inFlight = Object.values(state.phases).find(
    (p) => !TERMINAL_PHASE.has(p.status) && p.status !== PhaseStatus.Pending,
  );
  const view: RunView = {
    dir,
    runId: state.runId,
    status: state.status,
    controllerAlive: lockAlive(readLock(dir)),
    iteration: state.iteration,
    maxIterations: cfg.maxIterations,
    host: cfg.host,
    backend: cfg.backend,
    baseModel: cfg.baseModel,
    dataset: cfg.dataset,
    iterations: Array.from({ length: state.iteration }, (_, i) => iterationReport(state, i + 1)),
  };
  if (state.endReason !== undefined) view.endReason = state.endReason;
  if (state.error !== undefined) view.error = state.error;
  if (progress !== undefined) view.progress = progress;
  if (inFlight !== undefined) view.phase = inFlight.key;
  return view;
}

/** Run folders directly under `parent` (newest first); unreadable ones are left out. */
export function listRuns(parent: string): RunView[] {
  if (!existsSync(parent)) return [];
  const out: RunView[] = [];
  for (const name of readdirSync(parent).sort().reverse()) {
    const dir = join(parent, name);
    if (!existsSync(join(dir, STATE_FILE))) continue;
    try {
      out.push(viewRun(dir));
    } catch {
      // a run folder being created, or damaged: not listed
    }
  }
  return out;
}

/** One line per iteration, for terminals: solved, pass@1 base → trained, loss, times. */
export function formatIterations(view: RunView): string[] {
  return view.iterations.map((it) => {
    const ev = it.evaluation as {
      base?: Record<string, { value: number }>;
      trained?: Record<string, { value: number }>;
    } | null;
    const k = Object.keys(ev?.trained ?? {})[0];
    const pass =
      k === undefined ? "" : ` ${k} ${ev!.base![k]!.value.toFixed(3)} → ${ev!.trained![k]!.value.toFixed(3)}`;
    const loss = it.train.final_loss == null ? "" : ` loss ${it.train.final_loss.toFixed(4)}`;
    const compute = Object.values(it.phases).reduce((s, p) => s + (p?.compute_s ?? 0), 0);
    return `iteration ${it.iteration}: solved ${it.solved.total ?? "?"} (+${it.solved.new.length})${pass}${loss} wall ${it.wall_s.toFixed(1)} s, remote ${compute.toFixed(1)} s`;
  });
}

/** One status line: phase, iteration, step/loss, solved, ETA. */
export function formatProgress(p: Progress | undefined): string {
  if (p === undefined) return "";
  const parts = [`[${p.status}]`, `iteration ${p.iteration}/${p.maxIterations}`];
  if (p.phase !== undefined) parts.push(p.phase);
  if (p.step !== undefined) parts.push(`step ${p.step}/${p.totalSteps ?? "?"}`);
  if (p.loss !== undefined) parts.push(`loss ${p.loss.toFixed(4)}`);
  if (p.done !== undefined) parts.push(`${p.done}/${p.total ?? "?"} prompts`);
  parts.push(`solved ${p.solved}/${p.target}`);
  if (p.phaseEtaS !== undefined) parts.push(`phase ETA ${Math.round(p.phaseEtaS)} s`);
  if (p.runEtaS !== undefined) parts.push(`run ETA ${Math.round(p.runEtaS)} s`);
  return parts.join(" · ");
}
