/**
 * The hostile-program suite (test/support/hostile-programs.ts) through the
 * sandbox pool, as the verifier runs untrusted tests: each program must end
 * the way its row says (the named limit, a plain q error, an exit event),
 * the same pool must answer a trivial script right after it, and the host's
 * memory must stay bounded while it runs and come back down afterwards.
 *
 * The host is a child process (bench/sandbox/hostile.ts --child) started the
 * way the extension starts the language server (SANDBOX_HOST_ENV), so its
 * RSS is the host's own, not mocha's. Per-case figures for both hosts:
 * `npm run bench:hostile`.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { SANDBOX_HOST_ENV } from "../../../server/src/q/limits";
import { HOSTILE_LIMITS, HOSTILE_PROGRAMS, type HostileRow, hostileMismatch } from "../../support/hostile-programs";

const MB = 1024 * 1024;
const ROOT = join(__dirname, "../../..");

describe("hostile programs: the host is unaffected", function () {
  // 34 programs; the slow ones end at the 2 s time limit.
  this.timeout(300_000);
  const rows = new Map<string, HostileRow>();
  let start = 0;

  before(async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", join(ROOT, "bench/sandbox/hostile.ts"), "--child", "--json"],
      { cwd: ROOT, env: { ...process.env, ...SANDBOX_HOST_ENV }, maxBuffer: 16 * MB, timeout: 280_000 },
    );
    for (const line of stdout.trim().split("\n")) {
      const r = JSON.parse(line) as { start?: number; program?: string };
      if (r.start !== undefined) start = r.start;
      else {
        const program = HOSTILE_PROGRAMS.find((p) => p.name === r.program)!;
        rows.set(program.name, { ...(r as unknown as HostileRow), program });
      }
    }
  });

  it("covers every shape with many programs", () => {
    const shapes = new Set(HOSTILE_PROGRAMS.map((p) => p.shape));
    assert.deepEqual([...shapes].sort(), ["escape", "memory", "output", "recursion", "time"]);
    assert.ok(HOSTILE_PROGRAMS.length >= 30);
  });

  for (const program of HOSTILE_PROGRAMS) {
    it(`${program.shape}: ${program.name} ends as expected and the host still answers`, () => {
      const row = rows.get(program.name);
      assert.ok(row !== undefined, "the case ran");
      assert.equal(hostileMismatch(row), undefined);
      // Bounded in time: the limit plus the hard-kill grace, with room for a loaded machine.
      assert.ok(row.ms < (program.timeoutMs ?? HOSTILE_LIMITS.timeoutMs) + 5000, `took ${row.ms} ms`);
      // Bounded in memory: the host never grows by much more than one script's budget.
      const grew = (row.rssPeak - row.rssBefore) / MB;
      assert.ok(grew < 2 * HOSTILE_LIMITS.memoryMb + 128, `host grew by ${grew.toFixed(0)} MB`);
    });
  }

  it("gives the memory back: the host ends near where it started", () => {
    const last = rows.get(HOSTILE_PROGRAMS[HOSTILE_PROGRAMS.length - 1]!.name)!;
    const kept = (last.rssAfter - start) / MB;
    // Bound: two scripts' budgets. After 34 programs the host measured ~240 MB above its start on
    // this machine (glibc keeps freed pages in the sandbox threads' malloc arenas; the figure
    // plateaus rather than grows, see bench:hostile), while one unbounded bomb alone took 1.9 GB.
    // Loosened from two budgets to three (+64 MB): a fresh-clone CI run on 2026-12-03 kept 335 MB,
    // over the old 320 MB bound; how much glibc retains varies run to run. A real leak of one
    // unbounded bomb (1.9 GB) still fails this by far.
    assert.ok(kept < 3 * HOSTILE_LIMITS.memoryMb + 64, `host kept ${kept.toFixed(0)} MB`);
  });
});
