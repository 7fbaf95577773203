/**
 * Worker-thread entry (bundled as dist/qworker.js) for sandbox.ts and
 * pool.ts: runs a q script in a fresh session and posts its output as it is
 * produced, then the outcome; a pool thread does so for each job it is sent.
 * Limits (limits.ts): the session stops the script itself at the deadline,
 * the output cap and the recursion limit; this isolate's memory budget
 * (heap plus vector buffers, below the Worker's V8 resourceLimits) is set
 * for each job, so the value constructors refuse an allocation that would
 * pass it. The parent terminates the thread when the deadline passes anyway.
 */
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { collectGarbage, memoryInUse, setMemoryBudget } from "./limits";
import { loadUnder } from "./load-under";
import { scriptChunks } from "./script";
import { type LineResult, QSession, type ScriptOutcome, type SessionOptions } from "./session";

interface Job {
  text: string;
  timeoutMs: number;
  maxOutputBytes: number;
  memoryMb: number;
  /** Console semantics (see SandboxOptions.console). */
  console?: boolean;
}

/** Runs one script in a session of its own: nothing a script defines outlives it. */
function runJob(job: Job, port: MessagePort): void {
  // The parent's wall-clock limit starts now, not while the thread was loading.
  port.postMessage({ type: "start" });
  const outcome = runSession(job, port);
  // The session is unreachable now: give its garbage back before the thread idles, and report
  // what is left so a pool (pool.ts) retires a thread that still holds much.
  if (memoryInUse() > 32 * 1024 * 1024) collectGarbage();
  port.postMessage({ type: "done", outcome, heapBytes: memoryInUse() });
}

function runSession(job: Job, port: MessagePort): ScriptOutcome {
  const budget = job.memoryMb * 1024 * 1024;
  setMemoryBudget(budget);
  const session = new QSession({
    timeLimitMs: job.timeoutMs,
    maxOutputBytes: job.maxOutputBytes,
    // Typed arrays are off the V8 heap that resourceLimits caps: bound each vector as well.
    maxVectorBytes: budget,
    // The budget sits below the thread's V8 limit (sandbox.ts workerLimits), so a script that
    // grows the heap meets q's 'wsfull before V8's fatal out-of-memory.
    maxHeapBytes: budget,
    onOutput: (handle, text) => port.postMessage({ type: "output", handle, text }),
  });
  return job.console === true ? runConsole(session, job.text) : session.runScript(job.text);
}

/** Each statement displayed as the q console shows it; the first error is recorded and evaluation goes on. */
function runConsole(session: QSession, text: string): ScriptOutcome {
  const parts: string[] = [];
  let error: ScriptOutcome["error"];
  let exit: number | undefined;
  for (const chunk of scriptChunks(text)) {
    const r = session.evalLine(chunk.text);
    parts.push(r.output);
    if (r.error !== undefined && error === undefined) error = { name: r.error, line: chunk.line };
    if (r.exit !== undefined) {
      exit = r.exit;
      break;
    }
  }
  const outcome: ScriptOutcome = {
    stdout: parts.join(""),
    stderr: "",
    exitCode: exit ?? 0,
    exited: exit !== undefined,
  };
  if (error !== undefined) outcome.error = error;
  return outcome;
}

/** What `qds q` asks of its console thread: load a script, or evaluate one console line. */
export type ConsoleRequest = { kind: "script"; text: string } | { kind: "line"; text: string };
export type ConsoleReply = { kind: "script"; outcome: ScriptOutcome } | { kind: "line"; result: LineResult };
/** workerData of the `qds q` console thread: its session settings and the folder `\l` may read. */
export interface ConsoleSetup {
  consoleSession: Pick<SessionOptions, "consoleRows" | "consoleCols" | "precision"> & { loadRoot: string };
}

/**
 * The `qds q` console: one session for the thread's life, evaluated here rather than on the
 * CLI's main thread so recursion gets this thread's larger stack (the sandbox's depth).
 */
function serveConsole(setup: ConsoleSetup["consoleSession"], port: MessagePort): void {
  const { loadRoot, ...opts } = setup;
  const session = new QSession({ ...opts, allowLoad: loadUnder(loadRoot) });
  port.on("message", (req: ConsoleRequest) => {
    const reply: ConsoleReply =
      req.kind === "script"
        ? { kind: "script", outcome: session.runScript(req.text) }
        : { kind: "line", result: session.evalLine(req.text) };
    port.postMessage(reply);
  });
}

// workerData `{ pooled: true }`: a long-lived pool thread that runs the jobs posted to it one
// after another; `{ consoleSession }`: the `qds q` console; otherwise workerData is the single
// job of a one-shot thread.
const data = workerData as Job | { pooled: true } | ConsoleSetup;
const port = parentPort;
if (port !== null) {
  if ("pooled" in data) port.on("message", (job: Job) => runJob(job, port));
  else if ("consoleSession" in data) serveConsole(data.consoleSession, port);
  else runJob(data, port);
}
