/**
 * `qds eval`: a thin adapter over server/src/eval.
 *
 *   qds eval <dataset> --out DIR [--n N] [--k 1,5,10] [--problems a,b]
 *     (--completions FILE | --provider P --model M [--base-url URL] [--temperature T]
 *      [--max-tokens N] [--stop S]… [--llm-timeout S] [--concurrency N] [--rpm N] [--tpm N]
 *      [--retries N] [--backoff-ms MS])
 *     [--train DIR [--threshold X] [--ngram N] [--keep-contaminated]]
 *     [--jobs N] [--timeout S] [--memory MB] [--q PATH] [--dry-run]
 *   qds eval compare <a> <b> [--json]      (each a summary.json or an eval output folder)
 *   qds eval contamination <dataset> --train DIR [--threshold X] [--ngram N] [--json]
 *
 * Options are declared below (commander; `qds eval --help` lists them). Keys
 * come from the environment, as for `qds convert`. Re-running with the same
 * --out resumes. Exit code 0 when the run finished (whatever the score), 1
 * when samples are missing (generation failed after retries), 2 on usage errors.
 */
import { resolve } from "node:path";
import {
  checkContamination,
  compare,
  type EvalOptions,
  type EvalSummary,
  estimateEval,
  evaluate,
  loadEvalProblems,
  readSummary,
  type Source,
} from "../eval";
import type { Comparison } from "../eval/types";
import type { Cost } from "../llm/pricing";
import { KEY_ENV, keyFromEnv } from "../llm/settings";
import { LlmError, PROVIDER_NAMES } from "../llm/types";
import {
  act,
  CliError,
  Command,
  datasetDir as checkDataset,
  choice,
  InvalidArgumentError,
  inputFile,
  integer,
  type LlmFlags,
  list,
  llmSettings,
  number,
  qBinary,
} from "./args";

