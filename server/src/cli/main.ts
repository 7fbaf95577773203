#!/usr/bin/env node
/**
 * `qds`: the headless command line. Each subcommand is a thin adapter that
 * parses arguments and calls into server/src/{q,dataset,verify,llm,…}.
 */
import { ENGINE_NAME, ENGINE_VERSION } from "../q/version";
import { convertCommand } from "./convert";
import { exportCommand } from "./export";
import { importCommand } from "./import";
import { runQ } from "./q";
import { tracesCommand } from "./traces";
import { validateCommand } from "./validate";
import { verifyCommand } from "./verify";

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, { summary: string; run: Command }> = {
  version: {
    summary: "print the engine name and version",
    run: async () => {
      process.stdout.write(`${ENGINE_NAME} ${ENGINE_VERSION}\n`);
      return 0;
    },
  },
  q: {
    summary: "q console over the embedded engine: qds q [script.q] [-q] [-c rows cols] [-P n]",
    run: runQ,
  },
  validate: { summary: "check every problem folder of a dataset: qds validate <dir>", run: validateCommand },
  verify: {
    summary: "run every problem's tests: qds verify <dir> [--q PATH] [--jobs N] [--force] …",
    run: verifyCommand,
  },
  import: { summary: "import problems: qds import leetcode <file.jsonl[.gz]> --out <dir> …", run: importCommand },
  export: {
    summary: "write SFT train/test JSONL: qds export sft <dir> --out <dir> [--format chat] …",
    run: exportCommand,
  },
  convert: {
    summary: "Python → q with an LLM, verified and repaired: qds convert <dir> [--only missing|failing] [--dry-run] …",
    run: convertCommand,
  },
  traces: {
    summary: "reasoning traces: qds traces [sample|filter|stratify|transform|validate|analyze] --run DIR …",
    run: tracesCommand,
  },
};

function usage(): string {
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: qds <command> [args]\n\ncommands:\n${rows.join("\n")}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "-h" || name === "--help") {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`qds: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  if (rest.includes("-h") || rest.includes("--help")) {
    process.stdout.write(`qds ${name}: ${command.summary}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    // node:util parseArgs rejects unknown or malformed flags: a usage error, not a crash.
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_")) {
      process.stderr.write(`qds ${name}: ${(err as Error).message}\nusage: ${command.summary}\n`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`qds: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
