/**
 * The ssh transport: the system `ssh` and `rsync`, so the user's own
 * ~/.ssh/config, agent, keys and jump hosts apply. Batch mode (never a
 * prompt), one ControlMaster connection per transport for speed (a call
 * drops from ~0.4 s to ~0.1 s); when the master is gone, ssh connects
 * directly. Jobs run detached under setsid nohup (scripts.ts) and follow
 * the file contract of types.ts, so they outlive the connection and any
 * client can reattach.
 *
 * The Slurm transport (slurm.ts) reuses everything here but launch, poll
 * and cancel.
 *
 * ssh and rsync start through proc/process.ts like every child process: its
 * scrubbed environment keeps API keys from ever reaching ssh (whose SendEnv
 * could forward them) while SSH_AUTH_SOCK, HOME and the locale pass.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { type RunOptions, runProcess } from "../../proc/process";
import * as scripts from "./scripts";
import {
  type EventChunk,
  type HostReport,
  JOB_FILES,
  JOB_ID_PATTERN,
  type JobEvent,
  type JobHandle,
  type JobPoll,
  type JobSpec,
  type JobStatus,
  jobDir,
  type RemoteEnv,
  RemoteError,
  type RemoteErrorCode,
  type TransferStats,
  type Transport,
} from "./types";

export interface SshOptions {
  /** Remote root; relative paths are under the login home. Default ".qds-remote". */
  root?: string;
  /** An ssh config file instead of ~/.ssh/config (tests). */
  sshConfigFile?: string;
  connectTimeoutS?: number;
  /** Free space (KiB) a job folder's file system must have at launch. Default 256 MiB. */
  minFreeKiB?: number;
  /** Seconds cancel waits for the job to stop by itself before killing its process group. */
  cancelGraceS?: number;
}

/** The remote Python package, found by walking up from this module (source tree or dist/). */
export function remotePackageDir(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "remote", "qds_remote", "__init__.py"))) return join(dir, "remote");
    if (dirname(dir) === dir) throw new Error(`remote/qds_remote not found above ${start}`);
  }
}

/** Files shipped to the host: the package, the requirement pins and prepare_env.sh (not the tests). */
function shippedFiles(pkg: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== "__pycache__") walk(path);
      } else if (name.endsWith(".py")) files.push(relative(pkg, path));
    }
  };
  walk(join(pkg, "qds_remote"));
  for (const name of readdirSync(pkg).sort()) {
    if (/^requirements.*\.txt$/.test(name) || name === "prepare_env.sh") files.push(name);
  }
  return files;
}

function hashFiles(base: string, files: string[]): string {
  const h = createHash("sha256");
  for (const f of files)
    h.update(f)
      .update("\0")
      .update(readFileSync(join(base, f)))
      .update("\0");
  return h.digest("hex").slice(0, 16);
}

/** Single-quoted for a POSIX shell. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const SSH_UNREACHABLE =
  /Connection refused|Connection timed out|No route to host|Could not resolve hostname|Network is unreachable|Connection closed by|Connection reset/;
const SSH_AUTH = /Permission denied|Host key verification failed|Too many authentication failures/;

/** What a remote call needs from a finished process: -1 for "never ran or was killed" (read as unreachable). */
interface Ran {
  exitCode: number;
  stdout: Buffer;
  stderr: string;
}

/** One child process on this machine (ssh, rsync), run from the working folder with the scrubbed environment. */
async function run(
  program: string,
  args: readonly string[],
  opts: Pick<RunOptions, "input" | "output" | "keepGroup"> & { timeoutMs: number },
): Promise<Ran> {
  const r = await runProcess(program, args, {
    cwd: process.cwd(),
    // Event chunks are up to 1 MiB and a poll carries a log tail: far below this.
    maxOutputBytes: 64 * 1024 * 1024,
    ...opts,
    output: opts.output ?? "bytes",
  });
  const why = r.spawnError ?? (r.timedOut ? `timed out after ${opts.timeoutMs / 1000} s` : "");
  return {
    exitCode: r.exitCode === null || r.spawnError !== undefined || r.timedOut ? -1 : r.exitCode,
    stdout: Buffer.isBuffer(r.stdout) ? r.stdout : Buffer.alloc(0),
    stderr: (why ? `${program}: ${why}\n` : "") + r.stderr,
  };
}

export class SshTransport implements Transport {
  readonly backend: "ssh" | "slurm" = "ssh";
  private readonly controlDir = mkdtempSync(join(tmpdir(), "qds-ssh-"));
  private masterTried = false;
  private rootAbs: string | undefined;
  private pkgRel: string | undefined;
  private env: RemoteEnv | undefined;
  protected readonly opts: Required<Omit<SshOptions, "sshConfigFile">> & { sshConfigFile?: string };

