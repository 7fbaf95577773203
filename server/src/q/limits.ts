/**
 * Every limit an untrusted q script runs under, in one place: wall-clock
 * time, memory (the V8 heap plus every vector buffer the engine allocates),
 * output bytes and recursion depth, with the defaults the CLI and the editor
 * share (so their verification-cache keys agree), the q error each limit
 * raises inside the engine, and the names an outcome reports.
 *
 * Where each limit is enforced, i.e. where the work happens:
 * - time: the interpreter's tick() raises 'stop at the deadline; the sandbox
 *   terminates the thread a grace period later if a primitive never ticks;
 * - memory: `reserveBytes` below, called by the value constructors before a
 *   large vector is allocated (typed arrays live outside the V8 heap, so
 *   the worker's resourceLimits never see them), and tick() for growth made
 *   of many small allocations; V8's resourceLimits are the backstop;
 * - output: the session counts every byte a program prints and stops it with
 *   'output at the cap, so a print loop never floods its parent; the parent
 *   keeps its own cap as a second line;
 * - depth: the interpreter's lambda calls ('stack).
 *
 * The memory budget is per isolate (module state): a sandbox worker sets it
 * for the job it runs; the host thread never sets one, so there the checks
 * cost a comparison with Infinity.
 */
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { raise } from "./errors";

export type LimitName = "time" | "memory" | "output" | "depth";

export interface Limits {
  /** Wall-clock time per script, ms. */
  timeoutMs: number;
  /** Memory per script, MiB: V8 heap in use plus vector buffers. */
  memoryMb: number;
  /** stdout + stderr per script, bytes. */
  maxOutputBytes: number;
  /** Nested lambda calls. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  timeoutMs: 10_000,
  // Tests of LeetCode-style problems need a few MiB; verification runs one script per job.
  memoryMb: 512,
  maxOutputBytes: 1024 * 1024,
  maxDepth: 5000,
});

/** Output cap of an interactive session that runs outside the sandbox (`qds q`), per line or script. */
export const CONSOLE_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/** The q error each limit raises inside the engine. */
export const LIMIT_ERRORS: Readonly<Record<LimitName, string>> = Object.freeze({
  time: "stop",
  memory: "wsfull",
  output: "output",
  depth: "stack",
});

export const MAX_DEPTH = DEFAULT_LIMITS.maxDepth;

/** The limit a q error name stands for, if any. */
export function limitOfError(name: string | undefined): LimitName | undefined {
  for (const [limit, error] of Object.entries(LIMIT_ERRORS)) if (error === name) return limit as LimitName;
  return undefined;
}

/** "memory limit exceeded (512 MiB)": the reason an outcome gives. */
export function describeLimit(limit: LimitName, l: Pick<Limits, "timeoutMs" | "memoryMb" | "maxOutputBytes">): string {
  switch (limit) {
    case "time":
      return `timeout after ${l.timeoutMs / 1000} s`;
    case "memory":
      return `memory limit exceeded (${l.memoryMb} MiB)`;
    case "output":
      return `output limit exceeded (${mib(l.maxOutputBytes)})`;
    case "depth":
      return `recursion limit exceeded (${DEFAULT_LIMITS.maxDepth} nested calls)`;
  }
}

const mib = (bytes: number): string =>
  bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;

/** Canonical text of a limits record (for cache keys). */
export function limitsKey(l: Limits): string {
  return `time=${l.timeoutMs}ms;memory=${l.memoryMb}MiB;output=${l.maxOutputBytes}B;depth=${l.maxDepth}`;
}

// ------------------------------------------------------------ memory ---

/**
 * Environment for a long-lived process that hosts sandbox threads (the language server): glibc
 * otherwise raises its mmap threshold after large frees and keeps later vector buffers in
 * per-thread arenas it never returns, so a host that ran a few memory bombs stays ~100 MB larger.
 */
export const SANDBOX_HOST_ENV: Readonly<Record<string, string>> = Object.freeze({ MALLOC_MMAP_THRESHOLD_: "131072" });

/** Allocations below this are left to tick()'s periodic check (the check itself costs a few µs). */
const CHECK_FROM_BYTES = 64 * 1024;

let budgetBytes = Number.POSITIVE_INFINITY;

/** Sets this isolate's memory budget (a sandbox worker, per job); Infinity for none. */
export function setMemoryBudget(bytes: number): void {
  budgetBytes = bytes;
}

/** Bytes this isolate holds now: V8 heap in use plus off-heap buffers (typed arrays). */
export function memoryInUse(): number {
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory;
}

let collect: (() => void) | undefined | null;

/**
 * A full garbage collection, where the runtime allows one: buffers already
 * dropped still count in external_memory until V8 collects them, and a
 * script should not fail for garbage it no longer holds.
 */
export function collectGarbage(): void {
  if (collect === undefined) {
    try {
      setFlagsFromString("--expose-gc");
      collect = runInNewContext("gc") as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}

/** Whether `extraBytes` more fit under `maxBytes` (after collecting garbage, when they did not at first). */
export function fitsMemory(maxBytes: number, extraBytes = 0): boolean {
  if (maxBytes === Number.POSITIVE_INFINITY) return true;
  if (memoryInUse() + extraBytes <= maxBytes) return true;
  collectGarbage();
  return memoryInUse() + extraBytes <= maxBytes;
}

/** Called by the value constructors before allocating a buffer: 'wsfull when it would exceed the budget. */
export function reserveBytes(bytes: number): void {
  if (bytes < CHECK_FROM_BYTES || budgetBytes === Number.POSITIVE_INFINITY) return;
  if (bytes > budgetBytes || !fitsMemory(budgetBytes, bytes)) raise(LIMIT_ERRORS.memory);
}
