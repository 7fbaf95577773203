/**
 * The bootstrap controller: prepare once, then per iteration
 * solve → verify → dataset → train → evaluate, until the target number of
 * solved problems or the iteration limit.
 *
 * Invariants:
 * - Local state (state.ts) is the truth. Every phase runs inside `phase()`,
 *   which hashes its inputs, skips it when it already finished with the same
 *   hash, and records the outcome through guarded transitions. Phase bodies
 *   are idempotent: they rewrite their own outputs from their inputs, so a
 *   controller killed anywhere (kill -9 included) and started again redoes at
 *   most the phase it was in, and for remote phases not even that.
 * - Remote phases (solve, train, evaluate's generation) keep the job handle and
 *   the byte offset of the job's events in the phase record. A restarted
 *   controller does not trust what it remembers: the phase becomes
 *   `recovering` until a poll says what the job is (STYLE.md 16): running →
 *   reattach and follow from the offset; succeeded → fetch; lost → launch the
 *   same spec again, which resumes training from its last checkpoint.
 * - Generated code runs only here, in the embedded engine's sandbox, judged
 *   by `qds verify` (judge.ts); the remote host only generates and trains.
 * - The train/eval split is drawn once at prepare and never changes; held-out
 *   problems never enter training data.
 * - Stop is a signal file (`stop` in the run folder): the controller cancels
 *   the remote job, marks the phase cancelled and the run stopped.
 */
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { Q_SOLUTION_FILE } from "../dataset/format";
import { sha256, writeFileAtomic, writeFileAtomicSync } from "../dataset/fsx";
import { loadDataset, loadProblem } from "../dataset/load";
import { mulberry32 } from "../dataset/random";
import { exportSft, loadTemplate, problemVars, render } from "../dataset/sft";
import { embeddedEngine } from "../verify/embedded";
import type { QEngine } from "../verify/engines";
import { verifyDataset } from "../verify/verify";
import { type RunConfig, readConfig } from "./config";
import { judgeCompletions, readCompletions, type SampleVerdict } from "./judge";
import { iterationFiles, runFiles } from "./layout";
import { compare, type Difference, type PassSummary, summarise } from "./metrics";
import {
  type GenerateArgs,
  type JobEvent,
  type JobHandle,
  type JobSpec,
  jobDir,
  RemoteError,
  type SlurmJobOptions,
  type TrainArgs,
  type Transport,
} from "./remote/types";
import { buildReport, writeIterationMetadata } from "./report";
import {
  acquireLock,
  FINISHED_PHASE,
  hashInputs,
  type JobRecord,
  PHASES,
  type PhaseName,
  type PhaseRecord,
  PhaseStatus,
  phaseKey,
  RunStatus,
  Store,
  TERMINAL_RUN,
} from "./state";

export interface RunnerOptions {
  transport: Transport;
  /** Folder with the sft-*.md templates (the product's prompts/). */
  promptsDir: string;
  /** Judge engine; the embedded engine by default. */
  engine?: QEngine;
  /** Concurrent verifications (default 1: the tiny runs share two cores with the trainer). */
  jobs?: number;
  /** Each bootstrap.log line, also echoed here (the CLI prints them). */
  onLine?: (line: string) => void;
  /** Detach: stop following and return; remote jobs keep running and the run stays resumable. */
  signal?: AbortSignal;
  /** Reconnect attempts after a dropped connection before the phase fails. */
  reconnectTries?: number;
}

/** Live progress, rewritten to progress.json on every change. */
export interface Progress {
  runId: string;
  status: RunStatus;
  iteration: number;
  maxIterations: number;
  phase?: PhaseName;
  step?: number;
  totalSteps?: number;
  loss?: number;
  done?: number;
  total?: number;
  solved: number;
  target: number;
  /** Seconds left in the current remote job, as it estimates. */
  phaseEtaS?: number;
  /** Seconds left in the run: mean finished iteration × iterations left, minus time in this one. */
  runEtaS?: number;
  controllerPid: number;
  updatedAt: string;
}

class StopRequested extends Error {}
class Detached extends Error {}

export interface Split {
  train: string[];
  eval: string[];
  /** Training-split problems whose sol.q verified valid before the run. */
  seedSolved: string[];
}

export interface ModelRef {
  base_model: string;
  adapter?: string;
}

const JUDGE_TIMEOUT_MS = 5000;
const JUDGE_MEMORY_MB = 512;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs (or resumes) the run in `runDir` until it ends, is stopped, or `signal` detaches. */
export async function runBootstrap(runDir: string, opts: RunnerOptions): Promise<RunStatus> {
  const config = readConfig(runFiles(runDir).config);
  const release = acquireLock(runDir);
  const owned = opts.engine === undefined ? embeddedEngine() : undefined;
  try {
    const runner = new Runner(runDir, config, Store.open(runDir), { ...opts, engine: opts.engine ?? owned! });
    return await runner.run();
  } finally {
    release();
    await owned?.close();
  }
}