  constructor(
    readonly host: string,
    opts: SshOptions = {},
  ) {
    this.opts = {
      root: (opts.root ?? ".qds-remote").replace(/^~\//, ""),
      connectTimeoutS: opts.connectTimeoutS ?? 10,
      minFreeKiB: opts.minFreeKiB ?? 256 * 1024,
      cancelGraceS: opts.cancelGraceS ?? 5,
      ...(opts.sshConfigFile !== undefined ? { sshConfigFile: opts.sshConfigFile } : {}),
    };
  }

  /** ssh options shared by ssh and rsync's -e; `master` for the one process that holds the shared connection. */
  protected sshArgs(master = false): string[] {
    return [
      ...(this.opts.sshConfigFile ? ["-F", this.opts.sshConfigFile] : []),
      "-o",
      "BatchMode=yes",
      "-o",
      `ConnectTimeout=${this.opts.connectTimeoutS}`,
      "-o",
      `ControlPath=${join(this.controlDir, "%C")}`,
      "-o",
      master ? "ControlMaster=yes" : "ControlMaster=no",
    ];
  }

  /** Starts the shared connection once; failures surface on the real command that follows. */
  private async ensureMaster(): Promise<void> {
    if (this.masterTried) return;
    this.masterTried = true;
    // -f: background after authentication; -E: its messages go to a file, since a
    // daemon holding our pipes would keep the call from returning.
    await run(
      "ssh",
      [
        ...this.sshArgs(true),
        "-o",
        "ControlPersist=600",
        "-E",
        join(this.controlDir, "master.log"),
        "-f",
        "-N",
        this.host,
      ],
      // The master ssh forks stays in this group: keep it when the foreground ssh exits.
      { output: "ignore", keepGroup: true, timeoutMs: (this.opts.connectTimeoutS + 5) * 1000 },
    );
  }

  /** Runs a scripts.ts script on the host with positional args; throws RemoteError on ssh or script failure. */
  protected async sh(script: string, args: readonly (string | number)[], what: string): Promise<Buffer> {
    await this.ensureMaster();
    const remote = ["bash", "-s", "--", ...args.map((a) => shq(String(a)))].join(" ");
    const r = await run("ssh", [...this.sshArgs(), this.host, "--", remote], {
      input: script,
      timeoutMs: 600_000,
    });
    if (r.exitCode === 0) return r.stdout;
    throw this.failure(r.exitCode, r.stderr, what);
  }

  protected failure(exitCode: number, stderr: string, what: string): RemoteError {
    const tagged = /qds-error ([a-z-]+): (.*)/.exec(stderr);
    if (tagged) return new RemoteError(tagged[1] as RemoteErrorCode, this.host, `${what}: ${tagged[2]}`);
    const last = stderr.trim().split("\n").slice(-3).join(" | ") || `exit code ${exitCode}`;
    if (exitCode === 255 || exitCode === -1) {
      if (SSH_AUTH.test(stderr)) return new RemoteError("auth", this.host, `${what}: ssh was refused: ${last}`);
      if (SSH_UNREACHABLE.test(stderr) || exitCode === -1)
        return new RemoteError("unreachable", this.host, `${what}: host unreachable: ${last}`);
    }
    if (/No space left on device/.test(stderr)) return new RemoteError("disk-full", this.host, `${what}: ${last}`);
    return new RemoteError("command", this.host, `${what} failed (exit ${exitCode}): ${last}`);
  }

  async root(): Promise<string> {
    this.rootAbs ??= (await this.sh(scripts.ROOT, [this.opts.root], "creating the remote root")).toString().trim();
    return this.rootAbs;
  }

  /** Ships the package into pkg/<hash of its files>/ (a content-addressed copy running jobs never see change). */
  private async ensurePackage(): Promise<string> {
    if (this.pkgRel) return this.pkgRel;
    const pkg = remotePackageDir();
    const files = shippedFiles(pkg);
    const rel = `pkg/${hashFiles(pkg, files)}`;
    await this.rsync(["--files-from=-", `${pkg}/`, `${this.host}:${await this.root()}/${rel}/`], files.join("\n"), rel);
    this.pkgRel = rel;
    return rel;
  }

  async checkHost(): Promise<HostReport> {
    const pkg = await this.ensurePackage();
    const out = await this.sh(scripts.CHECK_HOST, [await this.root(), pkg, "."], "checking the host");
    return JSON.parse(out.toString()) as HostReport;
  }

  async prepare(): Promise<RemoteEnv> {
    if (this.env) return this.env;
    const report = await this.checkHost();
    const variant = report.gpus.length > 0 ? "cuda" : "cpu";
    const pkg = await this.ensurePackage();
    const out = await this.sh(scripts.PREPARE, [await this.root(), pkg, variant], "preparing the Python environment");
    this.env = JSON.parse(out.toString().trim().split("\n").pop() ?? "") as RemoteEnv;
    return this.env;
  }

  /** rsync over the same ssh options; --checksum compares content, not mtimes; only changes travel. */
  private async rsync(args: string[], input: string | undefined, what: string, mkdir?: string): Promise<TransferStats> {
    await this.ensureMaster();
    const started = Date.now();
    const e = ["ssh", ...this.sshArgs()].map(shq).join(" ");
    const r = await run(
      "rsync",
      [
        "-a",
        "--checksum",
        "--partial",
        "--stats",
        "-e",
        e,
        ...(mkdir ? [`--rsync-path=mkdir -p ${shq(mkdir)} && rsync`] : ["--mkpath"]),
        ...args,
      ],
      // Hours, not forever: final full weights of a large model over a slow link.
      { timeoutMs: 6 * 3600_000, ...(input !== undefined ? { input } : {}) },
    );
    if (r.exitCode !== 0) {
      const err = this.failure(r.exitCode === 12 || r.exitCode === 255 ? 255 : r.exitCode, r.stderr, `copying ${what}`);
      throw err.code === "command" ? new RemoteError("transfer", this.host, err.message.replace(/^[^:]*: /, "")) : err;
    }
    const text = r.stdout.toString();
    const num = (re: RegExp) => Number((re.exec(text)?.[1] ?? "0").replace(/,/g, ""));
    return {
      files: num(/Number of regular files transferred: ([\d,]+)/),
      bytes: num(/Total transferred file size: ([\d,]+)/),
      seconds: (Date.now() - started) / 1000,
    };
  }

  async upload(localPath: string, remotePath: string): Promise<TransferStats> {
    const root = await this.root();
    const dir = statSync(localPath).isDirectory();
    const target = `${root}/${remotePath.replace(/\/+$/, "")}`;
    return this.rsync(
      [dir ? `${localPath.replace(/\/+$/, "")}/` : localPath, `${this.host}:${target}${dir ? "/" : ""}`],
      undefined,
      `${localPath} to ${target}`,
      dir ? target : dirname(target),
    );
  }

  async download(remotePath: string, localPath: string): Promise<TransferStats> {
    const root = await this.root();
    const source = `${root}/${remotePath.replace(/\/+$/, "")}`;
    return this.rsync(
      ["--exclude=*.partial", "--exclude=*.partial.*", `${this.host}:${source}/`, `${localPath.replace(/\/+$/, "")}/`],
      undefined,
      `${source} to ${localPath}`,
    );
  }

  protected checkSpec(spec: JobSpec): void {
    if (!JOB_ID_PATTERN.test(spec.jobId) || spec.jobId.split("/").some((s) => s === ".." || s === "."))
      throw new RemoteError("bad-spec", this.host, `job id ${JSON.stringify(spec.jobId)} is not of the form run/job`);
  }

  /** Uploads inputs, ships the package, builds the venv; returns what a launch needs. */
  protected async stage(spec: JobSpec): Promise<{ root: string; dir: string; python: string; pkg: string }> {
    this.checkSpec(spec);
    const env = await this.prepare();
    const pkg = await this.ensurePackage();
    const root = await this.root();
    const dir = jobDir(spec.jobId);
    if (spec.inputs !== undefined) await this.upload(spec.inputs, `${dir}/${JOB_FILES.inputs}`);
    return { root, dir, python: env.python, pkg };
  }

  protected specB64(spec: JobSpec): string {
    return Buffer.from(JSON.stringify({ kind: spec.kind, args: spec.args })).toString("base64");
  }

  async launch(spec: JobSpec): Promise<JobHandle> {
    const { root, dir, python, pkg } = await this.stage(spec);
    const out = await this.sh(
      scripts.LAUNCH,
      [root, dir, python, pkg, this.opts.minFreeKiB, this.specB64(spec)],
      `launching ${spec.jobId}`,
    );
    const m = /^(RUNNING|STARTED) (\d+) (\d+)/m.exec(out.toString());
    if (!m) throw new RemoteError("command", this.host, `launching ${spec.jobId}: unexpected reply ${out.toString()}`);
    return {
      backend: "ssh",
      host: this.host,
      jobId: spec.jobId,
      dir: `${root}/${dir}`,
      pid: Number(m[2]),
      pidStart: m[3]!,
      launchedAt: new Date().toISOString(),
    };
  }

  /** Raw facts about a job folder, shared by both backends. */
  protected async inspect(handle: JobHandle): Promise<JobFacts> {
    const out = (await this.sh(scripts.POLL, [await this.root(), jobDir(handle.jobId)], `polling ${handle.jobId}`))
      .toString()
      .split("\nLOG\n");
    const head = out[0] ?? "";
    const field = (k: string) => new RegExp(`^${k} ?(.*)$`, "m").exec(head)?.[1] ?? "";
    if (/^MISSING/m.test(head)) return { missing: true, alive: false, cancel: false, disk: "", log: "" };
    const statusText = field("STATUS");
    let status: JobStatus | undefined;
    try {
      status = statusText ? (JSON.parse(statusText) as JobStatus) : undefined;
    } catch {
      status = undefined; // being replaced right now; the next poll reads it
    }
    const exit = field("EXIT");
    return {
      missing: false,
      ...(exit !== "" ? { exitCode: Number(exit) } : {}),
      alive: field("ALIVE") === "1",
      cancel: field("CANCEL") === "1",
      disk: field("DISK"),
      ...(status ? { status } : {}),
      log: out.slice(1).join("\nLOG\n"),
    };
  }

  /** Maps facts to a state; `running` says whether the backend still sees the job alive. */
  protected judge(f: JobFacts, running: boolean): JobPoll {
    const withStatus = (p: JobPoll): JobPoll => (f.status ? { ...p, status: f.status } : p);
    if (f.missing) return { state: "lost", reason: "the job folder does not exist on the host" };
    if (f.exitCode !== undefined) {
      const ec = f.exitCode;
      if (ec === 0) return withStatus({ state: "succeeded", exitCode: 0 });
      if (ec === 130 || f.cancel) return withStatus({ state: "cancelled", exitCode: ec });
      const err = f.status?.error;
      const reason = err ? `${err.code}: ${err.message}` : `exit code ${ec}; log tail: ${lastLines(f.log)}`;
      return withStatus({ state: "failed", exitCode: ec, reason });
    }
    if (running) return withStatus({ state: "running" });
    if (f.cancel) return withStatus({ state: "cancelled", reason: "stopped by cancel" });
    const [kib, mount] = f.disk.split(" ");
    const full = Number(kib) < 1024 ? ` The disk is full: ${kib} KiB free on ${mount}.` : "";
    return withStatus({
      state: "lost",
      reason: `the job's process is gone and left no exit code (killed?).${full} Log tail: ${lastLines(f.log)}`,
    });
  }

  async poll(handle: JobHandle): Promise<JobPoll> {
    const f = await this.inspect(handle);
    return this.judge(f, f.alive);
  }

  async readEvents(handle: JobHandle, offset: number): Promise<EventChunk> {
    const max = 1 << 20;
    const raw = await this.sh(
      scripts.EVENTS,
      [await this.root(), jobDir(handle.jobId), offset, max],
      `reading events of ${handle.jobId}`,
    );
    return parseEvents(raw, offset);
  }

  async fetchOutput(handle: JobHandle, localDir: string): Promise<TransferStats> {
    return this.download(`${jobDir(handle.jobId)}/${JOB_FILES.output}`, localDir);
  }

  async cancel(handle: JobHandle): Promise<void> {
    const out = await this.sh(
      scripts.CANCEL,
      [await this.root(), jobDir(handle.jobId), this.opts.cancelGraceS],
      `cancelling ${handle.jobId}`,
    );
    const left = /LEFT (\d+)/.exec(out.toString())?.[1];
    if (left !== "0")
      throw new RemoteError("command", this.host, `cancelling ${handle.jobId}: ${left} process(es) still running`);
  }

  async close(): Promise<void> {
    if (this.masterTried) {
      await run("ssh", [...this.sshArgs(), "-O", "exit", this.host], { timeoutMs: 10_000 });
    }
    rmSync(this.controlDir, { recursive: true, force: true });
  }
}

export interface JobFacts {
  missing: boolean;
  exitCode?: number;
  alive: boolean;
  cancel: boolean;
  /** "<free KiB> <mount point>". */
  disk: string;
  status?: JobStatus;
  log: string;
}

function lastLines(log: string): string {
  return log.trim().split("\n").slice(-4).join(" | ") || "(empty)";
}

/** Complete lines only; the offset advances past them and no further. Unparsable lines are skipped. */
export function parseEvents(raw: Buffer, offset: number): EventChunk {
  const end = raw.lastIndexOf(0x0a);
  if (end < 0) return { events: [], offset };
  const events: JobEvent[] = [];
  for (const line of raw.subarray(0, end).toString("utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as JobEvent);
    } catch {
      // a line cut by a killed writer; the job ended it with a newline on relaunch
    }
  }
  return { events, offset: offset + end + 1 };
}
