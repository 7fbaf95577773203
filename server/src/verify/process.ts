/**
 * Running an untrusted child process with limits: a wall-clock timeout, a
 * data-segment cap (`ulimit -d` in a tiny sh wrapper) and an output cap.
 * RLIMIT_DATA rather than an address-space cap (`ulimit -v`): runtimes such as
 * Node reserve far more address space than they ever use and die at start
 * under `-v`, while `-d` counts only memory actually made writable.
 *
 * The child is spawned detached, so it leads its own process group; on
 * timeout or runaway output the WHOLE group gets SIGKILL (`kill(-pid)`), which
 * also takes down anything the program forked. stdin is closed. The promise
 * settles on 'close', after Node has reaped the child, so no zombie remains.
 */
import { spawn } from "node:child_process";

export interface ProcessLimits {
  timeoutMs: number;
  /** Data-segment (heap) cap in MiB (0: none). */
  memoryMb: number;
  /** Bytes of stdout+stderr kept before the process is killed as runaway. */
  maxOutputBytes?: number;
}

export interface ProcessOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  outputOverflow: boolean;
  /** Set when the program could not be started at all (ENOENT, EACCES). */
  spawnError?: string;
}

export function runProcess(
  command: string,
  args: string[],
  opts: ProcessLimits & { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<ProcessOutcome> {
  const maxOutput = opts.maxOutputBytes ?? 8 * 1024 * 1024;
  // `ulimit -d` takes KiB; exec keeps the wrapper's pid, so the group leader is the program itself.
  const [cmd, argv] =
    opts.memoryMb > 0
      ? ["/bin/sh", ["-c", `ulimit -d ${opts.memoryMb * 1024} 2>/dev/null; exec "$@"`, "sh", command, ...args]]
      : [command, args];
  return new Promise((resolve) => {
    const child = spawn(cmd, argv as string[], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    let outputOverflow = false;
    let spawnError: string | undefined;
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, opts.timeoutMs);
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxOutput) {
        if (!outputOverflow) {
          outputOverflow = true;
          killGroup();
        }
        return;
      }
      into.push(chunk);
    };
    child.stdout.on("data", collect(out));
    child.stderr.on("data", collect(err));
    child.on("error", (e) => {
      spawnError = e.message;
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      // A grandchild may still hold the group alive after the leader exited; end it too.
      killGroup();
      const outcome: ProcessOutcome = {
        exitCode,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        timedOut,
        outputOverflow,
      };
      if (spawnError !== undefined) outcome.spawnError = spawnError;
      resolve(outcome);
    });
  });
}
