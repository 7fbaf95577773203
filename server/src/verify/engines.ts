/**
 * The ways a q test script can be run, behind one signature:
 * - external: a real q binary (or anything that behaves like one), run the
 *   way the original pipeline did it: the script written into a fresh temp
 *   folder, `q script.q` run there with stdin closed and a timeout;
 * - embedded: the product's own engine through its worker sandbox
 *   (embedded.ts), one fresh session per script.
 * Both report the same outcome; `judgeQRun` turns it into pass-or-reason the
 * way the original did (exit code 0 and no "error" on stderr), also refusing
 * a q error display on stderr.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProcess } from "./process";

export interface QLimits {
  timeoutMs: number;
  memoryMb: number;
}

export interface QRunOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  outOfMemory: boolean;
  /** An error the engine reported with a name (embedded) or the launch failure (external). */
  error?: string;
}

export interface QEngine {
  /** Goes into cache fingerprints: results from different engines never mix. */
  id: string;
  run(script: string, limits: QLimits): Promise<QRunOutcome>;
}

/** The original's script: sol.q, a blank line, the test, and `exit 0;` when the text has no exit. */
export function composeScript(solution: string, test: string): string {
  const script = `${solution}\n\n${test}`;
  return /\bexit\s+0\b/.test(script) ? script : `${script.replace(/\s*$/, "")}\nexit 0;\n`;
}

export function externalEngine(qPath: string): QEngine {
  return {
    id: `external:${qPath}`,
    async run(script, limits) {
      const dir = await mkdtemp(join(tmpdir(), "qds-q-"));
      try {
        await writeFile(join(dir, "script.q"), script);
        const r = await runProcess(qPath, ["script.q"], { ...limits, cwd: dir });
        const outcome: QRunOutcome = {
          exitCode: r.exitCode ?? -1,
          stdout: r.stdout,
          stderr: r.stderr,
          timedOut: r.timedOut,
          outOfMemory: false,
        };
        if (r.spawnError !== undefined) outcome.error = `cannot run ${qPath}: ${r.spawnError}`;
        else if (r.outputOverflow) outcome.error = "output limit exceeded";
        else if (r.signal !== null && !r.timedOut) outcome.error = `killed by ${r.signal}`;
        return outcome;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Pass (the trimmed stdout) or the reason it failed, by the original's criteria. */
export function judgeQRun(
  r: QRunOutcome,
  timeoutMs: number,
): { ok: true; output: string } | { ok: false; reason: string } {
  if (r.timedOut) return { ok: false, reason: `timeout after ${timeoutMs / 1000} s` };
  if (r.outOfMemory) return { ok: false, reason: r.error ?? "out of memory" };
  if (r.error !== undefined) return { ok: false, reason: r.error };
  if (r.exitCode !== 0) return { ok: false, reason: `exit code ${r.exitCode}${tail(r.stderr)}` };
  // The original's test, plus q's own error display ('type, 'length …), which never says "error".
  if (/error/i.test(r.stderr) || /^'\S/m.test(r.stderr))
    return { ok: false, reason: `error on stderr${tail(r.stderr)}` };
  return { ok: true, output: r.stdout.trim() };
}

function tail(stderr: string): string {
  const t = stderr.trim();
  return t === "" ? "" : `: ${t.length > 300 ? `…${t.slice(-300)}` : t}`;
}
