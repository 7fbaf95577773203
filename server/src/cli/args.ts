/**
 * The one argument parser for `qds` and the repository's scripts: commander,
 * configured the same way everywhere. Every command gets `--help` from its
 * declared options; a usage or value error is one line on stderr and exit
 * code 2, never a stack trace.
 *
 * Value parsers here throw commander's InvalidArgumentError, which commander
 * reports with the option's name ("option '--jobs <n>' argument 'x' is
 * invalid. expects …"). Checks that need the file system (a dataset folder,
 * a q binary) throw `CliError` from the command's action instead.
 */
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { ENTRY_FILE } from "../dataset/format";
import { listProblemDirs } from "../dataset/load";
import { type LlmSettings, parseSettings } from "../llm/settings";
import { LlmError } from "../llm/types";
import { externalEngine, type QEngine } from "../verify/engines";

export { Command, InvalidArgumentError, Option };

/** A bad value the user can fix: printed as `<command>: <message>`, exit code 2. */
export class CliError extends Error {}

/** Exit code for usage and value errors (a run that found problems exits 1). */
export const USAGE_EXIT = 2;

const invalid = (what: string, text: string) => new InvalidArgumentError(`expects ${what}, got '${text}'`);

/** `--jobs 4`: an integer >= `min`. */
export const integer =
  (min: number) =>
  (text: string): number => {
    const n = Number(text);
    if (text.trim() === "" || !Number.isInteger(n) || n < min) throw invalid(`an integer >= ${min}`, text);
    return n;
  };

/** `--timeout 2.5`: a finite number > 0. */
export function positive(text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n <= 0) throw invalid("a positive number", text);
  return n;
}

/** `--test-ratio 0.1`: a number in [0, 1). */
export function ratio(text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n < 0 || n >= 1) throw invalid("a number from 0 to below 1", text);
  return n;
}

/** `--ids a,b`: a comma-separated list, blanks dropped; repeated flags accumulate. */
export function list(text: string, previous: string[] | undefined): string[] {
  const items = text
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x !== "");
  return [...(previous ?? []), ...items];
}

/** An option restricted to `choices` (commander lists them in --help and in the error). */
export const choice = (flags: string, description: string, choices: readonly string[]): Option =>
  new Option(flags, description).choices(choices);

/**
 * A dataset folder as `verify`, `validate`, `convert` and `export` take it:
 * it must exist, be a folder, not be a single problem folder (that is the
 * usual slip: `qds verify dataset/two-sum_1`), and hold at least one problem.
 */
export function datasetDir(path: string): string {
  const s = statSync(path, { throwIfNoEntry: false });
  if (s === undefined) throw new CliError(`${path}: no such folder`);
  if (!s.isDirectory()) throw new CliError(`${path}: not a folder (a dataset is a folder of problem folders)`);
  if (existsSync(join(path, ENTRY_FILE)))
    throw new CliError(
      `${path}: this is a single problem folder (it has ${ENTRY_FILE}); pass the dataset folder above it`,
    );
  if (listProblemDirs(path).length === 0) throw new CliError(`${path}: no problem folders in this dataset folder`);
  return path;
}

/** An input file that must exist and be a regular file. */
export function inputFile(path: string): string {
  const s = statSync(path, { throwIfNoEntry: false });
  if (s === undefined) throw new CliError(`${path}: no such file`);
  if (!s.isFile()) throw new CliError(`${path}: not a file`);
  return path;
}

/**
 * `--q PATH`: the program must exist, be executable and behave like q (run
 * a two-line script and print 42), so a wrong path fails here with one line
 * instead of as an error on every test of every problem.
 */
