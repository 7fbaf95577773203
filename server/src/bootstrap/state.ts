/**
 * The local state of a bootstrap run: the truth the orchestrator resumes
 * from (STYLE.md "What to absorb" 16).
 *
 * A run folder holds `state.json` (rewritten atomically, temp file + rename)
 * and `events.jsonl` (one line per transition, append-only). Nothing changes
 * the state except `transition()`, which names the statuses a record may be
 * in before the change; a record in any other status is a lost race or a
 * bug, and the call throws instead of writing. Each accepted transition bumps
 * `seq`, writes the state, then appends the event; `open()` appends the one
 * event a crash between those two writes can have left out, so the log is
 * never short of the state.
 *
 * One controller at a time: `controller.lock` holds "<pid> <start time>"; a
 * lock whose pid is gone, or alive with another start time (a reused pid), is
 * stale and taken over.
 */
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { sha256, writeFileAtomicSync } from "../dataset/fsx";
import type { JobHandle } from "./remote/types";

export const STATE_FILE = "state.json";
export const EVENTS_FILE = "events.jsonl";
export const LOCK_FILE = "controller.lock";

/** Status of one phase of one iteration. */
export enum PhaseStatus {
  /** Not started (or reset because its inputs changed). */
  Pending = "pending",
  /** Started; a remote phase has a job id and, once launched, a handle. */
  Running = "running",
  /** The remote job's state is unknown or lost: reattach, or relaunch from its last checkpoint. */
  Recovering = "recovering",
  /** Outputs written and hashed; skipped on resume while the input hash matches. */
  Succeeded = "succeeded",
  /** Nothing to do (e.g. no unsolved problems left). */
  Skipped = "skipped",
  Failed = "failed",
  Cancelled = "cancelled",
}

export const TERMINAL_PHASE: ReadonlySet<PhaseStatus> = new Set([
  PhaseStatus.Succeeded,
  PhaseStatus.Skipped,
  PhaseStatus.Failed,
  PhaseStatus.Cancelled,
]);
/** Terminal and done: resume does not redo these. */
export const FINISHED_PHASE: ReadonlySet<PhaseStatus> = new Set([PhaseStatus.Succeeded, PhaseStatus.Skipped]);

/** Status of the whole run. */
export enum RunStatus {
  Created = "created",
  Running = "running",
  /** Stop asked: the controller cancels the remote job and ends. */
  Stopping = "stopping",
  /** Target reached or iteration limit: see `endReason`. */
  Succeeded = "succeeded",
  Failed = "failed",
  Stopped = "stopped",
}

export const TERMINAL_RUN: ReadonlySet<RunStatus> = new Set([RunStatus.Succeeded, RunStatus.Failed, RunStatus.Stopped]);

export const PHASES = ["solve", "verify", "dataset", "train", "evaluate"] as const;
export type PhaseName = "prepare" | (typeof PHASES)[number] | "evaluate-base";

/** A remote job as the phase knows it: enough to reattach after any crash. */
export interface JobRecord {
  jobId: string;
  handle?: JobHandle;
  /** Byte offset into the job's events.jsonl already consumed. */
  eventsOffset: number;
  /** Launches so far (relaunches after a lost job add one). */
  launches: number;
  /** Per attempt: times of its first and last event; their gaps summed are the job's compute time. */
  spans?: Record<string, [string, string]>;
  device?: string;
  last?: { step?: number; totalSteps?: number; loss?: number; done?: number; total?: number; etaS?: number };
}

export interface PhaseRecord {
  key: string;
  iteration: number;
  phase: PhaseName;
  status: PhaseStatus;
  /** sha256 over everything the phase reads; a finished phase with another input hash is redone. */
  inputsHash: string;
  /** sha256 over what it wrote; later phases fold it into their input hash. */
  outputsHash?: string;
  /** Times the phase was started (1 + resumes of an unfinished phase). */
  attempts: number;
  startedAt?: string;
  endedAt?: string;
  /** Wall time in this phase, summed over attempts. */
  wallMs: number;
  job?: JobRecord;
  /** Times the phase was reset to be redone (inputs changed, --resume-iteration): its remote job ids get "-rN". */
  redo?: number;
  /** Small results shown in status and the report (solved count, pass@1 …). */
  result?: Record<string, unknown>;
  error?: string;
}

