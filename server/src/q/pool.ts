/**
 * A pool of long-lived sandbox threads for running many untrusted q scripts
 * (the verifier runs thousands): starting a worker thread costs far more than
 * a typical test script, so each thread here runs script after script, each
 * in a session of its own (worker.ts builds a fresh QSession per job, so no
 * definition, setting or random state carries over from one script to the
 * next). The limits are those of runQScript (sandbox.ts): the same heap
 * limits per thread, the same wall-clock limit per script, the same output
 * caps and the same outcome shape.
 *
 * A thread is never trusted after anything went wrong in it: on a timeout it
 * is terminated, and a thread that died (out of memory, crash) is dropped; the
 * next script gets a fresh one. Threads are also retired defensively after a
 * number of scripts, when their heap stays large after a script, and after a
 * while idle. Idle threads are unref'd so a pool nobody closed never keeps the
 * process alive.
 */
import type { Worker } from "node:worker_threads";
import { DEFAULT_LIMITS, LIMIT_ERRORS } from "./limits";
import {
  deathName,
  failedOutcome,
  floods,
  type SandboxOptions,
  type SandboxOutcome,
  STARTUP_LIMIT_MS,
  scriptOutcome,
  startWorker,
  workerLimits,
} from "./sandbox";
import type { ScriptOutcome } from "./session";

export interface SandboxPoolOptions extends SandboxOptions {
  /** Most threads at once; further scripts wait for one (default: one per script in flight). */
  size?: number;
  /** A thread is replaced after this many scripts (default 500). */
  maxScriptsPerThread?: number;
  /** A thread whose heap in use exceeds this after a script is replaced (default half of memoryMb). */
  maxHeapMb?: number;
  /** An idle thread is ended after this long (default 5 s). */
  idleMs?: number;
}

export interface SandboxPool {
  run(text: string): Promise<SandboxOutcome>;
  /** Ends every thread; scripts still running get an 'internal' outcome, later run() calls throw. */
  close(): Promise<void>;
  /** The threadId of each thread alive now (started, not yet ended). */
  threadIds(): number[];
}

type FromThread =
  | { type: "start" }
  | { type: "output"; handle: 1 | 2; text: string }
  | { type: "done"; outcome: ScriptOutcome; heapBytes: number };

interface Job {
  message(m: FromThread): void;
  died(e?: Error & { code?: string }): void;
}

interface Thread {
  worker: Worker;
  scripts: number;
  job?: Job | undefined;
  idleTimer?: NodeJS.Timeout | undefined;
}

export function createSandboxPool(opts: SandboxPoolOptions): SandboxPool {
  const size = opts.size ?? Number.POSITIVE_INFINITY;
  const maxOutputBytes = opts.maxOutputBytes ?? DEFAULT_LIMITS.maxOutputBytes;
  const maxScripts = opts.maxScriptsPerThread ?? 500;
  const maxHeapBytes = (opts.maxHeapMb ?? opts.memoryMb / 2) * 1024 * 1024;
  const idleMs = opts.idleMs ?? 5000;
  const live = new Set<Thread>();
  const idle: Thread[] = [];
  const waiting: { resolve: (t: Thread) => void; reject: (e: Error) => void }[] = [];
  let closed = false;

  const spawn = (): Thread => {
    const worker = startWorker({
      workerData: { pooled: true },
      resourceLimits: workerLimits(opts.memoryMb),
      stdout: true,
      stderr: true,
    });
    const thread: Thread = { worker, scripts: 0 };
    worker.on("message", (m: FromThread) => thread.job?.message(m));
    worker.on("error", (e: Error) => thread.job?.died(e));
    worker.on("exit", () => {
      thread.job?.died();
      forget(thread);
    });
    live.add(thread);
    return thread;
  };

  /** Drops a thread from the pool (ending it if it is still running) and lets a waiting script start another. */
  const forget = (thread: Thread): void => {
    clearTimeout(thread.idleTimer);
    const k = idle.indexOf(thread);
    if (k >= 0) idle.splice(k, 1);
    if (!live.delete(thread)) return;
    void thread.worker.terminate();
    if (!closed && waiting.length > 0 && live.size < size) waiting.shift()!.resolve(spawn());
  };

  const acquire = (): Promise<Thread> => {
    const thread = idle.pop();
    if (thread !== undefined) {
      clearTimeout(thread.idleTimer);
      thread.worker.ref();
      return Promise.resolve(thread);
    }
    if (live.size < size) return Promise.resolve(spawn());
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };

  const release = (thread: Thread): void => {
    if (closed || !live.has(thread)) return;
    const next = waiting.shift();
    if (next !== undefined) {
      next.resolve(thread);
      return;
    }
    thread.worker.unref();
    thread.idleTimer = setTimeout(() => forget(thread), idleMs);
    thread.idleTimer.unref();
    idle.push(thread);
  };

  const execute = (thread: Thread, text: string): Promise<SandboxOutcome> =>
    new Promise((resolvePromise) => {
      let stdout = "";
      let stderr = "";
      const failed = (name: string): SandboxOutcome => failedOutcome(stdout, stderr, name);
      const finish = (o: SandboxOutcome, reusable: boolean): void => {
        clearTimeout(timer);
        thread.job = undefined;
        resolvePromise(o);
        if (reusable) release(thread);
        else forget(thread);
      };
      // As in runQScript: a thread may take a while to load on a busy machine, so the script's
      // own limit starts at its "start" message; the hard kill leaves the cooperative stop a grace period.
      let timer = setTimeout(() => finish(failed(LIMIT_ERRORS.time), false), STARTUP_LIMIT_MS);
      thread.job = {
        message(m) {
          if (m.type === "start") {
            clearTimeout(timer);
            timer = setTimeout(() => finish(failed(LIMIT_ERRORS.time), false), opts.timeoutMs + 500);
          } else if (m.type === "output") {
            if (m.handle === 1) stdout += m.text;
            else stderr += m.text;
            if (floods(stdout, stderr, maxOutputBytes)) finish(failed(LIMIT_ERRORS.output), false);
          } else {
            const outcome = scriptOutcome(m.outcome);
            // A script stopped at its deadline (cooperatively) still costs its thread: after a
            // timeout nothing of that thread is reused. After 'wsfull the thread has collected the
            // script's garbage (worker.ts) and reports what it still holds, checked here.
            const reusable = outcome.limit !== "time" && ++thread.scripts < maxScripts && m.heapBytes <= maxHeapBytes;
            finish(outcome, reusable);
          }
        },
        died(e) {
          finish(failed(deathName(e)), false);
        },
      };
      thread.worker.postMessage({ text, timeoutMs: opts.timeoutMs, maxOutputBytes, memoryMb: opts.memoryMb });
    });

  return {
    async run(text) {
      if (closed) throw new Error("sandbox pool is closed");
      return execute(await acquire(), text);
    },
    async close() {
      closed = true;
      for (const w of waiting.splice(0)) w.reject(new Error("sandbox pool is closed"));
      const ending = [...live].map((t) => t.worker.terminate());
      for (const t of [...live]) forget(t);
      await Promise.all(ending);
    },
    threadIds() {
      return [...live].map((t) => t.worker.threadId);
    },
  };
}
