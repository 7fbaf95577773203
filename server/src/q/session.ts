/**
 * QSession: the public face of the q engine, used by the CLI, the verifier,
 * the language server and the conformance runner.
 *
 * - `evalLine(text)`: console semantics. The result is displayed the way the
 *   q 4.1 console shows it (format.ts) unless the statement was an assignment
 *   or ended with `;`; output written by the program comes first. An error is
 *   shown as q shows it: `'name`, then `  [n]  source` and a caret line.
 * - `runScript(text)`: script semantics. Top-level results are not displayed;
 *   the first error prints to stderr and stops the script (exit code 1);
 *   `exit n` stops it with code n.
 *
 * Output volume is capped (`maxOutputBytes`) where it is produced: every
 * print counts its bytes, and the print that would pass the cap writes what
 * still fits, a visible marker, and stops the program with 'output
 * (limits.ts), so a runaway `-1` loop neither runs on nor floods anyone.
 */
import { call, toQError } from "./apply";
import { frameText } from "./backtrace";
import { QError } from "./errors";
import { displayValue, ExitSignal, Interp, type InterpOptions } from "./interp";
import { CONSOLE_MAX_OUTPUT_BYTES, LIMIT_ERRORS } from "./limits";
import { scriptChunks } from "./script";
import { isFunction, str, textOf } from "./values";

export interface SessionOptions extends InterpOptions {
  /** Cap on output per call, in bytes (default limits.ts's CONSOLE_MAX_OUTPUT_BYTES); past it the program stops with 'output. */
  maxOutputBytes?: number;
  /** Wall-clock limit per evalLine / runScript call in ms (cooperative: raises 'stop). */
  timeLimitMs?: number;
  /** Called with each chunk of script output as soon as a statement finishes (sandbox streaming). */
  onOutput?: (handle: 1 | 2, text: string) => void;
}

export interface LineResult {
  output: string;
  /** q error name without the quote, when the line failed. */
  error?: string;
  /** Set when the line ended the session (`exit n`, `\\`). */
  exit?: number;
}

export interface ScriptOutcome {
  stdout: string;
  stderr: string;
  exitCode: number;
  exited: boolean;
  error?: { name: string; line: number };
}

export class QSession {
  private readonly interp: Interp;
  private readonly maxOutput: number;
  private readonly timeLimit: number;
  private readonly onOutput: ((handle: 1 | 2, text: string) => void) | undefined;
  /** Bytes printed by the program during the current call (evalLine / runScript). */
  private printed = 0;
  /** Exit code once the session has ended; later calls do nothing. */
  exitCode: number | undefined;

  constructor(opts: SessionOptions = {}) {
    this.interp = new Interp(opts);
    this.maxOutput = opts.maxOutputBytes ?? CONSOLE_MAX_OUTPUT_BYTES;
    this.timeLimit = opts.timeLimitMs ?? 0;
    this.onOutput = opts.onOutput;
    // Every print goes through the context (`-1`, `0N!`, `show`): count it there, where the loop runs.
    const print = this.interp.ctx.print;
    this.interp.ctx.print = (handle, text) => {
      this.printed += text.length;
      if (this.printed > this.maxOutput) {
        const room = text.length - (this.printed - this.maxOutput);
        if (room > 0) print(handle, text.slice(0, room));
        throw new QError(LIMIT_ERRORS.output);
      }
      print(handle, text);
    };
  }

  /** Console settings (`\c`, `\P`) currently in force. */
  get settings(): { precision: number; rows: number; cols: number } {
    return this.interp.settings;
  }

