/**
 * The Slurm transport against a private one-node Slurm cluster on loopback
 * (test/support/slurm.ts: real munged, slurmctld, slurmd) reached through a
 * real sshd login host, running real TRL training jobs in the real venv.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { join } from "node:path";
import { SlurmTransport } from "../../../../server/src/bootstrap/remote/slurm";
import type { JobHandle, JobPoll, TrainArgs } from "../../../../server/src/bootstrap/remote/types";
import { buildTinyFixture, runPrefix, TEST_ROOT } from "../../../support/remote-fixture";
import { type Slurm, startSlurm } from "../../../support/slurm";
import { type Sshd, startSshd } from "../../../support/sshd";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Pids on this machine whose working folder is dir. */
function processesIn(dir: string): string[] {
  return readdirSync("/proc").filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      return readlinkSync(`/proc/${pid}/cwd`) === dir;
    } catch {
      return false; // gone, or not ours to read
    }
  });
}

/** A process's command line ("" once it is gone). */
function cmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
}

describe("bootstrap/remote slurm transport (real slurmctld + slurmd + munged, real sshd)", function () {
  this.timeout(900_000);
  let sshd: Sshd;
  let slurm: Slurm;
  let t: SlurmTransport;
  let prefix: string;
  let fixture: ReturnType<typeof buildTinyFixture>;
  const args = (over: Partial<TrainArgs> = {}): TrainArgs => ({
    base_model: `models/${prefix}/tiny`,
    train_file: `jobs/${prefix}/inputs/train.jsonl`,
    method: "full",
    learning_rate: 3e-3,
    per_device_batch_size: 20,
    max_steps: 20,
    save_steps: 10,
    allow_cpu: true,
    ...over,
  });
  async function waitFor(h: JobHandle, done: (p: JobPoll) => boolean, ms = 400_000): Promise<JobPoll> {
    const deadline = Date.now() + ms;
    for (;;) {
      const p = await t.poll(h);
      if (done(p)) return p;
      if (Date.now() > deadline) throw new Error(`timed out; last poll ${JSON.stringify(p)}`);
      await sleep(300);
    }
  }

  before(async () => {
    slurm = await startSlurm();
    sshd = await startSshd({ alias: "qds-slurm-login" });
    t = new SlurmTransport(sshd.host, {
      root: TEST_ROOT,
      sshConfigFile: sshd.configFile,
      slurmConf: slurm.conf,
      minFreeKiB: 1024,
      slurm: { signalBeforeEndS: 60 },
    });
    prefix = runPrefix();
    const env = await t.prepare();
    fixture = buildTinyFixture(env.python);
    await t.upload(fixture.model, `models/${prefix}/tiny`);
    await t.upload(fixture.inputs, `jobs/${prefix}/inputs`);
  });

  after(async () => {
    await t?.close();
    await sshd?.stop();
    await slurm?.stop();
    rmSync(join(TEST_ROOT, "jobs", prefix), { recursive: true, force: true });
    rmSync(join(TEST_ROOT, "models", prefix), { recursive: true, force: true });
    if (fixture) rmSync(fixture.dir, { recursive: true, force: true });
  });

  it("sbatch runs a training job to the end; a second launch while it is active does not submit again", async () => {
    const spec = { jobId: `${prefix}/train`, kind: "train" as const, args: args() };
    const h = await t.launch(spec);
    assert.match(h.slurmJobId ?? "", /^\d+$/);
    const again = await t.launch(spec);
    assert.equal(again.slurmJobId, h.slurmJobId);
    const end = await waitFor(h, (p) => p.state !== "queued" && p.state !== "running");
    assert.equal(end.state, "succeeded", end.reason);
    const events = (await t.readEvents(h, 0)).events;
    assert.equal(events.filter((e) => e.phase === "train").length, 20);
    assert.equal(events.at(-1)?.phase, "done");
  });

  it("a preemption notice (USR1 to the batch script) while Python is still starting checkpoints, requeues, and the job resumes to the end", async () => {
    const h = await t.launch({
      jobId: `${prefix}/preempt`,
      kind: "train",
      args: args({ max_steps: 60, save_steps: 1000 }),
    });
    // A notice can come before Python could install a handler of its own; bash would die of
    // USR1 before its trap exists. So the trap must be the batch script's first command, and the
    // notice must not need Python at all (it becomes the preempt file; remote/tests checks the
    // trainer honours a file that is there before it starts). The few milliseconds before
    // Python's own start-up cannot be hit on purpose from here, so the notice is sent as soon
    // as Python runs: seconds before its first training step (it is still importing torch).
    const script = readFileSync(join(h.dir, "job.sbatch"), "utf8").split("\n");
    assert.equal(script[1], "trap 'touch preempt' USR1", "the USR1 trap comes first");
    const deadline = Date.now() + 400_000;
    while (!processesIn(h.dir).some((pid) => cmdline(pid).includes("qds_remote.run"))) {
      assert.ok(Date.now() < deadline, "the job's python never started");
      await sleep(10);
    }
    assert.ok(
      !(await t.readEvents(h, 0)).events.some((e) => e.phase === "train"),
      "signalled before any training step",
    );
    // What Slurm does --signal=B:USR1@N seconds before a time limit or a preemption.
    execFileSync("scancel", ["--signal=USR1", "--batch", h.slurmJobId!], {
      env: { ...process.env, SLURM_CONF: slurm.conf },
    });
    const end = await waitFor(h, (p) => p.state !== "queued" && p.state !== "running", 600_000);
    assert.equal(end.state, "succeeded", end.reason);
    const events = (await t.readEvents(h, 0)).events;
    const saved = events.find((e) => e.phase === "checkpoint" && /preempted/.test(e.message ?? ""));
    assert.ok(saved, "the first attempt wrote a checkpoint and said why");
    const resume = events.find((e) => e.phase === "load" && e.checkpoint && e.attempt === 2);
    assert.ok(resume, "the requeued attempt resumed from the checkpoint");
    const steps = events.filter((e) => e.phase === "train").map((e) => e.step);
    assert.deepEqual(
      steps,
      Array.from({ length: 60 }, (_, i) => i + 1),
      "each step trained exactly once",
    );
  });

  it("scancel through cancel() stops the job and leaves no process", async () => {
    const h = await t.launch({ jobId: `${prefix}/cancel`, kind: "train", args: args({ max_steps: 100_000 }) });
    const deadline = Date.now() + 400_000;
    while (!(await t.readEvents(h, 0)).events.some((e) => e.phase === "train")) {
      assert.ok(Date.now() < deadline, "no training step in time");
      await sleep(300);
    }
    await t.cancel(h);
    const p = await t.poll(h);
    assert.equal(p.state, "cancelled", JSON.stringify(p));
    // The loopback node is this machine: no process may still run in the job's folder.
    assert.deepEqual(processesIn(h.dir), []);
  });
});
