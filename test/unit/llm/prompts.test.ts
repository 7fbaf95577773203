/**
 * Prompt templates and code extraction: the built-in templates load and
 * render with every input in place; workspace overrides win and are checked
 * (unknown or missing placeholders are errors naming file and line); replies
 * yield q code in the documented order of preference, or a clear failure.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { callsSolveOnce, definesSolve, extractCode } from "../../../server/src/llm/extract";
import { PromptLoader, TEMPLATES, type TemplateName } from "../../../server/src/llm/prompts";

const VALUES: Record<string, string> = {
  python_solution: "class Solution:\n    def twoSum(self, nums, target): ...",
  problem_description: "Given nums and target, return two indices.",
  entry_point: "Solution().twoSum",
  python_test: "print(Solution().twoSum([2,7,11,15], 9))",
  expected: "[0, 1]",
  actual: "1 0",
  q_solution: "solve:{[nums;target] {x}[1]}",
  failing_test: "show solve[2 7 11 15;9]",
  q_error: "none",
  think_text: "First I check the base case, then I recurse on the rest.",
  problem: "two_sum:{[nums;target]\n    / function body\n    }",
  function_name: "two_sum",
};

describe("prompt templates", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "qds-prompts-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const override = (name: string, text: string) => {
    mkdirSync(join(dir, ".qds", "prompts"), { recursive: true });
    writeFileSync(join(dir, ".qds", "prompts", `${name}.md`), text);
  };

  for (const name of Object.keys(TEMPLATES) as TemplateName[]) {
    it(`built-in ${name} renders every input it declares`, () => {
      const r = new PromptLoader().render(name, VALUES);
      for (const p of new PromptLoader().load(name).placeholders) {
        if (p !== "q_guide") assert.ok(r.user.includes(VALUES[p]!) || r.system?.includes(VALUES[p]!), `${name}: ${p}`);
      }
      assert.doesNotMatch(r.user, /\{\{\s*\w+\s*\}\}/);
      // eval-solve leaves the guide out on purpose: published pass@k figures use bare prompts.
      // think-rewrite is about reasoning traces, not q: it has no q guide to include.
      if (name !== "q-guide" && name !== "eval-solve" && name !== "think-rewrite") {
        assert.match(r.system ?? "", /q/);
        assert.match(r.user, /enlist/, "q guide included");
      }
    });
  }

  it("does not expand braces inside substituted values (q lambdas)", () => {
    const r = new PromptLoader().render("fix-solution", { ...VALUES, q_solution: "solve:{{{x}}[y]}" });
    assert.ok(r.user.includes("solve:{{{x}}[y]}"));
  });

  it("prefers a workspace override and drops its documentation header", () => {
    override("convert-solution", "# mine\nnotes {{nonsense}}\n<!-- user -->\nQ please: {{python_solution}}\n");
    const r = new PromptLoader([dir]).render("convert-solution", VALUES);
    assert.equal(r.system, undefined);
    assert.equal(r.user, `Q please: ${VALUES["python_solution"]}`);
  });

  it("names file and line of an unknown placeholder", () => {
    override("convert-test", "<!-- system -->\nsys\n<!-- user -->\nline one\nrun {{python_test}} vs {{expcted}}\n");
    assert.throws(
      () => new PromptLoader([dir]).load("convert-test"),
      (e: Error) =>
        e.message.includes(join(dir, ".qds/prompts/convert-test.md:5")) && e.message.includes("{{expcted}}"),
    );
  });

  it("refuses an override that drops a required input", () => {
    override("fix-solution", "<!-- user -->\nfix {{q_solution}} for {{failing_test}}; wanted {{expected}}\n");
    assert.throws(
      () => new PromptLoader([dir]).load("fix-solution"),
      /fix-solution\.md: missing required placeholder \{\{actual\}\}/,
    );
  });

  it("rejects a duplicated section marker with its line", () => {
    override("convert-solution", "<!-- user -->\n{{python_solution}}\n<!-- user -->\nagain\n");
    assert.throws(() => new PromptLoader([dir]).load("convert-solution"), /convert-solution\.md:3: second/);
  });
});

describe("code extraction", () => {
  it("prefers a q block that defines solve over an earlier aside", () => {
    const reply = "The bug was `x#y`:\n```q\nx#y\n```\nFixed:\n```python\nprint(1)\n```\n```q\nsolve:{[a] a+1}\n```\n";
    assert.deepEqual(extractCode(reply, definesSolve), { ok: true, code: "solve:{[a] a+1}", from: "q-fence" });
  });
  it("falls back to any fenced block, then to bare code with stray fences stripped", () => {
    assert.deepEqual(extractCode("Here:\n```\nsolve:{x}\n```", definesSolve), {
      ok: true,
      code: "solve:{x}",
      from: "any-fence",
    });
    // Cut off by the token limit: the fence never closes.
    assert.deepEqual(extractCode("```q\nsolve:{[a]\n  a*2}\n", definesSolve), {
      ok: true,
      code: "solve:{[a]\n  a*2}",
      from: "bare",
    });
  });
  it("fails clearly on prose", () => {
    const r = extractCode("I'm sorry, I can't translate this problem to q.", definesSolve);
    assert.deepEqual(r, { ok: false, reason: "reply has no usable q code (no code block)" });
    const r2 = extractCode("```python\ndef solve(): pass\n```", definesSolve);
    assert.equal(r2.ok, false);
  });
  it("accepts a test only when it mentions solve exactly once, as the verifier counts", () => {
    assert.ok(callsSolveOnce("x:1 2 3\nshow solve[x;2]"));
    assert.ok(!callsSolveOnce("a:solve[1];show solve[2]"));
    assert.ok(!callsSolveOnce("solve:{x}\nshow solve 1"));
    assert.ok(!callsSolveOnce("show solve[1] / `solve"));
    assert.ok(!callsSolveOnce("show mysolve[1]"));
  });
});
