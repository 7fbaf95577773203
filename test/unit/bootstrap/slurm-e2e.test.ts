/**
 * A bootstrap run on the Slurm backend through the same phase machine as ssh,
 * all parts real: a private one-node cluster on loopback (test/support/slurm.ts:
 * munged, slurmctld, slurmd), reached through a real sshd login host, the real
 * remote venv and TRL, a tiny Qwen3 model, local judging in the embedded engine.
 *
 * Lean on purpose (CI has 2 cores): one iteration, two problems per family
 * (one seed-solved, one to solve), one short sample each, four train steps. It checks that every
 * remote phase went through sbatch (Slurm's own job log lists each job), the
 * seed's folder layout and the report; then that Stop during training scancels
 * the job and leaves nothing queued or running. The ssh e2e (e2e.test.ts)
 * covers learning, faults and resume; the Slurm transport tests cover
 * preemption and requeue.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { RunConfigInput } from "../../../server/src/bootstrap/config";
import { createRun, requestStop } from "../../../server/src/bootstrap/control";
import { runBootstrap } from "../../../server/src/bootstrap/loop";
import { openTransport } from "../../../server/src/bootstrap/transport";
import { removeRemoteRun, type TinyBootstrap, tinyBootstrap } from "../../support/bootstrap-fixture";
import { type Slurm, startSlurm } from "../../support/slurm";

const ROOT = resolve(__dirname, "../../..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface JobState {
  handle?: { backend: string; slurmJobId?: string; dir: string };
  launches: number;
}

describe("bootstrap on Slurm (real slurmctld + slurmd + munged, real sshd, real TRL)", function () {
  this.timeout(1_200_000);
  let root: string;
  let slurm: Slurm;
  let fixture: TinyBootstrap;
  const runs: string[] = [];

  const state = (run: string) =>
    JSON.parse(readFileSync(join(run, "state.json"), "utf8")) as {
      runId: string;
      status: string;
      phases: Record<string, { status: string; job?: JobState }>;
    };
  /** Jobs the private cluster still has queued or running ("id state" lines). */
  const squeue = (): string =>
    execFileSync("squeue", ["-h", "-o", "%i %T"], {
      env: { ...process.env, SLURM_CONF: slurm.conf },
      encoding: "utf8",
    }).trim();
  /** Pids on this machine (the loopback node) whose working folder is dir. */
  const processesIn = (dir: string): string[] =>
    readdirSync("/proc").filter((pid) => {
      try {
        return /^\d+$/.test(pid) && readlinkSync(`/proc/${pid}/cwd`) === dir;
      } catch {
        return false; // gone, or not ours to read
      }
    });
  async function noJobsLeft(): Promise<void> {
    // A job that just ended may show as COMPLETING for a moment.
    for (let i = 0; i < 50 && squeue() !== ""; i++) await sleep(200);
    assert.equal(squeue(), "", "no Slurm job left");
  }
  const start = (name: string, over: Partial<RunConfigInput>) => {
    const { dir, config } = createRun(
      join(root, name),
      {
        ...fixture.config,
        backend: "slurm",
        slurmConf: slurm.conf,
        slurm: { signalBeforeEndS: 60 },
        maxIterations: 1,
        trainSteps: 4,
        saveSteps: 4,
        // One short sample per problem: the phases' wiring is under test here, not what the model learns.
        samples: 1,
        evalSamples: 1,
        maxNewTokens: 8,
        ...over,
      },
      { exactDir: true },
    );
    runs.push(dir);
    const transport = openTransport(config);
    const done = runBootstrap(dir, { transport, promptsDir: join(ROOT, "prompts") }).finally(() => transport.close());
    return { dir, done };
  };

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "qds-bslurm-"));
    slurm = await startSlurm();
    fixture = await tinyBootstrap(root, ROOT, 2);
  });

  after(async () => {
    for (const run of runs) if (existsSync(join(run, "state.json"))) removeRemoteRun(state(run).runId);
    await fixture?.cleanup();
    await slurm?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("one iteration: every remote phase is a Slurm job; the seed's layout and report; no job left", async () => {
    const { dir, done } = start("one", {});
    const status = await done;
    assert.equal(status, "succeeded", readFileSync(join(dir, "bootstrap.log"), "utf8").slice(-3000));
    for (const f of ["config.json", "bootstrap.log", "final_report.json", "split.json", "events.jsonl"])
      assert.ok(existsSync(join(dir, f)), f);
    for (const f of ["solved_problems", "evaluation", "model", "metadata.json", "dataset_stats.json"])
      assert.ok(existsSync(join(dir, "iteration_1", f)), `iteration_1/${f}`);
    assert.ok(
      existsSync(join(dir, "iteration_1", "model", "model", "model.safetensors")),
      "the trained weights came back",
    );

    // solve, train, evaluate (trained) and the base evaluation each ran as a job Slurm itself records.
    const jobs = Object.entries(state(dir).phases).filter(([, p]) => p.job !== undefined);
    assert.deepEqual(jobs.map(([k]) => k).sort(), ["0/evaluate-base", "1/evaluate", "1/solve", "1/train"]);
    const completed = readFileSync(join(slurm.dir, "jobcomp.txt"), "utf8");
    for (const [key, p] of jobs) {
      assert.equal(p.job!.handle?.backend, "slurm", key);
      const id = p.job!.handle?.slurmJobId ?? "";
      assert.match(completed, new RegExp(`JobId=${id} .*JobState=COMPLETED`), `${key}: Slurm job ${id} completed`);
    }

    const report = JSON.parse(readFileSync(join(dir, "final_report.json"), "utf8"));
    assert.equal(report.status, "succeeded");
    assert.match(report.end_reason, /iteration limit \(1\)/);
    assert.equal(report.iterations.length, 1);
    const it = report.iterations[0];
    // 6 families x 2 variants, 20% of each group held out: 5 seed-solved and 5 unsolved training problems.
    const split = JSON.parse(readFileSync(join(dir, "split.json"), "utf8"));
    assert.deepEqual([split.train.length, split.seedSolved.length, split.eval.length], [10, 5, 2]);
    assert.equal(it.solved.attempted, 5, "every unsolved training problem was attempted");
    assert.equal(it.solved.total, 5 + it.solved.new.length);
    assert.equal(it.train.steps, 4);
    assert.equal(it.evaluation.base["pass@1"].value, 0, "random weights solve nothing");
    assert.equal(typeof it.evaluation.trained["pass@1"].value, "number");
    assert.equal(it.evaluation.diff["pass@1"].ci.length, 2);
    for (const phase of ["solve", "train", "evaluate"]) {
      assert.equal(it.phases[phase].launches, 1, phase);
      assert.equal(it.phases[phase].device, "cpu", phase);
      assert.ok(it.phases[phase].compute_s > 0, phase);
    }
    await noJobsLeft();
  });

  it("Stop during training scancels the Slurm job: the run is stopped, nothing queued, no process left", async () => {
    const { dir, done } = start("stop", { trainSteps: 100_000, saveSteps: 100_000 });
    const deadline = Date.now() + 600_000;
    for (;;) {
      let p: { phase?: string; step?: number } = {};
      try {
        p = JSON.parse(readFileSync(join(dir, "progress.json"), "utf8"));
      } catch {
        // not written yet
      }
      if (p.phase === "train" && (p.step ?? 0) >= 1) break;
      assert.ok(Date.now() < deadline, `training never started: ${JSON.stringify(p)}`);
      await sleep(200);
    }
    const job = state(dir).phases["1/train"]!.job!.handle!;
    assert.match(squeue(), new RegExp(`^${job.slurmJobId} RUNNING$`, "m"));
    requestStop(dir);
    assert.equal(await done, "stopped");
    assert.equal(state(dir).phases["1/train"]!.status, "cancelled");
    assert.match(readFileSync(join(dir, "bootstrap.log"), "utf8"), /stop: cancelling/);
    await noJobsLeft();
    assert.deepEqual(processesIn(job.dir), [], "no process in the job's folder");
  });
});
