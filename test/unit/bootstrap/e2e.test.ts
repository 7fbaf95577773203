/**
 * Bootstrap runs end to end, all parts real: the `qds` CLI bundled and run as
 * processes, a real OpenSSH server on loopback (test/support/sshd.ts), the
 * real remote venv (torch CPU, transformers, TRL), a tiny Qwen3 model with a
 * tokenizer trained here, and local judging in the embedded engine.
 *
 * The dataset (test/support/bootstrap-dataset.ts) is made for a tiny model:
 * families of problems whose variants share a solution. The base model (random
 * weights) solves nothing; the model trained on the seed-solved variants
 * solves held-out ones, and in iteration 2 solves training problems it could
 * not before.
 *
 * The second run is the first run's twin with faults injected: `qds` killed
 * -9 mid-iteration (then `qds bootstrap attach` resumes it), the ssh
 * connection dropped mid-training (sshd frozen and its sessions killed for a
 * few seconds), the remote trainer's process group killed (relaunched from its
 * last checkpoint). Its final report must equal the clean run's (timings and
 * attempt counts aside), and no finished phase may run twice.
 *
 * Slow on a loaded 2-core machine (minutes): one torch thread, 80 steps.
 */
import { strict as assert } from "node:assert";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { readEvents } from "../../../server/src/bootstrap/state";
import { removeRemoteRun, type TinyBootstrap, tinyBootstrap } from "../../support/bootstrap-fixture";
import { bundleNode } from "../../support/bundle";
import { TEST_ROOT } from "../../support/remote-fixture";

const ROOT = resolve(__dirname, "../../..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Progress {
  iteration: number;
  phase?: string;
  step?: number;
  done?: number;
  status: string;
}

/** The report with what legitimately differs between two runs of the same config removed. */
function comparable(report: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(report), (key, value) =>
    key === "run_id" ||
    key.endsWith("_s") ||
    key === "attempts" ||
    key === "launches" ||
    key === "phases" ||
    key === "totals"
      ? undefined
      : value,
  );
}

