/**
 * The one child-process module (server/src/proc/process.ts) behind external
 * q, Python tests and remote tools: real processes (sh scripts), checking
 * exit codes, the timeout that kills the whole process group (grandchildren
 * included), the output cap, the memory cap, launch failures, and the
 * scrubbed environment (no credential of the parent ever reaches a child).
 */
import { strict as assert } from "node:assert";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  maskArgs,
  onProcessStart,
  runProcess,
  scrubbedEnv,
  startDaemon,
  startProcess,
} from "../../../server/src/proc/process";
import { composeScript, externalEngine, judgeQRun } from "../../../server/src/verify/engines";

/** Running (not merely a zombie waiting for a container's init to reap it). */
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
};

describe("runProcess", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "qds-proc-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("returns stdout, stderr and the exit code, with stdin closed", async () => {
    const r = await runProcess("/bin/sh", ["-c", "read x || echo no-stdin; echo out; echo err >&2; exit 3"], {
      cwd: dir,
      timeoutMs: 5000,
      memoryMb: 0,
    });
    assert.equal(r.exitCode, 3);
    assert.equal(r.stdout, "no-stdin\nout\n");
    assert.equal(r.stderr, "err\n");
    assert.equal(r.timedOut, false);
  });

  it("kills the whole process group on timeout, grandchildren included", async () => {
    const pidFile = join(dir, "grandchild.pid");
    const t0 = Date.now();
    const r = await runProcess("/bin/sh", ["-c", `sleep 30 & echo $! > ${pidFile}; wait`], {
      cwd: dir,
      timeoutMs: 300,
      memoryMb: 0,
    });
    assert.equal(r.timedOut, true);
    assert.ok(Date.now() - t0 < 5000, "returned promptly");
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(alive(grandchild), false, "the background sleep was killed too");
  });

  it("kills a runaway writer at the output cap", async () => {
    const r = await runProcess("/bin/sh", ["-c", "yes"], {
      cwd: dir,
      timeoutMs: 5000,
      memoryMb: 0,
      maxOutputBytes: 100_000,
    });
    assert.equal(r.outputOverflow, true);
    assert.ok(r.stdout.length <= 100_000);
  });

  it("caps memory", async () => {
    const r = await runProcess("python3", ["-c", "x = bytearray(400 * 1024 * 1024); print('allocated')"], {
      cwd: dir,
      timeoutMs: 10000,
      memoryMb: 200,
    });
    assert.notEqual(r.exitCode, 0);
    assert.match(r.stderr, /MemoryError/);
  });

  it("reports a program that cannot start", async () => {
    const r = await runProcess(join(dir, "missing-binary"), [], { cwd: dir, timeoutMs: 1000, memoryMb: 0 });
    assert.ok(r.spawnError !== undefined || r.exitCode === 127);
  });

  it("bytes: stdout comes back as the exact bytes, invalid UTF-8 included; stdin input reaches the program", async () => {
    const r = await runProcess("/bin/sh", ["-c", "cat; printf '\\377\\376'"], {
      cwd: dir,
      timeoutMs: 5000,
      input: "héllo",
      output: "bytes",
    });
    assert.ok(Buffer.isBuffer(r.stdout));
    assert.deepEqual(r.stdout, Buffer.concat([Buffer.from("héllo"), Buffer.from([0xff, 0xfe])]));
  });

  it("keepGroup: a helper the program leaves behind survives its normal exit; without it the group is killed", async () => {
    // A daemon-like helper: same process group, output not piped (it would hold the pipes open).
    const helper = async (keepGroup: boolean): Promise<number> => {
      const pidFile = join(dir, `helper-${keepGroup}.pid`);
      const r = await runProcess("/bin/sh", ["-c", `sleep 30 >/dev/null 2>&1 & echo $! > ${pidFile}`], {
        cwd: dir,
        timeoutMs: 5000,
        output: "ignore",
        keepGroup,
      });
      assert.equal(r.exitCode, 0);
      await new Promise((res) => setTimeout(res, 100));
      return Number(readFileSync(pidFile, "utf8"));
    };
    const kept = await helper(true);
    try {
      assert.equal(alive(kept), true, "kept alive");
    } finally {
      process.kill(kept, "SIGKILL");
    }
    assert.equal(alive(await helper(false)), false, "killed with the group");
  });
});

