/**
 * Judging a remote generator's completions locally, with `qds verify` itself:
 * every (problem, sample) becomes a candidate problem folder, a copy of the
 * problem's test files plus the sample's extracted code as sol.q, and
 * `verifyDataset` runs them in the embedded engine's sandbox. Generated code
 * never runs anywhere else, and never on the remote host.
 *
 * Resumable for free: verification caches each candidate in
 * `<workDir>/.qds/cache`, so a controller killed mid-judging re-judges only
 * the candidates it had not finished.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { answerFile, ENTRY_FILE, Q_SOLUTION_FILE, qTestFile, testNumbers } from "../dataset/format";
import { writeFileAtomic } from "../dataset/fsx";
import { listProblemFiles } from "../dataset/load";
import { definesSolve, extractCode } from "../llm/extract";
import type { QEngine } from "../verify/engines";
import { verifyDataset } from "../verify/verify";
import type { Completion } from "./remote/types";

export interface SampleVerdict {
  sample: number;
  passed: boolean;
  /** The extracted q code; null when the completion had none. */
  code: string | null;
  reason?: string;
}

export interface JudgeOptions {
  datasetDir: string;
  /** Problems to judge; a problem with no completion gets no verdicts. */
  problems: readonly string[];
  completions: readonly Completion[];
  /** Candidate folders and their verification cache live here. */
  workDir: string;
  engine: QEngine;
  jobs: number;
  timeoutMs: number;
  memoryMb: number;
}

const candidateName = (problem: string, sample: number): string => `${problem}@${sample}`;

/** Verdicts per problem, samples in order. */
export async function judgeCompletions(opts: JudgeOptions): Promise<Map<string, SampleVerdict[]>> {
  const wanted = new Set(opts.problems);
  const verdicts = new Map<string, SampleVerdict[]>();
  const codes = new Map<string, string | null>();
  mkdirSync(opts.workDir, { recursive: true });
  for (const c of opts.completions) {
    if (!wanted.has(c.task_id)) continue;
    const name = candidateName(c.task_id, c.sample);
    const extraction = extractCode(c.completion, definesSolve);
    const code = extraction.ok ? extraction.code : null;
    codes.set(name, code);
    const dir = join(opts.workDir, name);
    // Copy once: an unchanged candidate keeps its files' stats, so its cached verdict is reused.
    if (!existsSync(join(dir, ENTRY_FILE))) {
      mkdirSync(dir, { recursive: true });
      const src = join(opts.datasetDir, c.task_id);
      for (const f of listProblemFiles(src)) {
        const n = testNumbers([f])[0];
        if (f === ENTRY_FILE || (n !== undefined && (f === qTestFile(n) || f === answerFile(n))))
          copyFileSync(join(src, f), join(dir, f));
      }
      if (code !== null) await writeFileAtomic(join(dir, Q_SOLUTION_FILE), `${code}\n`);
    }
  }
  const summary = await verifyDataset(opts.workDir, {
    engine: opts.engine,
    jobs: opts.jobs,
    timeoutMs: opts.timeoutMs,
    memoryMb: opts.memoryMb,
    force: false,
    python: false,
    only: new Set(codes.keys()),
  });
  for (const r of summary.problems) {
    const at = r.name.lastIndexOf("@");
    const problem = r.name.slice(0, at);
    const v: SampleVerdict = {
      sample: Number(r.name.slice(at + 1)),
      passed: r.status === "valid",
      code: codes.get(r.name) ?? null,
    };
    if (r.status === "no_q") v.reason = "no q code in the completion";
    else if (r.reason !== undefined) v.reason = r.reason;
    verdicts.set(problem, [...(verdicts.get(problem) ?? []), v]);
  }
  for (const list of verdicts.values()) list.sort((a, b) => a.sample - b.sample);
  return verdicts;
}

/** Reads a completions.jsonl; a bad line is an error naming the file and line. */
export function readCompletions(file: string): Completion[] {
  const out: Completion[] = [];
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "") return;
      try {
        const c = JSON.parse(line) as Completion;
        if (typeof c.task_id !== "string" || typeof c.completion !== "string" || !Number.isInteger(c.sample))
          throw new Error("needs task_id, sample and completion");
        out.push(c);
      } catch (err) {
        throw new Error(`${file}:${i + 1}: ${(err as Error).message}`);
      }
    });
  return out;
}
