/**
 * The statistics against values worked out by hand (comments show the sums),
 * and `compare` on crafted summaries whose answer is known.
 */
import { strict as assert } from "node:assert";
import { compare, type EvalSummary, mcnemarExact, pairedBootstrap, passAtK } from "../../../server/src/eval";
import { meanWithCi } from "../../../server/src/eval/stats";

const close = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) < eps, `${a} vs ${b}`);

describe("eval statistics", () => {
  it("pass@k is the unbiased estimator 1 - C(n-c,k)/C(n,k)", () => {
    close(passAtK(5, 2, 2), 1 - 3 / 10); // C(3,2)=3, C(5,2)=10
    close(passAtK(10, 3, 1), 0.3);
    close(passAtK(10, 1, 5), 1 - 126 / 252); // C(9,5)=126, C(10,5)=252
    close(passAtK(4, 3, 2), 1); // fewer than k failures: every k-subset holds a pass
    close(passAtK(20, 0, 10), 0);
    close(passAtK(200, 13, 100), 1 - Math.exp(lnC(187, 100) - lnC(200, 100)), 1e-9);
    assert.throws(() => passAtK(3, 1, 5), /at least 5 samples/);
  });

  it("exact McNemar: p = 2 P(X <= min(b,c)), X ~ Bin(b+c, 1/2)", () => {
    close(mcnemarExact(1, 9), (2 * (1 + 10)) / 1024);
    close(mcnemarExact(0, 4), 2 / 16);
    assert.equal(mcnemarExact(0, 0), 1);
    assert.equal(mcnemarExact(5, 5), 1);
  });

  it("the bootstrap interval is seeded, contains the mean, and is degenerate for constant data", () => {
    const xs = [0, 1, 0.5, 0.25, 1, 0, 0.75, 1, 0, 0.5];
    const a = meanWithCi(xs);
    assert.deepEqual(a, meanWithCi(xs));
    close(a.value, 0.5);
    assert.ok(a.ci[0] < 0.5 && 0.5 < a.ci[1]);
    const flat = meanWithCi([0.4, 0.4, 0.4]);
    close(flat.ci[0], 0.4);
    close(flat.ci[1], 0.4);
  });

  it("paired bootstrap: a consistent gain is significant, no change is not", () => {
    const a = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    const b = [1, 1, 1, 1, 1, 1, 1, 1, 1, 0];
    const d = pairedBootstrap(a, b);
    close(d.diff, 0.4);
    assert.ok(d.ci[0] > 0 && d.p < 0.05, JSON.stringify(d));
    assert.deepEqual(pairedBootstrap(a, a), { diff: 0, ci: [0, 0], p: 1 });
    // One flip each way among ten: a zero difference that must not look real.
    const e = pairedBootstrap([1, 0, 1, 1, 0, 0, 1, 0, 1, 0], [0, 1, 1, 1, 0, 0, 1, 0, 1, 0]);
    assert.ok(e.p > 0.5 && e.ci[0] < 0 && e.ci[1] > 0, JSON.stringify(e));
  });

  it("compare: flips, McNemar on solved problems and per-k differences on a crafted pair", () => {
    // Ten problems, n = 2. A solves 0-4; B solves 0-8; p9 nobody; p10 only in B.
    const mk = (solvedBy: number, extra: string[] = []): EvalSummary => ({
      version: 1,
      dataset: "d",
      source: "s",
      n: 2,
      k: [1, 2],
      problems: 10,
      samples: 20,
      pass_at_k: {},
      ci_method: "",
      classes: {},
      incomplete: [],
      elapsed_ms: 0,
      per_problem: [...Array.from({ length: 10 }, (_, i) => `p${i}`), ...extra].map((problem, i) => {
        const c = i < solvedBy ? 2 : 0;
        return { problem, task_id: problem, n: 2, c, pass_at_k: { "1": c / 2, "2": c > 0 ? 1 : 0 }, failures: {} };
      }),
    });
    const c = compare(mk(5), mk(9, ["p10"]));
    assert.equal(c.problems, 10);
    assert.deepEqual(c.only_in_b, ["p10"]);
    assert.deepEqual(c.mcnemar, { a_only: 0, b_only: 4, both: 5, neither: 1, p: 2 / 16 });
    assert.deepEqual(
      c.flips.map((f) => `${f.direction} ${f.problem}`),
      ["gained p5", "gained p6", "gained p7", "gained p8"],
    );
    close(c.per_k[0]!.a, 0.5);
    close(c.per_k[0]!.b, 0.9);
    close(c.per_k[0]!.diff, 0.4);
    const same = compare(mk(5), mk(5));
    assert.equal(same.flips.length, 0);
    assert.equal(same.mcnemar.p, 1);
  });
});

function lnC(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}