class Runner {
  private readonly files: ReturnType<typeof runFiles>;
  private readonly engine: QEngine;
  private progressState: Omit<Progress, "updatedAt">;
  private current: { key: string; job?: JobHandle } | undefined;

  constructor(
    private readonly runDir: string,
    private readonly cfg: RunConfig,
    private readonly store: Store,
    private readonly opts: RunnerOptions & { engine: QEngine },
  ) {
    this.files = runFiles(runDir);
    this.engine = opts.engine;
    const s = store.snapshot;
    this.progressState = {
      runId: s.runId,
      status: s.status,
      iteration: s.iteration,
      maxIterations: cfg.maxIterations,
      solved: 0,
      target: cfg.targetProblems,
      controllerPid: process.pid,
    };
  }

  async run(): Promise<RunStatus> {
    const s = this.store.snapshot;
    if (TERMINAL_RUN.has(s.status)) {
      this.log(`run ${s.runId} already ${s.status}${s.endReason ? ` (${s.endReason})` : ""}`);
      return s.status;
    }
    if (s.status === RunStatus.Created) this.store.setRun([RunStatus.Created], RunStatus.Running, {}, "started");
    else this.log(`resuming run ${s.runId} (controller ${process.pid}; was ${s.status})`);
    try {
      if (s.status === RunStatus.Stopping || existsSync(this.files.stop)) throw new StopRequested();
      const env = await this.retrying(undefined, () => this.opts.transport.prepare());
      this.log(
        `${this.opts.transport.host}: python env ${env.cached ? "ready" : `built in ${env.seconds.toFixed(0)} s`} (${env.python})`,
      );
      const split = await this.prepare();
      for (let it = Math.max(1, this.store.snapshot.iteration); it <= this.cfg.maxIterations; it++) {
        if (this.store.snapshot.iteration !== it) this.store.updateRun({ iteration: it }, `iteration ${it}`);
        await this.iteration(it, split);
        const solved = this.solvedThrough(it, split).length;
        if (solved >= this.cfg.targetProblems)
          return this.finish(RunStatus.Succeeded, `target reached: ${solved} solved`);
      }
      return this.finish(RunStatus.Succeeded, `iteration limit (${this.cfg.maxIterations}) reached`);
    } catch (err) {
      if (err instanceof Detached) {
        this.log("detached: remote jobs keep running; `qds bootstrap attach` resumes");
        return this.store.snapshot.status;
      }
      if (err instanceof StopRequested) return this.stop();
      const message = err instanceof Error ? err.message : String(err);
      this.log(`FAILED: ${message}`);
      if (this.current !== undefined) this.endPhase(this.current.key, PhaseStatus.Failed, { error: message });
      return this.finish(RunStatus.Failed, message, message);
    }
  }

  // -------------------------------------------------------------------------
  // Phases

  private async prepare(): Promise<Split> {
    const inputs = {
      dataset: this.cfg.dataset,
      evalRatio: this.cfg.evalRatio,
      seed: this.cfg.seed,
      debug: this.cfg.debug,
    };
    await this.phase(0, "prepare", inputs, async () => {
      if (!existsSync(this.cfg.dataset)) throw new Error(`dataset ${this.cfg.dataset} does not exist`);
      this.log(`verifying ${this.cfg.dataset} to find the problems already solved`);
      await verifyDataset(this.cfg.dataset, this.verifyOptions());
      const problems = loadDataset(this.cfg.dataset).problems.filter((p) => p.tests.length > 0 && p.status !== "error");
      if (problems.length < 2)
        throw new Error(`${this.cfg.dataset}: needs at least 2 problems with q tests, found ${problems.length}`);
      // Stratified by "already solved", so both groups appear in training and in the held-out split.
      const random = mulberry32(this.cfg.seed);
      const split: Split = { train: [], eval: [], seedSolved: [] };
      for (const group of [
        problems.filter((p) => p.status === "valid"),
        problems.filter((p) => p.status !== "valid"),
      ]) {
        const names = shuffle(
          group.map((p) => p.name),
          random,
        );
        const nEval = Math.round(names.length * this.cfg.evalRatio);
        split.eval.push(...names.slice(0, nEval));
        split.train.push(...names.slice(nEval));
      }
      split.train.sort();
      split.eval.sort();
      const valid = new Set(problems.filter((p) => p.status === "valid").map((p) => p.name));
      split.seedSolved = split.train.filter((n) => valid.has(n));
      if (split.eval.length === 0)
        throw new Error(`${this.cfg.dataset}: evalRatio ${this.cfg.evalRatio} leaves no held-out problem`);
      const text = `${JSON.stringify(split, null, 2)}\n`;
      await writeFileAtomic(this.files.split, text);
      this.log(
        `split: ${split.train.length} train (${split.seedSolved.length} solved already), ${split.eval.length} held out`,
      );
      return {
        outputsHash: sha256(text),
        result: { train: split.train.length, eval: split.eval.length, seedSolved: split.seedSolved.length },
      };
    });
    return JSON.parse(readFileSync(this.files.split, "utf8")) as Split;
  }

