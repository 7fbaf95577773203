/**
 * `qds traces [stage] --run DIR [options]`: the reasoning-trace pipeline
 * (server/src/traces). Stages: sample, filter, stratify, transform,
 * validate, analyze. With no stage, the run continues at the first stage
 * `pipeline_state.json` does not list as done; options given once are
 * remembered in that file, so a bare re-run needs only --run.
 *
 * A thin adapter: argument parsing, the confirmation prompt and printing.
 * Keys come from the environment (see llm/settings.ts KEY_ENV).
 */

import { join, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { writeFileAtomic } from "../dataset/fsx";
import { LlmClient } from "../llm/client";
import { createEmbedder, type Embedder } from "../llm/embeddings";
import { createBatchJobs } from "../llm/jobs";
import { PromptError, PromptLoader } from "../llm/prompts";
import { RateLimiter, realClock } from "../llm/ratelimit";
import { keyFromEnv, type LlmSettings, parseSettings } from "../llm/settings";
import { LlmError } from "../llm/types";
import { analyzeRun } from "../traces/analyze";
import { RUN_FILES, STAGES, type Stage } from "../traces/model";
import {
  filterByThinkTokens,
  markDone,
  nextStage,
  readRows,
  readState,
  sampleRows,
  statePath,
  stratify,
  writeRows,
} from "../traces/stages";
import type { ChatRow } from "../traces/think";
import { loadTokenizer, whitespaceCounter } from "../traces/tokens";
import { CONFIRM_ABOVE, transformRun } from "../traces/transform";
import { formatIssue, validateFile } from "../traces/validate";
import { act, Command } from "./args";

const USAGE = `usage: qds traces [sample|filter|stratify|transform|validate|analyze] --run DIR [options]
  sample:    --input FILE|DIR|hf://datasets/OWNER/NAME (repeatable) --rows N [--shards N] [--seed N]
  filter:    [--tokenizer tokenizer.json] [--min-tokens N] [--max-tokens N]
  stratify:  --rows N [--source-field dataset_source] [--seed N]
  transform: [--provider gemini|openai|anthropic|openai-compatible] [--model M] [--base-url URL]
             [--rpm N] [--tpm N] [--concurrency N] [--max-rows N] [--dry-run] [--yes]
             [--batch [--batch-size N] [--poll-ms MS]] [--batch-job ID]
  validate:  (checks transformed.jsonl, writes validated.jsonl and validation_report.json)
  analyze:   [--tokenizer tokenizer.json] [--clusters N] [--families N] [--source-field F] [--name-with-llm]
             [--embed-model M (provider embeddings through --provider/--base-url, --rpm; default offline)]
With no stage the run continues at the next stage not done.
`;

const OPTIONS = {
  run: { type: "string" },
  input: { type: "string", multiple: true },
  rows: { type: "string" },
  shards: { type: "string" },
  seed: { type: "string" },
  tokenizer: { type: "string" },
  "min-tokens": { type: "string" },
  "max-tokens": { type: "string" },
  "source-field": { type: "string" },
  provider: { type: "string" },
  model: { type: "string" },
  "base-url": { type: "string" },
  rpm: { type: "string" },
  tpm: { type: "string" },
  concurrency: { type: "string" },
  "max-rows": { type: "string" },
  "max-output-tokens": { type: "string" },
  "dry-run": { type: "boolean" },
  yes: { type: "boolean" },
  batch: { type: "boolean" },
  "batch-size": { type: "string" },
  "batch-job": { type: "string" },
  "poll-ms": { type: "string" },
  clusters: { type: "string" },
  families: { type: "string" },
  "name-with-llm": { type: "boolean" },
  "embed-model": { type: "string" },
} as const;

/** Options not remembered between runs: they are about one invocation. */
const ONE_OFF = new Set(["run", "dry-run", "yes", "batch-job"]);

class UsageError extends Error {}

type Values = Record<string, string | boolean | string[] | undefined>;

function int(values: Values, flag: string, min = 0): number | undefined {
  const v = values[flag];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} expects an integer >= ${min}, got '${v}'`);
  return n;
}

function str(values: Values, flag: string): string | undefined {
  const v = values[flag];
  return typeof v === "string" ? v : undefined;
}

export async function tracesCommand(args: string[]): Promise<number> {
  try {
    return await traces(args);
  } catch (e) {
    if (e instanceof UsageError || e instanceof PromptError || (e instanceof LlmError && e.kind === "config")) {
      process.stderr.write(`qds traces: ${e.message}\n`);
      return 2;
    }
    if (e instanceof Error && /^\S+:\d+: |: not found|: no such file/.test(e.message)) {
      process.stderr.write(`qds traces: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

async function traces(args: string[]): Promise<number> {
  const { values: given, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const stageArg = positionals[0];
  if (positionals.length > 1 || (stageArg !== undefined && !STAGES.includes(stageArg as Stage))) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (given.run === undefined) throw new UsageError("--run DIR is required");
  const run = resolve(given.run);
  const state = await readState(run);
  const remembered = Object.fromEntries(Object.entries(given).filter(([k]) => !ONE_OFF.has(k))) as Values;
  const values: Values = { ...state.options, ...given };
  await writeFileAtomic(
    statePath(run),
    `${JSON.stringify({ ...state, options: { ...state.options, ...remembered } }, null, 2)}\n`,
  );
  const stage = (stageArg as Stage | undefined) ?? nextStage(state);
  if (stage === undefined) {
    process.stdout.write(`every stage of ${run} is done (${STAGES.join(", ")})\n`);
    return 0;
  }
  process.stderr.write(`qds traces: ${stage} (${run})\n`);
  return runStage(stage, run, values);
}

async function runStage(stage: Stage, run: string, values: Values): Promise<number> {
  const seed = int(values, "seed") ?? 0;
  const sourceField = str(values, "source-field") ?? "dataset_source";
  switch (stage) {
    case "sample": {
      const inputs = (values["input"] as string[] | undefined) ?? [];
      const rows = int(values, "rows", 1);
      if (inputs.length === 0 || rows === undefined) throw new UsageError("sample needs --input and --rows");
      const shards = int(values, "shards", 1);
      const out = await sampleRows({ inputs, rows, seed, ...(shards === undefined ? {} : { shards }) });
      return done(run, stage, RUN_FILES.sample, await write(run, RUN_FILES.sample, out));
    }
    case "filter": {
      const tok = str(values, "tokenizer");
      const counter = tok ? await loadTokenizer(tok) : whitespaceCounter;
      if (!tok) process.stderr.write("qds traces: no --tokenizer: filtering on a whitespace token estimate\n");
      const min = int(values, "min-tokens");
      const max = int(values, "max-tokens");
      const out = filterByThinkTokens(await readRows(join(run, RUN_FILES.sample)), {
        counter,
        ...(min === undefined ? {} : { min }),
        ...(max === undefined ? {} : { max }),
      });
      return done(run, stage, RUN_FILES.filtered, await write(run, RUN_FILES.filtered, out));
    }
    case "stratify": {
      const rows = int(values, "rows", 1);
      if (rows === undefined) throw new UsageError("stratify needs --rows (the target size)");
      const out = stratify(await readRows(join(run, RUN_FILES.filtered)), rows, sourceField, seed);
      return done(run, stage, RUN_FILES.stratified, await write(run, RUN_FILES.stratified, out));
    }
    case "transform":
      return transform(run, values);
    case "validate": {
      const s = await validateFile(
        join(run, RUN_FILES.transformed),
        join(run, RUN_FILES.validated),
        join(run, RUN_FILES.validationReport),
      );
      for (const i of s.issues.slice(0, 50)) process.stdout.write(`${formatIssue(RUN_FILES.transformed, i)}\n`);
      if (s.issues.length > 50)
        process.stdout.write(`… and ${s.issues.length - 50} more in ${RUN_FILES.validationReport}\n`);
      process.stdout.write(`${s.clean} of ${s.rows} rows clean; ${s.issues.length} issues\n`);
      return done(run, "validate", RUN_FILES.validated, s.clean);
    }
    case "analyze": {
      const tok = str(values, "tokenizer");
      const clusters = int(values, "clusters", 1);
      const families = int(values, "families", 1);
      let namer: ((examples: string[]) => Promise<string>) | undefined;
      if (values["name-with-llm"] === true) {
        const client = clientFrom(values);
        namer = async (examples) => {
          const r = await client.complete({
            system: "You name groups of short reasoning moves. Answer with a name of two to five words, nothing else.",
            messages: [
              {
                role: "user",
                content: `Name the move these have in common:\n${examples.map((e) => `- ${e}`).join("\n")}`,
              },
            ],
          });
          return r.text.trim().split("\n")[0]!.slice(0, 60);
        };
      }
      const embedModel = str(values, "embed-model");
      let embedder: Embedder | undefined;
      if (embedModel !== undefined) {
        const s = settingsFrom(values);
        const base = createEmbedder(s, embedModel, keyFromEnv(s.provider));
        const limiter = new RateLimiter({ rpm: s.rpm, tpm: 0 }, realClock);
        embedder = {
          model: base.model,
          embedBatch: async (texts) => {
            await limiter.acquire(0);
            try {
              return await base.embedBatch(texts);
            } finally {
              limiter.settle(0, 0);
            }
          },
        };
      }
      const report = await analyzeRun({
        run,
        sourceField,
        ...(embedder ? { embedder } : {}),
        ...(tok ? { tokenizer: await loadTokenizer(tok) } : {}),
        ...(clusters === undefined ? {} : { clusters }),
        ...(families === undefined ? {} : { families }),
        ...(namer ? { namer } : {}),
      });
      const ms = Object.entries(report.ms)
        .map(([k, v]) => `${k} ${v} ms`)
        .join(", ");
      process.stdout.write(
        `${report.rows} rows, ${report.sections} steering sections, ${report.clusters} clusters in ${report.families} families\n${ms}${report.embeddingCached ? " (embeddings from cache)" : ""}${report.layoutCached ? " (map from cache)" : ""}\n`,
      );
      return done(run, "analyze", RUN_FILES.analysis, report.sections);
    }
  }
}

function settingsFrom(values: Values): LlmSettings {
  return parseSettings({
    provider: str(values, "provider") ?? "gemini",
    model: str(values, "model") ?? "gemini-3-flash-preview",
    baseUrl: str(values, "base-url"),
    maxTokens: int(values, "max-output-tokens", 1) ?? 20_000,
    rpm: int(values, "rpm"),
    tpm: int(values, "tpm"),
  });
}

function clientFrom(values: Values): LlmClient {
  const settings = settingsFrom(values);
  const apiKey = keyFromEnv(settings.provider);
  return new LlmClient({ settings, ...(apiKey === undefined ? {} : { apiKey }) });
}

async function transform(run: string, values: Values): Promise<number> {
  const client = clientFrom(values);
  const settings = parseSettings({
    provider: str(values, "provider") ?? "gemini",
    model: str(values, "model") ?? "gemini-3-flash-preview",
    baseUrl: str(values, "base-url"),
    maxTokens: int(values, "max-output-tokens", 1) ?? 20_000,
  });
  const batch = values["batch"] === true || str(values, "batch-job") !== undefined;
  const jobs = batch ? createBatchJobs(settings, keyFromEnv(settings.provider)) : undefined;
  const maxRows = int(values, "max-rows", 1);
  const pollMs = int(values, "poll-ms", 1);
  const batchSize = int(values, "batch-size", 1);
  const batchJob = str(values, "batch-job");
  const report = await transformRun({
    run,
    prompts: new PromptLoader([run, process.cwd()]),
    client,
    ...(jobs ? { jobs } : {}),
    ...(maxRows === undefined ? {} : { maxRows }),
    ...(batchSize === undefined ? {} : { batchSize }),
    ...(batchJob === undefined ? {} : { batchJob }),
    ...(pollMs === undefined ? {} : { poll: { intervalMs: pollMs, timeoutMs: 24 * 3600_000 } }),
    dryRun: values["dry-run"] === true,
    yes: values["yes"] === true,
    concurrency: int(values, "concurrency", 1) ?? 4,
    confirm: async (rows, est) => {
      process.stderr.write(
        `${rows} rows to rewrite with ${settings.provider}/${settings.model}, ~${est.inputTokens} input tokens\n`,
      );
      if (!process.stdin.isTTY) {
        process.stderr.write(
          `qds traces: above ${CONFIRM_ABOVE} rows; re-run with --yes to confirm (no terminal to ask on)\n`,
        );
        return false;
      }
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await rl.question("Proceed? [y/N] ");
      rl.close();
      return /^y(es)?$/i.test(answer.trim());
    },
    onEvent: (e) => {
      if (e.event === "row_error") process.stderr.write(`row ${e.id}: ${e.error}\n`);
      if (e.event === "job_submitted") process.stderr.write(`submitted batch job ${e.jobId} (${e.rows} rows)\n`);
      if (e.event === "job_status") process.stderr.write(`job ${e.jobId}: ${e.state}\n`);
      if (e.event === "job_collected")
        process.stderr.write(`job ${e.jobId}: ${e.done} rows done, ${e.failed} failed\n`);
    },
  });
  if (report.preview) {
    process.stdout.write(
      `dry run: ${report.todo} rows would be sent, ~${report.inputTokens} input tokens; no API calls made\n`,
    );
    if (report.preview[0]) process.stdout.write(`--- first prompt ---\n${report.preview[0].user}\n`);
    return 0;
  }
  if (report.cancelled) return 2;
  process.stdout.write(
    `${report.done} rows rewritten, ${report.failed} failed, ${report.skipped} already done${report.jobs.length ? `; jobs: ${report.jobs.join(", ")}` : ""}\n`,
  );
  if (report.failed > 0) return 1;
  // Marked done only when every row is in transformed.jsonl (not after a --max-rows slice).
  if (report.skipped + report.done < report.rows) return 0;
  return done(run, "transform", RUN_FILES.transformed, report.rows);
}

async function write(run: string, file: string, rows: ChatRow[]): Promise<number> {
  await writeRows(join(run, file), rows);
  return rows.length;
}

async function done(run: string, stage: Stage, output: string, rows: number): Promise<number> {
  await markDone(run, stage, rows, output);
  process.stdout.write(`${stage}: ${rows} rows → ${join(run, output)}\n`);
  return 0;
}

/**
 * The `qds traces` entry for the commander program: the stages keep their
 * own option table (OPTIONS above), so every argument passes through as is.
 */
export function tracesProgram(): Command {
  return new Command("traces")
    .summary("reasoning traces: sample, filter, stratify, transform, validate, analyze (--help for options)")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .passThroughOptions()
    .argument("[args...]")
    .action(
      act(async (args: string[]) => {
        if (args.includes("--help") || args.includes("-h")) {
          process.stdout.write(USAGE);
          return 0;
        }
        return tracesCommand(args);
      }),
    );
}