describe("external q engine", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "qds-extq-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A stand-in binary that records how it was called: cwd listing, argv, the script. */
  const fakeQ = (body: string): string => {
    const p = join(dir, "fakeq");
    writeFileSync(p, `#!/bin/sh\n${body}\n`);
    chmodSync(p, 0o755);
    return p;
  };

  it("runs `q script.q` in a fresh temp folder that is removed afterwards", async () => {
    const q = fakeQ('echo "$1"; pwd; cat "$1"');
    const r = await externalEngine(q).run("1+1\n", { timeoutMs: 5000, memoryMb: 0 });
    const [arg, cwd, ...script] = r.stdout.split("\n");
    assert.equal(arg, "script.q");
    assert.match(cwd!, /qds-q-/);
    assert.equal(script.join("\n"), "1+1\n");
    assert.equal(existsSync(cwd!), false);
  });

  it("judges like the original: exit 0 and no 'error' on stderr", async () => {
    const ok = await externalEngine(fakeQ("echo ' 42 '")).run("", { timeoutMs: 5000, memoryMb: 0 });
    assert.deepEqual(judgeQRun(ok, 5000), { ok: true, output: "42" });
    const err = await externalEngine(fakeQ("echo 'q: error: type' >&2")).run("", { timeoutMs: 5000, memoryMb: 0 });
    assert.equal(judgeQRun(err, 5000).ok, false);
    const code = await externalEngine(fakeQ("exit 2")).run("", { timeoutMs: 5000, memoryMb: 0 });
    assert.deepEqual(judgeQRun(code, 5000), { ok: false, reason: "exit code 2" });
    const slow = await externalEngine(fakeQ("sleep 20")).run("", { timeoutMs: 200, memoryMb: 0 });
    assert.deepEqual(judgeQRun(slow, 200), { ok: false, reason: "timeout after 0.2 s" });
  });

  it("composes sol.q, a blank line, the test and exit 0 only when missing", () => {
    assert.equal(composeScript("solve:{x}", "show solve 1"), "solve:{x}\n\nshow solve 1\nexit 0;\n");
    assert.equal(composeScript("solve:{x}", "show solve 1\nexit 0"), "solve:{x}\n\nshow solve 1\nexit 0");
  });
});