  private async iteration(it: number, split: Split): Promise<void> {
    const f = iterationFiles(this.runDir, it);
    mkdirSync(f.dir, { recursive: true });
    const solvedBefore = this.solvedThrough(it - 1, split);
    let unsolved = split.train.filter((n) => !solvedBefore.includes(n));
    if (this.cfg.debug) unsolved = unsolved.slice(0, 1);
    const model = this.modelFor(it);
    this.progressState.solved = solvedBefore.length;

    // solve: the current model samples solutions for the unsolved problems (remote).
    const solve = await this.phase(
      it,
      "solve",
      {
        split: this.hashOf(0, "prepare"),
        unsolved,
        model,
        n: this.cfg.samples,
        t: this.cfg.temperature,
        max: this.cfg.maxNewTokens,
        seed: this.cfg.seed + it,
      },
      async (key) => {
        if (unsolved.length === 0) return "skipped";
        const out = join(f.generations, "output");
        await this.generate(key, `it${it}-solve`, unsolved, model, this.cfg.samples, f.generations);
        return {
          outputsHash: sha256(readFileSync(join(out, "completions.jsonl"))),
          result: { attempted: unsolved.length },
        };
      },
    );

    // verify: judge every sample locally; a problem's first passing sample joins the solved set.
    await this.phase(it, "verify", { solve: solve.outputsHash ?? solve.status }, async () => {
      if (solve.status === PhaseStatus.Skipped) return "skipped";
      const completions = readCompletions(join(f.generations, "output", "completions.jsonl"));
      const verdicts = await this.judge(unsolved, completions, f.candidates);
      rmSync(f.solvedProblems, { recursive: true, force: true });
      mkdirSync(f.solvedProblems, { recursive: true });
      const solved: string[] = [];
      for (const name of unsolved) {
        const pass = verdicts.get(name)?.find((v) => v.passed);
        if (pass?.code == null) continue;
        copyProblem(join(this.cfg.dataset, name), join(f.solvedProblems, name));
        writeFileAtomicSync(join(f.solvedProblems, name, Q_SOLUTION_FILE), `${pass.code}\n`);
        solved.push(name);
      }
      const samples = [...verdicts.values()].flat();
      const result = {
        attempted: unsolved.length,
        solved,
        samples: samples.length,
        passedSamples: samples.filter((v) => v.passed).length,
      };
      this.log(
        `iteration ${it}: ${solved.length} of ${unsolved.length} unsolved problems solved (${result.passedSamples}/${samples.length} samples pass)`,
      );
      return {
        outputsHash: hashInputs(
          solved.map((n) => [n, readFileSync(join(f.solvedProblems, n, Q_SOLUTION_FILE), "utf8")]),
        ),
        result,
      };
    });
    const solvedNow = this.solvedThrough(it, split);
    this.progressState.solved = solvedNow.length;

    // dataset: every solved training problem, re-verified as a dataset, exported as SFT records.
    const datasetInputs = {
      split: this.hashOf(0, "prepare"),
      verified: range(1, it).map((k) => this.hashOf(k, "verify") ?? null),
    };
    const dataset = await this.phase(it, "dataset", datasetInputs, async () => {
      if (solvedNow.length === 0) return "skipped";
      const problemsDir = join(f.dataset, "problems");
      rmSync(f.dataset, { recursive: true, force: true });
      mkdirSync(problemsDir, { recursive: true });
      for (const name of solvedNow) copyProblem(this.solvedSource(name, it, split), join(problemsDir, name));
      const verified = await verifyDataset(problemsDir, this.verifyOptions());
      const invalid = verified.problems.filter((p) => p.status !== "valid");
      for (const p of invalid)
        this.log(`warning: ${p.name} no longer verifies (${p.reason ?? p.status}); left out of training`);
      const stats = await exportSft(problemsDir, {
        out: join(f.dataset, "sft"),
        format: "prompt-completion",
        testRatio: 0,
        seed: this.cfg.seed,
        promptsDir: this.opts.promptsDir,
      });
      // The trainer's copy: each completion starts on a new line. The model is prompted with the
      // prompt alone, and a byte-level BPE tokenizes "…```" + "```q" across the seam differently
      // from "…```" alone; a newline keeps the prompt's tokens the same in training and generation.
      const records = readFileSync(join(f.dataset, "sft", "train.jsonl"), "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as { prompt: string; completion: string });
      await writeFileAtomic(
        join(f.dataset, "train", "train.jsonl"),
        records.map((r) => `${JSON.stringify({ prompt: r.prompt, completion: `\n${r.completion}` })}\n`).join(""),
      );
      const newThis = (this.phaseResult<{ solved?: string[] }>(it, "verify")?.solved ?? []).length;
      await writeFileAtomic(
        f.datasetStats,
        `${JSON.stringify({ iteration: it, solved_total: solvedNow.length, seed_solved: split.seedSolved.length, new_this_iteration: newThis, held_out: split.eval.length, sft: stats }, null, 2)}\n`,
      );
      return {
        outputsHash: sha256(readFileSync(join(f.dataset, "train", "train.jsonl"))),
        result: { records: stats.splits.train.count, solvedTotal: solvedNow.length },
      };
    });

    // train: fine-tune the base model on all solved problems (remote).
    const trainJob = `it${it}-train`;
    const train = await this.phase(
      it,
      "train",
      {
        dataset: dataset.outputsHash ?? dataset.status,
        base: this.cfg.baseModel,
        method: this.cfg.method,
        lr: this.cfg.learningRate,
        steps: this.cfg.trainSteps,
        save: this.cfg.saveSteps,
        seed: this.cfg.seed,
      },
      async (key) => {
        if (dataset.status === PhaseStatus.Skipped) return "skipped";
        const args: TrainArgs = {
          base_model: this.cfg.baseModel,
          train_file: `${jobDir(this.jobId(trainJob, key))}/inputs/train.jsonl`,
          method: this.cfg.method,
          learning_rate: this.cfg.learningRate,
          max_steps: this.cfg.trainSteps,
          save_steps: this.cfg.saveSteps,
          seed: this.cfg.seed,
          allow_cpu: this.cfg.allowCpu,
        };
        const job = await this.remote(
          key,
          { jobId: this.jobId(trainJob, key), kind: "train", args, inputs: join(f.dataset, "train") },
          f.model,
        );
        const outDir = this.cfg.method === "lora" ? "adapter" : "model";
        const remoteOut = `${jobDir(this.jobId(trainJob, key))}/output/${outDir}`;
        const modelRef: ModelRef =
          this.cfg.method === "lora"
            ? { base_model: this.cfg.baseModel, adapter: remoteOut }
            : { base_model: remoteOut };
        return {
          outputsHash: folderSignature(f.model),
          result: { modelRef, finalLoss: job.last?.loss ?? null, steps: job.last?.step ?? null },
        };
      },
    );

    // evaluate: base and trained model on the held-out split, judged locally.
    await this.phase(
      it,
      "evaluate",
      { train: train.outputsHash ?? train.status, eval: split.eval, n: this.cfg.evalSamples, k: this.cfg.k },
      async (key) => {
        if (train.status === PhaseStatus.Skipped) return "skipped";
        const base = await this.baseEvaluation(split);
        const trainedModel = this.phaseResult<{ modelRef: ModelRef }>(it, "train")!.modelRef;
        const gen = join(f.evaluation, "generations");
        await this.generate(key, `it${it}-eval`, split.eval, trainedModel, this.cfg.evalSamples, gen);
        const trained = summarise(
          await this.judge(
            split.eval,
            readCompletions(join(gen, "output", "completions.jsonl")),
            join(f.evaluation, "candidates"),
          ),
          split.eval,
          this.cfg.k,
        );
        const diff: Record<string, Difference> = {};
        for (const k of this.cfg.k) diff[`pass@${k}`] = compare(base, trained, k);
        const summary = { problems: split.eval, base, trained, diff };
        const text = `${JSON.stringify(summary, null, 2)}\n`;
        await writeFileAtomic(join(f.evaluation, "summary.json"), text);
        const d1 = diff[`pass@${this.cfg.k[0]}`]!;
        this.log(
          `iteration ${it}: pass@${this.cfg.k[0]} base ${fmt(d1.base)} → trained ${fmt(d1.trained)} (Δ ${fmt(d1.diff.value)}, 95% CI ${fmt(d1.diff.ci[0])}..${fmt(d1.diff.ci[1])})`,
        );
        return {
          outputsHash: sha256(text),
          result: {
            base: base.passAtK,
            trained: trained.passAtK,
            diff: Object.fromEntries(Object.entries(diff).map(([k, v]) => [k, v.diff])),
          },
        };
      },
    );
    await writeIterationMetadata(this.runDir, this.store.snapshot, it);
  }

  /** The base model's held-out evaluation, once per run (its inputs never change within a run). */
  private async baseEvaluation(split: Split): Promise<PassSummary> {
    const dir = this.files.baseEvaluation;
    const inputs = {
      eval: split.eval,
      model: this.cfg.baseModel,
      n: this.cfg.evalSamples,
      k: this.cfg.k,
      t: this.cfg.temperature,
      seed: this.cfg.seed,
    };
    const outer = this.current;
    await this.phase(0, "evaluate-base", inputs, async (key) => {
      await this.generate(
        key,
        "eval-base",
        split.eval,
        { base_model: this.cfg.baseModel },
        this.cfg.evalSamples,
        join(dir, "generations"),
      );
      const summary = summarise(
        await this.judge(
          split.eval,
          readCompletions(join(dir, "generations", "output", "completions.jsonl")),
          join(dir, "candidates"),
        ),
        split.eval,
        this.cfg.k,
      );
      const text = `${JSON.stringify(summary, null, 2)}\n`;
      await writeFileAtomic(join(dir, "summary.json"), text);
      return { outputsHash: sha256(text), result: { passAtK: summary.passAtK } };
    });
    this.current = outer;
    return JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as PassSummary;
  }

  // -------------------------------------------------------------------------
  // The phase wrapper: hashes, skip on resume, guarded transitions, timing

  private async phase(
    it: number,
    name: PhaseName,
    inputs: unknown,
    body: (key: string) => Promise<"skipped" | { outputsHash: string; result?: Record<string, unknown> }>,
  ): Promise<PhaseRecord> {
    this.checkStop();
    const key = phaseKey(it, name);
    const inputsHash = hashInputs(inputs);
    let rec = this.store.phase(key);
    if (rec !== undefined && FINISHED_PHASE.has(rec.status)) {
      if (rec.inputsHash === inputsHash) return rec;
      this.store.transition(
        key,
        [PhaseStatus.Succeeded, PhaseStatus.Skipped],
        PhaseStatus.Pending,
        { inputsHash, redo: (rec.redo ?? 0) + 1 },
        "inputs changed: redo",
      );
      rec = this.store.phase(key);
    }
    const t0 = Date.now();
    const startedAt = new Date(t0).toISOString();
    const attempts = (rec?.attempts ?? 0) + 1;
    if (rec?.status === PhaseStatus.Running || rec?.status === PhaseStatus.Recovering) {
      // A controller died in this phase. A remote job's state is unknown until polled.
      const to = rec.job?.handle !== undefined ? PhaseStatus.Recovering : PhaseStatus.Running;
      this.store.transition(
        key,
        [rec.status],
        to,
        { attempts, startedAt },
        "controller restarted: remote state unknown",
      );
    } else {
      const patch: Partial<PhaseRecord> = { iteration: it, phase: name, inputsHash, attempts, startedAt };
      // A fresh start (first, retry after failure or stop) launches again: keep the offset, drop the handle.
      if (rec?.job !== undefined) {
        const { handle: _old, ...job } = rec.job;
        patch.job = job;
      }
      this.store.transition(
        key,
        ["absent", PhaseStatus.Pending, PhaseStatus.Failed, PhaseStatus.Cancelled],
        PhaseStatus.Running,
        {
          ...patch,
          iteration: it,
          phase: name,
          inputsHash,
        },
      );
    }
    this.current = { key };
    this.setProgress({ phase: name, iteration: it });
    this.log(`iteration ${it}: ${name}${attempts > 1 ? ` (attempt ${attempts})` : ""}`);
    const out = await body(key);
    const prev = this.store.phase(key)!;
    const patch: Partial<PhaseRecord> = { endedAt: new Date().toISOString(), wallMs: prev.wallMs + Date.now() - t0 };
    if (out === "skipped") return this.endPhase(key, PhaseStatus.Skipped, patch);
    patch.outputsHash = out.outputsHash;
    if (out.result !== undefined) patch.result = out.result;
    return this.endPhase(key, PhaseStatus.Succeeded, patch);
  }

  private endPhase(key: string, to: PhaseStatus, patch: Partial<PhaseRecord>): PhaseRecord {
    const rec = this.store.phase(key);
    if (rec === undefined || !(rec.status === PhaseStatus.Running || rec.status === PhaseStatus.Recovering))
      return rec as PhaseRecord;
    if (patch.wallMs === undefined && rec.startedAt !== undefined)
      patch.wallMs = rec.wallMs + Math.max(0, Date.now() - Date.parse(rec.startedAt));
    return this.store.transition(key, [PhaseStatus.Running, PhaseStatus.Recovering], to, patch, patch.error);
  }

  // -------------------------------------------------------------------------
  // Remote jobs

  /** The remote job id of a phase's job; a redone phase gets a new one so no old job or checkpoint is reused. */
  private jobId(name: string, key: string): string {
    const redo = this.store.phase(key)?.redo ?? 0;
    return `${this.store.snapshot.runId}/${name}${redo > 0 ? `-r${redo}` : ""}`;
  }

  private async generate(
    key: string,
    name: string,
    problems: readonly string[],
    model: ModelRef,
    n: number,
    dir: string,
  ): Promise<JobRecord> {
    const inputs = join(dir, "inputs");
    const prompt = loadTemplate(this.opts.promptsDir, "sft-prompt.md");
    const lines = problems.map((p) => {
      const problem = loadProblem(this.cfg.dataset, p, new Map());
      return `${JSON.stringify({ task_id: p, prompt: render(prompt, problemVars(problem)) })}\n`;
    });
    await writeFileAtomic(join(inputs, "prompts.jsonl"), lines.join(""));
    const jobId = this.jobId(name, key);
    const args: GenerateArgs = {
      ...model,
      prompts_file: `${jobDir(jobId)}/inputs/prompts.jsonl`,
      n,
      temperature: this.cfg.temperature,
      max_new_tokens: this.cfg.maxNewTokens,
      seed: this.cfg.seed,
      engine: "auto",
      allow_cpu: this.cfg.allowCpu,
    };
    return this.remote(key, { jobId, kind: "generate", args, inputs }, join(dir, "output"));
  }

  /**
   * Launches (or reattaches to) the phase's job, follows its events from the
   * recorded offset until it ends, and brings its output back to `outDir`.
   */
  private async remote(key: string, spec: JobSpec, outDir: string): Promise<JobRecord> {
    const t = this.opts.transport;
    const rec = this.store.phase(key)!;
    let job: JobRecord = rec.job?.jobId === spec.jobId ? rec.job : { jobId: spec.jobId, eventsOffset: 0, launches: 0 };
    const save = (): void => this.store.progress(key, { job });
    const launch = async (why: string): Promise<void> => {
      const handle = await this.retrying(key, () => t.launch(withSlurm(spec, this.cfg)));
      const same =
        job.handle !== undefined && handle.pid === job.handle.pid && handle.slurmJobId === job.handle.slurmJobId;
      job = { ...job, handle, launches: job.launches + (same ? 0 : 1) };
      save();
      this.log(
        `${spec.jobId}: ${same ? "job already running: attached" : why} (${handle.backend} ${handle.host}${handle.pid ? ` pid ${handle.pid}` : ""}${handle.slurmJobId ? ` slurm ${handle.slurmJobId}` : ""})`,
      );
    };
    if (job.handle === undefined) await launch("launched");
    this.current = { key, job: job.handle! };
    for (;;) {
      this.checkStop();
      const chunk = await this.retrying(key, () => t.readEvents(job.handle!, job.eventsOffset));
      if (chunk.events.length > 0 || chunk.offset !== job.eventsOffset) {
        job = { ...job, eventsOffset: chunk.offset };
        for (const e of chunk.events) job = this.onEvent(spec.jobId, job, e);
        save();
      }
      const poll = await this.retrying(key, () => t.poll(job.handle!));
      if (this.store.phase(key)?.status === PhaseStatus.Recovering && poll.state !== "lost") {
        this.store.transition(key, [PhaseStatus.Recovering], PhaseStatus.Running, {}, `job ${poll.state}: reattached`);
        this.log(`${spec.jobId}: job ${poll.state}: reattached at event offset ${job.eventsOffset}`);
      }
      if (poll.status?.device !== undefined && job.device !== poll.status.device) {
        job = { ...job, device: poll.status.device };
        save();
      }
      switch (poll.state) {
        case "queued":
        case "running":
          await this.wait(this.cfg.pollS * 1000);
          continue;
        case "succeeded": {
          // Events written just before exit_code: read to the end before leaving.
          const rest = await this.retrying(key, () => t.readEvents(job.handle!, job.eventsOffset));
          job = { ...job, eventsOffset: rest.offset };
          for (const e of rest.events) job = this.onEvent(spec.jobId, job, e);
          save();
          rmSync(outDir, { recursive: true, force: true });
          const stats = await this.retrying(key, () => t.fetchOutput(job.handle!, outDir));
          this.log(
            `${spec.jobId}: done; fetched ${stats.files} files (${stats.bytes} bytes) in ${stats.seconds.toFixed(1)} s`,
          );
          return job;
        }
        case "lost":
          this.store.transition(
            key,
            [PhaseStatus.Running, PhaseStatus.Recovering],
            PhaseStatus.Recovering,
            {},
            `job lost: ${poll.reason ?? "no process, no exit code"}`,
          );
          await launch("relaunched from its last checkpoint");
          this.current = { key, job: job.handle! };
          continue;
        case "cancelled":
          if (existsSync(this.files.stop)) throw new StopRequested();
          throw new Error(`${spec.jobId} was cancelled on ${t.host} (not by this run)`);
        case "failed":
          throw new Error(
            `${spec.jobId} failed on ${t.host}: ${poll.status?.error?.message ?? poll.reason ?? `exit code ${poll.exitCode}`}`,
          );
      }
    }
  }

  private onEvent(jobId: string, job: JobRecord, e: JobEvent): JobRecord {
    const spans = { ...(job.spans ?? {}) };
    const a = String(e.attempt);
    spans[a] = [spans[a]?.[0] ?? e.time, e.time];
    const last = { ...(job.last ?? {}) };
    if (e.step !== undefined) last.step = e.step;
    if (e.total_steps !== undefined) last.totalSteps = e.total_steps;
    if (e.loss !== undefined) last.loss = e.loss;
    if (e.done !== undefined) last.done = e.done;
    if (e.total !== undefined) last.total = e.total;
    if (e.eta_s !== undefined) last.etaS = e.eta_s;
    const { etaS, ...shown } = last;
    this.setProgress(etaS === undefined ? shown : { ...shown, phaseEtaS: etaS });
    const where =
      e.step !== undefined
        ? ` step ${e.step}/${e.total_steps ?? "?"}${e.loss !== undefined ? ` loss ${e.loss.toFixed(4)}` : ""}`
        : e.done !== undefined
          ? ` ${e.done}/${e.total ?? "?"}`
          : "";
    const extra = e.checkpoint
      ? ` ${e.checkpoint}`
      : e.error
        ? ` ${e.error.code}: ${e.error.message}`
        : e.message
          ? ` ${e.message}`
          : "";
    this.log(
      `${jobId} [${e.attempt}] ${e.phase}${where}${e.eta_s !== undefined ? ` eta ${Math.round(e.eta_s)} s` : ""}${extra}`,
    );
    return { ...job, spans, last };
  }

  /**
   * Runs a transport call; a dropped or refused connection is retried with
   * backoff (the job runs on detached), the phase marked recovering meanwhile.
   */
  private async retrying<T>(key: string | undefined, call: () => Promise<T>): Promise<T> {
    const tries = this.opts.reconnectTries ?? 8;
    for (let i = 0; ; i++) {
      try {
        return await call();
      } catch (err) {
        if (!transient(err) || i >= tries) throw err;
        const rec = key === undefined ? undefined : this.store.phase(key);
        if (rec?.status === PhaseStatus.Running)
          this.store.transition(
            rec.key,
            [PhaseStatus.Running],
            PhaseStatus.Recovering,
            {},
            `connection lost: ${err.message}`,
          );
        const ms = Math.min(30_000, 500 * 2 ** i);
        this.log(`connection lost (${err.message}); retry ${i + 1}/${tries} in ${(ms / 1000).toFixed(1)} s`);
        await this.wait(ms);
      }
    }
  }

  // -------------------------------------------------------------------------
  // Local helpers

  private async judge(
    problems: readonly string[],
    completions: ReturnType<typeof readCompletions>,
    workDir: string,
  ): Promise<Map<string, SampleVerdict[]>> {
    return judgeCompletions({
      datasetDir: this.cfg.dataset,
      problems,
      completions,
      workDir,
      engine: this.engine,
      jobs: this.opts.jobs ?? 1,
      timeoutMs: JUDGE_TIMEOUT_MS,
      memoryMb: JUDGE_MEMORY_MB,
    });
  }

  private verifyOptions() {
    return {
      engine: this.engine,
      jobs: this.opts.jobs ?? 1,
      timeoutMs: JUDGE_TIMEOUT_MS,
      memoryMb: JUDGE_MEMORY_MB,
      force: false,
      python: false,
    };
  }

  private hashOf(it: number, name: PhaseName): string | undefined {
    return this.store.phase(phaseKey(it, name))?.outputsHash;
  }

  private phaseResult<T>(it: number, name: PhaseName): T | undefined {
    return this.store.phase(phaseKey(it, name))?.result as T | undefined;
  }

  /** Seed problems plus those solved in iterations 1..it, in training-split order. */
  private solvedThrough(it: number, split: Split): string[] {
    const solved = new Set(split.seedSolved);
    for (let k = 1; k <= it; k++)
      for (const n of this.phaseResult<{ solved?: string[] }>(k, "verify")?.solved ?? []) solved.add(n);
    return split.train.filter((n) => solved.has(n));
  }

  private solvedSource(name: string, it: number, split: Split): string {
    if (split.seedSolved.includes(name)) return join(this.cfg.dataset, name);
    for (let k = 1; k <= it; k++)
      if (this.phaseResult<{ solved?: string[] }>(k, "verify")?.solved?.includes(name))
        return join(iterationFiles(this.runDir, k).solvedProblems, name);
    throw new Error(`internal: no source for solved problem ${name}`);
  }

  /** The model that solves in iteration `it`: the base at first, then the latest trained one. */
  private modelFor(it: number): ModelRef {
    for (let k = it - 1; k >= 1; k--) {
      const ref = this.phaseResult<{ modelRef?: ModelRef }>(k, "train")?.modelRef;
      if (ref !== undefined) return ref;
    }
    return { base_model: this.cfg.baseModel };
  }

  private checkStop(): void {
    if (this.opts.signal?.aborted) throw new Detached();
    if (existsSync(this.files.stop)) throw new StopRequested();
  }

  private async wait(ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      this.checkStop();
      await sleep(Math.min(200, end - Date.now()));
    }
  }

