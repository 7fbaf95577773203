/**
 * Running untrusted q scripts with limits: each script gets a fresh session in
 * its own worker thread, with V8 heap limits (`resourceLimits`) and a
 * wall-clock timeout after which the thread is terminated. The session itself
 * also stops cooperatively at the deadline (a clean `'stop` error), so the
 * hard kill is only the backstop for code stuck inside a single primitive.
 *
 * Every limit and its default is in limits.ts; the outcome names the one
 * that stopped the script (`limit`). The parent also keeps its own cap on
 * the output it accepts from the thread, so even a misbehaving thread
 * cannot flood the host.
 *
 * The engine has no file, network, IPC or shell access at all (`system "ls"`,
 * `hopen`, `\l` outside the allow-list all raise q errors), and `exit n` ends
 * the script as an event, never the host process.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type ResourceLimits, Worker, type WorkerOptions } from "node:worker_threads";
import { DEFAULT_LIMITS, LIMIT_ERRORS, type LimitName, limitOfError } from "./limits";
import type { ScriptOutcome } from "./session";

export const STARTUP_LIMIT_MS = 30000;

export interface SandboxOptions {
  timeoutMs: number;
  memoryMb: number;
  /** Cap on output (default limits.ts's maxOutputBytes). */
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
  /** The limit that stopped the script, if one did. */
  limit?: LimitName;
}

/** Output the parent accepts beyond the cap (the session's marker and error text) before it ends the thread. */
const PARENT_OUTPUT_SLACK = 64 * 1024;

/** Whether the parent has received more output than any honest thread sends (the session stops at the cap). */
export const floods = (stdout: string, stderr: string, maxOutputBytes: number): boolean =>
  stdout.length + stderr.length > 2 * maxOutputBytes + PARENT_OUTPUT_SLACK;

/** A finished script's outcome, with the limit its error stands for. */
export function scriptOutcome(o: ScriptOutcome): SandboxOutcome {
  const limit = limitOfError(o.error?.name);
  const out: SandboxOutcome = { ...o, timedOut: limit === "time", outOfMemory: limit === "memory" };
  if (limit !== undefined) out.limit = limit;
  return out;
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
export function failedOutcome(stdout: string, stderr: string, name: string): SandboxOutcome {
  return scriptOutcome({
    stdout,
    stderr: `${stderr}'${name}\n`,
    exitCode: 1,
    exited: false,
    error: { name, line: 0 },
  });
}

/** The q error name for a thread that died: out of V8 memory, or anything else. */
export function deathName(e: (Error & { code?: string }) | undefined): string {
  const oom = e !== undefined && (e.code === "ERR_WORKER_OUT_OF_MEMORY" || /memory/i.test(e.message));
  return oom ? LIMIT_ERRORS.memory : "internal";
}

export function runQScript(text: string, opts: SandboxOptions): Promise<SandboxOutcome> {
  const maxOutputBytes = opts.maxOutputBytes ?? DEFAULT_LIMITS.maxOutputBytes;
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
    const failed = (name: string): SandboxOutcome => failedOutcome(stdout, stderr, name);
    // Loading the worker may take a while on a busy machine; the script's own limit starts at
    // its "start" message. The cooperative deadline fires first; the hard kill allows a grace period.
    let timer = setTimeout(() => finish(failed(LIMIT_ERRORS.time)), STARTUP_LIMIT_MS);
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
          timer = setTimeout(() => finish(failed(LIMIT_ERRORS.time)), opts.timeoutMs + 500);
          return;
        }
        if (m.type === "output") {
          if (m.handle === 1) stdout += m.text;
          else stderr += m.text;
          if (floods(stdout, stderr, maxOutputBytes)) finish(failed(LIMIT_ERRORS.output));
          return;
        }
        finish(scriptOutcome(m.outcome));
      },
    );
    worker.on("error", (e: Error & { code?: string }) => finish(failed(deathName(e))));
    worker.on("exit", () => finish(failed("internal")));
  });
}
