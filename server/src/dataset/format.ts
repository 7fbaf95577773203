/**
 * The problem-folder format: one folder per problem, fixed file names, and
 * numbered test cases. This module is the single place that knows the names;
 * loaders, the validator, the verifier and the exporters ask it.
 *
 *   entry.json                    metadata (schema.ts)
 *   problem_description.txt       statement
 *   sol.py / sol.q                reference Python solution / the q solution
 *   test_case_N.py                Python test: calls the solution once, prints the result
 *   test_case_N_correct_ans.txt   expected output
 *   q_test_case_N.q               q test: calls `solve` once, prints the result
 */

/**
 * Version of the code that turns a problem folder into test runs (the file
 * names here, the solve-call rule, how verify composes a test script). It is
 * part of every verification-cache key: bump it whenever that code changes
 * what a test runs or how it is found, so no cached verdict outlives it.
 */
export const PROBLEM_FORMAT_VERSION = 1;

export const ENTRY_FILE = "entry.json";
export const DESCRIPTION_FILE = "problem_description.txt";
export const PY_SOLUTION_FILE = "sol.py";
export const Q_SOLUTION_FILE = "sol.q";

export const pyTestFile = (n: number): string => `test_case_${n}.py`;
export const answerFile = (n: number): string => `test_case_${n}_correct_ans.txt`;
export const qTestFile = (n: number): string => `q_test_case_${n}.q`;

/** Which test-case file a name is, if any. */
export type TestFileKind = "py" | "answer" | "q";

const TEST_FILE = /^(?:test_case_(\d+)\.py|test_case_(\d+)_correct_ans\.txt|q_test_case_(\d+)\.q)$/;

export function classifyTestFile(name: string): { kind: TestFileKind; n: number } | undefined {
  const m = TEST_FILE.exec(name);
  if (m === null) return undefined;
  if (m[1] !== undefined) return { kind: "py", n: Number(m[1]) };
  if (m[2] !== undefined) return { kind: "answer", n: Number(m[2]) };
  return { kind: "q", n: Number(m[3]) };
}

/** The sorted test numbers that any test-case file in `names` mentions. */
export function testNumbers(names: Iterable<string>): number[] {
  const seen = new Set<number>();
  for (const name of names) {
    const t = classifyTestFile(name);
    if (t !== undefined) seen.add(t.n);
  }
  return [...seen].sort((a, b) => a - b);
}

/**
 * The original pipeline's rule: a q test calls `solve` exactly once, counted
 * with a word-boundary regex over the raw text (comments included, as it did).
 * Returns the count and the 1-based line of each occurrence.
 */
export function solveCalls(text: string): number[] {
  const lines: number[] = [];
  const re = /\bsolve\b/g;
  let line = 1;
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    for (let i = last; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    last = m.index;
    lines.push(line);
  }
  return lines;
}
