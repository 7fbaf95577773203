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
import { createHash } from "node:crypto";
import { mkdtemp, readFile, realpath, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProcess } from "../proc/process";

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
  /** Names the engine in reports and goes into cache fingerprints: results from different engines never mix. */
  id: string;
  /**
   * What identifies this engine's behaviour for the cache, when `id` alone does not (an external
   * binary can be replaced under the same path); verify.ts awaits it once per run.
   */
  identity?(): Promise<string>;
  run(script: string, limits: QLimits): Promise<QRunOutcome>;
}

/** The q snippet that prints a q's version and release date (`4.1 2024.10.16`). */
export const VERSION_SCRIPT = '-1 (string .z.K)," ",string .z.k;\nexit 0;\n';

/**
 * An external q's identity: its resolved real path, size, mtime and content hash, and what it
 * says its version is, so a binary replaced or upgraded under the same path is a new engine.
 */
export async function externalIdentity(qPath: string, engine: QEngine): Promise<string> {
  let file: string;
  try {
    const real = await realpath(qPath);
    const s = await stat(real);
    const hash = createHash("sha256")
      .update(await readFile(real))
      .digest("hex");
    file = `${real}|${s.size}|${s.mtimeMs}|${hash}`;
  } catch (e) {
    file = `unreadable: ${(e as Error).message}`;
  }
  const v = await engine.run(VERSION_SCRIPT, { timeoutMs: 5000, memoryMb: 0 });
  const version =
    v.exitCode === 0 ? v.stdout.trim() : `no version (exit ${v.exitCode}${v.error ? `, ${v.error}` : ""})`;
  return `${file}|version=${version}`;
}

/** The original's script: sol.q, a blank line, the test, and `exit 0;` when the text has no exit. */
export function composeScript(solution: string, test: string): string {
  const script = `${solution}\n\n${test}`;
  return /\bexit\s+0\b/.test(script) ? script : `${script.replace(/\s*$/, "")}\nexit 0;\n`;
}

export function externalEngine(qPath: string): QEngine {
  let identity: Promise<string> | undefined;
  const engine: QEngine = {
    id: `external:${qPath}`,
    identity() {
      identity ??= externalIdentity(qPath, engine);
      return identity;
    },
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
  return engine;
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
