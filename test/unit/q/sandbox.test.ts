// Hostile programs through sandbox.ts: each must end within its limit with a
// clear q-style error or event, never by crashing or hanging the host.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { runQScript } from "../../../server/src/q/sandbox";

const limits = { timeoutMs: 1500, memoryMb: 256 };
const execFileAsync = promisify(execFile);

describe("q sandbox", function () {
  this.timeout(20000);

  it("runs a normal script", async () => {
    const r = await runQScript("-1 string sum til 10;\n", limits);
    assert.equal(r.stdout, "45\n");
    assert.equal(r.exitCode, 0);
    assert.equal(r.timedOut, false);
  });

  it("stops an infinite loop at the time limit", async () => {
    const t0 = Date.now();
    const r = await runQScript('-1 "start";\nwhile[1b;0]\n', limits);
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, 1);
    assert.equal(r.stdout, "start\n");
    assert.match(r.stderr, /'stop/);
    assert.ok(Date.now() - t0 < 8000);
  });

  it("reports a 10^10-element allocation as 'wsfull", async () => {
    const r = await runQScript("x:til 10000000000\n", limits);
    assert.equal(r.error?.name, "wsfull");
    assert.equal(r.exitCode, 1);
  });

  it("stops til 300000000 (2.4 GB off the V8 heap) with 'wsfull under memoryMb 256", async () => {
    const r = await runQScript('-1 "before";\nx:til 300000000\n-1 "never";\n', limits);
    assert.equal(r.error?.name, "wsfull");
    assert.equal(r.outOfMemory, true);
    assert.equal(r.stdout, "before\n");
    // The host is unharmed: the next script runs normally.
    assert.equal((await runQScript("-1 string count til 1000;\n", limits)).stdout, "1000\n");
  });

  it("runs from source under plain `tsx script.ts`, from any working directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qds-sandbox-"));
    const script = join(dir, "run.ts");
    const sandbox = resolve(__dirname, "../../../server/src/q/sandbox.ts");
    writeFileSync(
      script,
      `import { runQScript } from ${JSON.stringify(sandbox)};\n` +
        `runQScript("-1 string sum til 10;", { timeoutMs: 5000, memoryMb: 256 }).then((r) => console.log(JSON.stringify(r)));\n`,
    );
    const tsx = resolve(__dirname, "../../../node_modules/.bin/tsx");
    try {
      const { stdout } = await execFileAsync(tsx, [script], { cwd: dir, timeout: 20000 });
      const r = JSON.parse(stdout.trim().split("\n").pop() ?? "{}");
      assert.deepEqual([r.stdout, r.exitCode, r.error], ["45\n", 0, undefined]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("never lets heap growth inside native code kill the host (runQScript and the pool, 3 runs each)", async function () {
    // Before the engine kept its own heap budget, `string til 3000000` under memoryMb 64 ran V8
    // into its fatal heap limit inside TextEncoder and aborted the whole host, so the host here is
    // a child process: the assertion is that it exits normally and reports every outcome.
    this.timeout(120000);
    const dir = mkdtempSync(join(tmpdir(), "qds-oom-"));
    const script = join(dir, "host.ts");
    const q = resolve(__dirname, "../../../server/src/q");
    writeFileSync(
      script,
      `import { runQScript } from ${JSON.stringify(join(q, "sandbox.ts"))};\n` +
        `import { createSandboxPool } from ${JSON.stringify(join(q, "pool.ts"))};\n` +
        `const programs = ["x:string til 3000000", "x:{string x} each til 3000000"];\n` +
        `const limits = { timeoutMs: 20000, memoryMb: 64 };\n` +
        `(async () => {\n` +
        `  const pool = createSandboxPool({ ...limits, size: 1 });\n` +
        `  const seen = [];\n` +
        `  for (let i = 0; i < 3; i++) for (const p of programs) {\n` +
        `    for (const r of [await runQScript(p, limits), await pool.run(p)]) seen.push([r.error?.name, r.outOfMemory]);\n` +
        `  }\n` +
        `  const after = await pool.run("-1 string sum til 10;");\n` +
        `  await pool.close();\n` +
        `  console.log(JSON.stringify({ seen, after: after.stdout }));\n` +
        `})();\n`,
    );
    const tsx = resolve(__dirname, "../../../node_modules/.bin/tsx");
    try {
      // execFile rejects when the child dies by a signal or exits non-zero (V8's abort does both).
      const { stdout } = await execFileAsync(tsx, [script], { cwd: dir, timeout: 110000 });
      const r = JSON.parse(stdout.trim().split("\n").pop() ?? "{}");
      assert.equal(r.seen.length, 12);
      for (const outcome of r.seen) assert.deepEqual(outcome, ["wsfull", true]);
      assert.equal(r.after, "45\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports deep recursion as 'stack", async () => {
    const r = await runQScript("f:{f x+1}\nf 0\n", limits);
    assert.equal(r.error?.name, "stack");
  });

  it("refuses shell commands, handles, files and environment", async () => {
    for (const [code, name] of [
      ['system "ls"', "nyi"],
      ["hopen 5000", "nyi"],
      ["\\l /etc/passwd", "/etc/passwd"],
      ["getenv `HOME", "nyi"],
    ] as const) {
      const r = await runQScript(`${code}\n`, limits);
      assert.equal(r.error?.name, name, code);
    }
  });

  it("turns exit 1 into an outcome, not a host exit", async () => {
    const r = await runQScript('-1 "bye";\nexit 1\n-1 "never";\n', limits);
    assert.deepEqual([r.stdout, r.exitCode, r.exited], ["bye\n", 1, true]);
  });

  it("stops a print loop at the output cap and says so", async () => {
    const r = await runQScript('do[100000;-1 "0123456789012345678901234567890123456789"]\n', {
      ...limits,
      maxOutputBytes: 10000,
    });
    assert.equal(r.stdout.length, 10000);
    assert.deepEqual([r.error?.name, r.limit, r.timedOut], ["output", "output", false]);
  });
});
