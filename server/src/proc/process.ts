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
 *   the child was reaped, so no zombie remains;
 * - every start is announced to `onProcessStart` listeners (the editor's log)
 *   with anything in the arguments that looks like a secret redacted.
 */

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

export interface ProcessStart {
  program: string;
  /** The arguments, with anything that looks like a secret replaced by "***". */
  args: string[];
  cwd: string;
}

const startListeners = new Set<(start: ProcessStart) => void>();

/** Calls `listener` on every process this module starts; returns the function that stops it. */
export function onProcessStart(listener: (start: ProcessStart) => void): () => void {
  startListeners.add(listener);
  return () => startListeners.delete(listener);
}

const SECRET_FLAG = /^-{1,2}[\w-]*(key|token|secret|passw|credential|cookie|auth(?!-sock))[\w-]*$/i;
/** Well-known key shapes (OpenAI/Anthropic sk-, GitHub, Slack, AWS, Google, Hugging Face). */
const SECRET_SHAPE =
  /\b(sk-[\w-]{8,}|gh[pousr]_\w{16,}|github_pat_\w{16,}|xox[abpr]-[\w-]{8,}|AKIA[0-9A-Z]{16}|AIza[\w-]{20,}|hf_\w{16,})/g;

/**
 * `args` as a log may show them: values of credential-named `--flag=value`,
 * `NAME=value` and `--flag value` pairs, key-shaped strings, URL passwords and
 * any value of a credential-named variable of this process are replaced by "***".
 */
export function redactArgs(args: readonly string[], from: NodeJS.ProcessEnv = process.env): string[] {
  const known = Object.entries(from)
    .filter(([k, v]) => v !== undefined && v.length >= 8 && CREDENTIAL.test(k) && k !== "SSH_AUTH_SOCK")
    .map(([, v]) => v!);
  return args.map((arg, i) => {
    if (i > 0 && SECRET_FLAG.test(args[i - 1]!) && !arg.startsWith("-")) return "***";
    const pair = /^(-{0,2}[\w-]+)=/.exec(arg);
    if (pair && CREDENTIAL.test(pair[1]!) && !/SSH_AUTH_SOCK/i.test(pair[1]!)) return `${pair[1]}=***`;
    let out = arg.replace(SECRET_SHAPE, "***").replace(/(\/\/[^/:@\s]+:)[^@\s/]+@/g, "$1***@");
    for (const v of known) out = out.split(v).join("***");
    return out;
  });
}

function announce(program: string, args: readonly string[], cwd: string): void {
  if (startListeners.size === 0) return;
  const start = { program, args: redactArgs(args), cwd };
  for (const listener of startListeners) {
    try {
      listener(start);
    } catch {
      // An observer never stops a process from starting.
    }
  }
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
  const { execa } = await loadExeca();
  announce(command, args, opts.cwd);
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
  const { execa } = await loadExeca();
  const cwd = opts.cwd ?? process.cwd();
  announce(command, args, cwd);
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
