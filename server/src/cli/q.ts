/**
 * `qds q [script.q] [-q] [-c rows cols] [-P n]`: a q console over the embedded
 * engine, behaving like real q for the supported subset. The script (if any)
 * is loaded first without displaying top-level results (an error in it is
 * printed and loading stops, then the console starts, as q does); then each
 * stdin line is evaluated and its result displayed as the q console would.
 * Errors print q's error display on stderr and evaluation continues.
 * `exit n` exits with n, `\\` with 0, and end of input with 0.
 *
 * `\l file.q` may load `.q` files under the current directory only.
 */
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Worker } from "node:worker_threads";
import { startWorker } from "../q/sandbox";
import type { LineResult, ScriptOutcome } from "../q/session";
import type { ConsoleReply, ConsoleRequest, ConsoleSetup } from "../q/worker";
import { act, CliError, Command, inputFile, integer } from "./args";

/** The sandbox worker's stack (sandbox.ts workerLimits), so the console recurses as deep. */
const CONSOLE_STACK_MB = 8;

interface QFlags {
  q?: boolean;
  c?: string[];
  P?: number;
}

export function qCommand(): Command {
  return new Command("q")
    .summary("q console over the embedded engine")
    .description(
      "A q console over the embedded engine. The script, if given, is loaded first without " +
        "displaying results; then each line of stdin is evaluated and displayed as q's console " +
        "would. `exit n` exits with n. `\\l file.q` loads .q files under the current folder only.",
    )
    .argument("[script]", "a .q script to load first")
    .option("-q", "quiet (accepted for compatibility with q; there is no banner)")
    .option("-c <size...>", "console size as two integers: -c rows cols")
    .option("-P <n>", "display precision (0: maximum)", integer(0))
    .action(act(runQ));
}

/**
 * The console's session lives in a worker thread (q/worker.ts, console mode) with the sandbox's
 * 8 MB stack: on this main thread recursion would die with 'stack far sooner than q does.
 */
class ConsoleThread {
  private readonly worker: Worker;
  private failure: Error | undefined;
  private pending: ((r: ConsoleReply) => void) | undefined;
  private rejectPending: ((e: Error) => void) | undefined;

  constructor(setup: ConsoleSetup) {
    this.worker = startWorker({ workerData: setup, resourceLimits: { stackSizeMb: CONSOLE_STACK_MB } });
    this.worker.on("message", (r: ConsoleReply) => this.pending?.(r));
    const fail = (e: Error) => {
      this.failure = e;
      this.rejectPending?.(e);
    };
    this.worker.on("error", fail);
    this.worker.on("exit", () => fail(new CliError("the q console thread stopped unexpectedly")));
  }

  ask(req: ConsoleRequest): Promise<ConsoleReply> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = resolve;
      this.rejectPending = reject;
      this.worker.postMessage(req);
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners("exit");
    await this.worker.terminate();
  }
}

async function script(thread: ConsoleThread, text: string): Promise<ScriptOutcome> {
  const r = await thread.ask({ kind: "script", text });
  return r.kind === "script" ? r.outcome : raiseReply();
}

async function line(thread: ConsoleThread, text: string): Promise<LineResult> {
  const r = await thread.ask({ kind: "line", text });
  return r.kind === "line" ? r.result : raiseReply();
}

function raiseReply(): never {
  throw new CliError("the q console thread answered out of turn");
}

async function runQ(script: string | undefined, flags: QFlags): Promise<number> {
  const opts: ConsoleSetup["consoleSession"] = { loadRoot: process.cwd() };
  if (flags.c !== undefined) {
    const [rows, cols] = flags.c.map(Number);
    if (flags.c.length !== 2 || !Number.isInteger(rows) || !Number.isInteger(cols))
      throw new CliError(`-c needs two integers: -c rows cols, got '${flags.c.join(" ")}'`);
    opts.consoleRows = rows!;
    opts.consoleCols = cols!;
  }
  if (flags.P !== undefined) opts.precision = flags.P === 0 ? 17 : flags.P;
  let text: string | undefined;
  if (script !== undefined) {
    try {
      text = readFileSync(inputFile(script), "utf8");
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`cannot read ${script}: ${(e as Error).message}`);
    }
  }
  const thread = new ConsoleThread({ consoleSession: opts });
  try {
    return await converse(thread, text);
  } finally {
    await thread.close();
  }
}

async function converse(thread: ConsoleThread, text: string | undefined): Promise<number> {
  if (text !== undefined) {
    const outcome = await script(thread, text);
    process.stdout.write(outcome.stdout);
    process.stderr.write(outcome.stderr);
    if (outcome.exited) return outcome.exitCode;
  }
  const rl = createInterface({ input: process.stdin, terminal: false });
  const prompt = process.stdin.isTTY === true;
  if (prompt) process.stdout.write("q)");
  for await (const input of rl) {
    if (input.trim() === "") {
      if (prompt) process.stdout.write("q)");
      continue;
    }
    const r = await line(thread, input);
    if (r.error !== undefined) process.stderr.write(r.output);
    else process.stdout.write(r.output);
    if (r.exit !== undefined) {
      rl.close();
      return r.exit;
    }
    if (prompt) process.stdout.write("q)");
  }
  return 0;
}
