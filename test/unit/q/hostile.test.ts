/**
 * The hostile-program suite (test/support/hostile-programs.ts) through the
 * sandbox pool, as the verifier runs untrusted tests: each program must end
 * the way its row says (the named limit, a plain q error, an exit event),
 * the same pool must answer a trivial script right after it, and the host's
 * memory must stay bounded while it runs and come back down afterwards.
 * Per-case peak RSS figures: `npm run bench:hostile`.
 */
import { strict as assert } from "node:assert";
import {
  HOSTILE_LIMITS,
  HOSTILE_PROGRAMS,
  type HostileRow,
  hostileMismatch,
  runHostileSuite,
} from "../../support/hostile-programs";

const MB = 1024 * 1024;

describe("hostile programs: the host is unaffected", function () {
  // 34 programs; the slow ones end at the 2 s time limit.
  this.timeout(240_000);
  let rows: HostileRow[] = [];
  let baseline = 0;

  before(async () => {
    baseline = process.memoryUsage().rss;
    rows = await runHostileSuite();
  });

  it("covers every shape with many programs", () => {
    const shapes = new Set(HOSTILE_PROGRAMS.map((p) => p.shape));
    assert.deepEqual([...shapes].sort(), ["escape", "memory", "output", "recursion", "time"]);
    assert.ok(HOSTILE_PROGRAMS.length >= 30);
  });

  for (const program of HOSTILE_PROGRAMS) {
    it(`${program.shape}: ${program.name} ends as expected and the host still answers`, () => {
      const row = rows.find((r) => r.program === program);
      assert.ok(row !== undefined, "the case ran");
      assert.equal(hostileMismatch(row), undefined);
      // Bounded in time: the limit plus the hard-kill grace, with room for a loaded machine.
      assert.ok(row.ms < HOSTILE_LIMITS.timeoutMs + 5000, `took ${row.ms} ms`);
      // Bounded in memory: the host never grows by much more than one script's budget.
      const grew = (row.rssPeak - row.rssBefore) / MB;
      assert.ok(grew < 2 * HOSTILE_LIMITS.memoryMb + 128, `host grew by ${grew.toFixed(0)} MB`);
    });
  }

  it("gives the memory back: the host ends near where it started", () => {
    const last = rows[rows.length - 1]!;
    const kept = (last.rssAfter - baseline) / MB;
    // glibc keeps some freed memory in its per-thread arenas; what is kept must stay well under one budget's worth.
    assert.ok(kept < 2 * HOSTILE_LIMITS.memoryMb, `host kept ${kept.toFixed(0)} MB`);
  });
});