describe("child environment", () => {
  const planted: Record<string, string> = {
    OPENAI_API_KEY: "sk-planted-openai",
    ANTHROPIC_API_KEY: "sk-planted-anthropic",
    GEMINI_API_KEY: "planted-gemini",
    QDS_OPENAI_COMPATIBLE_API_KEY: "planted-compatible",
    GITHUB_TOKEN: "planted-github",
    AWS_SECRET_ACCESS_KEY: "planted-aws",
    DB_PASSWORD: "planted-db",
    LC_PLANTED_TOKEN: "planted-locale-looking",
  };
  const saved: Record<string, string | undefined> = {};
  before(() => {
    for (const [k, v] of Object.entries(planted)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const noPlanted = (text: string): void => {
    for (const [k, v] of Object.entries(planted)) {
      assert.ok(!text.includes(k), `${k} reached the child`);
      assert.ok(!text.includes(v), `the value of ${k} reached the child`);
    }
  };

  it("gives a run child none of the parent's keys, tokens or secrets, but what programs need", async () => {
    const r = await runProcess("/usr/bin/env", [], { cwd: tmpdir(), timeoutMs: 5000 });
    assert.equal(r.exitCode, 0);
    noPlanted(r.stdout);
    assert.match(r.stdout, /^PATH=/m);
    assert.match(r.stdout, /^HOME=/m);
  });

  it("drops credential-looking names even when a caller adds them", async () => {
    const r = await runProcess("/usr/bin/env", [], {
      cwd: tmpdir(),
      timeoutMs: 5000,
      env: { PYTHONHASHSEED: "0", MY_API_KEY: "planted-extra" },
    });
    assert.match(r.stdout, /^PYTHONHASHSEED=0$/m);
    assert.ok(!r.stdout.includes("planted-extra"));
  });

  it("gives a long-lived child the same scrubbed environment", async () => {
    const p = await startProcess("/bin/sh", ["-c", "env; read x"]);
    let out = "";
    p.child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    await new Promise((r) => setTimeout(r, 300));
    p.stop();
    await p.child;
    noPlanted(out);
    assert.match(out, /^PATH=/m);
  });

  it("gives a daemon the scrubbed environment; it outlives the call in its own process group, its output in the log", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qds-daemon-"));
    const log = join(dir, "out.log");
    const pid = startDaemon("/bin/sh", ["-c", "env; echo started; exec sleep 30"], {
      logFile: log,
      env: { EXTRA_VAR: "1" },
    });
    try {
      assert.ok(pid > 0);
      for (let i = 0; i < 100 && !readFileSync(log, "utf8").includes("started"); i++)
        await new Promise((r) => setTimeout(r, 50));
      const out = readFileSync(log, "utf8");
      noPlanted(out);
      assert.match(out, /^EXTRA_VAR=1$/m);
      assert.equal(alive(pid), true, "still running after startDaemon returned");
      // Fields after the command name: state, ppid, pgrp, session.
      const [, , pgrp, session] = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      assert.deepEqual([Number(pgrp), Number(session)], [pid, pid], "its own process group and session");
    } finally {
      process.kill(pid, "SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(startDaemon(join(tmpdir(), "qds-no-such-program"), [], { logFile: "/dev/null" }), -1);
  });

  it("keeps the allow-list short: locale and q's own variables pass, anything else does not", () => {
    const env = scrubbedEnv({}, { PATH: "/bin", LC_ALL: "C", QHOME: "/q", NODE_OPTIONS: "--inspect", FOO: "bar" });
    assert.deepEqual(env, { PATH: "/bin", LC_ALL: "C", QHOME: "/q" });
  });
});

describe("onProcessStart (what the editor's log shows of each program started)", () => {
  it("reports every start with its arguments, credentials masked, and stops when removed", async () => {
    const seen: string[] = [];
    const stop = onProcessStart((s) => seen.push(`${s.command} ${s.args.join(" ")} @ ${s.cwd}`));
    const dir = mkdtempSync(join(tmpdir(), "qds-proc-log-"));
    try {
      await runProcess("/bin/echo", ["--api-key=sk-secret-1", "--token", "tok-secret-2", "plain"], {
        cwd: dir,
        timeoutMs: 5000,
      });
      const p = await startProcess("/bin/cat", ["-u"], { cwd: dir });
      p.stop();
      await p.child;
      stop();
      await runProcess("/bin/true", [], { cwd: dir, timeoutMs: 5000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(seen.length, 2, seen.join("\n"));
    assert.match(seen[0]!, /^\/bin\/echo --api-key=\*\*\* --token \*\*\* plain @ /);
    assert.ok(!seen.join("\n").includes("secret"), seen.join("\n"));
    assert.match(seen[1]!, /^\/bin\/cat -u @ /);
  });

  it("masks the value of a credential-like environment variable wherever it appears", () => {
    const env = { OPENAI_API_KEY: "sk-abcdef123456", PATH: "/usr/bin", SHORT_TOKEN: "abc" };
    assert.deepEqual(maskArgs(["-e", "url?key=sk-abcdef123456&x=1", "abc", "/usr/bin/q"], env), [
      "-e",
      "url?key=***&x=1",
      "abc",
      "/usr/bin/q",
    ]);
  });
});