export interface RunState {
  version: 1;
  runId: string;
  status: RunStatus;
  /** Iteration in progress (0 before the first). */
  iteration: number;
  seq: number;
  createdAt: string;
  updatedAt: string;
  endReason?: string;
  error?: string;
  phases: Record<string, PhaseRecord>;
  /** The last transition, so `open()` can restore an event a crash kept out of the log. */
  lastEvent?: RunEvent;
}

export interface RunEvent {
  seq: number;
  time: string;
  /** "run" or a phase key "3/train". */
  key: string;
  from: string;
  to: string;
  reason?: string;
}

export const phaseKey = (iteration: number, phase: PhaseName): string => `${iteration}/${phase}`;

/** sha256 of a canonical rendering of the inputs (object keys sorted). */
export function hashInputs(value: unknown): string {
  return sha256(canonical(value));
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const keys = Object.keys(v as object)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

export class TransitionError extends Error {
  override name = "TransitionError";
}

export class Store {
  private constructor(
    readonly dir: string,
    private state: RunState,
  ) {}

  /** Creates the state of a new run; fails if the folder already has one. */
  static create(dir: string, runId: string): Store {
    if (existsSync(join(dir, STATE_FILE)))
      throw new Error(`${join(dir, STATE_FILE)} exists: the run was already created`);
    const now = new Date().toISOString();
    const store = new Store(dir, {
      version: 1,
      runId,
      status: RunStatus.Created,
      iteration: 0,
      seq: 0,
      createdAt: now,
      updatedAt: now,
      phases: {},
    });
    store.save();
    return store;
  }

  static open(dir: string): Store {
    const file = join(dir, STATE_FILE);
    let state: RunState;
    try {
      state = JSON.parse(readFileSync(file, "utf8")) as RunState;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new Error(
        e.code === "ENOENT" ? `${dir} is not a bootstrap run (no ${STATE_FILE})` : `${file}: ${e.message}`,
      );
    }
    if (state.version !== 1) throw new Error(`${file}: unknown state version ${String(state.version)}`);
    const store = new Store(dir, state);
    store.repairLog();
    return store;
  }

  get snapshot(): Readonly<RunState> {
    return this.state;
  }

  phase(key: string): Readonly<PhaseRecord> | undefined {
    return this.state.phases[key];
  }

  /** Moves the run to `to` if it is in one of `from`. */
  setRun(from: readonly RunStatus[], to: RunStatus, patch: Partial<RunState> = {}, reason?: string): void {
    const cur = this.state.status;
    if (!from.includes(cur))
      throw new TransitionError(`run is ${cur}, cannot become ${to} (expected ${from.join("|")})`);
    this.commit({ ...this.state, ...patch, status: to }, "run", cur, to, reason);
  }

  /** Changes run fields that are not its status (current iteration); logged like a transition. */
  updateRun(patch: Pick<Partial<RunState>, "iteration">, reason: string): void {
    this.commit({ ...this.state, ...patch }, "run", this.state.status, this.state.status, reason);
  }

  /**
   * Moves phase `key` to `to` if its status is one of `from` ("absent" for a
   * phase never recorded). `patch` is merged into the record.
   */
  transition(
    key: string,
    from: readonly (PhaseStatus | "absent")[],
    to: PhaseStatus,
    patch: Partial<PhaseRecord> & Pick<PhaseRecord, "iteration" | "phase" | "inputsHash">,
    reason?: string,
  ): PhaseRecord;
  transition(
    key: string,
    from: readonly (PhaseStatus | "absent")[],
    to: PhaseStatus,
    patch?: Partial<PhaseRecord>,
    reason?: string,
  ): PhaseRecord;
  transition(
    key: string,
    from: readonly (PhaseStatus | "absent")[],
    to: PhaseStatus,
    patch: Partial<PhaseRecord> = {},
    reason?: string,
  ): PhaseRecord {
    const cur = this.state.phases[key];
    const curStatus = cur?.status ?? "absent";
    if (!from.includes(curStatus))
      throw new TransitionError(`phase ${key} is ${curStatus}, cannot become ${to} (expected ${from.join("|")})`);
    if (
      cur === undefined &&
      (patch.iteration === undefined || patch.phase === undefined || patch.inputsHash === undefined)
    )
      throw new TransitionError(`phase ${key} is new: iteration, phase and inputsHash are required`);
    const base: Partial<PhaseRecord> = cur ?? { key, attempts: 0, wallMs: 0 };
    const rec = { ...base, ...patch, key, status: to } as PhaseRecord;
    this.commit({ ...this.state, phases: { ...this.state.phases, [key]: rec } }, key, curStatus, to, reason);
    return rec;
  }

  /** Updates a phase's progress fields without a status change (job offset, last event); not logged. */
  progress(key: string, patch: Partial<PhaseRecord>): void {
    const cur = this.state.phases[key];
    if (cur === undefined) throw new TransitionError(`phase ${key} is not recorded`);
    this.state = {
      ...this.state,
      updatedAt: new Date().toISOString(),
      phases: { ...this.state.phases, [key]: { ...cur, ...patch } },
    };
    this.save();
  }

  private commit(next: RunState, key: string, from: string, to: string, reason?: string): void {
    const time = new Date().toISOString();
    const event: RunEvent = { seq: this.state.seq + 1, time, key, from, to };
    if (reason !== undefined) event.reason = reason;
    this.state = { ...next, seq: event.seq, updatedAt: time, lastEvent: event };
    this.save();
    appendFileSync(join(this.dir, EVENTS_FILE), `${JSON.stringify(event)}\n`);
  }

  private save(): void {
    writeFileAtomicSync(join(this.dir, STATE_FILE), `${JSON.stringify(this.state, null, 2)}\n`);
  }

  /** Appends the last event when a crash after the state write kept it out of the log. */
  private repairLog(): void {
    const last = this.state.lastEvent;
    if (last === undefined) return;
    const logged = readEvents(this.dir);
    if ((logged.at(-1)?.seq ?? 0) < last.seq) {
      // A crash mid-append can leave a partial last line: end it before appending.
      const file = join(this.dir, EVENTS_FILE);
      const text = existsSync(file) ? readFileSync(file, "utf8") : "";
      appendFileSync(file, `${text === "" || text.endsWith("\n") ? "" : "\n"}${JSON.stringify(last)}\n`);
    }
  }
}

/** Complete event lines of a run folder (a partial last line is ignored). */
export function readEvents(dir: string): RunEvent[] {
  const file = join(dir, EVENTS_FILE);
  if (!existsSync(file)) return [];
  const out: RunEvent[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    try {
      out.push(JSON.parse(line) as RunEvent);
    } catch {
      // torn line from a crash mid-append; the state has the truth
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// The controller lock

/** Start time of a process (clock ticks since boot, /proc/<pid>/stat field 22); undefined when gone. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: split after its closing ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

export interface LockHolder {
  pid: number;
  start: string;
}

export function readLock(dir: string): LockHolder | undefined {
  try {
    const [pid, start] = readFileSync(join(dir, LOCK_FILE), "utf8").trim().split(" ");
    return { pid: Number(pid), start: start ?? "" };
  } catch {
    return undefined;
  }
}

/** True when the lock names a live process with the same start time. */
export function lockAlive(holder: LockHolder | undefined): holder is LockHolder {
  return holder !== undefined && holder.pid > 0 && processStartTime(holder.pid) === holder.start;
}

/** Takes the run's controller lock; throws naming the holder when a live controller has it. */
export function acquireLock(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  const mine = `${process.pid} ${processStartTime(process.pid) ?? ""}`;
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, `${mine}\n`);
      closeSync(fd);
      return () => {
        if (readFileSync(file, "utf8").trim() === mine) rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = readLock(dir);
      if (lockAlive(holder)) throw new Error(`run ${dir} is already being run by process ${holder.pid}`);
      rmSync(file, { force: true }); // stale: its process is gone (or the pid was reused)
    }
  }
  throw new Error(`cannot take ${file}`);
}
