/**
 * `qds convert <dataset>` (options in `convertCommand`, shown by --help).
 *
 * A thin adapter over llm/batch.ts and llm/convert.ts. Keys come from the environment
 * (llm/settings.ts KEY_ENV).
 * --dry-run renders the prompts and prints the estimate without calling.
 * Above 100 problems the run asks for confirmation (estimated calls, tokens
 * and cost) unless --yes; with no terminal on stdin it refuses instead.
 * Re-running with the same arguments resumes: problems finished by an earlier
 * run (see the run log) are skipped.
 */

import { resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { sha256 } from "../dataset/fsx";
import { estimateBatch, RunLog, runBatch, selectProblems } from "../llm/batch";
import { createBatchingProvider } from "../llm/batching";
import { LlmClient } from "../llm/client";
import { engineRunner, readProblem } from "../llm/convert";
import { createBatchJobs } from "../llm/jobs";
import type { Cost } from "../llm/pricing";
import { PromptLoader } from "../llm/prompts";
import { KEY_ENV, keyFromEnv } from "../llm/settings";
import { PROVIDER_NAMES } from "../llm/types";
import { embeddedEngine } from "../verify/embedded";
import {
  act,
  Command,
  datasetDir as checkDataset,
  choice,
  integer,
  type LlmFlags,
  list,
  llmSettings,
  number,
  qBinary,
} from "./args";

/** Above this many problems a run needs --yes or an interactive "y". */
export const CONFIRM_ABOVE = 100;

interface ConvertFlags extends LlmFlags {
  only?: "missing" | "failing";
  difficulty?: string[];
  limit?: number;
  concurrency: number;
  backoffMs?: number;
  rounds: number;
  q?: string;
  timeout: number;
  memory: number;
  dryRun?: boolean;
  yes?: boolean;
  batch?: boolean;
  pollMs: number;
}

const money = (c: Cost) => (c === "unknown" ? "unknown (model not in the price table)" : `~$${c.usd.toFixed(2)}`);

export function convertCommand(): Command {
  return new Command("convert")
    .summary("Python to q with an LLM, verified and repaired")
    .description(
      "Converts each selected problem's Python solution and tests to q with an LLM, verifies the " +
        "result and sends failures back for repair. Keys come from the environment: " +
        `${Object.values(KEY_ENV)
          .flat()
          .filter((k, i, a) => a.indexOf(k) === i)
          .join(", ")}. ` +
        `Above ${CONFIRM_ABOVE} problems a run asks for confirmation (estimated calls, tokens and cost) ` +
        "unless --yes. Re-running with the same arguments resumes where the last run stopped.",
    )
    .argument("<dataset-dir>", "the dataset folder")
    .addOption(choice("--only <which>", "only problems without sol.q, or only failing ones", ["missing", "failing"]))
    .option("--difficulty <list>", "only these difficulties (comma-separated)", list)
    .option("--limit <n>", "convert at most this many problems", integer(1))
    .addOption(choice("--provider <name>", "LLM provider (default openai)", PROVIDER_NAMES))
    .option("--model <name>", "model name (default gpt-4o-mini)")
    .option("--base-url <url>", "API base URL (for openai-compatible servers)")
    .option("--temperature <t>", "sampling temperature, 0 to 2", number)
    .option("--max-tokens <n>", "output token limit per request", integer(1))
    .option("--llm-timeout <seconds>", "time limit per model request", integer(1))
    .option("--concurrency <n>", "problems converted in parallel", integer(1), 2)
    .option("--rpm <n>", "requests per minute (0: unlimited)", integer(0))
    .option("--tpm <n>", "tokens per minute (0: unlimited)", integer(0))
    .option("--retries <n>", "retries per request", integer(0))
    .option("--backoff-ms <ms>", "first retry's backoff ceiling, doubling per retry (default 1000)", integer(1))
    .option("--rounds <n>", "verification rounds per problem, the first included", integer(1), 3)
    .option("--q <path>", "verify with this q binary instead of the embedded engine")
    .option("--timeout <seconds>", "time limit per q test run", integer(1), 10)
    .option("--memory <mb>", "memory limit per q test run in MiB (0: none)", integer(0), 1024)
    .option("--dry-run", "render the prompts and print the estimate without calling the model")
    .option("--yes", "do not ask for confirmation on large runs")
    .option("--batch", "send each round's model calls as one provider batch job (about half the price, slower)")
    .option("--poll-ms <ms>", "with --batch: how often to poll the batch job", integer(1), 30_000)
    .action(act(convert));
}

async function convert(dir: string, values: ConvertFlags): Promise<number> {
  const datasetDir = resolve(checkDataset(dir));
  const only = values.only;
  const settings = llmSettings(values);
  const rounds = values.rounds;
  const concurrency = values.concurrency;
  const difficulty = values.difficulty;
  const limit = values.limit;
  const backoffMs = values.backoffMs;
  const names = selectProblems(datasetDir, {
    ...(only === undefined ? {} : { only }),
    ...(difficulty === undefined ? {} : { difficulty }),
    ...(limit === undefined ? {} : { limit }),
  });
  const prompts = new PromptLoader([datasetDir]);
  const needEstimate = values.dryRun || (names.length > CONFIRM_ABOVE && !values.yes);
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
    if (values.dryRun) return 0;
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
  // --batch: each round's calls go out together as one provider batch job (llm/batching.ts).
  const provider = values.batch
    ? createBatchingProvider(createBatchJobs(settings, apiKey), {
        windowMs: 2000,
        maxBatch: 1000,
        poll: { intervalMs: values.pollMs, timeoutMs: 24 * 3600_000 },
        onJob: (id, n) => process.stderr.write(`submitted batch job ${id} (${n} requests)\n`),
      })
    : undefined;
  const client = new LlmClient({
    settings,
    ...(provider ? { provider } : {}),
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(backoffMs === undefined ? {} : { retry: { baseMs: backoffMs } }),
  });
  const timeoutMs = values.timeout * 1000;
  // Data-segment cap per q run, as in `qds verify`; 0 turns it off.
  const memoryMb = values.memory;
  const engine = values.q === undefined ? embeddedEngine() : await qBinary(values.q);
  const runId = sha256(
    JSON.stringify([datasetDir, only, difficulty, limit, settings.provider, settings.model, settings.baseUrl, rounds]),
  ).slice(0, 12);
  const log = new RunLog(datasetDir, runId, apiKey === undefined ? [] : [apiKey]);
  log.write({ event: "run_start", flags: values, settings, problems: names.length });
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
      `converted ${by("converted")}, failing ${by("failing")}, error ${by("error")}, skipped ${summary.skipped} (done earlier) ` +
        `${t.calls} calls (${t.attempts} attempts), ${t.usage.inputTokens} input + ${t.usage.outputTokens} output tokens, cost ${money(t.cost)} ` +
        `log: ${log.path}\n`,
    );
    return by("converted") === summary.outcomes.length ? 0 : 1;
  } finally {
    process.off("SIGINT", onSigint);
  }
}