interface EvalFlags extends LlmFlags {
  out: string;
  n: number;
  k: number[];
  problems?: string[];
  completions?: string;
  stop?: string[];
  concurrency?: number;
  backoffMs?: number;
  train?: string;
  threshold?: number;
  ngram?: number;
  keepContaminated?: boolean;
  jobs?: number;
  timeout?: number;
  memory?: number;
  q?: string;
  dryRun?: boolean;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const money = (c: Cost): string =>
  c === "unknown" ? "unknown (model not in the price table)" : `~$${c.usd.toFixed(2)}`;

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function fraction(text: string): number {
  const n = Number(text);
  if (!(n > 0 && n <= 1)) throw new InvalidArgumentError(`expects a number in (0, 1], got '${text}'`);
  return n;
}

/** `--k 1,5,10`: positive integers; repeated flags accumulate. */
function ks(text: string, previous: number[] | undefined): number[] {
  return [...(previous ?? []), ...list(text, undefined).map((x) => integer(1)(x))];
}

const repeat = (text: string, previous: string[] | undefined): string[] => [...(previous ?? []), text];

export function evalCommand(): Command {
  return new Command("eval")
    .summary("pass@k of a model on a dataset's q tests; compare runs; contamination check")
    .description(
      "Samples n completions per problem from a provider (keys from the environment: " +
        `${[...new Set(Object.values(KEY_ENV).flat())].join(", ")}) or reads them from a JSONL file, ` +
        "judges each with the dataset's q tests as `qds verify` does, and reports unbiased pass@k with " +
        "95% bootstrap intervals. Results go to --out (samples.jsonl, summary.json); re-running with the " +
        "same --out resumes. Exit code 1 when problems lack samples (generation failed).",
    )
    .argument("<dataset-dir>", "the dataset folder (e.g. from `qds import q-humaneval`)")
    .requiredOption("--out <dir>", "the output folder (resumed when it exists)")
    .option("--n <n>", "samples per problem", integer(1), 1)
    .option("--k <list>", "pass@k for these k (comma-separated, each at most n; default 1)", ks)
    .option("--problems <list>", "only these problem folders (comma-separated)", list)
    .option("--completions <file>", "judge completions from this JSONL instead of asking a model")
    .addOption(choice("--provider <name>", "LLM provider (default openai)", PROVIDER_NAMES))
    .option("--model <name>", "model name")
    .option("--base-url <url>", "API base URL (for openai-compatible servers)")
    .option("--temperature <t>", "sampling temperature, 0 to 2", number)
    .option("--max-tokens <n>", "output token limit per sample", integer(1))
    .option("--stop <text>", "stop sequence (repeatable)", repeat)
    .option("--llm-timeout <seconds>", "time limit per model request", integer(1))
    .option("--concurrency <n>", "model requests in flight", integer(1))
    .option("--rpm <n>", "requests per minute (0: unlimited)", integer(0))
    .option("--tpm <n>", "tokens per minute (0: unlimited)", integer(0))
    .option("--retries <n>", "retries per request", integer(0))
    .option("--backoff-ms <ms>", "first retry's backoff ceiling, doubling per retry", integer(1))
    .option("--train <dir>", "contamination check against this training dataset")
    .option("--threshold <x>", "n-gram overlap that flags a problem (default 0.5)", fraction)
    .option("--ngram <n>", "tokens per n-gram (default 8)", integer(1))
    .option("--keep-contaminated", "report flagged problems but keep them in the score")
    .option("--jobs <n>", "samples judged in parallel (completions file)", integer(1))
    .option("--timeout <seconds>", "time limit per q test run (default 5)", integer(1))
    .option("--memory <mb>", "memory limit per q test run in MiB (default 1024)", integer(0))
    .option("--q <path>", "judge with this q binary instead of the embedded engine")
    .option("--dry-run", "print the calls, tokens and cost still to spend, and stop")
    .action(act(runEval))
    .addCommand(compareCommand())
    .addCommand(contaminationCommand());
}

async function runEval(dir: string, f: EvalFlags): Promise<number> {
  const datasetDir = resolve(checkDataset(dir));
  const n = f.n;
  const k = f.k ?? [1];
  const bad = k.find((x) => x > n);
  if (bad !== undefined) throw new CliError(`pass@${bad} needs --n >= ${bad} (unbiased estimator), got --n ${n}`);
  let source: Source;
  if (f.completions !== undefined) {
    if (f.provider !== undefined || f.model !== undefined) {
      throw new CliError("--completions and --provider/--model are exclusive");
    }
    source = { kind: "completions", file: resolve(inputFile(f.completions)) };
  } else {
    const settings = llmSettings(f);
    const apiKey = keyFromEnv(settings.provider);
    source = {
      kind: "provider",
      settings,
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(f.stop === undefined ? {} : { stop: f.stop }),
      ...(f.concurrency === undefined ? {} : { concurrency: f.concurrency }),
      ...(f.backoffMs === undefined ? {} : { retry: { baseMs: f.backoffMs } }),
    };
  }
  const controller = new AbortController();
  const opts: EvalOptions = {
    datasetDir,
    source,
    n,
    k,
    outDir: resolve(f.out),
    signal: controller.signal,
    ...(f.problems === undefined ? {} : { problems: f.problems }),
    ...(f.jobs === undefined ? {} : { jobs: f.jobs }),
    ...(f.timeout === undefined ? {} : { timeoutMs: f.timeout * 1000 }),
    ...(f.memory === undefined ? {} : { memoryMb: f.memory }),
    ...(f.q === undefined ? {} : { engine: await qBinary(f.q) }),
    ...(f.train === undefined
      ? {}
      : {
          contamination: {
            trainDir: checkDataset(f.train),
            exclude: f.keepContaminated !== true,
            ...(f.threshold === undefined ? {} : { threshold: f.threshold }),
            ...(f.ngram === undefined ? {} : { ngram: f.ngram }),
          },
        }),
  };
  try {
    return await execute(opts, f.dryRun === true, controller);
  } catch (e) {
    // Bad input found while running (a file, a run folder with other settings, a refused key): one line.
    if (e instanceof LlmError || (e instanceof Error && !(e instanceof TypeError) && !(e instanceof ReferenceError)))
      throw new CliError(e.message);
    throw e;
  }
}

async function execute(opts: EvalOptions, dryRun: boolean, controller: AbortController): Promise<number> {
  const source = opts.source;
  if (dryRun) {
    const e = estimateEval(opts);
    const model =
      source.kind === "provider" ? `${source.settings.provider}/${source.settings.model}` : "completions file";
    process.stdout.write(
      `${e.problems} problems × ${opts.n} samples with ${model}: ${e.done} judged already, ${e.calls} model calls, ${e.judge} samples to judge; ` +
        `~${e.inputTokens} input tokens, at most ${e.maxOutputTokens} output tokens, cost at most ${money(e.cost)}\n`,
    );
    return 0;
  }
  const tty = process.stderr.isTTY;
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  let summary: EvalSummary;
  try {
    summary = await evaluate({
      ...opts,
      onProgress: (p) => {
        const line = `[${p.done}/${p.total}] passed ${p.passed}, ${(p.done / (p.elapsedMs / 1000 || 1)).toFixed(1)} samples/s, ETA ${p.etaMs === undefined ? "?" : clock(p.etaMs)}`;
        if (tty) process.stderr.write(`\r\x1b[K${line}`);
        else if (p.done % 50 === 0 || p.done === p.total) process.stderr.write(`${line}\n`);
      },
    });
  } finally {
    process.off("SIGINT", onSigint);
    if (tty) process.stderr.write("\n");
  }
  process.stdout.write(summaryReport(summary, opts.outDir));
  if (controller.signal.aborted) return 130;
  return summary.incomplete.length > 0 ? 1 : 0;
}

export function summaryReport(s: EvalSummary, outDir: string): string {
  const lines = [`${s.source}: ${s.problems} problems, n = ${s.n}, ${s.samples} samples judged`];
  for (const k of s.k) {
    const e = s.pass_at_k[String(k)]!;
    lines.push(`  pass@${k}  ${pct(e.value)}  (95% CI ${pct(e.ci[0])} – ${pct(e.ci[1])})`);
  }
  lines.push(`  interval: ${s.ci_method}`);
  const classes = Object.entries(s.classes).map(([c, v]) => `${c} ${v}`);
  lines.push(`  samples by outcome: ${classes.join(", ")}`);
  if (s.incomplete.length > 0) {
    lines.push(
      `  ${s.incomplete.length} problems lack samples and are not scored (re-run to resume): ${s.incomplete.slice(0, 10).join(", ")}${s.incomplete.length > 10 ? ", …" : ""}`,
    );
  }
  const c = s.contamination;
  if (c !== undefined) {
    lines.push(
      `  contamination vs ${c.train_dir} (${c.ngram}-grams, threshold ${c.threshold}): ${c.flagged.length} of ${c.checked} flagged${c.excluded ? ", left out of the score" : ", kept in the score"}`,
    );
    for (const f of c.flagged) lines.push(`    ${f.problem} ~ ${f.train_problem} (${pct(f.overlap)})`);
  }
  lines.push(`results: ${outDir}/samples.jsonl, summary: ${outDir}/summary.json`);
  return `${lines.join("\n")}\n`;
}

function compareCommand(): Command {
  return new Command("compare")
    .summary("compare two evaluations of the same problems (A vs B)")
    .description(
      "Per k: both pass@k means and B - A with a paired-bootstrap 95% interval and p-value; an exact " +
        "McNemar test on problems solved (at least half the samples pass) by one and not the other; the flips.",
    )
    .argument("<a>", "summary.json, or an eval output folder")
    .argument("<b>", "summary.json, or an eval output folder")
    .option("--json", "print the comparison as JSON")
    .action(
      act((a: string, b: string, f: { json?: boolean }) => {
        let c: Comparison;
        try {
          c = compare(readSummary(a), readSummary(b));
        } catch (e) {
          throw new CliError((e as Error).message);
        }
        process.stdout.write(f.json ? `${JSON.stringify(c, null, 2)}\n` : comparisonReport(c));
        return 0;
      }),
    );
}

export function comparisonReport(c: Comparison): string {
  const lines = [`${c.problems} problems in both (only in A: ${c.only_in_a.length}, only in B: ${c.only_in_b.length})`];
  for (const r of c.per_k) {
    const sign = r.diff >= 0 ? "+" : "";
    lines.push(
      `  pass@${r.k}  A ${pct(r.a)}  B ${pct(r.b)}  B−A ${sign}${pct(r.diff)} (95% CI ${pct(r.ci[0])} – ${pct(r.ci[1])}, p = ${r.p.toFixed(3)})`,
    );
  }
  const m = c.mcnemar;
  lines.push(
    `  solved by B only ${m.b_only}, by A only ${m.a_only}, both ${m.both}, neither ${m.neither}: McNemar exact p = ${m.p.toFixed(4)}`,
  );
  lines.push(
    `  ${m.p < 0.05 ? "the difference is unlikely to be chance (p < 0.05)" : "the difference could be chance (p >= 0.05)"}`,
  );
  for (const f of c.flips)
    lines.push(`    ${f.direction === "gained" ? "+" : "-"} ${f.problem}  A ${pct(f.a)} → B ${pct(f.b)}`);
  lines.push(`  method: ${c.method}`);
  return `${lines.join("\n")}\n`;
}

function contaminationCommand(): Command {
  return new Command("contamination")
    .summary("flag problems that near-duplicate a training problem")
    .description(
      "Token n-gram overlap of each problem's description and tests with every problem of the training " +
        "dataset; a problem is flagged when the share of its n-grams found in one training problem reaches " +
        "the threshold. Exit code 1 when any is flagged.",
    )
    .argument("<dataset-dir>", "the evaluation dataset")
    .requiredOption("--train <dir>", "the training dataset")
    .option("--threshold <x>", "overlap that flags a problem (default 0.5)", fraction)
    .option("--ngram <n>", "tokens per n-gram (default 8)", integer(1))
    .option("--json", "print the report as JSON")
    .action(
      act((dir: string, f: { train: string; threshold?: number; ngram?: number; json?: boolean }) => {
        const r = checkContamination(loadEvalProblems(checkDataset(dir)), {
          trainDir: checkDataset(f.train),
          ...(f.threshold === undefined ? {} : { threshold: f.threshold }),
          ...(f.ngram === undefined ? {} : { ngram: f.ngram }),
        });
        if (f.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        else {
          process.stdout.write(
            `${r.flagged.length} of ${r.checked} problems near-duplicate a problem in ${r.train_dir} (${r.ngram}-grams, threshold ${r.threshold})\n`,
          );
          for (const x of r.flagged) process.stdout.write(`  ${x.problem} ~ ${x.train_problem} (${pct(x.overlap)})\n`);
        }
        return r.flagged.length > 0 ? 1 : 0;
      }),
    );
}
