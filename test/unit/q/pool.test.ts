// The sandbox pool (server/src/q/pool.ts): long-lived threads must give every
// script the same isolation and limits as a one-shot runQScript thread, and a
// thread that timed out or died must be replaced without harming other scripts.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { createSandboxPool, type SandboxPool } from "../../../server/src/q/pool";
import { runQScript } from "../../../server/src/q/sandbox";

const limits = { timeoutMs: 1500, memoryMb: 128 };
const execFileAsync = promisify(execFile);

/** Runs a tsx script (a fresh process) that imports the pool; resolves with its stdout and run time. */
async function runChild(body: string): Promise<{ stdout: string; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), "qds-pool-"));
  const script = join(dir, "run.ts");
  const pool = resolve(__dirname, "../../../server/src/q/pool.ts");
  writeFileSync(script, `import { createSandboxPool } from ${JSON.stringify(pool)};\n${body}\n`);
  const tsx = resolve(__dirname, "../../../node_modules/.bin/tsx");
  const t0 = Date.now();
  try {
    const { stdout } = await execFileAsync(tsx, [script], { cwd: dir, timeout: 30000 });
    return { stdout, ms: Date.now() - t0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("q sandbox pool", function () {
  this.timeout(30000);
  let pool: SandboxPool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it("runs each script in a fresh session on the same thread", async () => {
    pool = createSandboxPool({ ...limits, size: 1 });
    const first = await pool.run('g:42;\n-1 string g;\n-1 " " sv string 3?100;\n');
    const [id] = pool.threadIds();
    const second = await pool.run('-1 @[{string value x};`g;{"undefined"}];\n-1 " " sv string 3?100;\n');
    assert.deepEqual(pool.threadIds(), [id]);
    const [, rollsA] = first.stdout.split("\n");
    const [seen, rollsB] = second.stdout.split("\n");
    assert.equal(first.stdout.split("\n")[0], "42");
    // The global from the first script is gone, and the random generator starts from its seed again.
    assert.equal(seen, "undefined");
    assert.equal(rollsB, rollsA);
  });

  it("kills a thread at the time limit and runs the next script on a fresh one", async () => {
    pool = createSandboxPool({ timeoutMs: 800, memoryMb: 128, size: 1 });
    await pool.run("1+1\n");
    const [before] = pool.threadIds();
    const t0 = Date.now();
    const r = await pool.run('-1 "start";\nwhile[1b;0]\n');
    assert.deepEqual([r.timedOut, r.exitCode, r.stdout], [true, 1, "start\n"]);
    assert.match(r.stderr, /'stop/);
    assert.ok(Date.now() - t0 < 6000);
    const next = await pool.run("-1 string sum til 10;\n");
    assert.deepEqual([next.stdout, next.exitCode, next.timedOut], ["45\n", 0, false]);
    const [after] = pool.threadIds();
    assert.ok(after !== undefined && after !== before, `thread ${before} should have been replaced`);
  });

  it("confines a thread's heap exhaustion to its own script", async () => {
    pool = createSandboxPool({ timeoutMs: 10000, memoryMb: 64, size: 2 });
    const normal = Array.from({ length: 6 }, (_, k) => `-1 string sum til ${k + 10};\n`);
    const [oom, ...rest] = await Promise.all([
      pool.run("x:{(x;x)} each til 3000000\n"),
      ...normal.map((s) => pool!.run(s)),
    ]);
    assert.deepEqual([oom!.outOfMemory, oom!.error?.name, oom!.exitCode], [true, "wsfull", 1]);
    assert.deepEqual(
      rest.map((r) => r.stdout),
      normal.map((_, k) => `${((k + 10) * (k + 9)) / 2}\n`),
    );
    assert.equal((await pool.run("-1 string count til 1000;\n")).stdout, "1000\n");
  });

  it("keeps the thread after a vector refused with 'wsfull by the session", async () => {
    pool = createSandboxPool({ ...limits, size: 1 });
    await pool.run("1+1\n");
    const [id] = pool.threadIds();
    const r = await pool.run('-1 "before";\nx:til 300000000\n');
    assert.deepEqual([r.error?.name, r.outOfMemory, r.stdout], ["wsfull", true, "before\n"]);
    assert.deepEqual(pool.threadIds(), [id]);
  });

  it("turns exit 1 into an outcome that ends the script, not the thread", async () => {
    pool = createSandboxPool({ ...limits, size: 1 });
    const r = await pool.run('-1 "bye";\nexit 1\n-1 "never";\n');
    assert.deepEqual([r.stdout, r.exitCode, r.exited, r.timedOut], ["bye\n", 1, true, false]);
    const [id] = pool.threadIds();
    assert.equal((await pool.run("-1 string 6*7;\n")).stdout, "42\n");
    assert.deepEqual(pool.threadIds(), [id]);
  });

  it("gives the same outcomes as runQScript for many scripts in parallel", async () => {
    const scripts = [
      "-1 string sum til 10;\n",
      '-1 "a";\n-2 "warn";\n',
      "f:{f x+1}\nf 0\n",
      "1+`a\n",
      'system "ls"\n',
      "exit 3\n",
      "show ([] a:1 2 3; b:`x`y`z)\nexit 0;\n",
      "t:til 5;\n-1 .Q.s t;\n",
      'do[100000;-1 "0123456789012345678901234567890123456789"]\n',
      "x:til 10000000000\n",
      '-1 "no newline at the end";',
      "{x+y}[1;`b]\n",
    ];
    const opts = { ...limits, maxOutputBytes: 20000 };
    pool = createSandboxPool({ ...opts, size: 3 });
    const pooled = await Promise.all([...scripts, ...scripts].map((s) => pool!.run(s)));
    for (const [k, s] of scripts.entries()) {
      const alone = await runQScript(s, opts);
      assert.deepEqual(pooled[k], alone, s);
      assert.deepEqual(pooled[k + scripts.length], alone, s);
    }
    assert.ok(pool.threadIds().length <= 3);
  });

  it("queues scripts beyond its size and retires a thread after maxScriptsPerThread", async () => {
    pool = createSandboxPool({ ...limits, size: 1, maxScriptsPerThread: 2 });
    const rs = await Promise.all([1, 2, 3].map((n) => pool!.run(`-1 string ${n}*10;\n`)));
    assert.deepEqual(
      rs.map((r) => r.stdout),
      ["10\n", "20\n", "30\n"],
    );
    assert.equal(pool.threadIds().length, 1);
    const [id] = pool.threadIds();
    await pool.run("1+1\n");
    // The fourth script was its second on this thread: the thread is retired, the next gets a new one.
    assert.deepEqual(pool.threadIds(), []);
    await pool.run("1+1\n");
    assert.notDeepEqual(pool.threadIds(), [id]);
  });

  it("retires a thread whose heap in use exceeds maxHeapMb after a script", async () => {
    pool = createSandboxPool({ ...limits, size: 1, maxHeapMb: 1 });
    const r = await pool.run("x:{(x;x)} each til 20000;\n-1 string count x;\n");
    assert.equal(r.stdout, "20000\n");
    assert.deepEqual(pool.threadIds(), []);
    // A generous threshold keeps the thread.
    const roomy = createSandboxPool({ ...limits, size: 1, maxHeapMb: 100 });
    try {
      await roomy.run("x:{(x;x)} each til 20000;\n");
      assert.equal(roomy.threadIds().length, 1);
    } finally {
      await roomy.close();
    }
  });

  it("close() ends running scripts and every thread, and refuses further scripts", async () => {
    pool = createSandboxPool({ timeoutMs: 60000, memoryMb: 128 });
    const running = pool.run("while[1b;0]\n");
    await pool.run("1+1\n");
    assert.equal(pool.threadIds().length, 2);
    await pool.close();
    assert.deepEqual(pool.threadIds(), []);
    const r = await running;
    assert.deepEqual([r.error?.name, r.timedOut], ["internal", false]);
    await assert.rejects(pool.run("1+1\n"), /closed/);
  });

  it("lets the process exit: idle threads never hold it, close() ends busy ones", async () => {
    // A pool nobody closes: the process still ends as soon as its own work is done.
    const idle = await runChild(
      'const p = createSandboxPool({ timeoutMs: 5000, memoryMb: 128, idleMs: 60000 });\np.run("-1 string 2+2;").then((r) => console.log(r.stdout.trim()));',
    );
    assert.equal(idle.stdout.trim(), "4");
    assert.ok(idle.ms < 20000);
    // A script looping for a minute: close() must end its thread or the process would wait for it.
    const busy = await runChild(
      'const p = createSandboxPool({ timeoutMs: 60000, memoryMb: 128 });\nconst r = p.run("while[1b;0]");\nsetTimeout(() => void p.close(), 1000);\nr.then((o) => console.log(o.error?.name));',
    );
    assert.equal(busy.stdout.trim(), "internal");
    assert.ok(busy.ms < 20000);
  });
});
