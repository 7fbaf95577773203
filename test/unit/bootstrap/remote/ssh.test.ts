/**
 * The ssh transport against a real OpenSSH server on loopback (test/support/sshd.ts)
 * running real training jobs (TRL on a tiny Qwen3 model, CPU) in the real venv.
 * The "host" is this machine, so the tests may look at its processes and
 * files directly to check what the transport claims (no process left, …).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SshTransport } from "../../../../server/src/bootstrap/remote/ssh";
import {
  type JobEvent,
  type JobHandle,
  type JobPoll,
  type JobSpec,
  type RemoteEnv,
  RemoteError,
  type TrainArgs,
} from "../../../../server/src/bootstrap/remote/types";
import { onProcessStart, type ProcessStart } from "../../../../server/src/proc/process";
import { buildTinyFixture, runPrefix, TEST_ROOT } from "../../../support/remote-fixture";
import { type Sshd, startSshd } from "../../../support/sshd";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(t: SshTransport, h: JobHandle, done: (p: JobPoll) => boolean, ms = 300_000): Promise<JobPoll> {
  const deadline = Date.now() + ms;
  for (;;) {
    const p = await t.poll(h);
    if (done(p)) return p;
    if (Date.now() > deadline) throw new Error(`timed out; last poll ${JSON.stringify(p)}`);
    await sleep(300);
  }
}

async function allEvents(t: SshTransport, h: JobHandle): Promise<JobEvent[]> {
  return (await t.readEvents(h, 0)).events;
}

/** Processes on this machine (the loopback host) in the job's process group. */
function groupProcesses(pgid: number): string[] {
  try {
    return execFileSync("pgrep", ["-g", String(pgid)], { encoding: "utf8" })
      .trim()
      .split("\n")
      .filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe("bootstrap/remote ssh transport (real sshd, real TRL jobs)", function () {
  this.timeout(900_000);
  let sshd: Sshd;
  let t: SshTransport;
  let env: RemoteEnv;
  let prefix: string;
  let fixture: ReturnType<typeof buildTinyFixture>;
  const trainArgs = (over: Partial<TrainArgs> = {}): TrainArgs => ({
    base_model: `models/${prefix}/tiny`,
    train_file: `jobs/${prefix}/inputs/train.jsonl`,
    method: "full",
    learning_rate: 3e-3,
    per_device_batch_size: 20,
    max_steps: 30,
    save_steps: 10,
    allow_cpu: true,
    ...over,
  });

  before(async () => {
    sshd = await startSshd();
    t = new SshTransport(sshd.host, { root: TEST_ROOT, sshConfigFile: sshd.configFile, minFreeKiB: 1024 });
    prefix = runPrefix();
    const started = Date.now();
    env = await t.prepare();
    console.log(`    prepare(): ${((Date.now() - started) / 1000).toFixed(1)} s, venv cached: ${env.cached}`);
    // Loopback: the host's venv python is on this machine, so the model is built here and uploaded.
    fixture = buildTinyFixture(env.python);
    await t.upload(fixture.model, `models/${prefix}/tiny`);
    await t.upload(fixture.inputs, `jobs/${prefix}/inputs`);
  });

  after(async () => {
    await t?.close();
    await sshd?.stop();
    rmSync(join(TEST_ROOT, "jobs", prefix), { recursive: true, force: true });
    rmSync(join(TEST_ROOT, "models", prefix), { recursive: true, force: true });
    if (fixture) rmSync(fixture.dir, { recursive: true, force: true });
  });

  it("no API key reaches the host even when ssh forwards every variable; ssh runs in batch mode with the user's config", async () => {
    // The user's config asks ssh to forward everything (SendEnv *) and the server accepts everything.
    const config = join(sshd.dir, "ssh_config_sendenv");
    writeFileSync(config, readFileSync(sshd.configFile, "utf8").replace(/^Host (.*)$/gm, "Host $1\n  SendEnv *"));
    class Probe extends SshTransport {
      remoteEnv = async () => (await this.sh("env", [], "reading the remote environment")).toString();
    }
    const probe = new Probe(sshd.host, { root: TEST_ROOT, sshConfigFile: config });
    const planted = {
      OPENAI_API_KEY: "sk-planted-openai-0123",
      HF_TOKEN: "planted-hf-token",
      LC_QDS_PROBE: "forwarded",
    };
    const saved = { ...process.env };
    const starts: ProcessStart[] = [];
    const stop = onProcessStart((s) => starts.push(s));
    try {
      Object.assign(process.env, planted);
      const remote = await probe.remoteEnv();
      // The channel works (a locale variable arrives), so the keys' absence is the transport's doing.
      assert.match(remote, /^LC_QDS_PROBE=forwarded$/m);
      for (const [k, v] of Object.entries(planted).slice(0, 2)) {
        assert.ok(!remote.includes(k) && !remote.includes(v), `${k} reached the host`);
      }
    } finally {
      stop();
      process.env = saved;
      await probe.close();
    }
    const ssh = starts.filter((s) => s.command === "ssh");
    assert.ok(ssh.length >= 2, "the master and the command");
    for (const s of ssh) {
      assert.ok(s.args.includes("BatchMode=yes"), s.args.join(" "));
      assert.equal(s.args[s.args.indexOf("-F") + 1], config);
    }
  });

  it("checkHost reports python, no GPU with nvidia-smi's reason, and free disk", async () => {
    const r = await t.checkHost();
    assert.match(r.python.version, /^3\.\d+\.\d+$/);
    assert.deepEqual(r.gpus, []);
    assert.match(r.gpu_error ?? "", /nvidia-smi/);
    assert.ok(r.disk.free_bytes > 0 && r.disk.path.startsWith(TEST_ROOT));
    assert.equal(r.packages.vllm, null);
  });

  it("a second prepare() reuses the venv named by the requirements hash", async () => {
    const again = await new SshTransport(sshd.host, { root: TEST_ROOT, sshConfigFile: sshd.configFile }).prepare();
    assert.equal(again.hash, env.hash);
    assert.equal(again.cached, true);
    assert.ok(again.seconds < 5, `cached prepare took ${again.seconds} s`);
  });

  it("a training job on a GPU-less host fails naming no-gpu unless the run allows the CPU", async () => {
    const h = await t.launch({ jobId: `${prefix}/nogpu`, kind: "train", args: trainArgs({ allow_cpu: false }) });
    const p = await waitFor(t, h, (x) => x.state !== "running");
    assert.equal(p.state, "failed");
    assert.match(p.reason ?? "", /^no-gpu: no GPU visible/);
  });

  it("a job survives the ssh connection's death; reattach streams from an offset without duplicates", async () => {
    const spec: JobSpec = { jobId: `${prefix}/detach`, kind: "train", args: trainArgs({ max_steps: 30 }) };
    const h = await t.launch(spec);
    assert.ok(h.pid && h.pidStart);
    // First client reads what exists so far, then its connection is torn down.
    await waitFor(t, h, () => true, 1);
    let offset = 0;
    const seen: JobEvent[] = [];
    const first = await t.readEvents(h, offset);
    seen.push(...first.events);
    offset = first.offset;
    await t.close();
    t = new SshTransport(sshd.host, { root: TEST_ROOT, sshConfigFile: sshd.configFile, minFreeKiB: 1024 });
    // A second launch of the same spec while it runs returns the live job, not a duplicate.
    const again = await t.launch(spec);
    const running = await t.poll(h);
    if (running.state === "running") assert.equal(again.pid, h.pid);
    const end = await waitFor(t, h, (p) => p.state !== "running");
    assert.equal(end.state, "succeeded", end.reason);
    for (;;) {
      const chunk = await t.readEvents(h, offset);
      if (chunk.events.length === 0) break;
      seen.push(...chunk.events);
      offset = chunk.offset;
    }
    assert.deepEqual(
      seen.map((e) => e.seq),
      seen.map((_, i) => i),
      "every event once, in order",
    );
    assert.equal(seen.at(-1)?.phase, "done");
    assert.equal(seen.filter((e) => e.phase === "start").length, 1, "one process started");
    assert.equal(seen.filter((e) => e.phase === "train").length, 30);
  });

  it("a killed trainer is reported lost and a relaunch resumes from its last checkpoint", async () => {
    const spec: JobSpec = {
      jobId: `${prefix}/lost`,
      kind: "train",
      args: trainArgs({ max_steps: 30, save_steps: 10 }),
    };
    const h = await t.launch(spec);
    const deadline = Date.now() + 300_000;
    while (!(await allEvents(t, h)).some((e) => e.phase === "checkpoint")) {
      assert.ok(Date.now() < deadline, "no checkpoint in time");
      await sleep(200);
    }
    // Kill the job's whole process group with SIGKILL, as an OOM killer or a reboot would.
    execFileSync("kill", ["-KILL", "--", `-${h.pid}`]);
    const lost = await waitFor(t, h, (p) => p.state !== "running", 30_000);
    assert.equal(lost.state, "lost", JSON.stringify(lost));
    assert.match(lost.reason ?? "", /process is gone/);

    const h2 = await t.launch(spec);
    assert.notEqual(h2.pid, h.pid);
    const done = await waitFor(t, h2, (p) => p.state !== "running");
    assert.equal(done.state, "succeeded", done.reason);
    const events = await allEvents(t, h2);
    const resume = events.find((e) => e.phase === "load" && e.checkpoint);
    assert.ok(resume, "the second attempt resumed from a checkpoint");
    assert.equal(resume.attempt, 2);
    assert.match(resume.checkpoint ?? "", /^checkpoints\/checkpoint-(10|20)$/);
    const resumedAt = Number(resume.checkpoint?.split("-").pop());
    const secondSteps = events.filter((e) => e.attempt === 2 && e.phase === "train").map((e) => e.step);
    assert.equal(secondSteps[0], resumedAt + 1, "training went on after the checkpoint, not from step 1");

    // Only the final weights come back, checksummed; a second fetch moves nothing.
    const local = join(fixture.dir, "fetched");
    const got = await t.fetchOutput(h2, local);
    assert.deepEqual(readdirSync(local), ["model"]);
    assert.ok(got.files >= 3 && got.bytes > 100_000, JSON.stringify(got));
    const again = await t.fetchOutput(h2, local);
    assert.equal(again.files, 0);
  });

  it("cancel stops a running job and leaves no process on the host", async () => {
    const h = await t.launch({
      jobId: `${prefix}/cancel`,
      kind: "train",
      args: trainArgs({ max_steps: 100_000, save_steps: 100_000 }),
    });
    const deadline = Date.now() + 300_000;
    while (!(await allEvents(t, h)).some((e) => e.phase === "train")) {
      assert.ok(Date.now() < deadline, "no training step in time");
      await sleep(200);
    }
    assert.ok(groupProcesses(h.pid!).length > 0);
    await t.cancel(h);
    assert.deepEqual(groupProcesses(h.pid!), []);
    const p = await t.poll(h);
    assert.equal(p.state, "cancelled");
  });

  it("uploads are incremental and checksummed: unchanged files do not travel, a changed byte does", async () => {
    const dir = join(fixture.dir, "up");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "a.txt"), "one");
    writeFileSync(join(dir, "b.txt"), "two");
    assert.equal((await t.upload(dir, `jobs/${prefix}/up`)).files, 2);
    assert.equal((await t.upload(dir, `jobs/${prefix}/up`)).files, 0);
    writeFileSync(join(dir, "b.txt"), "twO"); // same size; content differs
    assert.equal((await t.upload(dir, `jobs/${prefix}/up`)).files, 1);
  });
});

