/**
 * Every child process the product starts goes through here (an external q,
 * Python reference tests, the LeetCode importer's driver, the language
 * server's persistent q, and remote tools such as ssh and rsync), built on
 * execa:
 *
 * - a scrubbed environment: only an allow-list of variables a program needs
 *   to run (PATH, HOME, locale, temp dir, time zone, q's QHOME/QLIC, the ssh
 *   agent socket, …) is passed on, and never a name that looks like a
 *   credential (`*_API_KEY`, `*TOKEN*`, `*SECRET*`, `*PASSWORD*`), whatever
 *   the parent holds; callers add what a program needs explicitly;
 * - its own process group (detached), so a timeout, runaway output or the
 *   caller giving up ends the WHOLE group with SIGKILL, grandchildren included;
 * - a wall-clock timeout and a cap on the output kept (the process is killed
 *   when it passes it, so a flood never fills the parent's memory);
 * - optionally a data-segment cap (`ulimit -d` in a tiny sh wrapper).
 *   RLIMIT_DATA rather than an address-space cap (`ulimit -v`): runtimes such
 *   as Node reserve far more address space than they use and die at start
 *   under `-v`, while `-d` counts only memory actually made writable;
 * - stdin closed unless the caller sends input; the promise settles after
 *   the child was reaped, so no zombie remains.
 */

import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";

/**
 * execa is ESM-only: loaded with a dynamic import, which works from the CommonJS bundles
 * (esbuild inlines it) and from sources run under tsx alike.
 */
const loadExeca = (): Promise<typeof import("execa")> => import("execa");

/** Variables passed on by name. */
const ALLOWED = new Set([
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "LANGUAGE",
  "TMPDIR",
  "TMP",
  "TEMP",
  "TZ",
  "TERM",
  // A real q finds its licence and q.k through these.
  "QHOME",
  "QLIC",
  "QINIT",
  // ssh and rsync reach the user's agent through this socket (the keys stay in the agent).
  "SSH_AUTH_SOCK",
]);
/** Variables passed on by prefix. */
const ALLOWED_PREFIXES = ["LC_"];
/** Never passed on, even when allowed above or added by a caller through `env`. */
const CREDENTIAL = /KEY|TOKEN|SECRET|PASSW|CREDENTIAL|COOKIE|AUTH(?!_SOCK)/i;

/** The environment a child gets: the allow-listed part of `from`, plus `extra`, minus anything credential-like. */
export function scrubbedEnv(
  extra: Readonly<Record<string, string>> = {},
  from: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(from)) {
    if (v !== undefined && (ALLOWED.has(k) || ALLOWED_PREFIXES.some((p) => k.startsWith(p)))) env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) env[k] = v;
  for (const k of Object.keys(env)) if (CREDENTIAL.test(k) && k !== "SSH_AUTH_SOCK") delete env[k];
  return env;
}

/** A program being started, as the log shows it: arguments that carry credentials are masked. */
export interface ProcessStart {
  command: string;
  args: string[];
  cwd: string;
}

/** The log line for a start. */
export const describeStart = (s: ProcessStart): string => `process: ${[s.command, ...s.args].join(" ")} (in ${s.cwd})`;

const startListeners = new Set<(s: ProcessStart) => void>();

/**
 * Calls `listener` for every program started through this module (the editor logs each one in its
 * output channel). Returns the function that removes it.
 */
export function onProcessStart(listener: (s: ProcessStart) => void): () => void {
  startListeners.add(listener);
  return () => startListeners.delete(listener);
}

const MASK = "***";
/** An option whose value is a credential: `--api-key=…`, `--token …`, `-password …`. */
const CREDENTIAL_OPTION = /^--?[\w-]*(key|token|secret|passw)[\w-]*$/i;

/**
 * `args` with credentials masked: the value of a credential-like option (`--api-key=v`, `--token v`)
 * and any argument containing the value of a credential-like variable of `env` (8 characters or more,
 * so short values do not mask common words).
 */
export function maskArgs(args: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const secrets = Object.entries(env)
    .filter(([k, v]) => v !== undefined && v.length >= 8 && CREDENTIAL.test(k))
    .map(([, v]) => v as string);
  return args.map((a, i) => {
    const eq = a.indexOf("=");
    if (eq > 0 && CREDENTIAL_OPTION.test(a.slice(0, eq))) return `${a.slice(0, eq + 1)}${MASK}`;
    const previous = args[i - 1];
    if (previous !== undefined && !previous.includes("=") && CREDENTIAL_OPTION.test(previous)) return MASK;
    return secrets.reduce((s, v) => s.split(v).join(MASK), a);
  });
}

function announce(command: string, args: readonly string[], cwd: string): void {
  if (startListeners.size === 0) return;
  const start: ProcessStart = { command, args: maskArgs(args), cwd };
  for (const listener of startListeners) {
    try {
      listener(start);
    } catch {
      // A failing log must not stop the program from starting.
    }
  }
}

export interface RunLimits {
  timeoutMs: number;
  /** Data-segment (heap) cap in MiB (0 or absent: none). */
  memoryMb?: number;
  /** Bytes of stdout+stderr kept before the process is killed as runaway (default 8 MiB). */
  maxOutputBytes?: number;
}

export interface RunOptions extends RunLimits {
  cwd: string;
  /** Variables added to the scrubbed environment (never credentials: those are dropped). */
  env?: Readonly<Record<string, string>>;
  /** Text written to stdin (which is otherwise closed). */
  input?: string;
  /** Aborting ends the process group at once. */
  signal?: AbortSignal;
  /**
   * "text" (default): stdout decoded as UTF-8. "bytes": stdout as a Buffer,
   * for callers that count byte offsets. "ignore": neither stdout nor stderr
   * is piped, for a program that daemonises (a helper it leaves behind would
   * hold the pipes open and the call would never return).
   */
  output?: "text" | "bytes" | "ignore";
  /**
   * Leave the process group alone once the program exits by itself: for a
   * program that leaves a long-lived helper behind on purpose (ssh -f with a
   * ControlMaster). A timeout, the output cap or an abort still kill the group.
   */
  keepGroup?: boolean;
}

