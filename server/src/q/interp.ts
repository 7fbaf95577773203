/**
 * The evaluator: compiles syntax trees (ast.ts) to JS closures once, then runs
 * the closures. Compiling resolves what can be known statically: which names
 * are lambda locals (a slot in a per-call frame array) and which are
 * primitives, and which verb implementation an operator calls; the AST itself
 * is never modified.
 *
 * q evaluates right to left: the right operand of a dyad, and the arguments of
 * a bracket application from last to first, are evaluated before their left
 * neighbours.
 *
 * Lambda semantics: parameters and every name assigned with `:` in the body
 * are locals; `::` assigns a global; other names read globals of the namespace
 * the lambda was defined in. q has no closures, so a lambda value is fixed at
 * compile time.
 *
 * Errors: q errors are QError; the first closure to see one without a span
 * stamps its own span and source, so the console can print q's caret display.
 */

import { applyDerived, identityOf, truthy } from "./adverbs";
import { applyMonadic, applyN, call, type Runtime, toQError } from "./apply";
import type { Column, LambdaNode, Node } from "./ast";
import { impliedName } from "./colnames";
import { asEnum, enumerateLike, enumSafeVerb, setEnumResolver } from "./enums";
import { Env } from "./env";
import { ExitSignal, QError, raise } from "./errors";
import { appendInPlace, dictSetInPlace } from "./grow";
import { allocationGuards, heapGuards, itemBytes } from "./guards";
import { fitsMemory, MAX_DEPTH } from "./limits";
import { literalValue } from "./literal";
import { parse } from "./parser";
import { evalTree, toTree } from "./parsetree";
import { compilePattern, PATTERN_FAILURES, type PatternHost } from "./pattern";
import { DOT_H_TX, Q_DEFINED } from "./q-defined";
import { evalSql, functionalSql, simpleExec } from "./qsql";
import { scriptChunks } from "./script";
import { sessionBuiltins } from "./session-builtins";
import { systemCommand } from "./syscmd";
import { isTemporalType, temporalFieldValue } from "./temporal";
import type { Span } from "./tokens";
import {
  count,
  createRandom,
  dict,
  EMPTY_LIST,
  type EvalContext,
  enumDomain,
  IDENTITY,
  index,
  isFunction,
  items,
  list,
  type QDerived,
  type QLambda,
  rawList,
  sym,
  syms,
  table,
  textOf,
  type Value,
  type VerbDef,
  vectorOf,
} from "./values";
import { VERBS } from "./verbs/index";
import { appendOperand } from "./verbs/structure";

/** Per-call storage of a lambda's locals (parameters first). */
type Frame = (Value | undefined)[];
type Code = (fr: Frame) => Value;

interface Scope {
  /** Local slots of the lambda being compiled; null at top level. */
  slots: Map<string, number> | null;
  ns: string;
  /** Text that spans in this scope index into, and its offset in the parse unit. */
  src: string;
  base: number;
  /** Inside a qSQL clause: names resolve to columns first. */
  sql?: boolean;
  /** The lambda being compiled: what `.z.s` reads inside it. */
  self?: QLambda;
}

/** The compiled body kept in QLambda.body. */
interface CompiledBody {
  nslots: number;
  code: Code[];
}

/** Where an error happened, for the console's `[n]  source` / caret lines. */
export interface ErrorSite {
  src: string;
  /** Offset of the error within src. */
  at: number;
  /** 0 at top level, 1+ inside lambdas. */
  level: number;
}

class ReturnSignal {
  constructor(readonly value: Value) {}
}

export interface InterpOptions {
  precision?: number;
  consoleRows?: number;
  consoleCols?: number;
  /** Returns script text for an allow-listed `\l` path, or undefined. */
  allowLoad?: (path: string) => string | undefined;
  /**
   * Largest single vector (in bytes) a primitive may build; bigger requests raise `'wsfull`
   * before allocating. Typed arrays live outside the V8 heap, so a worker's resourceLimits
   * alone do not stop `til 300000000`.
   */
  maxVectorBytes?: number;
  /**
   * Budget for this isolate's V8 heap in use: past it, tick() and the bulk `string` conversion
   * raise `'wsfull`. A sandbox sets its V8 heap limit above this, so the engine's clean error comes
   * first and V8's fatal out-of-memory (which can take the whole process down) is never reached.
   */
  maxHeapBytes?: number;
}

export class Interp implements Runtime {
  readonly env = new Env();
  readonly settings: { precision: number; rows: number; cols: number };
  readonly ctx: EvalContext;
  /** Output written by the program (`show`, `-1`, `0N!`), in order; the session drains it. */
  readonly out: { handle: 1 | 2; text: string }[] = [];
  /** Wall-clock deadline (ms since epoch) checked by tick(); Infinity for none. */
  deadline = Number.POSITIVE_INFINITY;
  readonly errorSites = new WeakMap<QError, ErrorSite>();
  /**
   * Vectors created by an indexed assignment (`a[i]:v`) and referenced only by that variable:
   * later indexed assignments may update them in place instead of copying (loops like
   * `dp[i]:…` stay linear). Any read that hands the vector out removes it from this set.
   */
  private readonly owned = new WeakSet<object>();
  /**
   * Statements whose value nobody uses (all but the last of a body, loop bodies): an append there
   * may grow its variable's buffer in place, since no other reference to the result exists.
   */
  private readonly discarded = new WeakSet<Node>();
  /** Columns visible to the qSQL clause being evaluated (qsql.ts sets it). */
  sqlColumns: Map<string, Value> | null = null;
  private depth = 0;
  /** Largest vector a primitive may build (InterpOptions.maxVectorBytes). */
  private maxVectorBytes = Number.POSITIVE_INFINITY;
  private ticks = 0;
  private readonly maxHeapBytes: number;
  private readonly builtins = new Map<string, VerbDef>();
  /** The verbs as called: builtins over the verb table, each given plain values for enumerations it does not handle. */
  private readonly verbs = new Map<string, VerbDef>();
  /** How this session's enumerations read their domains (enums.ts). */
  private readonly resolveDomain = (name: string): Value | undefined => this.env.lookup(name);
  readonly allowLoad: ((path: string) => string | undefined) | undefined;

