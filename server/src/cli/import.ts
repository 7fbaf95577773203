/**
 * `qds import leetcode <file.jsonl[.gz]> --out <dir> [--difficulty Easy,Medium]
 *  [--limit N] [--ids a,b] [--force] [--jobs N] [--timeout S]`: see
 * dataset/leetcode.ts. Prints counts by outcome and status and the time
 * taken; exits 1 when the input had malformed rows.
 */
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { type ImportSummary, importLeetCode } from "../dataset/leetcode";
import { importHumanEvalCommand } from "./import-humaneval";

const USAGE =
  "usage: qds import leetcode <file.jsonl|file.jsonl.gz> --out <dir> [--difficulty Easy,Medium] [--limit N] [--ids a,b] [--force] [--jobs N] [--timeout S]\n";

const list = (s: string | undefined): string[] | undefined =>
  s === undefined
    ? undefined
    : s
        .split(",")
        .map((x) => x.trim())
        .filter((x) => x !== "");

function count(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${flag} expects a positive number, got '${text}'`);
  return n;
}

export async function importCommand(args: string[]): Promise<number> {
  if (args[0] === "q-humaneval") return importHumanEvalCommand(args.slice(1));
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      difficulty: { type: "string" },
      limit: { type: "string" },
      ids: { type: "string" },
      force: { type: "boolean", default: false },
      jobs: { type: "string" },
      timeout: { type: "string" },
    },
  });
  if (positionals[0] !== "leetcode" || positionals.length !== 2 || values.out === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  const limit = count(values.limit, "limit");
  const difficulties = list(values.difficulty);
  const ids = list(values.ids);
  const tty = process.stderr.isTTY;
  const summary = await importLeetCode(positionals[1]!, {
    out: values.out,
    force: values.force,
    jobs: Math.floor(count(values.jobs, "jobs") ?? availableParallelism()),
    timeoutMs: (count(values.timeout, "timeout") ?? 10) * 1000,
    memoryMb: 1024,
    ...(limit === undefined ? {} : { limit: Math.floor(limit) }),
    ...(difficulties === undefined ? {} : { difficulties }),
    ...(ids === undefined ? {} : { ids }),
    onRow: (r, done, total) => {
      if (tty) process.stderr.write(`\r\x1b[K${done}/${total} ${r.folder}`);
      else if (done % 100 === 0 || done === total) process.stderr.write(`${done}/${total}\n`);
    },
  });
  if (tty) process.stderr.write("\n");
  for (const b of summary.badRows) process.stderr.write(`${b}\n`);
  process.stdout.write(importReport(summary));
  return summary.badRows.length > 0 ? 1 : 0;
}

/** Counts by outcome, then by import_status (the text before any ':'), then tests and time. */
export function importReport(s: ImportSummary): string {
  const tally = (keys: string[]): string =>
    [...keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>())]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `  ${k.padEnd(20)} ${n}`)
      .join("\n");
  const written = s.results.filter((r) => r.outcome === "written");
  const lines = [
    `rows read ${s.rows}${s.badRows.length > 0 ? ` (${s.badRows.length} malformed)` : ""}, selected ${s.results.length}`,
    "by outcome:",
    tally(s.results.map((r) => r.outcome)),
  ];
  if (written.length > 0) {
    lines.push("written, by import_status:", tally(written.map((r) => r.status.split(":")[0]!)));
    lines.push(
      `tests with computed answers ${written.reduce((n, r) => n + r.tests, 0)}; answers differing from the dataset's text ${written.reduce((n, r) => n + r.warnings.filter((w) => w.includes("the dataset says")).length, 0)}`,
    );
  }
  lines.push(`time ${(s.elapsedMs / 1000).toFixed(1)} s`);
  return `${lines.join("\n")}\n`;
}
