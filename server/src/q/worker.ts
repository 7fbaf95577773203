/**
 * Worker-thread entry (bundled as dist/qworker.js) for sandbox.ts: runs one
 * q script in a fresh session and posts its output as it is produced, then
 * the outcome. The parent enforces the wall-clock limit by terminating this
 * thread and the memory limit through the Worker's resourceLimits (heap) and
 * the session's maxVectorBytes (typed arrays, which live outside the heap).
 */
import { parentPort, workerData } from "node:worker_threads";
import { QSession } from "./session";

interface Job {
  text: string;
  timeoutMs: number;
  maxOutputBytes: number;
  memoryMb: number;
}

const job = workerData as Job;
const port = parentPort;
if (port !== null) {
  // The parent's wall-clock limit starts now, not while the thread was loading.
  port.postMessage({ type: "start" });
  const session = new QSession({
    timeLimitMs: job.timeoutMs,
    maxOutputBytes: job.maxOutputBytes,
    // Typed arrays are off the V8 heap that resourceLimits caps: bound each vector as well.
    maxVectorBytes: job.memoryMb * 1024 * 1024,
    onOutput: (handle, text) => port.postMessage({ type: "output", handle, text }),
  });
  const outcome = session.runScript(job.text);
  port.postMessage({ type: "done", outcome });
}
