/**
 * Worker-thread entry (bundled as dist/qworker.js) for sandbox.ts and
 * pool.ts: runs a q script in a fresh session and posts its output as it is
 * produced, then the outcome; a pool thread does so for each job it is sent.
 * The parent enforces the wall-clock limit by terminating this thread and
 * the memory limit through the session's maxHeapBytes (checked against this
 * isolate's heap, below the Worker's resourceLimits) and maxVectorBytes
 * (typed arrays, which live outside the heap).
 */
import { getHeapStatistics } from "node:v8";
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { QSession } from "./session";

interface Job {
  text: string;
  timeoutMs: number;
  maxOutputBytes: number;
  memoryMb: number;
}

/** Runs one script in a session of its own: nothing a script defines outlives it. */
function runJob(job: Job, port: MessagePort): void {
  // The parent's wall-clock limit starts now, not while the thread was loading.
  port.postMessage({ type: "start" });
  const session = new QSession({
    timeLimitMs: job.timeoutMs,
    maxOutputBytes: job.maxOutputBytes,
    // Typed arrays are off the V8 heap that resourceLimits caps: bound each vector as well.
    maxVectorBytes: job.memoryMb * 1024 * 1024,
    // The V8 heap budget sits below the thread's V8 limit (sandbox.ts workerLimits), so a script
    // that grows the heap meets q's 'wsfull before V8's fatal out-of-memory.
    maxHeapBytes: job.memoryMb * 1024 * 1024,
    onOutput: (handle, text) => port.postMessage({ type: "output", handle, text }),
  });
  const outcome = session.runScript(job.text);
  // The heap in use lets a pool (pool.ts) retire a thread whose heap keeps growing.
  port.postMessage({ type: "done", outcome, heapBytes: getHeapStatistics().used_heap_size });
}

// workerData `{ pooled: true }`: a long-lived pool thread that runs the jobs posted to it one
// after another; otherwise workerData is the single job of a one-shot thread.
const data = workerData as Job | { pooled: true };
const port = parentPort;
if (port !== null) {
  if ("pooled" in data) port.on("message", (job: Job) => runJob(job, port));
  else runJob(data, port);
}
