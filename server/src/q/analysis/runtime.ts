/**
 * Diagnostics from running q: a file's top-level statements are loaded, as q
 * loads a script, and the error that stops the load is reported on the
 * statement (and line) that raised it. Two back ends:
 *
 * - `embeddedLoadCheck`: the embedded engine in a sandbox worker (sandbox.ts,
 *   short timeout, capped memory); one run per check.
 * - `ExternalQ`: a persistent q process (`qds.q.path`, e.g. real q or `qds q`),
 *   sent each statement wrapped in a trap, `.[value;enlist(),"stmt";handler]`,
 *   whose handler prints a marker line with the statement index and the error;
 *   a final marker ends the run. A dead process is restarted on the next check;
 *   a check that does not finish in time kills it. Unlike the embedded check,
 *   every failing statement is reported (the trap lets loading go on), and
 *   definitions from earlier checks stay in the process.
 *
 * Statements come from the error-tolerant parse (statements that do not parse
 * are left out: the syntax diagnostics already cover them).
 */
import { startProcess } from "../../proc/process";

type ProcessHandle = Awaited<ReturnType<typeof startProcess>>;

import { runQScript } from "../sandbox";
import type { Span } from "../tokens";
import { LineMap } from "./lint";
import type { FileModel } from "./model";

export interface RuntimeError {
  span: Span;
  /** q's error text, e.g. `'type`. */
  message: string;
}

export interface Statement {
  text: string;
  span: Span;
}

/** The file's top-level statements that parsed, in order. */
export function statementsOf(model: FileModel): Statement[] {
  return model.ast
    .filter((n) => n.type !== "empty")
    .map((n) => ({ text: model.text.slice(n.span.start, n.span.end), span: n.span }));
}

/** Narrows a statement's span to one of its lines (0-based within the statement). */
function lineWithin(text: string, s: Statement, line: number): Span {
  const lines = new LineMap(text);
  const first = lines.lineOf(s.span.start) + line;
  if (line <= 0 || first > lines.lineOf(s.span.end)) return s.span;
  const start = Math.max(s.span.start, lines.starts[first]!);
  return { start, end: Math.min(s.span.end, start + lines.line(first).length) };
}

export interface EmbeddedOptions {
  timeoutMs?: number;
  memoryMb?: number;
  /** Script loaded first (a test file's sol.q). */
  prelude?: string;
}

/** Loads the file in a sandboxed embedded session; reports the error that stopped it, if any. */
export async function embeddedLoadCheck(model: FileModel, opts: EmbeddedOptions = {}): Promise<RuntimeError[]> {
  const stmts = statementsOf(model);
  const prelude = opts.prelude ?? "";
  const preludeLines = prelude === "" ? 0 : prelude.split("\n").length;
  // Each statement starts on its own line; remember where so the error line maps back.
  const firstLine: number[] = [];
  let line = preludeLines + 1;
  for (const s of stmts) {
    firstLine.push(line);
    line += s.text.split("\n").length;
  }
  const script = [...(prelude === "" ? [] : [prelude]), ...stmts.map((s) => s.text)].join("\n");
  const out = await runQScript(script, { timeoutMs: opts.timeoutMs ?? 2000, memoryMb: opts.memoryMb ?? 256 });
  const head = { start: 0, end: Math.min(1, model.text.length) };
  if (out.timedOut) return [{ span: head, message: "loading this file did not finish in time ('stop)" }];
  if (out.error === undefined) return [];
  const name = `'${out.error.name}`;
  const at = out.error.line;
  if (at <= preludeLines) return [{ span: head, message: `sol.q failed to load: ${name}` }];
  let i = firstLine.length - 1;
  while (i > 0 && firstLine[i]! > at) i--;
  const s = stmts[i];
  if (s === undefined) return [{ span: head, message: name }];
  return [{ span: lineWithin(model.text, s, at - firstLine[i]!), message: name }];
}

/** A q string literal holding `s`. */
export function qString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r/g, "").replace(/\n/g, "\\n").replace(/\t/g, "\\t")}"`;
}

const MARK = "QDS-LOADCHECK";

export class ExternalQ {
  private proc: ProcessHandle | undefined;
  private buffer = "";
  private run = 0;
  private pending: ((line: string) => void) | undefined;
  /** Checks run one at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly timeoutMs = 5000,
  ) {}

  private async start(): Promise<ProcessHandle> {
    if (this.proc && this.proc.child.exitCode === null && !this.proc.child.killed) return this.proc;
    // Its own process group and a scrubbed environment (proc/process.ts), like every child process.
    const p = await startProcess(this.path, []);
    this.wire(p);
    this.proc = p;
    return p;
  }

  private wire(handle: ProcessHandle): void {
    const p = handle.child;
    this.buffer = "";
    p.stdout.setEncoding("utf8");
    // Events from a process already replaced (killed after a timeout) are ignored.
    p.stdout.on("data", (chunk: string) => {
      if (this.proc !== handle) return;
      this.buffer += chunk;
      let nl = this.buffer.indexOf("\n");
      while (nl >= 0) {
        const line = this.buffer.slice(0, nl).replace(/\r$/, "");
        this.buffer = this.buffer.slice(nl + 1);
        this.pending?.(line);
        nl = this.buffer.indexOf("\n");
      }
    });
    p.stderr.resume();
    const died = () => {
      if (this.proc !== handle) return;
      this.proc = undefined;
      this.pending?.(`${MARK} DIED`);
    };
    p.on("error", died);
    p.on("exit", died);
    p.stdin.on("error", () => undefined);
  }

  check(model: FileModel): Promise<RuntimeError[]> {
    const next = this.queue.then(() => this.checkNow(model));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async checkNow(model: FileModel): Promise<RuntimeError[]> {
    const stmts = statementsOf(model);
    const id = ++this.run;
    const errors: RuntimeError[] = [];
    const p = await this.start();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.kill();
        finish([
          {
            span: { start: 0, end: Math.min(1, model.text.length) },
            message: "q did not finish loading in time ('stop)",
          },
        ]);
      }, this.timeoutMs);
      const finish = (r: RuntimeError[]) => {
        clearTimeout(timer);
        this.pending = undefined;
        resolve(r);
      };
      this.pending = (line) => {
        if (!line.startsWith(`${MARK} `)) return;
        const [, run, what, ...rest] = line.split(" ");
        if (run === "DIED")
          return finish([
            ...errors,
            { span: { start: 0, end: Math.min(1, model.text.length) }, message: "q exited while loading this file" },
          ]);
        if (Number(run) !== id) return;
        if (what === "DONE") return finish(errors);
        const s = stmts[Number(what)];
        if (s) errors.push({ span: s.span, message: `'${rest.join(" ")}` });
      };
      const lines = stmts.map((s, i) => `.[value;enlist(),${qString(s.text)};{-1 "${MARK} ${id} ${i} ",x;}];`);
      lines.push(`-1 "${MARK} ${id} DONE";`);
      p.child.stdin.write(`${lines.join("\n")}\n`);
    });
  }

  kill(): void {
    const p = this.proc;
    this.proc = undefined;
    if (p && p.child.exitCode === null) p.stop();
  }
}
