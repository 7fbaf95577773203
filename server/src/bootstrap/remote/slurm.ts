/**
 * The Slurm transport: the same job folder and file contract as ssh (it is an
 * SshTransport to the cluster's login host, on a shared file system), but
 * jobs go through sbatch, their liveness comes from squeue, and cancel is
 * scancel. Preemption: jobs are submitted with --requeue, --open-mode=append
 * and --signal=B:USR1@N; the batch script turns USR1 into the job's preempt
 * file (scripts.ts says why not a forwarded signal), the trainer writes a
 * checkpoint and exits 75, and the script requeues the job, which resumes
 * from that checkpoint when it runs again (events.jsonl and job.log go on).
 */
import * as scripts from "./scripts";
import { type SshOptions, SshTransport } from "./ssh";
import { type JobHandle, type JobPoll, type JobSpec, jobDir, RemoteError, type SlurmJobOptions } from "./types";

export interface SlurmOptions extends SshOptions {
  /** Defaults for every job; a JobSpec's own `slurm` overrides them field by field. */
  slurm?: SlurmJobOptions;
  /** SLURM_CONF on the login host, for clusters (or tests) whose commands need it. */
  slurmConf?: string;
}

const QUEUED = new Set(["PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "CONFIGURING", "SUSPENDED"]);
const RUNNING = new Set(["RUNNING", "COMPLETING", "SIGNALING", "STAGE_OUT", "RESIZING"]);

export class SlurmTransport extends SshTransport {
  override readonly backend = "slurm" as const;
  private readonly slurmDefaults: SlurmJobOptions;
  private readonly slurmConf: string;

  constructor(host: string, opts: SlurmOptions = {}) {
    super(host, opts);
    this.slurmDefaults = opts.slurm ?? {};
    this.slurmConf = opts.slurmConf ?? "";
  }

  private sbatchOptions(o: SlurmJobOptions): string[] {
    return [
      ...(o.partition ? [`--partition=${o.partition}`] : []),
      ...(o.gres ? [`--gres=${o.gres}`] : []),
      ...(o.time ? [`--time=${o.time}`] : []),
      ...(o.cpusPerTask ? [`--cpus-per-task=${o.cpusPerTask}`] : []),
    ];
  }

  override async launch(spec: JobSpec): Promise<JobHandle> {
    const { root, dir, python, pkg } = await this.stage(spec);
    const o = { ...this.slurmDefaults, ...spec.slurm };
    const out = await this.sh(
      scripts.SBATCH,
      [
        this.slurmConf,
        root,
        dir,
        python,
        pkg,
        this.opts.minFreeKiB,
        this.specB64(spec),
        o.signalBeforeEndS ?? 120,
        ...this.sbatchOptions(o),
      ],
      `submitting ${spec.jobId}`,
    );
    const m = /^(RUNNING|STARTED) (\d+)/m.exec(out.toString());
    if (!m) throw new RemoteError("slurm", this.host, `submitting ${spec.jobId}: unexpected reply ${out.toString()}`);
    return {
      backend: "slurm",
      host: this.host,
      jobId: spec.jobId,
      dir: `${root}/${dir}`,
      slurmJobId: m[2]!,
      launchedAt: new Date().toISOString(),
    };
  }

  private async slurmState(id: string): Promise<string> {
    const out = await this.sh(scripts.SLURM_STATE, [this.slurmConf, id], `asking Slurm about job ${id}`);
    return /^STATE ?(.*)$/m.exec(out.toString())?.[1]?.trim() ?? "";
  }

  override async poll(handle: JobHandle): Promise<JobPoll> {
    if (!handle.slurmJobId) throw new RemoteError("bad-spec", this.host, `${handle.jobId} has no Slurm job id`);
    const facts = await this.inspect(handle);
    if (facts.exitCode !== undefined) return this.judge(facts, false);
    const state = await this.slurmState(handle.slurmJobId);
    if (QUEUED.has(state)) return { state: "queued", ...(facts.status ? { status: facts.status } : {}) };
    if (RUNNING.has(state)) return this.judge(facts, true);
    // The job may have ended between the two looks: read its folder again now that Slurm says it is over.
    const judged = this.judge(await this.inspect(handle), false);
    if (judged.state !== "lost") return judged;
    return {
      ...judged,
      reason: `Slurm job ${handle.slurmJobId} is ${state || "no longer known to Slurm"} and left no exit code. ${judged.reason ?? ""}`,
    };
  }

  override async cancel(handle: JobHandle): Promise<void> {
    const out = await this.sh(
      scripts.SCANCEL,
      [this.slurmConf, await this.root(), jobDir(handle.jobId), this.opts.cancelGraceS],
      `cancelling ${handle.jobId}`,
    );
    const state = /^STATE ?(.*)$/m.exec(out.toString())?.[1]?.trim() ?? "";
    if (QUEUED.has(state) || RUNNING.has(state))
      throw new RemoteError("slurm", this.host, `cancelling ${handle.jobId}: Slurm job still ${state}`);
  }
}