  constructor(opts: InterpOptions = {}) {
    this.settings = { precision: opts.precision ?? 7, rows: opts.consoleRows ?? 25, cols: opts.consoleCols ?? 80 };
    this.allowLoad = opts.allowLoad;
    const random = createRandom();
    this.ctx = {
      apply: (f, args) => (args.length === 1 ? applyMonadic(this, f, args[0]!) : call(this, f, args)),
      print: (handle, text) => {
        this.out.push({ handle, text });
      },
      settings: this.settings,
      tick: () => this.tick(),
      random,
    };
    for (const b of sessionBuiltins(this)) this.builtins.set(b.name, b);
    const lookup = (name: string) => this.verb(name);
    if (opts.maxVectorBytes !== undefined) {
      this.maxVectorBytes = opts.maxVectorBytes;
      for (const g of allocationGuards(lookup, opts.maxVectorBytes)) this.builtins.set(g.name, g);
    }
    this.maxHeapBytes = opts.maxHeapBytes ?? Number.POSITIVE_INFINITY;
    if (opts.maxHeapBytes !== undefined)
      for (const g of heapGuards(lookup, opts.maxHeapBytes)) this.builtins.set(g.name, g);
    // Guards looked verbs up while being built; start the cache from the final table.
    this.verbs.clear();
    // What q defines in q itself (.Q.addmonths, .h.cd, .h.tx, ...); so does this session.
    this.installQDefined();
  }

  /** Defines the `.Q` and `.h` members q writes in q; `.h.tx` shows q's k source for each format. */
  private installQDefined(): void {
    for (const line of Q_DEFINED.split("\n")) this.evalText(line);
    const tx = this.env.get(".h.tx");
    if (tx.kind !== "dict" || tx.values.kind !== "list") return;
    const shown = new Map(DOT_H_TX.map(([k, , k4]) => [k, k4]));
    const formats = items(tx.keys).map((k) => (k as { v: string }).v);
    const values = tx.values.items.map((f, i) => {
      const k4 = shown.get(formats[i]!);
      return f.kind === "lambda" && k4 !== undefined ? { ...f, source: k4 } : f;
    });
    this.env.set(".h.tx", { ...tx, values: { kind: "list", items: values } });
  }

  /** The in-place growth paths (grow.ts) obey the same vector size limit as `,`. */
  private checkGrowth(cur: Value, add: Value): void {
    if ((count(cur) + count(add)) * Math.max(itemBytes(cur), itemBytes(add)) > this.maxVectorBytes) raise("wsfull");
  }

  tick(): void {
    if ((++this.ticks & 255) !== 0) return;
    if (Date.now() > this.deadline) throw new QError("stop");
    if (!fitsMemory(this.maxHeapBytes)) raise("wsfull");
  }

  /** Names of the verbs this session installs over the verb table (value, each, show, ...). */
  builtinNames(): string[] {
    return [...this.builtins.keys()];
  }

  verb(name: string): VerbDef | undefined {
    let def = this.verbs.get(name);
    if (def === undefined) {
      const found = this.builtins.get(name) ?? VERBS.get(name);
      if (found === undefined) return undefined;
      def = enumSafeVerb(found);
      this.verbs.set(name, def);
    }
    return def;
  }

  getGlobal(name: string): Value {
    const v = this.env.get(name);
    this.owned.delete(v);
    return v;
  }

  setGlobal(name: string, v: Value): void {
    this.env.set(name, v);
  }

  applyDerived(d: QDerived, args: Value[]): Value {
    return applyDerived(this, d, args);
  }

  functionalSql(glyph: "?" | "!", args: Value[]): Value {
    if (args.length === 3) return simpleExec(this, args[0]!, args[1]!, args[2]!);
    return functionalSql(this, glyph, args);
  }

