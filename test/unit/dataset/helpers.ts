/**
 * Builds real problem folders in temp directories for the dataset and verify
 * tests. `problem()` gives a complete, well-formed problem whose q test and
 * Python test both print the expected answer, so tests only spell out what
 * they change.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `qds-${prefix}-`));

/** Files of a small valid problem: add two numbers, two tests. */
export function problem(overrides: Record<string, string | Buffer | undefined> = {}): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer | undefined> = {
    "entry.json": `${JSON.stringify({ id: 1, slug: "add", title: "Add", difficulty: "Easy", tags: ["math"] }, null, 2)}\n`,
    "problem_description.txt": "Return a + b.\n",
    "sol.py": "class Solution:\n    def add(self, a, b):\n        return a + b\n",
    "sol.q": "solve:{[a;b] a+b}\n",
    "test_case_1.py": "from sol import *\nprint(Solution().add(a=1, b=2))\n",
    "test_case_1_correct_ans.txt": "3\n",
    "q_test_case_1.q": "show solve[1;2]\n",
    "test_case_2.py": "from sol import *\nprint(Solution().add(a=2.5, b=0.5))\n",
    "test_case_2_correct_ans.txt": "3.0\n",
    "q_test_case_2.q": "show solve[2.5;0.5]\n",
    ...overrides,
  };
  return Object.fromEntries(Object.entries(files).filter((e): e is [string, string | Buffer] => e[1] !== undefined));
}

export function writeProblem(root: string, name: string, files: Record<string, string | Buffer>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}