  private async stop(): Promise<RunStatus> {
    const cur = this.current;
    if (cur?.job !== undefined) {
      this.log(`stop: cancelling ${cur.job.jobId} on ${cur.job.host}`);
      await this.opts.transport.cancel(cur.job);
    } else {
      // Stopped between controllers: cancel whatever job the state says is in flight.
      for (const rec of Object.values(this.store.snapshot.phases))
        if (
          (rec.status === PhaseStatus.Running || rec.status === PhaseStatus.Recovering) &&
          rec.job?.handle !== undefined
        ) {
          this.log(`stop: cancelling ${rec.job.jobId}`);
          await this.opts.transport.cancel(rec.job.handle);
        }
    }
    for (const rec of Object.values(this.store.snapshot.phases))
      if (rec.status === PhaseStatus.Running || rec.status === PhaseStatus.Recovering)
        this.endPhase(rec.key, PhaseStatus.Cancelled, { error: "stopped" });
    if (this.store.snapshot.status === RunStatus.Running)
      this.store.setRun([RunStatus.Running], RunStatus.Stopping, {}, "stop requested");
    return this.finish(RunStatus.Stopped, "stopped by the user");
  }

  private async finish(status: RunStatus, reason: string, error?: string): Promise<RunStatus> {
    const patch = error === undefined ? { endReason: reason } : { endReason: reason, error };
    this.store.setRun([RunStatus.Running, RunStatus.Stopping], status, patch, reason);
    const report = buildReport(this.runDir, this.store.snapshot, this.cfg);
    await writeFileAtomic(this.files.report, `${JSON.stringify(report, null, 2)}\n`);
    this.setProgress({ status });
    this.log(`run ${status}: ${reason}; report in ${this.files.report}`);
    return status;
  }