export async function qBinary(path: string): Promise<QEngine> {
  const s = statSync(path, { throwIfNoEntry: false });
  if (s === undefined) throw new CliError(`--q ${path}: no such file`);
  if (!s.isFile()) throw new CliError(`--q ${path}: not a file`);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new CliError(`--q ${path}: not executable`);
  }
  // The engine runs each script in a temporary folder, so a relative path would not resolve there.
  const engine = externalEngine(resolve(path));
  const r = await engine.run("-1 string 40+2;\nexit 0;\n", { timeoutMs: 10_000, memoryMb: 0 });
  if (r.stdout.trim() !== "42") {
    const why =
      r.error !== undefined
        ? r.error
        : r.timedOut
          ? "it did not finish within 10 s"
          : `it printed '${r.stdout.trim().slice(0, 60)}'`;
    throw new CliError(`--q ${path}: not a q (asked for 40+2, ${why})`);
  }
  return engine;
}

/** Applies the shared error and output conventions to a command and all its subcommands. */
function configure(cmd: Command): void {
  cmd
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({
      // commander's own messages start with "error: "; the command's path says where it came from.
      outputError: (text, write) => write(`${commandPath(cmd)}: ${text.replace(/^error: /, "")}`),
    });
  for (const sub of cmd.commands) configure(sub);
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** The exit code the last action returned (see `act`). */
let actionExit = 0;

/**
 * Wraps a command's action so that the number it returns becomes the exit
 * code of `runProgram` (commander itself ignores what actions return).
 */
export function act<A extends unknown[]>(fn: (...args: A) => Promise<number> | number): (...args: A) => Promise<void> {
  return async (...args: A) => {
    actionExit = await fn(...args);
  };
}

/**
 * Parses `argv` (without node and the script) with `program` and runs the
 * chosen action. Returns the exit code: the action's, 0 after --help or
 * --version, USAGE_EXIT for usage or value errors. Errors that are not the
 * user's (bugs) keep their stack, since that is what a bug report needs.
 */
export async function runProgram(program: Command, argv: readonly string[]): Promise<number> {
  configure(program);
  actionExit = 0;
  try {
    await program.parseAsync([...argv], { from: "user" });
    return actionExit;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are "errors" under exitOverride, with exit code 0.
      return e.exitCode === 0 ? 0 : USAGE_EXIT;
    }
    if (e instanceof CliError) {
      process.stderr.write(`${commandPath(lastCommand(program, argv))}: ${e.message}\n`);
      return USAGE_EXIT;
    }
    throw e;
  }
}

/** The deepest command named by the leading words of argv (for error prefixes). */
function lastCommand(program: Command, argv: readonly string[]): Command {
  let cmd = program;
  for (const word of argv) {
    const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub === undefined) break;
    cmd = sub;
  }
  return cmd;
}

/**
 * For scripts and benchmarks, which have options but no subcommands: parses
 * `argv` with `cmd`, prints help and exits 0 on --help, prints one line and
 * exits 2 on a usage error, else returns the options and positionals.
 */
export function parseScriptArgs<T extends object>(
  cmd: Command,
  argv: readonly string[] = process.argv.slice(2),
): { opts: T; args: string[] } {
  configure(cmd);
  try {
    cmd.parse([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : USAGE_EXIT);
    throw e;
  }
  return { opts: cmd.opts<T>(), args: cmd.args };
}

/** `--temperature 0.2`: any finite number (the settings schema checks the range). */
export function number(text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError(`expects a number, got '${text}'`);
  return n;
}

/** The model flags `convert` and `eval` share. */
export interface LlmFlags {
  provider?: string;
  model?: string;
  baseUrl?: string;
  temperature?: number;
  maxTokens?: number;
  llmTimeout?: number;
  retries?: number;
  rpm?: number;
  tpm?: number;
}

/** LLM settings from the shared model flags; a value the settings refuse is a usage error. */
export function llmSettings(f: LlmFlags): LlmSettings {
  try {
    return parseSettings({
      provider: f.provider,
      model: f.model,
      baseUrl: f.baseUrl,
      temperature: f.temperature,
      maxTokens: f.maxTokens,
      timeoutMs: f.llmTimeout === undefined ? undefined : f.llmTimeout * 1000,
      retries: f.retries,
      rpm: f.rpm,
      tpm: f.tpm,
    });
  } catch (e) {
    if (e instanceof LlmError && e.kind === "config") throw new CliError(e.message);
    throw e;
  }
}
