#!/usr/bin/env node
/**
 * `qds`: the headless command line. Each subcommand is a thin adapter that
 * parses arguments and calls into server/src/{q,dataset,verify,llm,…}.
 */
import { ENGINE_NAME, ENGINE_VERSION } from "../q/version";

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, { summary: string; run: Command }> = {
  version: {
    summary: "print the engine name and version",
    run: async () => {
      process.stdout.write(`${ENGINE_NAME} ${ENGINE_VERSION}\n`);
      return 0;
    },
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
  return command.run(rest);
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
