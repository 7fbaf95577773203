/**
 * Remote jobs of a bootstrap run: the file contract a job keeps in its own
 * folder on the host, and the `Transport` both backends (ssh, Slurm)
 * implement. The orchestrator codes against this file only.
 *
 * The contract (STYLE.md "What to absorb" 17): a job writes nothing outside
 * its job folder `<root>/jobs/<jobId>/`. There it
 *   - appends one `JobEvent` JSON line per progress step to `events.jsonl`
 *     (never rewritten, so a client can follow it by byte offset),
 *   - rewrites `status.json` atomically (temp file + rename),
 *   - polls `cancel` (and, under Slurm, `preempt`) and stops cleanly when it appears,
 *   - and its wrapper writes `exit_code` last, after everything else.
 * The launcher records `pid` ("<pid> <start time>") so a reused pid is not
 * taken for the job. Local state stays the truth: a job whose pid is gone
 * without an `exit_code` is "lost", and the orchestrator relaunches it with
 * the same spec; a training job then resumes from its last checkpoint.
 *
 * Paths inside job arguments are relative to the transport's remote root
 * (default `~/.qds-remote`), e.g. `models/tiny`, `jobs/run-1/it1-train/inputs/train.jsonl`,
 * or absolute; a model name that is no path (e.g. `Qwen/Qwen3-0.6B`) is a
 * Hugging Face hub id the host loads itself.
 */

/** File names inside a job folder. */
export const JOB_FILES = {
  /** Written by the client before launch: the JobSpec's kind and args. */
  spec: "job.json",
  events: "events.jsonl",
  status: "status.json",
  exitCode: "exit_code",
  cancel: "cancel",
  /** Slurm: the batch shell's mark of a preemption notice; the trainer checkpoints and exits 75. */
  preempt: "preempt",
  /** "<pid> <process start time in clock ticks since boot>" of the job's process group leader. */
  pid: "pid",
  /** stdout + stderr of the job (appended across attempts). */
  log: "job.log",
  /** Local folder uploaded before launch. */
  inputs: "inputs",
  /** What comes back: train → adapter/ (LoRA) or model/ (full); generate → completions.jsonl. Checkpoints never. */
  output: "output",
  /** Training checkpoints (resume only; never downloaded). */
  checkpoints: "checkpoints",
} as const;

/** Remote job folder of a job id, relative to the remote root. */
export function jobDir(jobId: string): string {
  return `jobs/${jobId}`;
}

/** Job ids: one or more path segments of [A-Za-z0-9._-], e.g. "run-3f2a/it2-train". */
export const JOB_ID_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

// ---------------------------------------------------------------------------
// What the job writes

export type JobKind = "train" | "generate";

/** Phases a job passes through; the last event of a finished job is done, failed or cancelled. */
export type JobPhase =
  | "start" // process up, arguments read
  | "load" // model/tokenizer/data loading
  | "train" // a logged training step
  | "checkpoint" // a checkpoint written (resume point)
  | "generate" // generation progress
  | "save" // final weights / completions being written
  | "done"
  | "failed"
  | "cancelled";

/** One line of events.jsonl. Fields are snake_case: the Python side writes them. */
export interface JobEvent {
  /** 0, 1, 2, … per job folder, continued across attempts: (seq) is unique, so a reader can drop repeats. */
  seq: number;
  /** ISO 8601 UTC. */
  time: string;
  /** 1 for the first launch, +1 for every relaunch or Slurm requeue. */
  attempt: number;
  phase: JobPhase;
  step?: number;
  total_steps?: number;
  loss?: number;
  learning_rate?: number;
  /** Generation: prompts finished / total. */
  done?: number;
  total?: number;
  /** Only jobs that can judge solutions set this; remote generation cannot (verification is local). */
  solved?: number;
  /** Estimated seconds left in this job. */
  eta_s?: number;
  /** Checkpoint folder (relative to the job folder) for "checkpoint" events, or the one resumed from in "start". */
  checkpoint?: string;
  message?: string;
  error?: JobError;
}

export interface JobError {
  /** Machine-readable cause, e.g. "no-gpu", "disk-full", "bad-args", "oom", "exception". */
  code: string;
  message: string;
}

