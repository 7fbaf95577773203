/**
 * The one place the remote transports start child processes (ssh, rsync).
 *
 * Every child gets a scrubbed environment: only what ssh and rsync need to
 * find the user's config, keys and agent (PATH, HOME, USER, SSH_AUTH_SOCK,
 * locale). API keys and every other variable stay behind, so nothing secret
 * can reach a remote host through ssh's SendEnv or a remote command.
 *
 * FIXME: swap for the shared execa-based module being written on branch v13
 * once it lands (same contract: argv, scrubbed env, no shell).
 */

const PASS = new Set(["PATH", "HOME", "USER", "LOGNAME", "SHELL", "TMPDIR", "SSH_AUTH_SOCK", "LANG", "LC_ALL"]);

export function scrubbedEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && (PASS.has(k) || k.startsWith("LC_"))) out[k] = v;
  }
  return out;
}

export interface RunResult {
  /** -1 when the process could not be started or was killed by the timeout. */
  exitCode: number;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  input?: string;
  timeoutMs?: number;
  /** Ignore stdout/stderr (a daemonising child such as an ssh ControlMaster would hold the pipes open). */
  detachedOutput?: boolean;
}

export async function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  // execa is ESM-only; a dynamic import loads it from this CommonJS build (tsx, esbuild cjs).
  const { execa } = await import("execa");
  const result = await execa(file, args, {
    env: scrubbedEnv(),
    extendEnv: false,
    reject: false,
    encoding: "buffer",
    stripFinalNewline: false,
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: "ignore" }),
    ...(opts.detachedOutput ? { stdout: "ignore", stderr: "ignore" } : {}),
    ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
  });
  const stdout = result.stdout instanceof Uint8Array ? Buffer.from(result.stdout) : Buffer.alloc(0);
  const stderr = result.stderr instanceof Uint8Array ? Buffer.from(result.stderr).toString("utf8") : "";
  const spawnError = result.exitCode === undefined && !result.timedOut ? `${result.shortMessage}\n` : "";
  return {
    exitCode: result.timedOut || result.exitCode === undefined ? -1 : result.exitCode,
    stdout,
    stderr: spawnError + stderr,
    timedOut: result.timedOut,
  };
}
