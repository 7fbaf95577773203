/**
 * The embedded engine as a verification backend: each script runs in a fresh
 * session inside the engine's sandbox, on a pool of long-lived worker threads
 * (server/src/q/pool.ts) that enforces the limits of server/src/q/limits.ts,
 * so a runaway test cannot stall or crash the verifier's own thread, while
 * the cost of starting a thread is paid once per lane rather than once per
 * test. The pool grows to the number of scripts in flight (the verifier's job
 * count); idle threads end by themselves and never keep the process alive,
 * and `close()` ends them at once.
 */
import { DEFAULT_LIMITS, describeLimit } from "../q/limits";
import { createSandboxPool, type SandboxPool } from "../q/pool";
import { ENGINE_NAME, engineFingerprint } from "../q/version";
import type { QEngine, QLimits, QRunOutcome } from "./engines";

export function embeddedEngine(): QEngine & { close(): Promise<void> } {
  // One pool per distinct limits (in practice one: a verify run uses the same limits throughout).
  const pools = new Map<string, SandboxPool>();
  const poolFor = (limits: QLimits): SandboxPool => {
    const key = `${limits.timeoutMs}|${limits.memoryMb}`;
    let p = pools.get(key);
    if (p === undefined) {
      p = createSandboxPool({ ...limits, maxOutputBytes: DEFAULT_LIMITS.maxOutputBytes });
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
      // A limit is named as such (which one, and its value), never compared as a truncated answer.
      if (r.limit !== undefined && r.limit !== "time")
        out.error = describeLimit(r.limit, { ...limits, maxOutputBytes: DEFAULT_LIMITS.maxOutputBytes });
      else if (r.error !== undefined && r.limit === undefined)
        out.error = `'${r.error.name} (script line ${r.error.line})`;
      return out;
    },
    async close() {
      await Promise.all([...pools.values()].map((p) => p.close()));
      pools.clear();
    },
  };
}
