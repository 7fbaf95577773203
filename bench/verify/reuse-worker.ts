/**
 * Bench-only worker for the "reused workers" estimate in measure.ts: one
 * long-lived thread that evaluates script after script, each in a fresh
 * QSession, so the cost of starting a worker is paid once per lane instead
 * of once per test. No hard kill or memory cap per script: it shows what
 * worker reuse would buy, it is not a sandbox.
 */
import { parentPort } from "node:worker_threads";
import { QSession } from "../../server/src/q/session";

parentPort?.on("message", (job: { script: string; timeoutMs: number }) => {
  parentPort?.postMessage(new QSession({ timeLimitMs: job.timeoutMs }).runScript(job.script));
});
