/**
 * Python → q conversion and repair of one problem (batch.ts runs many).
 *
 * Per problem: take the existing sol.q or ask for one (convert-solution);
 * make every missing q test (convert-test, one call each); run all tests
 * through a `TestRunner`; while a test fails and rounds remain, send the
 * first failing test with its expected and actual output and the q error
 * back (fix-solution) and try again; stop at the first round where every
 * test passes. When a repaired solution fails the same test in exactly the
 * same way, the test is suspect instead: a test the model wrote is then
 * repaired (fix-test), one a person wrote never is. A reply without usable
 * code gets one follow-up in the same conversation saying what was missing;
 * a second miss ends the problem (error before there is a solution, failing
 * after).
 *
 * What is written: files go in atomically. A passing solution replaces
 * sol.q; a failing one is written only where there was no sol.q (so the
 * problem shows up as failing in the explorer), never over a human's file.
 * New q tests are written with the solution.

 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  answerFile,
  DESCRIPTION_FILE,
  ENTRY_FILE,
  PY_SOLUTION_FILE,
  pyTestFile,
  Q_SOLUTION_FILE,
  qTestFile,
  testNumbers,
} from "../dataset/format";
import { writeFileAtomic } from "../dataset/fsx";
import { composeScript, judgeQRun, type QEngine, type QLimits } from "../verify/engines";
import { compareOutputs } from "../verify/equivalence";
import type { LlmCall, LlmClient } from "./client";
import { callsSolveOnce, definesSolve, extractCode } from "./extract";
import type { PromptLoader, RenderedPrompt } from "./prompts";
import type { ChatMessage } from "./types";

export interface TestVerdict {
  status: "pass" | "fail" | "error";
  actual?: string;
  /** The q error or the reason the run failed. */
  reason?: string;
}

/** Runs one q test against a solution; the verifier implements this. */
export interface TestRunner {
  run(solution: string, test: string, expected: string): Promise<TestVerdict>;
}

export interface ProblemTest {
  n: number;
  python?: string;
  expected: string;
  /** An existing q test; kept as it is. */
  q?: string;
}

export interface ProblemInput {
  name: string;
  dir: string;
  description: string;
  python: string;
  entryPoint: string;
  difficulty?: string;
  /** The existing sol.q, if any: repair starts from it instead of converting. */
  q?: string;
  tests: ProblemTest[];
}

export type ProblemStatus = "converted" | "failing" | "error";

export interface ProblemOutcome {
  name: string;
  status: ProblemStatus;
  rounds: number;
  calls: number;
  reason?: string;
}

export type RunEvent = Record<string, unknown> & { event: string; problem?: string };

export interface ConvertContext {
  client: LlmClient;
  prompts: PromptLoader;
  runner: TestRunner;
  /** Verification rounds, the first included; each failed round after it costs one repair call. */
  maxRounds: number;
  log: (e: RunEvent) => void;
  signal?: AbortSignal;
}

/** Reads a problem folder into what conversion needs; throws naming the file that is missing. */
export function readProblem(dir: string, name: string): ProblemInput {
  const read = (f: string) => readFileSync(join(dir, f), "utf8");
  const has = (f: string) => existsSync(join(dir, f));
  if (!has(PY_SOLUTION_FILE)) throw new Error(`${join(dir, PY_SOLUTION_FILE)}: missing`);
  let entry: Record<string, unknown> = {};
  if (has(ENTRY_FILE)) {
    try {
      entry = JSON.parse(read(ENTRY_FILE)) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`${join(dir, ENTRY_FILE)}: ${(e as Error).message}`);
    }
  }
  const tests = testNumbers(readdirSync(dir))
    .filter((n) => has(answerFile(n)))
    .map((n): ProblemTest => {
      const t: ProblemTest = { n, expected: read(answerFile(n)).trim() };
      if (has(pyTestFile(n))) t.python = read(pyTestFile(n));
      if (has(qTestFile(n))) t.q = read(qTestFile(n));
      return t;
    });
  const p: ProblemInput = {
    name,
    dir,
    description: has(DESCRIPTION_FILE) ? read(DESCRIPTION_FILE) : "",
    python: read(PY_SOLUTION_FILE),
    entryPoint: typeof entry["entry_point"] === "string" ? entry["entry_point"] : "solve",
    tests,
  };
  if (typeof entry["difficulty"] === "string") p.difficulty = entry["difficulty"];
  if (has(Q_SOLUTION_FILE)) p.q = read(Q_SOLUTION_FILE);
  return p;
}

