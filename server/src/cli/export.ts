/**
 * `qds export sft <dir> --out <dir>`: see dataset/sft.ts. Templates come
 * from the product's prompts/ folder (found by walking up from this bundle)
 * unless --prompts names another. Other formats are subcommands of `export`.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { exportSft, type SftFormat } from "../dataset/sft";
import { act, CliError, Command, choice, datasetDir, integer, ratio } from "./args";

function findPromptsDir(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "prompts", "sft-prompt.md"))) return join(dir, "prompts");
    if (dirname(dir) === dir)
      throw new CliError("cannot find the prompts/ folder with sft-*.md templates; pass --prompts DIR");
  }
}

interface SftFlags {
  out: string;
  format: SftFormat;
  testRatio: number;
  seed: number;
  stratify?: "difficulty";
  prompts?: string;
}

export function exportCommand(): Command {
  return new Command("export")
    .summary("write verified problems out for training")
    .description("Writes the problems verified valid out for training, one subcommand per format.")
    .addCommand(
      new Command("sft")
        .summary("train/test JSONL for supervised fine-tuning")
        .description(
          "Writes train.jsonl, test.jsonl and dataset_stats.json from the problems whose last " +
            "verification is valid. The split is seeded, so the same seed gives the same split. " +
            "Exit code 1 when nothing was exported.",
        )
        .argument("<dataset-dir>", "the dataset folder")
        .requiredOption("--out <dir>", "folder to write the JSONL files into")
        .addOption(
          choice("--format <format>", "record shape", ["prompt-completion", "chat"]).default("prompt-completion"),
        )
        .option("--test-ratio <r>", "share of problems in the test split", ratio, 0.1)
        .option("--seed <n>", "seed of the split", integer(0), 42)
        .addOption(choice("--stratify <field>", "keep the split's proportions by this field", ["difficulty"]))
        .option("--prompts <dir>", "folder with the sft-*.md templates (default: the product's prompts/)")
        .action(
          act(async (dir: string, flags: SftFlags) => {
            const stats = await exportSft(datasetDir(dir), {
              out: flags.out,
              format: flags.format,
              testRatio: flags.testRatio,
              seed: flags.seed,
              promptsDir: flags.prompts ?? findPromptsDir(),
              ...(flags.stratify === undefined ? {} : { stratify: flags.stratify }),
            });
            const { train, test } = stats.splits;
            process.stdout.write(
              `train ${train.count}, test ${test.count} (skipped ${stats.skipped.notValid} problems not verified valid); ` +
                `~${train.estTokens.total + test.estTokens.total} tokens; wrote ${join(flags.out, "train.jsonl")}, test.jsonl, dataset_stats.json\n`,
            );
            return train.count + test.count > 0 ? 0 : 1;
          }),
        ),
    );
}
