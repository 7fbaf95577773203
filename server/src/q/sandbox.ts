/**
 * Running untrusted q scripts with limits: each script gets a fresh session in
 * its own worker thread, with V8 heap limits (`resourceLimits`) and a
 * wall-clock timeout after which the thread is terminated. The session itself
 * also stops cooperatively at the deadline (a clean `'stop` error), so the
 * hard kill is only the backstop for code stuck inside a single primitive.
 *
 * The engine has no file, network, IPC or shell access at all (`system "ls"`,
 * `hopen`, `\l` outside the allow-list all raise q errors), and `exit n` ends
 * the script as an event, never the host process.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type ResourceLimits, Worker, type WorkerOptions } from "node:worker_threads";
import type { ScriptOutcome } from "./session";

export const STARTUP_LIMIT_MS = 30000;

export interface SandboxOptions {
  timeoutMs: number;
  memoryMb: number;
  /** Cap on captured output (default 1 MiB). */
  maxOutputBytes?: number;
  /**
   * Console semantics instead of script semantics: every statement's result is
   * displayed as the q console shows it and evaluation goes on after an error
   * (the editor's "Run q File or Selection").
   */
  console?: boolean;
}

export interface SandboxOutcome extends ScriptOutcome {
  timedOut: boolean;
  outOfMemory: boolean;
}

/**
 * The worker: the bundled dist/qworker.js next to this bundle, or (running
 * from source under tsx: mocha, `npx tsx script.ts`) worker.ts loaded after
 * registering tsx's require hook inside the thread, since a Worker cannot start
 * from a .ts file and does not reliably inherit the parent's loader. The hook is
 * resolved here, from this file, because an eval'd worker resolves modules from
 * the process's working directory, which may be anywhere.
 */
export function startWorker(options: WorkerOptions): Worker {
  const bundled = join(__dirname, "qworker.js");
  if (existsSync(bundled)) return new Worker(bundled, options);
  const source = join(__dirname, "worker.ts");
  const tsxApi = createRequire(source).resolve("tsx/cjs/api");
  const bootstrap = `require(${JSON.stringify(tsxApi)}).register(); require(${JSON.stringify(source)});`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/**
 * V8 limits for a thread whose engine keeps its heap under memoryMb (worker.ts passes that budget
 * as the session's maxHeapBytes). When V8 itself reaches its limit it can abort the whole process,
 * not just the thread: Node only terminates the thread and grants 16 MB more, and an allocation
 * inside native code or a scavenge promoting a large young generation can overrun that grant. So
 * the old generation gets headroom above the engine's budget (its 'wsfull comes first), and the
 * young generation stays small so one scavenge cannot promote much.
 */
export function workerLimits(memoryMb: number): ResourceLimits {
  return {
    maxOldGenerationSizeMb: memoryMb + Math.max(64, Math.ceil(memoryMb / 2)),
    maxYoungGenerationSizeMb: 16,
    stackSizeMb: 8,
  };
}

/** The outcome of a script the sandbox had to stop (timeout, memory, worker death): q's error on stderr. */
export function failedOutcome(
  stdout: string,
  stderr: string,
  name: string,
  timedOut: boolean,
  outOfMemory: boolean,
): SandboxOutcome {
  return {
    stdout,
    stderr: `${stderr}'${name}\n`,
    exitCode: 1,
    exited: false,
    error: { name, line: 0 },
    timedOut,
    outOfMemory,
  };
}

export function runQScript(text: string, opts: SandboxOptions): Promise<SandboxOutcome> {
  const maxOutputBytes = opts.maxOutputBytes ?? 1024 * 1024;
  return new Promise((resolvePromise) => {
    let stdout = "";
    let stderr = "";
    let settled = false;
    const worker = startWorker({
      workerData: {
        text,
        timeoutMs: opts.timeoutMs,
        maxOutputBytes,
        memoryMb: opts.memoryMb,
        console: opts.console === true,
      },
      resourceLimits: workerLimits(opts.memoryMb),
      stdout: true,
      stderr: true,
    });
    const finish = (o: SandboxOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolvePromise(o);
    };
    const failed = (name: string, timedOut: boolean, outOfMemory: boolean): SandboxOutcome =>
      failedOutcome(stdout, stderr, name, timedOut, outOfMemory);
    // Loading the worker may take a while on a busy machine; the script's own limit starts at
    // its "start" message. The cooperative deadline fires first; the hard kill allows a grace period.
    let timer = setTimeout(() => finish(failed("stop", true, false)), STARTUP_LIMIT_MS);
    worker.on(
      "message",
      (
        m:
          | { type: "start" }
          | { type: "output"; handle: 1 | 2; text: string }
          | { type: "done"; outcome: ScriptOutcome },
      ) => {
        if (m.type === "start") {
          clearTimeout(timer);
          timer = setTimeout(() => finish(failed("stop", true, false)), opts.timeoutMs + 500);
          return;
        }
        if (m.type === "output") {
          if (m.handle === 1) stdout += m.text;
          else stderr += m.text;
          return;
        }
        const timedOut = m.outcome.error?.name === "stop";
        finish({ ...m.outcome, timedOut, outOfMemory: m.outcome.error?.name === "wsfull" });
      },
    );
    worker.on("error", (e: Error & { code?: string }) => {
      const oom = e.code === "ERR_WORKER_OUT_OF_MEMORY" || /memory/i.test(e.message);
      finish(failed(oom ? "wsfull" : "internal", false, oom));
    });
    worker.on("exit", () => finish(failed("internal", false, false)));
  });
}
