/**
 * A small dataset a tiny model can learn, for bootstrap runs: families of
 * problems ("sum of a list", "largest element", …) whose variants differ only
 * in a number in the title and in their test data, so one family's solution
 * solves all its variants. The first variant of every family ships with a
 * valid sol.q (the seed solved set); the others have tests but no solution,
 * so a model that learned a family from its solved variants can solve (and
 * be evaluated on) the rest. Real problem folders, verified by the real judge.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

interface Family {
  slug: string;
  title: string;
  description: string;
  python: string;
  q: string;
  /** Expected answer (Python repr) for an input list. */
  answer: (xs: number[]) => string;
}

export const FAMILIES: Family[] = [
  {
    slug: "sum",
    title: "Sum",
    description: "Return the sum of the numbers in x.",
    python: "sum(x)",
    q: "solve:{sum x}",
    answer: (xs) => String(xs.reduce((a, b) => a + b, 0)),
  },
  {
    slug: "max",
    title: "Largest",
    description: "Return the largest number in x.",
    python: "max(x)",
    q: "solve:{max x}",
    answer: (xs) => String(Math.max(...xs)),
  },
  {
    slug: "min",
    title: "Smallest",
    description: "Return the smallest number in x.",
    python: "min(x)",
    q: "solve:{min x}",
    answer: (xs) => String(Math.min(...xs)),
  },
  {
    slug: "count",
    title: "Count",
    description: "Return how many numbers x holds.",
    python: "len(x)",
    q: "solve:{count x}",
    answer: (xs) => String(xs.length),
  },
  {
    slug: "first",
    title: "First",
    description: "Return the first number in x.",
    python: "x[0]",
    q: "solve:{first x}",
    answer: (xs) => String(xs[0]),
  },
  {
    slug: "last",
    title: "Last",
    description: "Return the last number in x.",
    python: "x[-1]",
    q: "solve:{last x}",
    answer: (xs) => String(xs.at(-1)),
  },
];

/** Writes `variants` problems per family into `dir`; variant 1 of each family has a sol.q. */
export function writeTinyBootstrapDataset(dir: string, variants = 5): string[] {
  const names: string[] = [];
  let id = 1;
  for (const f of FAMILIES) {
    for (let v = 1; v <= variants; v++) {
      const name = `${f.slug}-${v}_${id}`;
      const p = join(dir, name);
      mkdirSync(p, { recursive: true });
      const entry = {
        id,
        slug: `${f.slug}-${v}`,
        title: `${f.title} ${v}`,
        difficulty: "Easy",
        tags: ["array"],
        entry_point: "solve",
      };
      writeFileSync(join(p, "entry.json"), `${JSON.stringify(entry, null, 2)}\n`);
      writeFileSync(join(p, "problem_description.txt"), `${f.description}\n`);
      writeFileSync(join(p, "sol.py"), `def solve(x):\n    return ${f.python}\n`);
      if (v === 1) writeFileSync(join(p, "sol.q"), `${f.q}\n`);
      for (let t = 1; t <= 2; t++) {
        const xs = [((id * 7 + t * 3) % 9) + 1, ((id * 5 + t) % 11) + 2, ((id + t * 13) % 7) + 3];
        writeFileSync(join(p, `test_case_${t}.py`), `from sol import *\nprint(repr(solve(${JSON.stringify(xs)})))\n`);
        writeFileSync(join(p, `test_case_${t}_correct_ans.txt`), `${f.answer(xs)}\n`);
        writeFileSync(join(p, `q_test_case_${t}.q`), `0N!solve[${xs.join(" ")}];\n`);
      }
      names.push(name);
      id++;
    }
  }
  return names;
}
