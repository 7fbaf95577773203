/**
 * The embedded engine as a verification backend: each script runs in a fresh
 * session inside the engine's sandbox, on a pool of long-lived worker threads
 * (server/src/q/pool.ts) that enforces the timeout and memory limit, so a
 * runaway test cannot stall or crash the verifier's own thread, while the
 * cost of starting a thread is paid once per lane rather than once per test.
 * The pool grows to the number of scripts in flight (the verifier's job
 * count); idle threads end by themselves and never keep the process alive,
 * and `close()` ends them at once.
 */
import { createSandboxPool, type SandboxPool } from "../q/pool";
import { ENGINE_NAME, engineFingerprint } from "../q/version";
import type { QEngine, QLimits, QRunOutcome } from "./engines";

/** Output kept per stream and test; a correct answer is never near this. */
const MAX_OUTPUT_BYTES = 1024 * 1024;

export function embeddedEngine(): QEngine & { close(): Promise<void> } {
  // One pool per distinct limits (in practice one: a verify run uses the same limits throughout).
  const pools = new Map<string, SandboxPool>();
  const poolFor = (limits: QLimits): SandboxPool => {
    const key = `${limits.timeoutMs}|${limits.memoryMb}`;
    let p = pools.get(key);
    if (p === undefined) {
      p = createSandboxPool({ ...limits, maxOutputBytes: MAX_OUTPUT_BYTES });
      pools.set(key, p);
    }
    return p;
  };
  return {
    // Version plus engine source hash is part of every cache fingerprint: any engine change re-verifies.
    id: `${ENGINE_NAME} ${engineFingerprint()}`,
    async run(script, limits) {
      const r = await poolFor(limits).run(script);
      const out: QRunOutcome = {
        exitCode: r.exitCode,
        stdout: r.stdout,
        stderr: r.stderr,
        timedOut: r.timedOut,
        outOfMemory: r.outOfMemory,
      };
      if (r.error !== undefined) out.error = `'${r.error.name} (script line ${r.error.line})`;
      // The session cuts each stream at the cap and appends a marker, so a longer stream was cut:
      // report that plainly rather than comparing a truncated flood with the expected answer.
      else if (r.stdout.length > MAX_OUTPUT_BYTES || r.stderr.length > MAX_OUTPUT_BYTES)
        out.error = `output limit exceeded (${MAX_OUTPUT_BYTES / 1024 / 1024} MiB)`;
      return out;
    },
    async close() {
      await Promise.all([...pools.values()].map((p) => p.close()));
      pools.clear();
    },
  };
}