/** The verifier's engines as a `TestRunner`: same script composition, judgement and output comparison as `qds verify`. */
export function engineRunner(engine: QEngine, limits: QLimits): TestRunner {
  return {
    async run(solution, test, expected) {
      const judged = judgeQRun(await engine.run(composeScript(solution, test), limits), limits.timeoutMs);
      if (!judged.ok) return { status: "error", reason: judged.reason };
      const cmp = compareOutputs(expected, judged.output);
      if (cmp.equal) return { status: "pass", actual: judged.output };
      return { status: "fail", actual: judged.output, reason: cmp.reason ?? "outputs differ" };
    },
  };
}

class NoCode extends Error {}

const TEST_DEMAND = "Reply with one ```q block that calls `solve` exactly once and shows the result.";

/**
 * One model exchange that must yield code passing `accept`. A reply without
 * it gets one follow-up in the same conversation; a second miss throws NoCode.
 */
async function ask(
  ctx: ConvertContext,
  problem: string,
  purpose: string,
  prompt: RenderedPrompt,
  accept: (code: string) => boolean,
  demand: string,
  counter: { calls: number },
): Promise<string> {
  const messages: ChatMessage[] = [{ role: "user", content: prompt.user }];
  for (let tryNo = 0; tryNo < 2; tryNo++) {
    const call: LlmCall = await ctx.client.complete({
      ...(prompt.system === undefined ? {} : { system: prompt.system }),
      messages,
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    });
    counter.calls++;
    const got = extractCode(call.text, accept);
    ctx.log({
      event: "call",
      problem,
      purpose,
      prompt: { system: prompt.system, messages },
      response: call.text,
      model: call.model,
      finishReason: call.finishReason,
      attempts: call.attempts,
      notes: call.notes,
      usage: call.usage,
      cost: call.cost,
      extracted: got.ok ? got.from : got.reason,
    });
    if (got.ok) return got.code;
    messages.push({ role: "assistant", content: call.text }, { role: "user", content: `${got.reason}. ${demand}` });
  }
  throw new NoCode(`${purpose}: the model gave no usable code twice`);
}