describe("bootstrap end to end (real sshd, real TRL, tiny model)", function () {
  this.timeout(3_600_000);
  let root: string;
  let cli: string;
  let config: string;
  let fixture: TinyBootstrap;
  const children: ChildProcess[] = [];

  const qds = (args: string[], out: string): ChildProcess => {
    const child = spawn("node", [cli, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: process.env["PATH"] ?? "", HOME: homedir() },
    });
    let text = "";
    child.stdout?.on("data", (d: Buffer) => {
      text += d.toString();
      writeFileSync(out, text);
    });
    child.stderr?.on("data", (d: Buffer) => {
      text += d.toString();
      writeFileSync(out, text);
    });
    children.push(child);
    return child;
  };
  const exited = (c: ChildProcess): Promise<number> =>
    c.exitCode !== null ? Promise.resolve(c.exitCode) : new Promise((r) => c.once("exit", (code) => r(code ?? -1)));
  const progress = (run: string): Progress | undefined => {
    try {
      return JSON.parse(readFileSync(join(run, "progress.json"), "utf8")) as Progress;
    } catch {
      return undefined;
    }
  };
  const state = (run: string) => JSON.parse(readFileSync(join(run, "state.json"), "utf8"));
  async function until(what: string, run: string, ok: (p: Progress) => boolean, ms = 1_200_000): Promise<Progress> {
    const end = Date.now() + ms;
    for (;;) {
      const p = progress(run);
      if (p !== undefined && ok(p)) return p;
      if (p?.status === "failed" || Date.now() > end)
        throw new Error(
          `waiting for ${what}: ${JSON.stringify(p)}\n${readFileSync(join(run, "bootstrap.log"), "utf8").slice(-2000)}`,
        );
      await sleep(200);
    }
  }

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "qds-b2e-"));
    fixture = await tinyBootstrap(root);
    // The CLI as dist/ lays it out, with prompts/ and remote/ found above it as in the packaged extension.
    const bin = join(root, "app", "dist");
    await bundleNode(
      [
        ["server/src/cli/main.ts", "cli.js"],
        ["server/src/q/worker.ts", "qworker.js"],
      ],
      bin,
    );
    symlinkSync(join(ROOT, "prompts"), join(root, "app", "prompts"));
    symlinkSync(join(ROOT, "remote"), join(root, "app", "remote"));
    cli = join(bin, "cli.js");
    config = join(root, "config.json");
    writeFileSync(config, JSON.stringify(fixture.config));
  });

  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    for (const run of ["clean", "faults"]) {
      const dir = join(root, run);
      if (!existsSync(join(dir, "state.json"))) continue;
      // A background controller started by attach: stop it by the pid in the run's lock.
      const lock = join(dir, "controller.lock");
      if (existsSync(lock)) {
        try {
          process.kill(Number(readFileSync(lock, "utf8").split(" ")[0]), "SIGKILL");
        } catch {
          // already gone
        }
      }
      removeRemoteRun(state(dir).runId);
    }
    await fixture?.cleanup();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  let cleanReport: Record<string, unknown>;

  it("two iterations: the seed's layout and report, trained beats base, more problems solved", async () => {
    const run = join(root, "clean");
    const c = qds(["bootstrap", "start", "--config", config, "--run-dir", run], join(root, "clean.out"));
    const code = await exited(c);
    assert.equal(code, 0, readFileSync(join(root, "clean.out"), "utf8").slice(-3000));
    for (const f of ["config.json", "bootstrap.log", "final_report.json", "split.json", "events.jsonl"])
      assert.ok(existsSync(join(run, f)), f);
    for (const it of [1, 2])
      for (const f of ["solved_problems", "evaluation", "model", "metadata.json", "dataset_stats.json"])
        assert.ok(existsSync(join(run, `iteration_${it}`, f)), `iteration_${it}/${f}`);
    assert.ok(
      existsSync(join(run, "iteration_1", "model", "model", "model.safetensors")),
      "the trained weights came back",
    );
    cleanReport = JSON.parse(readFileSync(join(run, "final_report.json"), "utf8"));
    const its = cleanReport["iterations"] as {
      solved: { new: string[]; total: number };
      evaluation: {
        base: Record<string, { value: number }>;
        trained: Record<string, { value: number }>;
        diff: Record<string, { value: number; ci: number[] }>;
      };
    }[];
    assert.equal(cleanReport["status"], "succeeded");
    assert.equal(its.length, 2);
    const last = its[1]!.evaluation;
    assert.equal(last.base["pass@1"]!.value, 0, "random weights solve nothing");
    assert.ok(last.trained["pass@1"]!.value > last.base["pass@1"]!.value, JSON.stringify(last));
    assert.ok(last.diff["pass@1"]!.ci[0]! > 0, `difference interval excludes 0: ${JSON.stringify(last.diff)}`);
    assert.ok(
      its[1]!.solved.total > its[0]!.solved.total,
      `iteration 2 solved more: ${JSON.stringify(its.map((i) => i.solved))}`,
    );
    // Every solved problem's sol.q is generated code that passed the judge, not the dataset's own.
    for (const name of its[1]!.solved.new) assert.ok(!existsSync(join(root, "dataset", name, "sol.q")));
    console.log(
      `      pass@1 base ${last.base["pass@1"]!.value.toFixed(3)} → trained ${last.trained["pass@1"]!.value.toFixed(3)}; solved ${its.map((i) => i.solved.total).join(" → ")}; wall ${its.map((i) => (i as unknown as { wall_s: number }).wall_s.toFixed(0)).join(", ")} s`,
    );
  });

  it("kill -9 mid-iteration, a dropped connection mid-training, a killed trainer: same report, nothing redone", async function () {
    if (cleanReport === undefined) this.skip();
    const run = join(root, "faults");
    const first = qds(["bootstrap", "start", "--config", config, "--run-dir", run], join(root, "faults-1.out"));
    // 1. kill -9 the controller while iteration 1 generates solutions (a remote job in flight).
    await until("it1 solve running", run, (p) => p.iteration === 1 && p.phase === "solve" && (p.done ?? 0) > 0);
    first.kill("SIGKILL");
    await exited(first);
    // 2. attach: no controller is alive, so it starts one that recovers the run.
    const attach = qds(["bootstrap", "attach", run], join(root, "faults-2.out"));
    // 3. drop the connection mid-training: freeze sshd and kill its sessions (ControlMaster included).
    await until("it1 train stepping", run, (p) => p.iteration === 1 && p.phase === "train" && (p.step ?? 0) >= 5);
    const sshdPid = Number(readFileSync(join(fixture.sshd.dir, "sshd.pid"), "utf8"));
    process.kill(sshdPid, "SIGSTOP");
    try {
      for (const pid of execFileSync("pgrep", ["-P", String(sshdPid)], { encoding: "utf8" })
        .trim()
        .split("\n")
        .filter(Boolean))
        process.kill(Number(pid), "SIGKILL");
    } catch {
      // no sessions at that instant
    }
    await sleep(6000);
    process.kill(sshdPid, "SIGCONT");
    // 4. kill the remote trainer of iteration 2 after its first checkpoint.
    await until(
      "it2 train past a checkpoint",
      run,
      (p) => p.iteration === 2 && p.phase === "train" && (p.step ?? 0) >= 25,
    );
    const pid = state(run).phases["2/train"].job.handle.pid as number;
    process.kill(-pid, "SIGKILL");
    const code = await exited(attach);
    assert.equal(code, 0, readFileSync(join(root, "faults-2.out"), "utf8").slice(-3000));

    const log = readFileSync(join(run, "bootstrap.log"), "utf8");
    assert.match(log, /connection lost/);
    assert.match(log, /job (running|succeeded): reattached/);
    assert.match(log, /relaunched from its last checkpoint/);
    const s = state(run);
    assert.equal(
      s.phases["1/solve"].job.launches,
      1,
      "kill -9 then resume: the solve job was reattached, not relaunched",
    );
    assert.equal(s.phases["1/train"].job.launches, 1, "dropped connection: no duplicate training job");
    assert.equal(s.phases["2/train"].job.launches, 2, "killed trainer: relaunched once");
    const it2Events = readFileSync(join(TEST_ROOT, "jobs", s.runId, "it2-train", "events.jsonl"), "utf8");
    // The relaunch resumed from a checkpoint (the job names it in its start or load event).
    assert.match(it2Events, /"attempt": ?2[^\n]*"checkpoint": ?"checkpoints\/checkpoint-/);
    // Nothing finished ran twice: each phase reached succeeded exactly once.
    const done = readEvents(run)
      .filter((e) => e.to === "succeeded")
      .map((e) => e.key);
    assert.deepEqual(done, [...new Set(done)]);
    const report = JSON.parse(readFileSync(join(run, "final_report.json"), "utf8"));
    assert.deepEqual(comparable(report), comparable(cleanReport));
  });
});
