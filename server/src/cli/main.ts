#!/usr/bin/env node
/**
 * `qds`: the headless command line. Each subcommand is a thin adapter that
 * declares its arguments (commander, through ./args.ts) and calls into
 * server/src/{q,dataset,verify,llm,…}. Adding a command is one line below.
 */
import { ENGINE_NAME, ENGINE_VERSION, engineFingerprint } from "../q/version";
import { Command, runProgram } from "./args";
import { bootstrapProgram } from "./bootstrap";
import { convertCommand } from "./convert";
import { evalCommand } from "./eval";
import { exportCommand } from "./export";
import { importCommand } from "./import";
import { qCommand } from "./q";
import { tracesProgram } from "./traces";
import { validateCommand } from "./validate";
import { verifyCommand } from "./verify";

export function program(): Command {
  // enablePositionalOptions: options after a command name belong to that command
  // (eval contamination --train, traces passing its arguments through).
  return new Command("qds")
    .description("Q Dataset Studio: build, verify and export datasets of q programming problems")
    .version(`qds ${ENGINE_VERSION} (${ENGINE_NAME} ${engineFingerprint()})`, "-V, --version", "print the version")
    .helpCommand(true)
    .enablePositionalOptions()
    .addCommand(qCommand())
    .addCommand(validateCommand())
    .addCommand(verifyCommand())
    .addCommand(importCommand())
    .addCommand(exportCommand())
    .addCommand(convertCommand())
    .addCommand(evalCommand())
    .addCommand(bootstrapProgram())
    .addCommand(tracesProgram());
}

runProgram(program(), process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Not a usage error: a bug or an environment failure, so the stack is worth having.
    process.stderr.write(`qds: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