export interface RunOutcome<Out extends string | Buffer = string> {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: Out;
  stderr: string;
  timedOut: boolean;
  outputOverflow: boolean;
  /** Set when the program could not be started at all (ENOENT, EACCES). */
  spawnError?: string;
}

const DEFAULT_MAX_OUTPUT = 8 * 1024 * 1024;

/** SIGKILL to the whole process group led by `pid` (a no-op once it is gone). */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // The group is already gone.
  }
}

/** The program and arguments, wrapped in `sh -c 'ulimit -d …; exec "$@"'` when a memory cap is asked. */
function wrap(command: string, args: readonly string[], memoryMb: number | undefined): [string, string[]] {
  if (memoryMb === undefined || memoryMb <= 0) return [command, [...args]];
  // `ulimit -d` takes KiB; exec keeps the wrapper's pid, so the group leader is the program itself.
  return ["/bin/sh", ["-c", `ulimit -d ${memoryMb * 1024} 2>/dev/null; exec "$@"`, "sh", command, ...args]];
}

/** Runs a program to completion under limits; never rejects (a launch failure is `spawnError`). */
export async function runProcess(
  command: string,
  args: readonly string[],
  opts: RunOptions & { output: "bytes" },
): Promise<RunOutcome<Buffer>>;
export async function runProcess(command: string, args: readonly string[], opts: RunOptions): Promise<RunOutcome>;
export async function runProcess(
  command: string,
  args: readonly string[],
  opts: RunOptions,
): Promise<RunOutcome<string | Buffer>> {
  const maxOutput = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const [cmd, argv] = wrap(command, args, opts.memoryMb);
  announce(command, args, opts.cwd);
  const { execa } = await loadExeca();
  const child = execa(cmd, argv, {
    cwd: opts.cwd,
    env: scrubbedEnv(opts.env),
    extendEnv: false,
    detached: true,
    // When the parent exits first, execa kills the child; the group goes too, below.
    cleanup: true,
    buffer: false,
    reject: false,
    stripFinalNewline: false,
    ...(opts.input === undefined ? { stdin: "ignore" as const } : { input: opts.input }),
    ...(opts.output === "ignore" ? { stdout: "ignore" as const, stderr: "ignore" as const } : {}),
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let size = 0;
  let timedOut = false;
  let outputOverflow = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, opts.timeoutMs);
  const onAbort = (): void => killGroup(child.pid);
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  const collect = (into: Buffer[]) => (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxOutput) {
      if (!outputOverflow) {
        outputOverflow = true;
        killGroup(child.pid);
      }
      return;
    }
    into.push(chunk);
  };
  child.stdout?.on("data", collect(out));
  child.stderr?.on("data", collect(err));
  const r = await child;
  clearTimeout(timer);
  opts.signal?.removeEventListener("abort", onAbort);
  // A grandchild may still hold the group alive after the leader exited; end it too, unless asked not to.
  if (!opts.keepGroup) killGroup(child.pid);
  const stdout = Buffer.concat(out);
  const outcome: RunOutcome<string | Buffer> = {
    exitCode: r.exitCode ?? null,
    signal: (r.signal as NodeJS.Signals | undefined) ?? null,
    stdout: opts.output === "bytes" ? stdout : stdout.toString("utf8"),
    stderr: Buffer.concat(err).toString("utf8"),
    timedOut,
    outputOverflow,
  };
  const code = (r as { code?: string }).code;
  if (r.failed && child.pid === undefined) outcome.spawnError = code ?? r.shortMessage ?? "cannot start";
  return outcome;
}

/**
 * Starts a long-lived program with piped stdio (the language server's persistent q, an ssh
 * session) in its own process group with the scrubbed environment; `stop()` ends the group.
 */
export async function startProcess(
  command: string,
  args: readonly string[],
  opts: { cwd?: string; env?: Readonly<Record<string, string>> } = {},
) {
  const cwd = opts.cwd ?? process.cwd();
  announce(command, args, cwd);
  const { execa } = await loadExeca();
  const child = execa(command, [...args], {
    cwd,
    env: scrubbedEnv(opts.env),
    extendEnv: false,
    detached: true,
    cleanup: true,
    buffer: false,
    reject: false,
    stdin: "pipe",
  });
  return { child, stop: () => killGroup(child.pid) };
}

/**
 * Starts a program that must outlive this process (the bootstrap controller, which keeps a run
 * going after the editor or the CLI exits): detached into its own session and process group,
 * stdout and stderr appended to `logFile`, the scrubbed environment, not waited for. Returns its
 * pid, or -1 when it could not be started. Synchronous (node's spawn, not execa): callers record
 * the pid at once.
 */
export function startDaemon(
  command: string,
  args: readonly string[],
  opts: { logFile: string; cwd?: string; env?: Readonly<Record<string, string>> },
): number {
  const cwd = opts.cwd ?? process.cwd();
  announce(command, args, cwd);
  const log = openSync(opts.logFile, "a");
  try {
    const child = spawn(command, [...args], {
      cwd,
      detached: true,
      stdio: ["ignore", log, log],
      env: scrubbedEnv(opts.env),
    });
    child.on("error", () => {
      // A program that cannot start has no pid: the caller sees -1.
    });
    child.unref();
    return child.pid ?? -1;
  } finally {
    closeSync(log); // the child holds its own copy
  }
}
