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
import { isAbsolute, relative, resolve } from "node:path";
import { createInterface } from "node:readline";
import { QSession } from "../q/session";
import { act, CliError, Command, inputFile, integer } from "./args";

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

/** `\l` allow-list for the console: `.q` files inside the working directory. */
function loadFromCwd(path: string): string | undefined {
  const full = resolve(process.cwd(), path);
  const rel = relative(process.cwd(), full);
  if (!path.endsWith(".q") || rel.startsWith("..") || isAbsolute(rel)) return undefined;
  try {
    return readFileSync(full, "utf8");
  } catch {
    return undefined;
  }
}

async function runQ(script: string | undefined, flags: QFlags): Promise<number> {
  const opts: ConstructorParameters<typeof QSession>[0] = { allowLoad: loadFromCwd };
  if (flags.c !== undefined) {
    const [rows, cols] = flags.c.map(Number);
    if (flags.c.length !== 2 || !Number.isInteger(rows) || !Number.isInteger(cols))
      throw new CliError(`-c needs two integers: -c rows cols, got '${flags.c.join(" ")}'`);
    opts.consoleRows = rows!;
    opts.consoleCols = cols!;
  }
  if (flags.P !== undefined) opts.precision = flags.P === 0 ? 17 : flags.P;
  const session = new QSession(opts);
  if (script !== undefined) {
    let text: string;
    try {
      text = readFileSync(inputFile(script), "utf8");
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`cannot read ${script}: ${(e as Error).message}`);
    }
    const outcome = session.runScript(text);
    process.stdout.write(outcome.stdout);
    process.stderr.write(outcome.stderr);
    if (outcome.exited) return outcome.exitCode;
  }
  const rl = createInterface({ input: process.stdin, terminal: false });
  const prompt = process.stdin.isTTY === true;
  if (prompt) process.stdout.write("q)");
  for await (const line of rl) {
    if (line.trim() === "") {
      if (prompt) process.stdout.write("q)");
      continue;
    }
    const r = session.evalLine(line);
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
