/**
 * `qds export sft <dir> --out <dir> [--format chat|prompt-completion]
 *  [--test-ratio 0.1] [--seed 42] [--stratify difficulty] [--prompts DIR]`:
 * see dataset/sft.ts. Templates come from the product's prompts/ folder
 * (found by walking up from this bundle) unless --prompts names another.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { exportSft, type SftFormat } from "../dataset/sft";

const USAGE =
  "usage: qds export sft <dataset-dir> --out <dir> [--format chat|prompt-completion] [--test-ratio 0.1] [--seed 42] [--stratify difficulty] [--prompts DIR]\n";

function findPromptsDir(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "prompts", "sft-prompt.md"))) return join(dir, "prompts");
    if (dirname(dir) === dir)
      throw new Error("cannot find the prompts/ folder with sft-*.md templates; pass --prompts DIR");
  }
}

export async function exportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      format: { type: "string", default: "prompt-completion" },
      "test-ratio": { type: "string", default: "0.1" },
      seed: { type: "string", default: "42" },
      stratify: { type: "string" },
      prompts: { type: "string" },
    },
  });
  const format = values.format;
  if (positionals[0] !== "sft" || positionals.length !== 2 || values.out === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (format !== "chat" && format !== "prompt-completion") {
    process.stderr.write(`qds export: --format must be chat or prompt-completion, got '${format}'\n`);
    return 2;
  }
  if (values.stratify !== undefined && values.stratify !== "difficulty") {
    process.stderr.write(`qds export: --stratify supports only 'difficulty', got '${values.stratify}'\n`);
    return 2;
  }
  const seed = Number(values.seed);
  const testRatio = Number(values["test-ratio"]);
  if (!Number.isInteger(seed)) {
    process.stderr.write(`qds export: --seed must be an integer, got '${values.seed}'\n`);
    return 2;
  }
  const stats = await exportSft(positionals[1]!, {
    out: values.out,
    format: format as SftFormat,
    testRatio,
    seed,
    promptsDir: values.prompts ?? findPromptsDir(),
    ...(values.stratify === "difficulty" ? { stratify: "difficulty" as const } : {}),
  });
  const { train, test } = stats.splits;
  process.stdout.write(
    `train ${train.count}, test ${test.count} (skipped ${stats.skipped.notValid} problems not verified valid); ` +
      `~${train.estTokens.total + test.estTokens.total} tokens; wrote ${join(values.out, "train.jsonl")}, test.jsonl, dataset_stats.json\n`,
  );
  return train.count + test.count > 0 ? 0 : 1;
}
