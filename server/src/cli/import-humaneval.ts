/**
 * `qds import q-humaneval <dir | q_humaneval.jsonl HumanEval.jsonl.gz> --out <dir>`:
 * see dataset/humaneval.ts. Prints how many problems and asserts were
 * imported, and every assert that was not, with its reason, grouped by
 * reason. Exits 1 when a written problem has no test at all.
 */
import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { type HumanEvalSummary, importHumanEval } from "../dataset/humaneval";
import { act, CliError, Command, inputFile, integer, list, positive } from "./args";

interface HumanEvalFlags {
  out: string;
  ids?: string[];
  force?: boolean;
  jobs: number;
  timeout: number;
}

export function humanEvalCommand(): Command {
  return new Command("q-humaneval")
    .summary("import Q-HumanEval (q prompts) with HumanEval's canonical Python")
    .description(
      "Writes one problem folder per Q-HumanEval problem: the q prompt as the description, HumanEval's " +
        "canonical solution as sol.py, and per assert of its check one Python test, one q test and the " +
        "answer computed by running the reference. Asserts that cannot be translated faithfully are " +
        "reported, never dropped silently. Exit code 1 when a problem gets no test.",
    )
    .argument("<source>", "the folder holding q_humaneval.jsonl and HumanEval.jsonl.gz, or q_humaneval.jsonl")
    .argument("[humaneval]", "HumanEval.jsonl(.gz), when <source> is the q_humaneval.jsonl file")
    .requiredOption("--out <dir>", "the dataset folder to write")
    .option("--ids <list>", "only these task numbers (comma-separated)", list)
    .option("--force", "rewrite problem folders that already exist")
    .option("--jobs <n>", "problems processed in parallel", integer(1), availableParallelism())
    .option("--timeout <seconds>", "time limit per reference run", positive, 10)
    .action(
      act(async (source: string, humaneval: string | undefined, flags: HumanEvalFlags) => {
        let qFile = source;
        let hFile = humaneval;
        if (hFile === undefined) {
          if (!statSync(source, { throwIfNoEntry: false })?.isDirectory())
            throw new CliError(`${source}: not a folder holding q_humaneval.jsonl (or give both files)`);
          qFile = join(source, "q_humaneval.jsonl");
          hFile = join(source, "HumanEval.jsonl.gz");
        }
        const ids = flags.ids?.map((s) => {
          const n = Number(s);
          if (!Number.isInteger(n)) throw new CliError(`--ids expects task numbers, got '${s}'`);
          return n;
        });
        const tty = process.stderr.isTTY;
        const summary = await importHumanEval(inputFile(qFile), inputFile(hFile), {
          out: flags.out,
          force: flags.force === true,
          jobs: flags.jobs,
          timeoutMs: flags.timeout * 1000,
          memoryMb: 1024,
          ...(ids === undefined ? {} : { ids }),
          onProblem: (r, done, total) => {
            if (tty) process.stderr.write(`\r\x1b[K${done}/${total} ${r.folder}`);
          },
        });
        if (tty) process.stderr.write("\n");
        process.stdout.write(humanEvalReport(summary));
        return summary.results.some((r) => r.outcome === "written" && r.imported === 0) ? 1 : 0;
      }),
    );
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