/** status.json: the latest state, rewritten atomically. */
export interface JobStatus {
  kind: JobKind;
  state: "running" | "succeeded" | "failed" | "cancelled";
  attempt: number;
  pid: number;
  started_at: string;
  updated_at: string;
  phase: JobPhase;
  step?: number;
  total_steps?: number;
  loss?: number;
  eta_s?: number;
  /** "cuda" or "cpu". */
  device?: string;
  /** Generation engine used: "vllm" or "transformers". */
  engine?: string;
  resumed_from?: string | null;
  last_checkpoint?: string | null;
  /** Paths (relative to the job folder) that fetchOutput brings back. */
  outputs?: string[];
  error?: JobError;
}

// ---------------------------------------------------------------------------
// What the client asks for

export interface TrainArgs {
  /** Hub id or path (see header). For full fine-tuning of iteration N, the previous model/ folder. */
  base_model: string;
  /** JSONL with {"prompt", "completion"} or {"messages": [...]} records. */
  train_file: string;
  eval_file?: string;
  method: "lora" | "full";
  learning_rate: number;
  max_steps: number;
  /** Checkpoint every N steps (the resume granularity). */
  save_steps: number;
  per_device_batch_size?: number;
  max_seq_length?: number;
  seed?: number;
  lora_r?: number;
  lora_alpha?: number;
  /** LoRA: start from this adapter instead of a fresh one. */
  init_adapter?: string;
  /** Run on CPU when the host has no GPU; without it a GPU-less host fails with "no-gpu". */
  allow_cpu?: boolean;
}

export interface GenerateArgs {
  base_model: string;
  /** LoRA adapter folder applied on top of base_model. */
  adapter?: string;
  /** JSONL with {"task_id", "prompt"} records. */
  prompts_file: string;
  /** Samples per prompt. */
  n: number;
  temperature: number;
  max_new_tokens: number;
  seed?: number;
  /** "auto": vLLM when importable on the host, else transformers. */
  engine?: "auto" | "vllm" | "transformers";
  allow_cpu?: boolean;
}

/** One line of a generate job's output/completions.jsonl. */
export interface Completion {
  task_id: string;
  sample: number;
  completion: string;
  model: string;
  finish_reason: "stop" | "length";
}

export type JobSpec =
  | { jobId: string; kind: "train"; args: TrainArgs; inputs?: string; slurm?: SlurmJobOptions }
  | { jobId: string; kind: "generate"; args: GenerateArgs; inputs?: string; slurm?: SlurmJobOptions };
// `inputs`: a local folder uploaded (checksummed, incremental) to the job's inputs/ before launch.

export interface SlurmJobOptions {
  partition?: string;
  /** e.g. "gpu:1". */
  gres?: string;
  /** Slurm time limit, e.g. "02:00:00". */
  time?: string;
  cpusPerTask?: number;
  /** Seconds before the end of the time limit at which the job gets USR1 (checkpoint and requeue). */
  signalBeforeEndS?: number;
}

// ---------------------------------------------------------------------------
// What the client sees

/** A job as launched; persist it in local state to reattach later. */
export interface JobHandle {
  backend: "ssh" | "slurm";
  host: string;
  jobId: string;
  /** Absolute remote job folder. */
  dir: string;
  pid?: number;
  /** Process start time (clock ticks since boot) of pid: a reused pid does not match. */
  pidStart?: string;
  slurmJobId?: string;
  launchedAt: string;
}

export type RemoteJobState =
  | "queued" // Slurm: pending, or requeued after preemption
  | "running"
  | "succeeded" // exit_code 0
  | "failed" // exit_code ≠ 0
  | "cancelled" // cancel file honoured, or scancel
  | "lost"; // no live process and no exit_code: relaunch with the same spec

export const TERMINAL_JOB_STATES: ReadonlySet<RemoteJobState> = new Set(["succeeded", "failed", "cancelled", "lost"]);

export interface JobPoll {
  state: RemoteJobState;
  exitCode?: number;
  status?: JobStatus;
  /** Why: for failed, the job's error; for lost, what was observed. */
  reason?: string;
}

