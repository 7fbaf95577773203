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
 * Keys come from the environment, as for `qds convert`. Re-running with the
 * same --out resumes. Exit code 0 when the run finished (whatever the score),
 * 1 when samples are missing (generation failed after retries), 2 on usage errors.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
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
import { keyFromEnv, parseSettings } from "../llm/settings";
import { LlmError } from "../llm/types";
import { externalEngine } from "../verify/engines";

const USAGE =
  "usage: qds eval <dataset> --out DIR [--n N] [--k 1,5,10] [--problems a,b]\n" +
  "    (--completions FILE | --provider P --model M [--base-url URL] [--temperature T] [--max-tokens N]\n" +
  "     [--stop S]... [--llm-timeout S] [--concurrency N] [--rpm N] [--tpm N] [--retries N] [--backoff-ms MS])\n" +
  "    [--train DIR [--threshold X] [--ngram N] [--keep-contaminated]] [--jobs N] [--timeout S] [--memory MB] [--q PATH] [--dry-run]\n" +
  "  qds eval compare <a> <b> [--json]\n" +
  "  qds eval contamination <dataset> --train DIR [--threshold X] [--ngram N] [--json]\n";

class UsageError extends Error {}

function int(text: string | undefined, flag: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} expects an integer >= ${min}, got '${text}'`);
  return n;
}

function fraction(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!(n > 0 && n <= 1)) throw new UsageError(`--${flag} expects a number in (0, 1], got '${text}'`);
  return n;
}

const list = (s: string | undefined): string[] | undefined =>
  s
    ?.split(",")
    .map((x) => x.trim())
    .filter((x) => x !== "");

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const money = (c: Cost): string =>
  c === "unknown" ? "unknown (model not in the price table)" : `~$${c.usd.toFixed(2)}`;

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export async function evalCommand(args: string[]): Promise<number> {
  try {
    if (args[0] === "compare") return compareCommand(args.slice(1));
    if (args[0] === "contamination") return contaminationCommand(args.slice(1));
    return await runEval(args);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof LlmError && e.kind === "config")) {
      process.stderr.write(`qds eval: ${e.message}\n`);
      return 2;
    }
    if (e instanceof LlmError) {
      process.stderr.write(`qds eval: ${e.message}\n`);
      return 1;
    }
    if (e instanceof Error && !(e instanceof TypeError) && !(e instanceof ReferenceError)) {
      // Bad input (a file, a folder, a run folder with other settings): one line naming it.
      process.stderr.write(`qds eval: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

async function runEval(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      n: { type: "string" },
      k: { type: "string" },
      problems: { type: "string" },
      completions: { type: "string" },
      provider: { type: "string" },
      model: { type: "string" },
      "base-url": { type: "string" },
      temperature: { type: "string" },
      "max-tokens": { type: "string" },
      stop: { type: "string", multiple: true },
      "llm-timeout": { type: "string" },
      concurrency: { type: "string" },
      rpm: { type: "string" },
      tpm: { type: "string" },
      retries: { type: "string" },
      "backoff-ms": { type: "string" },
      train: { type: "string" },
      threshold: { type: "string" },
      ngram: { type: "string" },
      "keep-contaminated": { type: "boolean", default: false },
      jobs: { type: "string" },
      timeout: { type: "string" },
      memory: { type: "string" },
      q: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
  });
  if (positionals.length !== 1 || values.out === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  const n = int(values.n, "n", 1) ?? 1;
  const k = (list(values.k) ?? ["1"]).map((x) => int(x, "k", 1)!);
  const bad = k.find((x) => x > n);
  if (bad !== undefined) throw new UsageError(`pass@${bad} needs --n >= ${bad} (unbiased estimator), got --n ${n}`);
  let source: Source;
  if (values.completions !== undefined) {
    if (values.provider !== undefined || values.model !== undefined) {
      throw new UsageError("--completions and --provider/--model are exclusive");
    }
    source = { kind: "completions", file: resolve(values.completions) };
  } else {
    const settings = parseSettings({
      provider: values.provider,
      model: values.model,
      baseUrl: values["base-url"],
      temperature: values.temperature === undefined ? undefined : Number(values.temperature),
      maxTokens: int(values["max-tokens"], "max-tokens", 1),
      timeoutMs: (int(values["llm-timeout"], "llm-timeout", 1) ?? 0) * 1000 || undefined,
      retries: int(values.retries, "retries", 0),
      rpm: int(values.rpm, "rpm", 0),
      tpm: int(values.tpm, "tpm", 0),
    });
    const apiKey = keyFromEnv(settings.provider);
    const backoffMs = int(values["backoff-ms"], "backoff-ms", 1);
    const concurrency = int(values.concurrency, "concurrency", 1);
    source = {
      kind: "provider",
      settings,
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(values.stop === undefined ? {} : { stop: values.stop }),
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(backoffMs === undefined ? {} : { retry: { baseMs: backoffMs } }),
    };
  }
  const problems = list(values.problems);
  const jobs = int(values.jobs, "jobs", 1);
  const timeout = int(values.timeout, "timeout", 1);
  const memoryMb = int(values.memory, "memory", 0);
  const threshold = fraction(values.threshold, "threshold");
  const ngram = int(values.ngram, "ngram", 1);
  const controller = new AbortController();
  const opts: EvalOptions = {
    datasetDir: positionals[0]!,
    source,
    n,
    k,
    outDir: resolve(values.out),
    signal: controller.signal,
    ...(problems === undefined ? {} : { problems }),
    ...(jobs === undefined ? {} : { jobs }),
    ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
    ...(memoryMb === undefined ? {} : { memoryMb }),
    ...(values.q === undefined ? {} : { engine: externalEngine(values.q) }),
    ...(values.train === undefined
      ? {}
      : {
          contamination: {
            trainDir: values.train,
            exclude: !values["keep-contaminated"],
            ...(threshold === undefined ? {} : { threshold }),
            ...(ngram === undefined ? {} : { ngram }),
          },
        }),
  };
  if (values["dry-run"]) {
    const e = estimateEval(opts);
    const model =
      source.kind === "provider" ? `${source.settings.provider}/${source.settings.model}` : "completions file";
    process.stdout.write(
      `${e.problems} problems × ${n} samples with ${model}: ${e.done} judged already, ${e.calls} model calls, ${e.judge} samples to judge; ` +
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

function compareCommand(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean", default: false } },
  });
  if (positionals.length !== 2) {
    process.stderr.write(USAGE);
    return 2;
  }
  const c = compare(readSummary(positionals[0]!), readSummary(positionals[1]!));
  process.stdout.write(values.json ? `${JSON.stringify(c, null, 2)}\n` : comparisonReport(c));
  return 0;
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

function contaminationCommand(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      train: { type: "string" },
      threshold: { type: "string" },
      ngram: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (positionals.length !== 1 || values.train === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  const threshold = fraction(values.threshold, "threshold");
  const ngram = int(values.ngram, "ngram", 1);
  const r = checkContamination(loadEvalProblems(positionals[0]!), {
    trainDir: values.train,
    ...(threshold === undefined ? {} : { threshold }),
    ...(ngram === undefined ? {} : { ngram }),
  });
  if (values.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  else {
    process.stdout.write(
      `${r.flagged.length} of ${r.checked} problems near-duplicate a problem in ${r.train_dir} (${r.ngram}-grams, threshold ${r.threshold})\n`,
    );
    for (const f of r.flagged) process.stdout.write(`  ${f.problem} ~ ${f.train_problem} (${pct(f.overlap)})\n`);
  }
  return r.flagged.length > 0 ? 1 : 0;
}