export async function convertProblem(p: ProblemInput, ctx: ConvertContext): Promise<ProblemOutcome> {
  const counter = { calls: 0 };
  const base = { problem_description: p.description, python_solution: p.python, entry_point: p.entryPoint };
  const done = (status: ProblemStatus, rounds: number, reason?: string): ProblemOutcome => {
    const o: ProblemOutcome = { name: p.name, status, rounds, calls: counter.calls };
    if (reason !== undefined) o.reason = reason;
    ctx.log({ event: "problem_done", problem: p.name, ...o });
    return o;
  };
  if (p.tests.length === 0) return done("error", 0, "no test cases with an expected answer");

  try {
    let solution =
      p.q ??
      (await ask(
        ctx,
        p.name,
        "convert-solution",
        ctx.prompts.render("convert-solution", base),
        definesSolve,
        "Reply with the complete q solution defining `solve` in one ```q block.",
        counter,
      ));
    const newTests = new Map<number, string>();
    for (const t of p.tests) {
      if (t.q !== undefined) continue;
      if (t.python === undefined)
        return done("error", 0, `test ${t.n}: neither ${qTestFile(t.n)} nor ${pyTestFile(t.n)}`);
      const prompt = ctx.prompts.render("convert-test", {
        python_test: t.python,
        expected: t.expected,
        q_solution: solution,
      });
      newTests.set(t.n, await ask(ctx, p.name, `convert-test ${t.n}`, prompt, callsSolveOnce, TEST_DEMAND, counter));
    }
    const testCode = (t: ProblemTest) => t.q ?? newTests.get(t.n)!;
    let lastFailure: string | undefined;

    for (let round = 1; ; round++) {
      const verdicts: Array<TestVerdict & { n: number }> = [];
      for (const t of p.tests) verdicts.push({ n: t.n, ...(await ctx.runner.run(solution, testCode(t), t.expected)) });
      ctx.log({ event: "verdict", problem: p.name, round, solution, tests: verdicts });
      const bad = verdicts.find((v) => v.status !== "pass");
      if (bad === undefined) {
        await writeOut(p, solution, newTests, true);
        return done("converted", round);
      }
      if (round >= ctx.maxRounds) {
        await writeOut(p, solution, newTests, false);
        return done("failing", round, `test ${bad.n}: ${bad.reason ?? "wrong answer"}`);
      }
      const t = p.tests.find((x) => x.n === bad.n)!;
      // The same failure after a solution repair suggests the test is the wrong translation.
      // Only a test the model wrote is rewritten; a person's test is the specification.
      const failure = `${bad.n}\0${bad.status}\0${bad.actual ?? ""}\0${bad.reason ?? ""}`;
      const blameTest = failure === lastFailure && newTests.has(t.n) && t.python !== undefined;
      lastFailure = failure;
      if (blameTest) {
        const prompt = ctx.prompts.render("fix-test", {
          python_test: t.python!,
          failing_test: testCode(t),
          q_solution: solution,
          expected: t.expected,
          actual: bad.actual ?? "(no output)",
          q_error: bad.status === "error" ? (bad.reason ?? "unknown error") : "none",
        });
        try {
          newTests.set(
            t.n,
            await ask(ctx, p.name, `fix-test ${t.n} round ${round}`, prompt, callsSolveOnce, TEST_DEMAND, counter),
          );
        } catch (e) {
          if (!(e instanceof NoCode)) throw e;
          await writeOut(p, solution, newTests, false);
          return done("failing", round, `test ${bad.n}: ${bad.reason ?? "wrong answer"}; ${e.message}`);
        }
        continue;
      }
      const prompt = ctx.prompts.render("fix-solution", {
        ...base,
        q_solution: solution,
        failing_test: testCode(t),
        expected: t.expected,
        actual: bad.actual ?? "(no output)",
        q_error: bad.status === "error" ? (bad.reason ?? "unknown error") : "none",
      });
      try {
        solution = await ask(
          ctx,
          p.name,
          `fix-solution round ${round}`,
          prompt,
          definesSolve,
          "Reply with the complete corrected q solution defining `solve` in one ```q block.",
          counter,
        );
      } catch (e) {
        if (!(e instanceof NoCode)) throw e;
        // The attempt we have still stands; it is failing, not lost.
        await writeOut(p, solution, newTests, false);
        return done("failing", round, `test ${bad.n}: ${bad.reason ?? "wrong answer"}; ${e.message}`);
      }
    }
  } catch (e) {
    if (e instanceof NoCode) return done("error", 0, e.message);
    throw e;
  }
}

async function writeOut(p: ProblemInput, solution: string, tests: Map<number, string>, passed: boolean): Promise<void> {
  // An unchanged sol.q is not rewritten: a new mtime would make the verifier's cache distrust it.
  if (solution !== p.q && (passed || p.q === undefined))
    await writeFileAtomic(join(p.dir, Q_SOLUTION_FILE), `${solution.trimEnd()}\n`);
  for (const [n, code] of tests) await writeFileAtomic(join(p.dir, qTestFile(n)), `${code.trimEnd()}\n`);
}