  evalLine(text: string): LineResult {
    if (this.exitCode !== undefined) return { output: "", exit: this.exitCode };
    const sink = new Sink(this.maxOutput);
    this.arm();
    try {
      // A user's input handler .z.pi gets the line as a string; a string it returns is printed
      // as it is (code.kx.com/q/ref/dotz/#zpi-input). System commands bypass it.
      const pi = text.trimStart().startsWith("\\") ? undefined : this.interp.env.lookup(".z.pi");
      if (pi !== undefined && isFunction(pi)) {
        const r = call(this.interp, pi, [str(text)]);
        this.drain(sink, true);
        if (r.kind === "vector" && r.type === 10) sink.write(1, textOf(r));
        else if (r.kind !== "identity") sink.write(1, `${displayValue(r, this.interp.settings)}\n`);
        return { output: sink.text() };
      }
      const { value, display } = this.interp.evalText(text);
      this.drain(sink, true);
      if (display) sink.write(1, `${displayValue(value, this.interp.settings)}\n`);
      return { output: sink.text() };
    } catch (e) {
      this.drain(sink, true);
      if (e instanceof ExitSignal) {
        this.exitCode = e.code;
        return { output: sink.text(), exit: e.code };
      }
      const q = toQError(e);
      sink.write(2, `${this.errorText(q)}\n`);
      return { output: sink.text(), error: q.qname };
    } finally {
      this.interp.deadline = Number.POSITIVE_INFINITY;
    }
  }

  runScript(text: string): ScriptOutcome {
    const out = new Sink(this.maxOutput);
    const err = new Sink(this.maxOutput);
    const both = { write: (h: 1 | 2, t: string) => (h === 1 ? out : err).write(h, t) };
    const done = (exitCode: number, exited: boolean, error?: { name: string; line: number }): ScriptOutcome => {
      const r: ScriptOutcome = { stdout: out.text(), stderr: err.text(), exitCode, exited };
      if (error) r.error = error;
      return r;
    };
    this.arm();
    try {
      for (const chunk of scriptChunks(text)) {
        try {
          this.interp.evalText(chunk.text);
          this.flush(both);
        } catch (e) {
          this.flush(both);
          if (e instanceof ExitSignal) {
            this.exitCode = e.code;
            return done(e.code, true);
          }
          const q = toQError(e);
          const line = chunk.line + lineOf(chunk.text, q.span?.start ?? 0);
          const msg = `${this.errorText(q)}\n`;
          err.write(2, msg);
          this.onOutput?.(2, msg);
          return done(1, false, { name: q.qname, line });
        }
      }
      return done(0, false);
    } finally {
      this.interp.deadline = Number.POSITIVE_INFINITY;
    }
  }

  private arm(): void {
    this.printed = 0;
    if (this.timeLimit > 0) this.interp.deadline = Date.now() + this.timeLimit;
  }

  private drain(sink: Sink, merge: boolean): void {
    for (const o of this.interp.out) sink.write(merge ? 1 : o.handle, o.text);
    this.interp.out.length = 0;
  }

  private flush(to: { write: (h: 1 | 2, t: string) => void }): void {
    for (const o of this.interp.out) {
      to.write(o.handle, o.text);
      this.onOutput?.(o.handle, o.text);
    }
    this.interp.out.length = 0;
  }

  /** q's error display: `'name`, then the innermost frame's source with a caret under the failing primitive. */
  errorText(e: QError): string {
    const frame = this.interp.errorSites.get(e)?.frames[0];
    return frame === undefined ? `'${e.qname}` : `'${e.qname}\n${frameText(frame)}`;
  }
}

/** Collects output up to a byte cap, then appends one truncation marker. */
class Sink {
  private parts: string[] = [];
  private bytes = 0;
  private truncated = false;
  constructor(private readonly cap: number) {}
  write(_handle: 1 | 2, text: string): void {
    if (this.truncated) return;
    if (this.bytes + text.length > this.cap) {
      this.parts.push(text.slice(0, Math.max(0, this.cap - this.bytes)));
      this.parts.push(`\n[output truncated at ${this.cap} bytes]\n`);
      this.truncated = true;
      return;
    }
    this.parts.push(text);
    this.bytes += text.length;
  }
  text(): string {
    return this.parts.join("");
  }
}

function lineOf(text: string, offset: number): number {
  let n = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === "\n") n++;
  return n;
}
