/**
 * Judging one sample: extraction (fences, bare code, reasoning blocks, stop
 * sequences) and the error classes, with the real embedded engine.
 */
import { strict as assert } from "node:assert";
import { applyStop, extractSample, judgeSample, stripReasoning } from "../../../server/src/eval/judge";
import type { EvalProblem } from "../../../server/src/eval/problems";
import { embeddedEngine } from "../../../server/src/verify/embedded";

const problem = (tests: EvalProblem["tests"]): EvalProblem => ({
  name: "p",
  dir: "/nonexistent",
  ids: ["p"],
  taskId: "p",
  description: "",
  functionName: "f",
  tests,
});

describe("eval judge", function () {
  this.timeout(30_000);
  const engine = embeddedEngine();
  after(() => engine.close());
  const limits = { timeoutMs: 1000, memoryMb: 512 };

  it("extracts the block that defines the function, after any reasoning", () => {
    const reply =
      "<think>maybe ```q\nf:{x}\n``` no</think>\nThe helper:\n```q\ng:{x*2}\n```\nThe answer:\n```q\nf:{[x] g x}\n```";
    assert.deepEqual(extractSample(reply, "f"), { ok: true, code: "f:{[x] g x}" });
    assert.deepEqual(extractSample("f:{[x] x+1}", "f"), { ok: true, code: "f:{[x] x+1}" });
    assert.equal(stripReasoning("thinking out loud</think>answer"), "answer");
    const none = extractSample("```python\ndef f(x): pass\n```", "f");
    assert.equal(none.ok, false);
    assert.equal(applyStop("f:{x}\n\nExample:\nf 1", ["\n\nExample", "###"]), "f:{x}");
  });

  it("classifies pass, wrong answer, parse error, named runtime error, timeout and no code", async () => {
    const p = problem([
      { n: 1, q: "0N!solve[2];", expected: "4" },
      { n: 2, q: "0N!solve[0.5];", expected: "1.0" },
    ]);
    const cls = async (c: string) => {
      const v = await judgeSample(p, c, engine, limits);
      return `${v.class}${v.error === undefined || v.class === "wrong_answer" ? "" : ` ${v.error}`}`;
    };
    assert.equal(await cls("f:{[x] 2*x}"), "pass");
    assert.equal(await cls("f:{[x] x*x}"), "wrong_answer");
    assert.equal(await cls("f:{[x] 2*x"), "parse_error 'parse");
    assert.equal(await cls("f:{[x] x+`a}"), "runtime_error 'type");
    assert.match(await cls("f:{[x] while[1b;]; x}"), /^timeout/);
    assert.match(await cls("no code here"), /^no_code/);
    // A timeout is not repeated for every test.
    const v = await judgeSample(p, "f:{[x] while[1b;]; x}", engine, limits);
    assert.equal(v.tests.length, 1);
  });

  it("an abs_tolerance test accepts a difference under it, and only there", async () => {
    const tests = [
      // 0.3333 is 3.3e-5 away from 1%3: within 1e-3, outside the judge's own float tolerance.
      { n: 1, q: "\\P 0\n0N!solve[1.0];", expected: "0.3333", absTolerance: 1e-3 },
      { n: 2, q: "\\P 0\n0N!solve[1.0];", expected: "0.3333" },
      { n: 3, q: "\\P 0\n0N!solve[1.0];", expected: "0.33", absTolerance: 1e-3 },
    ];
    const v = await judgeSample(problem(tests), "f:{[x] x%3}", engine, limits);
    assert.deepEqual(
      v.tests.map((t) => t.class),
      ["pass", "wrong_answer", "wrong_answer"],
    );
  });
});
