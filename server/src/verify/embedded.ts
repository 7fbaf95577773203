/**
 * The embedded engine as a verification backend: each script runs in a fresh
 * session inside the engine's worker sandbox (server/src/q/sandbox.ts), which
 * enforces the timeout and memory limit and is torn down afterwards, so a
 * runaway test cannot stall or crash the verifier's own thread.
 */
import { runQScript } from "../q/sandbox";
import { ENGINE_NAME, ENGINE_VERSION } from "../q/version";
import type { QEngine, QRunOutcome } from "./engines";

/** Output kept per stream and test; a correct answer is never near this. */
const MAX_OUTPUT_BYTES = 1024 * 1024;

export function embeddedEngine(): QEngine {
  return {
    // The version is part of every cache fingerprint: an engine change re-verifies everything.
    id: `${ENGINE_NAME} ${ENGINE_VERSION}`,
    async run(script, limits) {
      const r = await runQScript(script, { ...limits, maxOutputBytes: MAX_OUTPUT_BYTES });
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
  };
}
