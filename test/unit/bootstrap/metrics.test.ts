/**
 * The bootstrap report's pass@k and difference come from `qds eval`'s
 * statistics (eval/stats.ts); these check the adapter: judged samples become
 * the same numbers eval computes, and a problem short of samples is unsolved.
 */
import { strict as assert } from "node:assert";
import type { SampleVerdict } from "../../../server/src/bootstrap/judge";
import { compare, summarise } from "../../../server/src/bootstrap/metrics";
import { meanWithCi, pairedBootstrap, passAtK } from "../../../server/src/eval/stats";

const verdicts = (passes: Record<string, boolean[]>): Map<string, SampleVerdict[]> =>
  new Map(
    Object.entries(passes).map(([name, ps]) => [name, ps.map((passed, sample) => ({ sample, passed, code: null }))]),
  );

describe("bootstrap metrics (eval's estimator and paired bootstrap)", () => {
  const problems = ["a", "b", "c", "d", "e"];
  const base = summarise(
    verdicts({ a: [false, false], b: [true, false], c: [false, false], d: [false, false], e: [false, false] }),
    problems,
    [1, 2],
  );
  const trained = summarise(
    verdicts({ a: [true, true], b: [false, false], c: [true, false], d: [true, true], e: [true] }),
    problems,
    [1, 2],
  );

  it("pass@k per problem is eval's unbiased estimator, the mean carries eval's bootstrap interval", () => {
    assert.deepEqual(base.passAtK["pass@1"], meanWithCi([0, 0.5, 0, 0, 0]));
    assert.deepEqual(trained.passAtK["pass@1"], meanWithCi([1, 0, 0.5, 1, 1]));
    // e has one sample: pass@2 cannot be estimated, so it counts 0 instead of being dropped or inflated.
    assert.deepEqual(trained.passAtK["pass@2"], meanWithCi([1, 0, passAtK(2, 1, 2), 1, 0]));
    assert.equal(trained.n, 1);
  });

  it("the difference is eval's paired bootstrap over the same problems, with gained and lost problems", () => {
    const d = compare(base, trained, 1);
    const expected = pairedBootstrap([0, 0.5, 0, 0, 0], [1, 0, 0.5, 1, 1]);
    assert.deepEqual(d.diff, { value: expected.diff, ci: expected.ci });
    assert.equal(d.base, 0.1);
    assert.equal(d.trained, 0.7);
    assert.deepEqual(d.gained, ["a", "c", "d", "e"]);
    assert.deepEqual(d.lost, ["b"]);
  });
});