  callLambda(f: QLambda, args: Value[]): Value {
    const body = f.body as CompiledBody;
    // Every call counts toward the periodic limit checks: `f each x` loops call only lambdas.
    this.tick();
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      raise("stack");
    }
    const fr: Frame = new Array(body.nslots);
    for (let i = 0; i < args.length; i++) fr[i] = args[i];
    try {
      let r: Value = IDENTITY;
      const code = body.code;
      for (let i = 0; i < code.length; i++) r = code[i]!(fr);
      return r;
    } catch (e) {
      if (e instanceof ReturnSignal) return e.value;
      if (e instanceof ExitSignal) throw e;
      throw toQError(e);
    } finally {
      this.depth--;
    }
  }

  /**
   * Parses and runs text; returns the value of the last statement and
   * whether the console should display it (not after an assignment or a trailing `;`).
   */
  evalText(text: string): { value: Value; display: boolean } {
    setEnumResolver(this.resolveDomain);
    const nodes = parse(text);
    const scope: Scope = { slots: null, ns: this.env.ns, src: text, base: 0 };
    let value: Value = IDENTITY;
    let display = false;
    for (let i = 0; i < nodes.length - 1; i++) this.discarded.add(nodes[i]!);
    for (const n of nodes) {
      scope.ns = this.env.ns;
      const code = this.compile(n, scope);
      value = code([]);
      const patternAssign = n.type === "dyad" && n.op.type === "verb" && n.op.glyph === ":";
      display = n.type !== "assign" && n.type !== "empty" && !patternAssign;
    }
    return { value, display: display && value.kind !== "identity" };
  }

  // ---------------------------------------------------------------- compiler

  private site(e: unknown, span: Span, scope: Scope): never {
    const q = e instanceof QError ? e : e instanceof ReturnSignal || e instanceof ExitSignal ? null : toQError(e);
    if (q === null) throw e;
    if (q.span === undefined) {
      q.span = span;
      this.errorSites.set(q, { src: scope.src, at: span.start - scope.base, level: scope.slots ? 1 : 0 });
    }
    throw q;
  }

  compile(n: Node, scope: Scope): Code {
    switch (n.type) {
      case "num": {
        const v = literalValue(n.parts, n.span);
        return () => v;
      }
      case "str": {
        const bytes = Uint8Array.from(n.value, (c) => c.charCodeAt(0));
        const v: Value =
          bytes.length === 1 ? { kind: "atom", type: 10, v: bytes[0]! } : { kind: "vector", type: 10, data: bytes };
        return () => v;
      }
      case "sym": {
        const v: Value = n.names.length === 1 ? sym(n.names[0]!) : syms(n.names);
        return () => v;
      }
      case "name":
        return this.compileName(n.name, scope, n.span);
      case "verb": {
        const v: Value = n.glyph === "::" ? IDENTITY : { kind: "prim", name: n.glyph };
        return () => v;
      }
      case "noun":
        return this.compile(n.expr, scope);
      case "adverb": {
        const fn = this.compileFnValue(n.fn, scope);
        const it = n.adverb;
        return (fr) => ({ kind: "derived", iterator: it, fn: fn(fr) });
      }
      case "lambda": {
        const v = this.compileLambda(n, scope);
        return () => v;
      }
      case "dyad":
        return this.compileDyad(n.op, n.left, n.right, scope, n.span);
      case "monad":
        return this.compileMonad(n.fn, n.arg, scope);
      case "apply":
        return this.compileApply(n.fn, n.args, scope, n.span);
      case "list": {
        if (n.items.some((x) => x === null)) {
          // `(a;;c)` is a projection of enlist: applying it fills the holes.
          const parts = n.items.map((x) => (x === null ? null : this.compile(x, scope)));
          const enlist: Value = { kind: "prim", name: "enlist" };
          return (fr) => {
            const args = new Array<Value | undefined>(parts.length);
            for (let i = parts.length - 1; i >= 0; i--) args[i] = parts[i]?.(fr);
            return { kind: "projection", fn: enlist, args };
          };
        }
        const items = n.items.map((x) => (x === null ? () => IDENTITY : this.compile(x, scope)));
        return (fr) => {
          const out = new Array<Value>(items.length);
          for (let i = items.length - 1; i >= 0; i--) out[i] = items[i]!(fr);
          return list(out);
        };
      }
      case "projectLeft": {
        // `x ::` applies x to the identity: all of x (`1 2 3 ::` is 1 2 3, `3 ::` is 3).
        if (n.op.type === "verb" && n.op.glyph === "::") return this.compile(n.left, scope);
        const op = this.compileFnValue(n.op, scope);
        const left = this.compile(n.left, scope);
        return (fr) => {
          const f = op(fr);
          const l = left(fr);
          return { kind: "projection", fn: f, args: [l, undefined] };
        };
      }
      case "assign":
        return this.compileAssign(n, scope);
      case "return": {
        const v = this.compile(n.value, scope);
        if (scope.slots === null) return v;
        return (fr) => {
          throw new ReturnSignal(v(fr));
        };
      }
      case "signal": {
        const v = this.compile(n.value, scope);
        const span = n.span;
        return (fr) => {
          const x = v(fr);
          let name: string;
          if (x.kind === "atom" && x.type === 11) name = x.v as string;
          else if (x.kind === "vector" && x.type === 10) name = textOf(x);
          // Only a symbol or a string names an error; anything else signals 'stype (q 4.1).
          else name = "stype";
          return this.site(new QError(name), span, scope);
        };
      }
      case "table":
        return this.compileTable(n.keys, n.cols, scope);
      case "sys": {
        const cmd = n.command;
        return () => this.system(cmd);
      }
      case "sql":
        // The from-phrase is read in the enclosing scope: inside a lambda `from x` is the argument
        // x, even while an outer query has a column x (`({exec … from x};…) fby s`, ref/fby).
        return evalSql(
          this,
          n,
          (x) => this.compile(x, { ...scope, sql: true }),
          (x) => this.compile(x, scope),
        );
      case "empty":
        return () => IDENTITY;
      case "block": {
        const body = n.body.map((x) => this.compile(x, scope));
        return (fr) => {
          let r: Value = IDENTITY;
          for (const c of body) r = c(fr);
          return r;
        };
      }
    }
  }

  /** Like compile, but a bare glyph or keyword yields its function value. */
  private compileFnValue(n: Node, scope: Scope): Code {
    return this.compile(n, scope);
  }

  /**
   * A name read. Reading a vector hands it out, so it is no longer exclusively owned by its
   * variable (see `owned`); `peek` reads for indexing (`a[i]`) do not hand the vector out.
   */
  compileName(name: string, scope: Scope, span: Span, peek = false): Code {
    const read = this.compileNameRead(name, scope, span);
    if (peek) return read;
    const owned = this.owned;
    return (fr) => {
      const v = read(fr);
      owned.delete(v);
      return v;
    };
  }

  private compileNameRead(name: string, scope: Scope, span: Span): Code {
    if (scope.sql) {
      const plain = this.compileName(name, { ...scope, sql: false }, span);
      const dot = name.indexOf(".");
      if (dot > 0) {
        // `s.city`: follow the foreign key column s into the keyed table s; `d.year`: a temporal field.
        const path = name.split(".");
        return (fr) => {
          const col = this.sqlColumns?.get(path[0]!);
          if (col === undefined) return plain(fr);
          if (path.length === 2 && (col.kind === "vector" || col.kind === "atom") && isTemporalType(col.type))
            return temporalFieldValue(path[1]!, col) ?? this.site(new QError(name), span, scope);
          return this.foreignKey(path, col);
        };
      }
      return (fr) => this.sqlColumns?.get(name) ?? plain(fr);
    }
    const slot = scope.slots?.get(name);
    const ns = scope.ns;
    const env = this.env;
    if (slot !== undefined) {
      return (fr) => {
        // A local read before any assignment (one made only in a branch not taken) is the
        // empty list, not the global of that name (code.kx.com/q/basics/function-notation).
        return fr[slot] ?? UNSET_LOCAL;
      };
    }
    if (name === ".z.s") {
      const self = scope.self;
      return () => self ?? this.site(new QError(name), span, scope);
    }
    if (this.verb(name) !== undefined) {
      const v: Value = { kind: "prim", name };
      // Dotted built-ins (`.Q.s`, `.j.k`) live in namespaces a program may also write to.
      if (name.startsWith(".")) return () => env.lookup(name, ns) ?? v;
      return () => v;
    }
    return () => env.lookup(name, ns) ?? this.site(new QError(name), span, scope);
  }

  /** Handle 0 applied to a string or parse tree evaluates it here (`0 "1+2"`). */
  evalHandleZero(x: Value): Value {
    if ((x.kind === "vector" || x.kind === "atom") && x.type === 10) return this.evalText(textOf(x)).value;
    return this.evalParseTree(x);
  }

  /** `parse`: the parse tree of the text's last statement (a `;` list for several). */
  parseToTree(text: string): Value {
    const nodes = parse(text);
    const scope: Scope = { slots: null, ns: this.env.ns, src: text, base: 0 };
    const ctx = {
      lambda: (n: LambdaNode) => this.compileLambda(n, scope),
      isVerb: (name: string) => this.verb(name) !== undefined,
    };
    if (nodes.length === 1) return toTree(nodes[0]!, ctx);
    return rawList([{ kind: "prim", name: ";" }, ...nodes.map((n) => toTree(n, ctx))]);
  }

  /** `eval`: evaluates a parse tree. */
  evalParseTree(x: Value): Value {
    return evalTree(
      x,
      (name) => (this.verb(name) !== undefined ? { kind: "prim", name } : this.getGlobal(name)),
      (f, args) => call(this, f, args),
      (name, v) => this.setGlobal(name, v),
    );
  }

  /** Resolves `col.field[.field…]` through keyed tables named like the columns (enumeration domains). */
  private foreignKey(path: string[], col: Value): Value {
    let cur = col;
    for (let k = 1; k < path.length; k++) {
      // An enumeration names its keyed table and holds row indices; a plain column is looked up by key.
      const e = asEnum(cur);
      const domain = this.env.lookup(e === undefined ? path[k - 1]! : enumDomain(e.type));
      if (domain?.kind !== "dict" || domain.keys.kind !== "table" || domain.values.kind !== "table")
        raise(path.join("."));
      const rows =
        e === undefined ? applyN(this, domain, [cur]) : applyN(this, domain.values, [{ ...e, type: 6 } as Value]);
      cur = applyN(this, rows, [sym(path[k]!)]);
    }
    return cur;
  }

  private compileLambda(n: LambdaNode, outer: Scope): QLambda {
    const slots = new Map<string, number>();
    n.params.forEach((p, i) => {
      slots.set(p, i);
    });
    const assigned = collectLocals(n.body, slots);
    // q 4.0+: a name assigned globally (::) and then locally (:) in one lambda is a compile error
    // named after it, with the caret on the local assignment (code.kx.com/q/basics/errors).
    for (const [name, span] of assigned.local) {
      const g = assigned.global.get(name);
      if (g !== undefined && g.start < span.start) this.site(new QError(name), span, outer);
    }
    const body: CompiledBody = { nslots: slots.size, code: [] };
    const dyad = dyadGlyph(n);
    const v: QLambda = {
      kind: "lambda",
      source: n.source,
      params: n.params,
      body,
      ...(outer.ns ? { ns: outer.ns } : {}),
      ...(dyad !== undefined ? { dyad } : {}),
    };
    const scope: Scope = { slots, ns: outer.ns, src: n.source, base: n.span.start, self: v };
    for (let i = 0; i < n.body.length - 1; i++) this.discarded.add(n.body[i]!);
    body.code = n.body.map((s) => this.compile(s, scope));
    return v;
  }

  /** `pattern:value` (q 4.1): see pattern.ts. */
  private compilePatternAssign(pattern: Node, valueNode: Node, scope: Scope, span: Span): Code {
    const value = this.compile(valueNode, scope);
    const match = this.compileMatcher(pattern, scope);
    return (fr) => {
      const v = value(fr);
      try {
        return match(v, fr);
      } catch (e) {
        return this.site(e, span, scope);
      }
    };
  }

  /**
   * A pattern as a function of the matched value: binds names only when the
   * whole pattern matches ("a failed match results in no variables being
   * changed"), else throws the failure ('match, 'type, 'length).
   */
  private compileMatcher(pattern: Node, scope: Scope): (v: Value, fr: Frame) => Value {
    const matcher = compilePattern(pattern);
    const codes = new Map<Node, Code>();
    const codeOf = (n: Node) => {
      let c = codes.get(n);
      if (c === undefined) codes.set(n, (c = this.compile(n, scope)));
      return c;
    };
    const set = (fr: Frame, name: string, x: Value) => {
      const slot = scope.slots?.get(name);
      if (slot !== undefined) fr[slot] = x;
      else this.env.set(name, x, scope.ns);
    };
    return (v, fr) => {
      const writes: (() => void)[] = [];
      const host: PatternHost = {
        evaluate: (n) => codeOf(n)(fr),
        bind: (name, x) => writes.push(() => set(fr, name, x)),
        amend: (name, indices, x) => {
          const path = indices.map((i) => (i === null ? IDENTITY : codeOf(i)(fr)));
          writes.push(() => {
            const slot = scope.slots?.get(name);
            const cur = (slot !== undefined ? fr[slot] : undefined) ?? this.env.get(name, scope.ns);
            set(fr, name, amendAssign(this, cur, path, { kind: "prim", name: ":" }, x));
          });
        },
        apply: (f, args) => call(this, f, args),
      };
      const r = matcher(v, host);
      for (const w of writes) w();
      return r;
    };
  }

  /**
   * `:[v;p1;r1;p2;r2;…;rd]` (q 4.1 pattern conditional): the result for the
   * first pattern v matches, else rd; only that result is evaluated.
   */
  private compilePatternCond(argNodes: (Node | null)[], scope: Scope): Code {
    const empty = (a: Node | null): Node => a ?? { type: "empty", span: { start: 0, end: 0 } };
    const value = this.compile(empty(argNodes[0] ?? null), scope);
    const arms: { match: (v: Value, fr: Frame) => Value; result: Code }[] = [];
    let i = 1;
    for (; i + 1 < argNodes.length; i += 2) {
      arms.push({
        match: this.compileMatcher(empty(argNodes[i]!), scope),
        result: this.compile(empty(argNodes[i + 1]!), scope),
      });
    }
    const otherwise = i < argNodes.length ? this.compile(empty(argNodes[i]!), scope) : () => IDENTITY;
    return (fr) => {
      const v = value(fr);
      for (const arm of arms) {
        try {
          arm.match(v, fr);
        } catch (e) {
          // Only a failed match moves on; any other error (a filter function's own) propagates.
          if (e instanceof QError && PATTERN_FAILURES.has(e.qname)) continue;
          throw e;
        }
        return arm.result(fr);
      }
      return otherwise(fr);
    };
  }

  private compileDyad(opNode: Node, leftNode: Node, rightNode: Node, scope: Scope, span: Span): Code {
    if (opNode.type === "verb" && opNode.glyph === ":")
      return this.compilePatternAssign(leftNode, rightNode, scope, opNode.span);
    // `x op g` with a bare glyph on the right composes too: `(0|+)` is `'[0|;+]`.
    if (rightNode.type === "projectLeft" || (rightNode.type === "verb" && rightNode.glyph !== ":")) {
      const projected = this.compile({ type: "projectLeft", op: opNode, left: leftNode, span }, scope);
      return this.compileCompose(projected, rightNode, scope);
    }
    const left = this.compile(leftNode, scope);
    const right = this.compile(rightNode, scope);
    const opSpan = opNode.span;
    if (opNode.type === "verb" && opNode.glyph !== "@" && opNode.glyph !== "." && opNode.glyph !== "::") {
      const def = this.verb(opNode.glyph);
      const dy = def?.dyadic;
      if (dy) {
        const ctx = this.ctx;
        const fast = fastAtomDyad(opNode.glyph);
        return (fr) => {
          const r = right(fr);
          const l = left(fr);
          if (fast !== undefined && l.kind === "atom" && r.kind === "atom" && l.type === r.type) {
            const v = fast(l, r);
            if (v !== undefined) return v;
          }
          try {
            return dy(l, r, ctx);
          } catch (e) {
            return this.site(e, opSpan, scope);
          }
        };
      }
    }
    const op = this.compile(opNode, scope);
    void span;
    return (fr) => {
      const r = right(fr);
      const l = left(fr);
      const f = op(fr);
      try {
        return call(this, f, [l, r]);
      } catch (e) {
        return this.site(e, opSpan, scope);
      }
    };
  }

  /**
   * `f g@` / `x op g@`: applying to a bare left projection (not parenthesised) composes
   * (`til count@` is `'[til;count@]`).
   */
  private compileCompose(first: Code, projection: Node, scope: Scope): Code {
    const second = this.compile(projection, scope);
    return (fr) => {
      const g = second(fr);
      return { kind: "composition", fns: [first(fr), g] };
    };
  }

  private compileMonad(fnNode: Node, argNode: Node, scope: Scope): Code {
    // `f g h'`-style trains: a function applied to a composition composes with it
    // (`(count distinct type each)`, code.kx.com/q/ref/file-text).
    if (composes(argNode)) return this.compileCompose(this.compile(fnNode, scope), argNode, scope);
    const arg = this.compile(argNode, scope);
    const span = fnNode.span;
    // "$ unary form disabled in q" (basics/parsetrees): only `($)x` and `$:x` reach it.
    if (fnNode.type === "verb" && fnNode.glyph === "$") return () => raise("$", span);
    if (fnNode.type === "verb") {
      const monadicOnly = fnNode.glyph.length > 1 && fnNode.glyph.endsWith(":") && fnNode.glyph !== "::";
      const def = this.verb(monadicOnly ? fnNode.glyph.slice(0, -1) : fnNode.glyph);
      const mo = def?.monadic;
      if (mo) {
        const ctx = this.ctx;
        return (fr) => {
          const x = arg(fr);
          try {
            return mo(x, ctx);
          } catch (e) {
            return this.site(e, span, scope);
          }
        };
      }
    }
    const fn = this.compile(fnNode, scope);
    return (fr) => {
      const x = arg(fr);
      const f = fn(fr);
      try {
        return applyMonadic(this, f, x);
      } catch (e) {
        return this.site(e, span, scope);
      }
    };
  }

  private compileApply(fnNode: Node, argNodes: (Node | null)[], scope: Scope, span: Span): Code {
    if (fnNode.type === "name" && scope.slots?.has(fnNode.name) !== true) {
      const control = this.compileControl(fnNode.name, argNodes, scope, span);
      if (control) return control;
    }
    // Cond is not supported inside qSQL phrases: there `$[c;t;f]` applies the dyadic `$` to three
    // arguments, a rank error (code.kx.com/q/basics/qsql, "Cond").
    if (fnNode.type === "verb" && fnNode.glyph === "$" && argNodes.length > 2 && scope.sql !== true) {
      return this.compileCond(argNodes, scope);
    }
    if (fnNode.type === "verb" && fnNode.glyph === ":" && argNodes.length > 1) {
      return this.compilePatternCond(argNodes, scope);
    }
    const peek = fnNode.type === "name";
    const fn = peek ? this.compileName(fnNode.name, scope, fnNode.span, true) : this.compile(fnNode, scope);
    const args = argNodes.map((a) => (a === null ? null : this.compile(a, scope)));
    const n = args.length;
    const fnSpan = fnNode.span;
    const owned = this.owned;
    return (fr) => {
      const vals = new Array<Value | undefined>(n === 0 ? 1 : n);
      if (n === 0) vals[0] = IDENTITY;
      for (let i = n - 1; i >= 0; i--) {
        const a = args[i];
        vals[i] = a === null || a === undefined ? undefined : a(fr);
      }
      const f = fn(fr);
      try {
        const r = applyN(this, f, vals);
        if (peek && r === f) owned.delete(f);
        return r;
      } catch (e) {
        return this.site(e, fnSpan, scope);
      }
    };
  }

  /** `$[c;t;…;f]`: evaluates only the branch it takes. */
  private compileCond(argNodes: (Node | null)[], scope: Scope): Code {
    const parts = argNodes.map((a) => (a === null ? () => IDENTITY : this.compile(a, scope)));
    return (fr) => {
      let i = 0;
      for (; i + 1 < parts.length; i += 2) {
        if (truthy(parts[i]!(fr))) return parts[i + 1]!(fr);
      }
      return i < parts.length ? parts[i]!(fr) : IDENTITY;
    };
  }

  private compileControl(name: string, argNodes: (Node | null)[], scope: Scope, span: Span): Code | null {
    if (name !== "if" && name !== "do" && name !== "while") return null;
    for (const a of argNodes.slice(1)) if (a !== null) this.discarded.add(a);
    const parts = argNodes.map((a) => (a === null ? () => IDENTITY : this.compile(a, scope)));
    const head = parts[0] ?? (() => IDENTITY);
    const body = parts.slice(1);
    const runBody = (fr: Frame) => {
      for (const b of body) b(fr);
    };
    if (name === "if") {
      return (fr) => {
        if (truthy(head(fr))) runBody(fr);
        return IDENTITY;
      };
    }
    if (name === "do") {
      return (fr) => {
        const n = head(fr);
        if (n.kind !== "atom" || typeof n.v !== "number") return this.site(new QError("type"), span, scope);
        for (let i = 0; i < n.v; i++) {
          this.tick();
          runBody(fr);
        }
        return IDENTITY;
      };
    }
    return (fr) => {
      while (truthy(head(fr))) {
        this.tick();
        runBody(fr);
      }
      return IDENTITY;
    };
  }

  private compileAssign(n: Node & { type: "assign" }, scope: Scope): Code {
    if (n.targets !== undefined) return this.compileDestructure(n.targets, n, scope);
    const value = this.compile(n.value, scope);
    // `::` on a name that is local to the lambda assigns the local (q: "assignment is local").
    const slot = scope.slots?.get(n.name);
    const ns = scope.ns;
    const env = this.env;
    const name = n.name;
    // `b,:3` on an undefined b joins to the empty list (code.kx.com/q/ref/enlist: b is then `,3`).
    // Other operators start an undefined name from their identity element (`bar+:1` makes bar 1:
    // code.kx.com/q/ref/assign, "Assign through operator").
    const unsetStart =
      n.op?.type !== "verb" || n.indices !== undefined
        ? undefined
        : n.op.glyph === ","
          ? EMPTY_LIST
          : identityOf({ kind: "prim", name: n.op.glyph });
    // A local not yet assigned is unset, as when it is read (see compileNameRead): never the global.
    const read = (fr: Frame): Value =>
      slot !== undefined
        ? (fr[slot] ?? unsetStart ?? UNSET_LOCAL)
        : (env.lookup(name, ns) ?? unsetStart ?? this.site(new QError(name), n.span, scope));
    const write =
      slot !== undefined
        ? (fr: Frame, v: Value) => {
            fr[slot] = v;
          }
        : (_fr: Frame, v: Value, path: readonly (Value | undefined)[] = []) => {
            if (this.verb(name) !== undefined && !name.startsWith(".")) raise("assign");
            env.set(name, v, ns);
            this.valueSet(name, ns, path);
          };
    const op = n.op ? this.compile(n.op, scope) : null;
    const span = n.op?.span ?? n.span;
    if (n.indices === undefined) {
      if (op === null) {
        return (fr) => {
          const v = value(fr);
          try {
            write(fr, v);
          } catch (e) {
            return this.site(e, span, scope);
          }
          return v;
        };
      }
      const glyph = n.op?.type === "verb" ? n.op.glyph : undefined;
      const fast = glyph === undefined ? undefined : fastAtomDyad(glyph);
      const dy = glyph === undefined || glyph === "@" || glyph === "." ? undefined : this.verb(glyph)?.dyadic;
      const ctx = this.ctx;
      const owned = this.owned;
      if (glyph === "," && this.discarded.has(n)) {
        // `r,:x` as a statement: grow r's buffer in place (linear loops), see grow.ts.
        return (fr) => {
          let v = value(fr);
          try {
            const cur = read(fr);
            v = appendOperand(cur, v);
            this.checkGrowth(cur, v);
            const r = appendInPlace(cur, v, owned.has(cur)) ?? dy!(cur, v, ctx);
            write(fr, r);
            owned.add(r);
            return r;
          } catch (e) {
            return this.site(e, span, scope);
          }
        };
      }
      return (fr) => {
        let v = value(fr);
        try {
          const cur = read(fr);
          if (glyph === ",") v = appendOperand(cur, v);
          let r: Value | undefined;
          if (fast !== undefined && cur.kind === "atom" && v.kind === "atom" && cur.type === v.type) r = fast(cur, v);
          r ??= dy !== undefined ? dy(cur, v, ctx) : call(this, op(fr), [cur, v]);
          write(fr, r);
          return r;
        } catch (e) {
          return this.site(e, span, scope);
        }
      };
    }
    const idx = n.indices.map((a) => (a === null ? null : this.compile(a, scope)));
    const colon: Value = { kind: "prim", name: ":" };
    const glyph = n.op?.type === "verb" ? n.op.glyph : n.op === undefined ? ":" : undefined;
    const fast = glyph === undefined || glyph === ":" ? undefined : fastAtomDyad(glyph);
    const owned = this.owned;
    const discarded = this.discarded.has(n);
    /** In-place `a[i]:v` / `a[i]+:v` on an exclusively owned vector; false when not applicable. */
    const inPlace = (cur: Value | undefined, path: (Value | undefined)[], v: Value): boolean => {
      if (cur === undefined || cur.kind !== "vector" || !owned.has(cur) || path.length !== 1) return false;
      const i = path[0];
      if (i === undefined || i.kind !== "atom" || (i.type !== 7 && i.type !== 6) || typeof i.v !== "number")
        return false;
      const data = cur.data;
      if (i.v < 0 || i.v >= data.length || cur.type === 2 || data instanceof BigInt64Array) return false;
      let item: Value = v;
      if (glyph !== ":") {
        if (fast === undefined || v.kind !== "atom") return false;
        const r = fast(
          { kind: "atom", type: cur.type, v: data[i.v]! } as Value & { kind: "atom" },
          v as Value & { kind: "atom" },
        );
        if (r === undefined) return false;
        item = r;
      }
      if (item.kind !== "atom" || item.type !== cur.type || typeof item.v === "bigint") return false;
      (data as unknown as unknown[])[i.v] = item.v;
      return true;
    };
    return (fr) => {
      let v = value(fr);
      const path = new Array<Value | undefined>(idx.length);
      for (let i = idx.length - 1; i >= 0; i--) {
        const c = idx[i];
        path[i] = c === null || c === undefined ? undefined : c(fr);
      }
      try {
        const f = op === null ? colon : op(fr);
        const cur = slot !== undefined && fr[slot] === undefined ? undefined : (fr[slot ?? -1] ?? env.lookup(name, ns));
        // `e[i]:`s` stores the symbol's index in e's domain.
        const e = op === null && cur !== undefined ? asEnum(cur) : undefined;
        if (e !== undefined) v = enumerateLike(e, v);
        if (op === null && cur?.kind === "vector" && (v.kind === "atom" || v.kind === "vector") && v.type !== cur.type)
          raise("type");
        if (inPlace(cur, path, v)) {
          if (slot === undefined) this.valueSet(name, ns, path);
          return op === null || discarded ? v : applyN(this, cur!, path);
        }
        if (op === null && cur?.kind === "dict" && path.length === 1 && path[0] !== undefined) {
          this.checkGrowth(cur.values, v);
          const grown = dictSetInPlace(cur, path[0], v, owned.has(cur));
          if (grown !== undefined) {
            write(fr, grown, path);
            owned.add(grown);
            return v;
          }
        }
        const base = cur ?? (path.length === 1 ? dict(list([]), list([])) : raise(name));
        const updated = amendAssign(this, base, path, f, v);
        if (updated.kind === "vector" || updated.kind === "dict") owned.add(updated);
        write(fr, updated, path);
        // `a[2]+:5` gives the amended item (q: `1+a[2]+:5` is 8 for a:til 5), `a[2]:5` gives 5.
        return op === null || discarded
          ? v
          : applyN(
              this,
              updated,
              path.map((p) => p ?? IDENTITY),
            );
      } catch (e) {
        return this.site(e, span, scope);
      }
    };
  }

  /** True while the user's .z.vs runs, so its own assignments do not call it again. */
  private inValueSet = false;

  /**
   * After a global is assigned, calls the user's value-set handler `.z.vs[name;indices]`
   * (indices () for the whole value), as q does (code.kx.com/q/ref/dotz/#zvs-value-set).
   */
  private valueSet(name: string, ns: string, path: readonly (Value | undefined)[]): void {
    // Map.has first: this runs on every global assignment.
    if (this.inValueSet || !this.env.has(".z.vs") || name.startsWith(".z.")) return;
    const handler = this.env.lookup(".z.vs");
    if (handler === undefined || !isFunction(handler)) return;
    this.inValueSet = true;
    try {
      const indices = path.length === 0 ? EMPTY_LIST : list(path.map((p) => p ?? IDENTITY));
      call(this, handler, [sym(this.env.qualify(name, ns)), indices]);
    } finally {
      this.inValueSet = false;
    }
  }

  /** `(a;b):v` assigns the items of v to a and b (a null target skips its item). */
  private compileDestructure(targets: (string | null)[], n: Node & { type: "assign" }, scope: Scope): Code {
    const value = this.compile(n.value, scope);
    const writers = targets.map((t) => {
      if (t === null) return null;
      const slot = scope.slots?.get(t);
      return slot !== undefined
        ? (fr: Frame, v: Value) => {
            fr[slot] = v;
          }
        : (_fr: Frame, v: Value) => this.env.set(t, v, scope.ns);
    });
    return (fr) => {
      const v = value(fr);
      const its = v.kind === "dict" ? v.values : v;
      if (its.kind === "atom" || count(its) !== targets.length) return this.site(new QError("length"), n.span, scope);
      writers.forEach((w, i) => {
        w?.(fr, index(its, i));
      });
      return v;
    };
  }

  private compileTable(keys: Column[], cols: Column[], scope: Scope): Code {
    const build = (cs: Column[]) => {
      const names = cs.map((c) => c.name ?? impliedName(c.expr));
      const codes = cs.map((c) => this.compile(c.expr, scope));
      return (fr: Frame): Value => {
        const vals = codes.map((c) => c(fr));
        let n = 1;
        for (const v of vals) if (v.kind !== "atom") n = Math.max(n === 1 ? 0 : n, count(v));
        if (vals.every((v) => v.kind === "atom")) n = 1;
        const data = vals.map((v) =>
          v.kind === "atom"
            ? vectorOf(
                v.type,
                Array.from({ length: n }, () => v.v),
              )
            : v,
        );
        if (data.some((d) => count(d) !== n)) raise("length");
        return table(names, data);
      };
    };
    const value = build(cols);
    if (keys.length === 0) return value;
    if (cols.length === 0) {
      // `([a:1;b:2 3])`: keys without columns is q 4.1's dictionary literal.
      const names = syms(keys.map((c) => c.name ?? impliedName(c.expr)));
      const codes = keys.map((c) => this.compile(c.expr, scope));
      return (fr) => dict(names, list(codes.map((c) => c(fr))));
    }
    const key = build(keys);
    return (fr) => {
      const v = value(fr);
      const k = key(fr);
      return dict(k, v);
    };
  }

  // ---------------------------------------------------------------- system commands

  /** `\cmd args` and `system "cmd args"`: only the harmless, allow-listed subset. */
  /** A system command (`\c 25 80`, `system "P 7"`): syscmd.ts. */
  system(command: string): Value {
    return systemCommand(this, command);
  }

  /** Runs a script's statements without display (for `\l` and runScript). */
  runScriptText(text: string): void {
    for (const chunk of scriptChunks(text)) this.evalText(chunk.text);
  }
}

