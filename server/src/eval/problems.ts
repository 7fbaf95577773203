/**
 * What `qds eval` needs of a problem folder: its description (the prompt),
 * the q function its tests call, its q tests with their expected answers,
 * and the tolerance a test may allow.
 *
 * The function: q tests call `solve` (the dataset rule). A folder imported
 * from Q-HumanEval names the function the prompt asks for in entry.json's
 * `q_function` (e.g. `has_close_elements`); the judge then appends
 * `solve:<q_function>` after the model's code, so the model answers the
 * prompt as written and the tests still call `solve` once.
 *
 * Tolerance: entry.json's `abs_tolerance` maps a test number to an absolute
 * tolerance, written by the importer for `abs(candidate(x) - y) < t`
 * asserts. Tests not listed compare exactly (by the verify judge).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { answerFile, DESCRIPTION_FILE, ENTRY_FILE, qTestFile, testNumbers } from "../dataset/format";
import { listProblemDirs, listProblemFiles } from "../dataset/load";
import { absTolerances } from "../dataset/schema";

export interface EvalTest {
  n: number;
  q: string;
  expected: string;
  /** Absolute tolerance for numbers, when the original assert had one. */
  absTolerance?: number;
}

export interface EvalProblem {
  name: string;
  dir: string;
  /** The ids a completions file may use for this problem (folder name, entry id, task_id). */
  ids: string[];
  taskId: string;
  description: string;
  functionName: string;
  tests: EvalTest[];
}

function readEntry(dir: string): Record<string, unknown> {
  const p = join(dir, ENTRY_FILE);
  if (!existsSync(p)) return {};
  try {
    const v = JSON.parse(readFileSync(p, "utf8")) as unknown;
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch (e) {
    throw new Error(`${p}: ${(e as Error).message}`);
  }
}

export function loadEvalProblem(datasetDir: string, name: string): EvalProblem {
  const dir = join(datasetDir, name);
  const entry = readEntry(dir);
  const files = new Set(listProblemFiles(dir));
  const tol = absTolerances(entry);
  const tests: EvalTest[] = [];
  for (const n of testNumbers(files)) {
    if (!files.has(qTestFile(n)) || !files.has(answerFile(n))) continue;
    const t: EvalTest = {
      n,
      q: readFileSync(join(dir, qTestFile(n)), "utf8"),
      expected: readFileSync(join(dir, answerFile(n)), "utf8").trim(),
    };
    const a = tol[String(n)];
    if (a !== undefined) t.absTolerance = a;
    tests.push(t);
  }
  const taskId = entry["task_id"] ?? entry["id"] ?? name;
  const ids = new Set([name, String(taskId)]);
  if (entry["id"] !== undefined) ids.add(String(entry["id"]));
  const m = /^HumanEval\/(\d+)$/.exec(String(taskId));
  if (m) ids.add(m[1]!);
  const description = files.has(DESCRIPTION_FILE) ? readFileSync(join(dir, DESCRIPTION_FILE), "utf8").trim() : "";
  const fn = typeof entry["q_function"] === "string" && entry["q_function"] !== "" ? entry["q_function"] : "solve";
  return { name, dir, ids: [...ids], taskId: String(taskId), description, functionName: fn, tests };
}

/** The chosen problems (default all), each with at least one q test; a chosen one without tests is an error. */
export function loadEvalProblems(datasetDir: string, only?: readonly string[]): EvalProblem[] {
  const all = listProblemDirs(datasetDir);
  if (only !== undefined) {
    const missing = only.filter((n) => !all.includes(n));
    if (missing.length > 0) throw new Error(`${datasetDir}: no problem folder ${missing.join(", ")}`);
  }
  const out: EvalProblem[] = [];
  for (const name of only ?? all) {
    const p = loadEvalProblem(datasetDir, name);
    if (p.tests.length > 0) out.push(p);
    else if (only !== undefined) throw new Error(`${join(datasetDir, name)}: no q test with an expected answer`);
  }
  return out;
}