export interface EventChunk {
  events: JobEvent[];
  /** Byte offset after the last complete line read; pass it to the next call. */
  offset: number;
}

export interface TransferStats {
  /** Files sent or received (unchanged files are skipped by checksum). */
  files: number;
  bytes: number;
  seconds: number;
}

export interface GpuInfo {
  index: number;
  name: string;
  memory_mib: number;
  driver: string;
}

/** What `python3 -m qds_remote.check_host` prints (JSON). */
export interface HostReport {
  hostname: string;
  python: { executable: string; version: string };
  cpus: number;
  gpus: GpuInfo[];
  /** null where nvidia-smi is missing or failed; the text says which. */
  gpu_error: string | null;
  disk: { path: string; free_bytes: number; total_bytes: number };
  /** Versions of the packages the remote scripts use, null when not importable by this python. */
  packages: Record<"torch" | "transformers" | "trl" | "peft" | "vllm", string | null>;
}

export interface RemoteEnv {
  /** Absolute path of the venv's python on the host. */
  python: string;
  /** sha256 of the shipped requirements (and python version): the venv's cache key. */
  hash: string;
  /** true when the venv was already there. */
  cached: boolean;
  seconds: number;
}

export type RemoteErrorCode =
  | "unreachable" // connection refused / timed out / name unknown
  | "auth" // ssh refused the key (BatchMode: no prompts)
  | "no-python" // no python3 on the host's login PATH
  | "no-gpu" // the job needs a GPU and allow_cpu is off
  | "disk-full" // ENOSPC on the host
  | "env" // the venv could not be built (pip failed)
  | "bad-spec" // the JobSpec or its arguments are invalid
  | "transfer" // rsync failed
  | "slurm" // sbatch/squeue/scancel refused
  | "command"; // anything else a remote command reported

/** Every transport failure: `code` for the orchestrator, `message` names the cause for the user. */
export class RemoteError extends Error {
  constructor(
    readonly code: RemoteErrorCode,
    readonly host: string,
    message: string,
  ) {
    super(`${host}: ${message}`);
    this.name = "RemoteError";
  }
}

/**
 * One remote host (ssh) or cluster (Slurm, reached by ssh on its login host).
 * Every method may throw RemoteError. Nothing in it carries API keys:
 * child processes get a scrubbed environment.
 */
export interface Transport {
  readonly backend: "ssh" | "slurm";
  /** Host alias as in the user's ~/.ssh/config. */
  readonly host: string;
  /** Absolute remote root (after ~ expansion), known after the first call. */
  root(): Promise<string>;
  /** Python, GPUs, free disk, packages; needs only python3 on the host. */
  checkHost(): Promise<HostReport>;
  /** Ships the remote package and builds its venv once per requirements hash. */
  prepare(): Promise<RemoteEnv>;
  /** Local file or folder → remote path (relative to root); incremental, checksummed. */
  upload(localPath: string, remotePath: string): Promise<TransferStats>;
  /** Remote path (relative to root) → local folder; incremental, checksummed. */
  download(remotePath: string, localPath: string): Promise<TransferStats>;
  /**
   * Uploads spec.inputs and job.json, then starts the job detached from the
   * connection. When the job folder already holds a live job, returns its
   * handle instead of starting a second one; a finished or lost job is
   * started again (a training job resumes from its last checkpoint).
   */
  launch(spec: JobSpec): Promise<JobHandle>;
  poll(handle: JobHandle): Promise<JobPoll>;
  /** Complete event lines from byte `offset` on. */
  readEvents(handle: JobHandle, offset: number): Promise<EventChunk>;
  /** Brings back the job's output/ folder (adapter or final weights, completions). */
  fetchOutput(handle: JobHandle, localDir: string): Promise<TransferStats>;
  /** Touches cancel, waits briefly for the job to stop, then kills its process group; nothing stays running. */
  cancel(handle: JobHandle): Promise<void>;
  /** Closes the shared ssh connection; remote jobs keep running. */
  close(): Promise<void>;
}

export type TransportConfig =
  | { backend: "ssh"; host: string; root?: string; sshConfigFile?: string }
  | { backend: "slurm"; host: string; root?: string; sshConfigFile?: string; slurm?: SlurmJobOptions };
