/**
 * Judging one sample: pull the q code out of the completion, then run every
 * test of the problem the way `qds verify` runs it (composeScript: solution,
 * blank line, test, `exit 0;`), in the same engine sandbox with the same
 * limits, judged by the same rules (judgeQRun, compareOutputs). Only the
 * error class is added: a sample that fails says whether it did not parse,
 * raised a q error (named), printed a wrong answer or ran out of time.
 *
 * Tests run in order; after a parse error or a timeout the remaining tests
 * are not run (the same code would fail them the same way, and a timeout
 * costs the full limit each time), so `tests` lists only those that ran.
 */
import { extractCode } from "../llm/extract";
import { composeScript, judgeQRun, type QEngine, type QLimits, type QRunOutcome } from "../verify/engines";
import { compareOutputs } from "../verify/equivalence";
import type { EvalProblem, EvalTest } from "./problems";
import type { ErrorClass, TestVerdict } from "./types";

/** Removes reasoning blocks (`<think>…</think>`, also one left open at the start and closed later). */
export function stripReasoning(text: string): string {
  let t = text.replace(/<(think|thinking|reasoning)>[\s\S]*?<\/\1>/gi, "");
  const close = /<\/(think|thinking|reasoning)>/i.exec(t);
  if (close) t = t.slice(close.index + close[0].length);
  return t.trim();
}

/** Cuts a completion at the first stop sequence, as the API would have. */
export function applyStop(text: string, stop: readonly string[] | undefined): string {
  let end = text.length;
  for (const s of stop ?? []) {
    if (s === "") continue;
    const i = text.indexOf(s);
    if (i >= 0 && i < end) end = i;
  }
  return text.slice(0, end);
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The q code in a completion: a fenced block (q-tagged first), else a bare
 * reply, after dropping any reasoning block. The block must define the
 * function the tests call; a reply that never defines it has no usable code.
 */
export function extractSample(
  completion: string,
  functionName: string,
): { ok: true; code: string } | { ok: false; reason: string } {
  const defines = new RegExp(`^[ \\t]*${escapeRe(functionName)}[ \\t]*::?`, "m");
  const r = extractCode(stripReasoning(completion), (c) => defines.test(c));
  if (r.ok) return { ok: true, code: r.code };
  return { ok: false, reason: `${r.reason}; none defines ${functionName}` };
}

/** The script text the tests run against: the model's code, plus `solve:` bound to the prompt's function. */
export function solutionScript(code: string, functionName: string): string {
  return functionName === "solve" ? code : `${code}\n\nsolve:${functionName};`;
}

/** q's error name from an outcome: the embedded engine names it, a real q prints `'name` on stderr. */
function qErrorName(r: QRunOutcome): string | undefined {
  const m = /^'([^\s(]+)/.exec(r.error ?? "") ?? /^'(\S+)/m.exec(r.stderr);
  return m === null ? undefined : `'${m[1]}`;
}

export function judgeTest(test: EvalTest, r: QRunOutcome, limits: QLimits): TestVerdict {
  const base = { n: test.n, expected: test.expected };
  if (r.timedOut) return { ...base, class: "timeout", error: `timeout after ${limits.timeoutMs / 1000} s` };
  const judged = judgeQRun(r, limits.timeoutMs);
  if (!judged.ok) {
    const name = qErrorName(r) ?? (r.outOfMemory ? "'wsfull" : undefined);
    const cls: ErrorClass = name === "'parse" ? "parse_error" : "runtime_error";
    return {
      ...base,
      class: cls,
      error: name ?? judged.reason,
      ...(r.stdout === "" ? {} : { actual: r.stdout.trim() }),
    };
  }
  const cmp = compareOutputs(test.expected, judged.output, test.absTolerance);
  if (cmp.equal) return { ...base, class: "pass", actual: judged.output };
  return { ...base, class: "wrong_answer", actual: judged.output, error: cmp.reason ?? "outputs differ" };
}

export interface SampleVerdict {
  code: string | null;
  passed: boolean;
  class: ErrorClass;
  error?: string;
  tests: TestVerdict[];
}

export async function judgeSample(
  problem: EvalProblem,
  completion: string,
  engine: QEngine,
  limits: QLimits,
): Promise<SampleVerdict> {
  const x = extractSample(completion, problem.functionName);
  if (!x.ok) return { code: null, passed: false, class: "no_code", error: x.reason, tests: [] };
  const solution = solutionScript(x.code, problem.functionName);
  const tests: TestVerdict[] = [];
  for (const t of problem.tests) {
    const v = judgeTest(t, await engine.run(composeScript(solution, t.q), limits), limits);
    tests.push(v);
    if (v.class === "parse_error" || v.class === "timeout") break;
  }
  const bad = tests.find((t) => t.class !== "pass");
  if (bad === undefined) return { code: x.code, passed: true, class: "pass", tests };
  return {
    code: x.code,
    passed: false,
    class: bad.class,
    ...(bad.error === undefined ? {} : { error: bad.error }),
    tests,
  };
}