describe("bootstrap/remote ssh transport: hosts that cannot run a job", function () {
  this.timeout(120_000);
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("an unreachable host is one clear error naming the refusal", async () => {
    const sshd = await startSshd();
    cleanups.push(() => sshd.stop());
    const t = new SshTransport(sshd.unreachableHost, { sshConfigFile: sshd.configFile, connectTimeoutS: 5 });
    cleanups.push(() => t.close());
    await assert.rejects(t.checkHost(), (e: unknown) => {
      assert.ok(e instanceof RemoteError);
      assert.equal(e.code, "unreachable");
      assert.match(e.message, /Connection refused/);
      return true;
    });
  });

  it("a host whose login PATH has no python3 says so", async () => {
    const sshd = await startSshd({ alias: "qds-nopy", withoutPython: true });
    cleanups.push(() => sshd.stop());
    const t = new SshTransport(sshd.host, { root: TEST_ROOT, sshConfigFile: sshd.configFile });
    cleanups.push(() => t.close());
    await assert.rejects(t.checkHost(), (e: unknown) => {
      assert.ok(e instanceof RemoteError);
      assert.equal(e.code, "no-python");
      assert.match(e.message, /python3 is not on the login PATH/);
      return true;
    });
  });

  it("a full remote disk is one clear error naming the mount (a 2 MiB tmpfs)", async () => {
    const sshd = await startSshd();
    cleanups.push(() => sshd.stop());
    const mnt = join(sshd.dir, "small");
    mkdirSync(mnt);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt]);
    cleanups.push(() => {
      execFileSync("umount", [mnt]);
    });
    const t = new SshTransport(sshd.host, { root: mnt, sshConfigFile: sshd.configFile });
    cleanups.push(() => t.close());
    const big = join(sshd.dir, "big");
    mkdirSync(big);
    writeFileSync(join(big, "weights.bin"), Buffer.alloc(3 * 1024 * 1024, 1));
    await assert.rejects(t.upload(big, "models/big"), (e: unknown) => {
      assert.ok(e instanceof RemoteError);
      assert.equal(e.code, "disk-full", e.message);
      assert.match(e.message, /No space left on device/);
      return true;
    });
    assert.ok(existsSync(mnt));
  });
});
