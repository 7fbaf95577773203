/**
 * `qds convert <dataset> [--only missing|failing] [--difficulty Easy,Medium]
 *  [--limit N] [--provider P --model M --base-url URL] [--temperature T]
 *  [--max-tokens N] [--llm-timeout S] [--concurrency N] [--rpm N] [--tpm N]
 *  [--retries N] [--backoff-ms MS] [--rounds N] [--q PATH] [--timeout S] [--memory MB]
 *  [--dry-run] [--yes] [--batch [--poll-ms MS]]`
 *
 * A thin adapter over llm/batch.ts and llm/convert.ts. Keys come from the environment
 * (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY or GOOGLE_API_KEY).
 * --dry-run renders the prompts and prints the estimate without calling.
 * --batch sends each round's calls as one provider batch job (llm/batching.ts).
 * Above 100 problems the run asks for confirmation (estimated calls, tokens
 * and cost) unless --yes; with no terminal on stdin it refuses instead.
 * Re-running with the same arguments resumes: problems finished by an earlier
 * run (see the run log) are skipped.
 */

import { resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { sha256 } from "../dataset/fsx";
import { estimateBatch, RunLog, runBatch, selectProblems } from "../llm/batch";
import { createBatchingProvider } from "../llm/batching";
import { LlmClient } from "../llm/client";
import { engineRunner, readProblem } from "../llm/convert";
import { createBatchJobs } from "../llm/jobs";
import type { Cost } from "../llm/pricing";
import { PromptLoader } from "../llm/prompts";
import { keyFromEnv, parseSettings } from "../llm/settings";
import { LlmError } from "../llm/types";
import { embeddedEngine } from "../verify/embedded";
import { externalEngine } from "../verify/engines";

const USAGE =
  "usage: qds convert <dataset-dir> [--only missing|failing] [--difficulty LIST] [--limit N]\n" +
  "  [--provider P] [--model M] [--base-url URL] [--temperature T] [--max-tokens N] [--llm-timeout S]\n" +
  "  [--concurrency N] [--rpm N] [--tpm N] [--retries N] [--backoff-ms MS] [--rounds N]\n" +
  "  [--q PATH] [--timeout S] [--memory MB] [--dry-run] [--yes] [--batch [--poll-ms MS]]\n" +
  "--timeout and --memory limit each q test run; --llm-timeout each model request.\n" +
  "--backoff-ms is the first retry's backoff ceiling (default 1000), doubling per retry.\n";

/** Above this many problems a run needs --yes or an interactive "y". */
export const CONFIRM_ABOVE = 100;

/** A bad flag or setting: reported as one line, exit code 2, no stack. */
class UsageError extends Error {}

function count(text: string | undefined, flag: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} expects an integer >= ${min}, got '${text}'`);
  return n;
}

/** Scales an optional number (seconds to milliseconds). */
const mul = (n: number | undefined, k: number) => (n === undefined ? undefined : n * k);

const money = (c: Cost) => (c === "unknown" ? "unknown (model not in the price table)" : `~$${c.usd.toFixed(2)}`);

export async function convertCommand(args: string[]): Promise<number> {
  try {
    return await convert(args);
  } catch (e) {
    if (!(e instanceof UsageError || (e instanceof LlmError && e.kind === "config"))) throw e;
    process.stderr.write(`qds convert: ${e.message}\n`);
    return 2;
  }
}

async function convert(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      only: { type: "string" },
      difficulty: { type: "string", multiple: true },
      limit: { type: "string" },
      provider: { type: "string" },
      model: { type: "string" },
      "base-url": { type: "string" },
      concurrency: { type: "string" },
      rpm: { type: "string" },
      tpm: { type: "string" },
      retries: { type: "string" },
      "backoff-ms": { type: "string" },
      temperature: { type: "string" },
      "max-tokens": { type: "string" },
      "llm-timeout": { type: "string" },
      rounds: { type: "string" },
      q: { type: "string" },
      timeout: { type: "string" },
      memory: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      yes: { type: "boolean", default: false },
      batch: { type: "boolean", default: false },
      "poll-ms": { type: "string" },
    },
  });
  if (positionals.length !== 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  const only = values.only;
  if (only !== undefined && only !== "missing" && only !== "failing") {
    throw new UsageError(`--only expects 'missing' or 'failing', got '${only}'`);
  }
  const datasetDir = resolve(positionals[0]!);
  const settings = parseSettings({
    provider: values.provider,
    model: values.model,
    baseUrl: values["base-url"],
    retries: count(values.retries, "retries", 0),
    temperature: values.temperature === undefined ? undefined : Number(values.temperature),
    maxTokens: count(values["max-tokens"], "max-tokens", 1),
    timeoutMs: mul(count(values["llm-timeout"], "llm-timeout", 1), 1000),
    rpm: count(values.rpm, "rpm", 0),
    tpm: count(values.tpm, "tpm", 0),
  });
  const rounds = count(values.rounds, "rounds", 1) ?? 3;
  // With --batch, many problems must be in flight at once for their calls to share a job.
  const concurrency = count(values.concurrency, "concurrency", 1) ?? (values.batch ? 64 : 2);
  const difficulty = values.difficulty?.flatMap((d) => d.split(",")).filter((d) => d !== "");
  const limit = count(values.limit, "limit", 1);
  const backoffMs = count(values["backoff-ms"], "backoff-ms", 1);
  const names = selectProblems(datasetDir, {
    ...(only === undefined ? {} : { only }),
    ...(difficulty === undefined ? {} : { difficulty }),
    ...(limit === undefined ? {} : { limit }),
  });
  const prompts = new PromptLoader([datasetDir]);

  const needEstimate = values["dry-run"] || (names.length > CONFIRM_ABOVE && !values.yes);
  if (needEstimate) {
    const readable = [];
    for (const n of names) {
      try {
        readable.push(readProblem(resolve(datasetDir, n), n));
      } catch (e) {
        process.stderr.write(`qds convert: skipped in the estimate: ${(e as Error).message}\n`);
      }
    }
    const est = estimateBatch(readable, prompts, settings.model, rounds);
    process.stdout.write(
      `${est.problems} problems with ${settings.provider}/${settings.model}: ` +
        `${est.calls.min}-${est.calls.max} calls, ~${est.inputTokens} input + ~${est.outputTokens} output tokens ` +
        `(+ up to ~${est.repairInputTokens} input tokens for repairs), first-round cost ${money(est.cost)}\n`,
    );
    if (values["dry-run"]) return 0;
    if (!process.stdin.isTTY) {
      process.stderr.write(
        `qds convert: ${names.length} problems is above ${CONFIRM_ABOVE}; re-run with --yes to confirm (no terminal to ask on)\n`,
      );
      return 2;
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question("Proceed? [y/N] ");
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      process.stderr.write("qds convert: cancelled\n");
      return 1;
    }
  }

  const apiKey = keyFromEnv(settings.provider);
  // --batch: each round's calls go out together as one provider batch job (about half the price).
  const provider = values.batch
    ? createBatchingProvider(createBatchJobs(settings, apiKey), {
        windowMs: 2000,
        maxBatch: 1000,
        poll: { intervalMs: count(values["poll-ms"], "poll-ms", 1) ?? 30_000, timeoutMs: 24 * 3600_000 },
        onJob: (id, n) => process.stderr.write(`submitted batch job ${id} (${n} requests)\n`),
      })
    : undefined;
  const client = new LlmClient({
    settings,
    ...(provider ? { provider } : {}),
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(backoffMs === undefined ? {} : { retry: { baseMs: backoffMs } }),
  });
  const timeoutMs = (count(values.timeout, "timeout", 1) ?? 10) * 1000;
  // Address-space cap per q run, as in `qds verify`; 0 turns it off.
  const memoryMb = count(values.memory, "memory", 0) ?? 1024;
  const engine = values.q === undefined ? embeddedEngine() : externalEngine(values.q);
  const runId = sha256(
    JSON.stringify([datasetDir, only, difficulty, limit, settings.provider, settings.model, settings.baseUrl, rounds]),
  ).slice(0, 12);
  const log = new RunLog(datasetDir, runId, apiKey === undefined ? [] : [apiKey]);
  log.write({ event: "run_start", args, settings, problems: names.length });
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  const started = Date.now();
  try {
    const summary = await runBatch({
      datasetDir,
      names,
      ctx: {
        client,
        prompts,
        runner: engineRunner(engine, { timeoutMs, memoryMb }),
        maxRounds: rounds,
        signal: controller.signal,
      },
      log,
      concurrency,
      onProblem: (o, done, total) =>
        process.stderr.write(`[${done}/${total}] ${o.name}: ${o.status}${o.reason ? ` (${o.reason})` : ""}\n`),
    });
    const by = (s: string) => summary.outcomes.filter((o) => o.status === s).length;
    const t = client.totals;
    log.write({ event: "run_end", totals: t, elapsedMs: Date.now() - started });
    process.stdout.write(
      `converted ${by("converted")}, failing ${by("failing")}, error ${by("error")}, skipped ${summary.skipped} (done earlier)\n` +
        `${t.calls} calls (${t.attempts} attempts), ${t.usage.inputTokens} input + ${t.usage.outputTokens} output tokens, cost ${money(t.cost)}\n` +
        `log: ${log.path}\n`,
    );
    return by("converted") === summary.outcomes.length ? 0 : 1;
  } finally {
    process.off("SIGINT", onSigint);
  }
}
