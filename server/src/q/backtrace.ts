/**
 * Backtraces (code.kx.com/q/basics/debug, q/ref/dotq): `.Q.bt[]` prints the call stack,
 * `.Q.trp[f;x;g]` / `.Q.trpd[f;x;g]` trap an error of `f x` / `f . x` and call `g[error;backtrace]`,
 * `.Q.sbt` formats a backtrace, and the console's error lines show its innermost frame.
 *
 * A frame is shown as q shows it: `  [n]  name:source` (the name only for a named function, `f@`
 * for a lambda nested in f), then a caret under the position in that source; a built-in that q
 * runs as a frame of its own (`.Q.trp`) is `  [n]  (.Q.trp)` over an empty line. The interpreter
 * keeps the stack (interp.ts); this module formats it and converts it to and from q values.
 */
import { call, type Runtime, toQError } from "./apply";
import { type QError, raise } from "./errors";
import { IDENTITY, items, list, long, str, textOf, type Value, type VerbDef } from "./values";

export interface BtFrame {
  /** The function's name (`f`, `f@`, `.Q.trp`), "" for an anonymous lambda or input text. */
  name: string;
  /** The source shown; "" for a built-in frame. */
  src: string;
  /** Offset of the caret in src; -1 for none. */
  pos: number;
  /** Stack level: 0 is the console input. */
  level: number;
}

/** One frame's two lines: `  [n]  text`, then the caret line (empty for a built-in frame). */
export function frameText(f: BtFrame): string {
  const prefix = `  [${f.level}]  `;
  if (f.src === "") return `${prefix}(${f.name})\n`;
  // A source of several lines shows the line that holds the caret.
  const starts = [0];
  for (let i = 0; i < f.src.length; i++) if (f.src[i] === "\n") starts.push(i + 1);
  const at = Math.max(f.pos, 0);
  let ln = 0;
  while (ln + 1 < starts.length && starts[ln + 1]! <= at) ln++;
  const end = starts[ln + 1];
  const lineText = f.src.slice(starts[ln], end === undefined ? undefined : end - 1);
  const head = ln === 0 && f.name !== "" ? `${f.name}:` : "";
  const caret = f.pos < 0 ? "" : `${" ".repeat(prefix.length + head.length + at - starts[ln]!)}^`;
  return `${prefix}${head}${lineText}\n${caret}`;
}

/** `.Q.sbt`: every frame's lines, each ending in a newline. */
function backtraceText(frames: readonly BtFrame[]): string {
  return frames.map((f) => `${frameText(f)}\n`).join("");
}

/**
 * A backtrace as the q value `.Q.trp` hands its handler: one item per frame, innermost first,
 * each `((name;file;line;source);position;level)`. The engine has no files: file is "" and line -1.
 */
function backtraceValue(frames: readonly BtFrame[]): Value {
  return list(
    frames.map((f) => list([list([str(f.name), str(""), long(-1), str(f.src)]), long(f.pos), long(f.level)])),
  );
}

function frameOf(v: Value): BtFrame {
  const parts = v.kind === "list" ? v.items : raise("type");
  const [info, pos, level] = parts as [Value | undefined, Value | undefined, Value | undefined];
  if (info?.kind !== "list" || info.items.length !== 4 || pos?.kind !== "atom" || level?.kind !== "atom")
    return raise("type");
  const text = (x: Value) => ((x.kind === "vector" || x.kind === "atom") && x.type === 10 ? textOf(x) : raise("type"));
  return { name: text(info.items[0]!), src: text(info.items[3]!), pos: Number(pos.v), level: Number(level.v) };
}

function framesOf(v: Value): BtFrame[] {
  if (v.kind === "list" && v.items.length === 0) return [];
  return v.kind === "list" ? items(v).map(frameOf) : raise("type");
}

/**
 * What these builtins need of the interpreter (interp.ts provides it). Naming only this keeps
 * backtrace.ts below the compiler in the import graph.
 */
interface StackHost extends Runtime {
  inBuiltinFrame<T>(name: string, f: () => T): T;
  readonly errorSites: WeakMap<QError, { frames: BtFrame[] }>;
  backtrace(): BtFrame[];
}

/** Runs `run` in a frame named `name`; on an error, calls `handler[error;backtrace]` instead. */
function trapWithBacktrace(it: StackHost, name: string, run: () => Value, handler: Value): Value {
  const caught = it.inBuiltinFrame(name, (): { error: QError; frames: BtFrame[] } | { value: Value } => {
    try {
      return { value: run() };
    } catch (e) {
      const q = toQError(e);
      // An error no compiled code stamped (a primitive f) happened in this frame.
      return { error: q, frames: it.errorSites.get(q)?.frames ?? it.backtrace() };
    }
  });
  if ("value" in caught) return caught.value;
  return call(it, handler, [str(caught.error.qname), backtraceValue(caught.frames)]);
}

export function debugBuiltins(it: StackHost): VerbDef[] {
  return [
    {
      name: ".Q.bt",
      kind: "keyword",
      monadic: (_x, ctx) => {
        ctx.print(1, backtraceText(it.backtrace()));
        return IDENTITY;
      },
      doc: { summary: "Print the call stack (backtrace).", forms: [".Q.bt[]"], example: "{.Q.bt[];x}1" },
    },
    {
      name: ".Q.sbt",
      kind: "keyword",
      monadic: (x) => str(backtraceText(framesOf(x))),
      doc: {
        summary: "The text of a backtrace that .Q.trp passed to its handler.",
        forms: [".Q.sbt bt"],
        example: "count .Q.sbt .Q.trp[{x+1};`a;{y}]  → 104",
      },
    },
    {
      name: ".Q.trp",
      kind: "keyword",
      valence: 3,
      nary: ([f, x, g]) => trapWithBacktrace(it, ".Q.trp", () => call(it, f!, [x!]), g!),
      doc: {
        summary: "Trap an error of f x: calls g[error;backtrace] instead.",
        forms: [".Q.trp[f;x;g]"],
        example: '.Q.trp[{x+1};`a;{[e;b]e}]  → "type"',
      },
    },
    {
      name: ".Q.trpd",
      kind: "keyword",
      valence: 3,
      nary: ([f, x, g]) => trapWithBacktrace(it, ".Q.trpd", () => call(it, { kind: "prim", name: "." }, [f!, x!]), g!),
      doc: {
        summary: "Trap an error of f . x: calls g[error;backtrace] instead.",
        forms: [".Q.trpd[f;x;g]"],
        example: '.Q.trpd[{x+y};(1;`a);{[e;b]e}]  → "type"',
      },
    },
  ];
}