const TRUE: Value = { kind: "atom", type: 1, v: 1 };
const FALSE: Value = { kind: "atom", type: 1, v: 0 };

/**
 * Fast path for the commonest scalar operations in loops: two long atoms
 * (exact results within the safe-integer range) or two float atoms. Returns
 * undefined whenever the general verb must decide (nulls, overflow, other types).
 */
function fastAtomDyad(
  glyph: string,
): ((l: Value & { kind: "atom" }, r: Value & { kind: "atom" }) => Value | undefined) | undefined {
  const arith = (f: (a: number, b: number) => number) => (l: Value & { kind: "atom" }, r: Value & { kind: "atom" }) => {
    const a = l.v;
    const b = r.v;
    if (typeof a !== "number" || typeof b !== "number") return undefined;
    if (l.type === 7) {
      const v = f(a, b);
      return Number.isSafeInteger(v) ? ({ kind: "atom", type: 7, v } as Value) : undefined;
    }
    return l.type === 9 ? ({ kind: "atom", type: 9, v: f(a, b) } as Value) : undefined;
  };
  const compare =
    (f: (a: number, b: number) => boolean) => (l: Value & { kind: "atom" }, r: Value & { kind: "atom" }) => {
      if (l.type !== 7 || typeof l.v !== "number" || typeof r.v !== "number") return undefined;
      return f(l.v, r.v) ? TRUE : FALSE;
    };
  switch (glyph) {
    case "+":
      return arith((a, b) => a + b);
    case "-":
      return arith((a, b) => a - b);
    case "*":
      return arith((a, b) => a * b);
    case "<":
      return compare((a, b) => a < b);
    case ">":
      return compare((a, b) => a > b);
    case "=":
      return compare((a, b) => a === b);
    case "<=":
      return compare((a, b) => a <= b);
    case ">=":
      return compare((a, b) => a >= b);
    default:
      return undefined;
  }
}