  private setProgress(patch: Partial<Progress>): void {
    const s = this.store.snapshot;
    this.progressState = { ...this.progressState, status: s.status, iteration: s.iteration, ...patch };
    for (const k of Object.keys(patch) as (keyof Progress)[])
      if (patch[k] === undefined) delete this.progressState[k as keyof typeof this.progressState];
    if (patch.phase !== undefined)
      for (const k of ["step", "totalSteps", "loss", "done", "total", "phaseEtaS"] as const)
        if (!(k in patch)) delete this.progressState[k];
    const runEtaS = this.runEta();
    const p: Progress = {
      ...this.progressState,
      ...(runEtaS === undefined ? {} : { runEtaS }),
      updatedAt: new Date().toISOString(),
    };
    writeFileAtomicSync(this.files.progress, `${JSON.stringify(p)}\n`);
  }

  private runEta(): number | undefined {
    const s = this.store.snapshot;
    const done: number[] = [];
    for (let k = 1; k < s.iteration; k++) {
      const ms = PHASES.reduce((sum, p) => sum + (s.phases[phaseKey(k, p)]?.wallMs ?? 0), 0);
      if (ms > 0) done.push(ms);
    }
    if (done.length === 0) return undefined;
    const mean = done.reduce((a, b) => a + b, 0) / done.length;
    const inThis = PHASES.reduce((sum, p) => sum + (s.phases[phaseKey(s.iteration, p)]?.wallMs ?? 0), 0);
    return Math.max(0, Math.round((mean * (this.cfg.maxIterations - s.iteration + 1) - inThis) / 1000));
  }

