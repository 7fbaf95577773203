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

interface QArgs {
  script?: string;
  rows?: number;
  cols?: number;
  precision?: number;
}

function parseArgs(args: string[]): QArgs | string {
  const out: QArgs = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-q") continue;
    if (a === "-c") {
      const r = Number(args[i + 1]);
      const c = Number(args[i + 2]);
      if (!Number.isInteger(r) || !Number.isInteger(c)) return "-c needs two integers: -c rows cols";
      out.rows = r;
      out.cols = c;
      i += 2;
      continue;
    }
    if (a === "-P") {
      const p = Number(args[i + 1]);
      if (!Number.isInteger(p) || p < 0) return "-P needs a non-negative integer";
      out.precision = p === 0 ? 17 : p;
      i += 1;
      continue;
    }
    if (a.startsWith("-")) return `unknown option ${a}`;
    if (out.script !== undefined) return `unexpected argument ${a}`;
    out.script = a;
  }
  return out;
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

export async function runQ(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === "string") {
    process.stderr.write(`qds q: ${parsed}\nusage: qds q [script.q] [-q] [-c rows cols] [-P n]\n`);
    return 2;
  }
  const opts: ConstructorParameters<typeof QSession>[0] = { allowLoad: loadFromCwd };
  if (parsed.rows !== undefined) opts.consoleRows = parsed.rows;
  if (parsed.cols !== undefined) opts.consoleCols = parsed.cols;
  if (parsed.precision !== undefined) opts.precision = parsed.precision;
  const session = new QSession(opts);
  if (parsed.script !== undefined) {
    let text: string;
    try {
      text = readFileSync(parsed.script, "utf8");
    } catch (e) {
      process.stderr.write(`qds q: cannot read ${parsed.script}: ${(e as Error).message}\n`);
      return 2;
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
