/**
 * `qds import q-humaneval <dir | q_humaneval.jsonl HumanEval.jsonl.gz> --out <dir>
 *  [--ids 0,1,2] [--force] [--jobs N] [--timeout S]`: see dataset/humaneval.ts.
 * Prints how many problems and asserts were imported, and every assert that
 * was not, with its reason, grouped by reason. Exits 1 when a problem has
 * no test at all.
 */
import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type HumanEvalSummary, importHumanEval } from "../dataset/humaneval";

const USAGE =
  "usage: qds import q-humaneval <dir | q_humaneval.jsonl HumanEval.jsonl.gz> --out <dir> [--ids 0,1,2] [--force] [--jobs N] [--timeout S]\n";

export async function importHumanEvalCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      ids: { type: "string" },
      force: { type: "boolean", default: false },
      jobs: { type: "string" },
      timeout: { type: "string" },
    },
  });
  if (values.out === undefined || positionals.length < 1 || positionals.length > 2) {
    process.stderr.write(USAGE);
    return 2;
  }
  let [qFile, hFile] = positionals as [string, string | undefined];
  if (hFile === undefined) {
    if (!statSync(qFile, { throwIfNoEntry: false })?.isDirectory()) {
      process.stderr.write(`qds import q-humaneval: ${qFile} is not a folder holding q_humaneval.jsonl\n${USAGE}`);
      return 2;
    }
    hFile = join(qFile, "HumanEval.jsonl.gz");
    qFile = join(qFile, "q_humaneval.jsonl");
  }
  const ids = values.ids?.split(",").map((s) => Number(s.trim()));
  if (ids?.some((n) => !Number.isInteger(n))) {
    process.stderr.write(`qds import q-humaneval: --ids expects task numbers, got '${values.ids}'\n`);
    return 2;
  }
  const num = (text: string | undefined, fallback: number, flag: string): number => {
    const n = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${flag} expects a positive number, got '${text}'`);
    return n;
  };
  const tty = process.stderr.isTTY;
  let summary: HumanEvalSummary;
  try {
    summary = await importHumanEval(qFile, hFile, {
      out: values.out,
      force: values.force,
      jobs: Math.floor(num(values.jobs, availableParallelism(), "jobs")),
      timeoutMs: num(values.timeout, 10, "timeout") * 1000,
      memoryMb: 1024,
      ...(ids === undefined ? {} : { ids }),
      onProblem: (r, done, total) => {
        if (tty) process.stderr.write(`\r\x1b[K${done}/${total} ${r.folder}`);
      },
    });
  } catch (e) {
    if (tty) process.stderr.write("\n");
    process.stderr.write(`qds import q-humaneval: ${(e as Error).message}\n`);
    return 1;
  }
  if (tty) process.stderr.write("\n");
  process.stdout.write(humanEvalReport(summary));
  return summary.results.some((r) => r.outcome === "written" && r.imported === 0) ? 1 : 0;
}

export function humanEvalReport(s: HumanEvalSummary): string {
  const written = s.results.filter((r) => r.outcome === "written");
  const asserts = written.reduce((n, r) => n + r.asserts, 0);
  const imported = written.reduce((n, r) => n + r.imported, 0);
  const reasons = new Map<string, string[]>();
  for (const r of written) {
    for (const k of r.skipped) {
      // Group by the reason's kind (the text before any value it quotes).
      const kind = k.reason.replace(/ \(.*$|: .*$| gives .*$| returns .*$/, "");
      reasons.set(kind, [...(reasons.get(kind) ?? []), `${r.folder}:${k.line}`]);
    }
  }
  const lines = [
    `problems in the file ${s.problems}; written ${written.length}, kept (already there) ${s.results.length - written.length}`,
    `problems with at least one test ${written.filter((r) => r.imported > 0).length}, fully imported ${written.filter((r) => r.skipped.length === 0 && r.imported > 0).length}`,
    `asserts ${asserts}: imported ${imported}, not imported ${asserts - imported}`,
  ];
  for (const [kind, where] of [...reasons].sort((a, b) => b[1].length - a[1].length)) {
    lines.push(`  ${String(where.length).padStart(4)}  ${kind}: ${where.join(", ")}`);
  }
  const none = written.filter((r) => r.imported === 0).map((r) => r.folder);
  if (none.length > 0) lines.push(`problems with no test (not evaluable): ${none.join(", ")}`);
  lines.push(`time ${(s.elapsedMs / 1000).toFixed(1)} s`);
  return `${lines.join("\n")}\n`;
}
