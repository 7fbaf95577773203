/**
 * The embedded engine as a verification backend: each script runs in a fresh
 * session inside the engine's worker sandbox (server/src/q/sandbox.ts), which
 * enforces the timeout and memory limit and is torn down afterwards, so a
 * runaway test cannot stall or crash the verifier's own thread.
 */
import { runQScript } from "../q/sandbox";
import { ENGINE_NAME, ENGINE_VERSION } from "../q/version";
import type { QEngine, QRunOutcome } from "./engines";

export function embeddedEngine(): QEngine {
  return {
    // The version is part of every cache fingerprint: an engine change re-verifies everything.
    id: `${ENGINE_NAME} ${ENGINE_VERSION}`,
    async run(script, limits) {
      const r = await runQScript(script, limits);
      const out: QRunOutcome = {
        exitCode: r.exitCode,
        stdout: r.stdout,
        stderr: r.stderr,
        timedOut: r.timedOut,
        outOfMemory: r.outOfMemory,
      };
      if (r.error !== undefined) out.error = `'${r.error.name} (script line ${r.error.line})`;
      return out;
    },
  };
}