const UNSET_LOCAL: Value = rawList([]);

/** Is n a composition: a left projection (`2+`, `type each`), or a function applied to one. */
const composes = (n: Node): boolean => n.type === "projectLeft" || (n.type === "monad" && composes(n.arg));

/** Names assigned with `:` inside a lambda body (not in nested lambdas) become locals. */
/** Gives every local a slot; returns the names assigned locally (with the first span) and globally. */
function collectLocals(
  body: Node[],
  slots: Map<string, number>,
): { local: Map<string, Span>; global: Map<string, Span> } {
  const local = new Map<string, Span>();
  const global = new Map<string, Span>();
  const visit = (n: Node | null | undefined): void => {
    if (!n) return;
    if (n.type === "lambda") return;
    if (n.type === "assign" && n.global && n.name !== "" && !global.has(n.name)) global.set(n.name, n.span);
    if (n.type === "assign" && !n.global && n.indices === undefined && !n.name.includes(".") && n.name !== "") {
      if (!slots.has(n.name)) {
        slots.set(n.name, slots.size);
        local.set(n.name, n.span);
      }
    }
    for (const t of n.type === "assign" ? (n.targets ?? []) : [])
      if (t !== null && !slots.has(t)) slots.set(t, slots.size);
    if (n.type === "dyad" && n.op.type === "verb" && n.op.glyph === ":") {
      // names bound by a pattern are locals too
      const bindNames = (p: Node | null): void => {
        if (p === null) return;
        if (p.type === "name" && !slots.has(p.name)) slots.set(p.name, slots.size);
        else if (p.type === "list") p.items.forEach(bindNames);
        else if (p.type === "assign" && p.indices === undefined && !slots.has(p.name) && p.name !== "")
          slots.set(p.name, slots.size);
      };
      bindNames(n.left);
    }
    for (const v of Object.values(n)) {
      if (Array.isArray(v)) {
        for (const item of v) {
          if (item && typeof item === "object") {
            if ("type" in item) visit(item as Node);
            else if ("expr" in item) visit((item as Column).expr);
          }
        }
      } else if (v && typeof v === "object" && "type" in v) visit(v as Node);
    }
  };
  body.forEach(visit);
  return { local, global };
}

/** `a[i;j]:v`, `a[i]+:v`: amend at depth, elided indices meaning all. */
function amendAssign(rt: Interp, base: Value, path: (Value | undefined)[], f: Value, v: Value): Value {
  return call(rt, { kind: "prim", name: "." }, [base, rawList(path.map((p) => p ?? IDENTITY)), f, v]);
}

/** Keywords that need the interpreter itself (evaluation, system, output). */

export { ExitSignal } from "./errors";
/** Re-exported for session.ts: the console display, and the signal that ends a session. */
export { displayValue } from "./session-builtins";

/** g when a lambda's whole body is `x g y` on its two parameters x and y, g a glyph. */
function dyadGlyph(n: LambdaNode): string | undefined {
  if (n.body.length !== 1 || n.params.length !== 2 || n.params[0] !== "x" || n.params[1] !== "y") return undefined;
  const b = n.body[0]!;
  if (b.type !== "dyad" || b.op.type !== "verb") return undefined;
  return b.left.type === "name" && b.left.name === "x" && b.right.type === "name" && b.right.name === "y"
    ? b.op.glyph
    : undefined;
}
