/**
 * `qds import leetcode <file.jsonl[.gz]> --out <dir>`: see dataset/leetcode.ts.
 * Prints counts by outcome and status and the time taken; exits 1 when the
 * input had malformed rows. Other sources are subcommands of `import`: add
 * one `.addCommand(...)` line below.
 */
import { availableParallelism } from "node:os";
import { type ImportSummary, importLeetCode } from "../dataset/leetcode";
import { act, Command, inputFile, integer, list, positive } from "./args";

export function importCommand(): Command {
  return new Command("import")
    .summary("import problems from a source dataset into problem folders")
    .description("Imports problems from a source dataset into problem folders, one subcommand per source.")
    .addCommand(leetcodeCommand());
}

interface LeetCodeFlags {
  out: string;
  difficulty?: string[];
  limit?: number;
  ids?: string[];
  force?: boolean;
  jobs: number;
  timeout: number;
}

function leetcodeCommand(): Command {
  return new Command("leetcode")
    .summary("import the LeetCodeDataset (JSONL, optionally gzipped)")
    .description(
      "Writes one problem folder per row: description, reference Python solution, Python tests " +
        "and their expected answers (computed by running the reference; what the reference itself " +
        "prints is left out and flagged), entry.json with the source's title, difficulty and tags. " +
        "Misspelt difficulties are read when the spelling is known (Meidum: Medium). Re-import " +
        "leaves folders you edited alone. Exit code 1 when rows were malformed (skipped) or need a " +
        "fix by hand (an unknown difficulty); each is reported as file:line.",
    )
    .argument("<file>", "the source rows: .jsonl or .jsonl.gz")
    .requiredOption("--out <dir>", "the dataset folder to write")
    .option("--difficulty <list>", "only these difficulties (comma-separated: Easy,Medium,Hard)", list)
    .option("--limit <n>", "import at most this many rows", integer(1))
    .option("--ids <list>", "only these task ids (comma-separated)", list)
    .option("--force", "rewrite folders even when they were edited")
    .option("--jobs <n>", "rows processed in parallel", integer(1), availableParallelism())
    .option("--timeout <seconds>", "time limit per reference run", positive, 10)
    .action(
      act(async (file: string, flags: LeetCodeFlags) => {
        const tty = process.stderr.isTTY;
        const summary = await importLeetCode(inputFile(file), {
          out: flags.out,
          force: flags.force === true,
          jobs: flags.jobs,
          timeoutMs: flags.timeout * 1000,
          memoryMb: 1024,
          ...(flags.limit === undefined ? {} : { limit: flags.limit }),
          ...(flags.difficulty === undefined ? {} : { difficulties: flags.difficulty }),
          ...(flags.ids === undefined ? {} : { ids: flags.ids }),
          onRow: (r, done, total) => {
            if (tty) process.stderr.write(`\r\x1b[K${done}/${total} ${r.folder}`);
            else if (done % 100 === 0 || done === total) process.stderr.write(`${done}/${total}\n`);
          },
        });
        if (tty) process.stderr.write("\n");
        for (const b of [...summary.badRows, ...summary.rowIssues]) process.stderr.write(`${b}\n`);
        process.stdout.write(importReport(summary));
        return summary.badRows.length + summary.rowIssues.length > 0 ? 1 : 0;
      }),
    );
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
    `rows read ${s.rows}${s.badRows.length > 0 ? ` (${s.badRows.length} malformed)` : ""}, selected ${s.results.length}` +
      (s.rowIssues.length > 0 ? `; ${s.rowIssues.length} rows need a fix by hand (listed on stderr)` : ""),
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