  private log(line: string): void {
    appendFileSync(this.files.log, `${new Date().toISOString()} ${line}\n`);
    this.opts.onLine?.(line);
  }
}

/**
 * A dropped connection: refused or timed out, or ssh's own exit status 255
 * with nothing said, which is what a connection killed mid-command leaves.
 */
function transient(err: unknown): err is RemoteError {
  return (
    err instanceof RemoteError &&
    (err.code === "unreachable" || (err.code === "command" && /\(exit 255\)/.test(err.message)))
  );
}

function withSlurm(spec: JobSpec, cfg: RunConfig): JobSpec {
  return cfg.slurm === undefined ? spec : { ...spec, slurm: cfg.slurm as SlurmJobOptions };
}

/** Copies a problem folder's visible files (not its .qds cache). */
function copyProblem(src: string, dst: string): void {
  rmSync(dst, { recursive: true, force: true });
  cpSync(src, dst, { recursive: true, filter: (s) => !/(^|\/)\.[^/]*$/.test(s.slice(src.length)) });
}

/** Names and sizes of a folder's files: cheap, and enough to tell one fetched model from another. */
function folderSignature(dir: string): string {
  const rows: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p, `${rel}${name}/`);
      else rows.push(`${rel}${name}\t${s.size}`);
    }
  };
  if (existsSync(dir)) walk(dir, "");
  return sha256(rows.join("\n"));
}

function shuffle<T>(xs: T[], random: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const range = (a: number, b: number): number[] => Array.from({ length: Math.max(0, b - a + 1) }, (_, i) => a + i);
const fmt = (x: number): string => x.toFixed(3);
