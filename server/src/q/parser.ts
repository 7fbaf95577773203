/**
 * The q parser: tokens to a syntax tree (ast.ts), with two entry points.
 *
 * - `parse(text)` is strict: the first lexer or parser error is raised as a
 *   QError (`'parse`, or the lexer's problem) carrying its span.
 * - `parseCollect(text)` never throws: it returns the statements it could read
 *   plus every error, each positioned, for the language server. After an error
 *   it skips to the next statement boundary and goes on; lexer errors are kept.
 *
 * Technique: recursive descent over one expression grammar with no operator
 * precedence. An expression is read left to right as a sequence of *terms*
 * (a noun or a verb, with bracket arguments and iterators attached); q
 * evaluates it right to left, which the parser encodes by making the right
 * operand of every application the whole rest of the expression:
 *
 *   verb rest        -> monad(verb, rest)
 *   noun verb rest   -> dyad(verb, noun, rest)
 *   noun verb        -> projectLeft (only meaningful in parentheses: `(2+)`)
 *   noun noun rest   -> monad(noun, noun rest)        (juxtaposition)
 *
 * "Verb-like" terms are glyphs, derived functions (`+/`, `f'`) and the infix
 * keywords (tokens.ts INFIX_KEYWORDS) when not applied with brackets.
 * A line break inside brackets separates items like `;`; redundant breaks are dropped.
 */
import type { AssignNode, Column, LambdaNode, ListNode, Node, SqlNode, TableNode } from "./ast";
import { impliedName } from "./colnames";
import { QError } from "./errors";
import { type LexError, lex } from "./lexer";
import { INFIX_KEYWORDS, QSQL_KEYWORDS, type Span, type Token } from "./tokens";

export interface ParseError extends Span {
  message: string;
}

export interface CollectResult {
  ast: Node[];
  errors: ParseError[];
}

/** Raised inside the parser; caught per statement by parseCollect. */
class SyntaxFail extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
  }
}

const CLOSERS = new Set([")", "]", "}"]);

class Parser {
  private pos = 0;
  /** Stop conditions for qSQL clauses; a fresh (empty) frame inside every bracket. */
  private stops: Set<string>[] = [new Set()];
  private depth = 0;
  /** The bracket depth of the column list being read (`([k:…] c:…)`), -1 outside one. */
  private columnsDepth = -1;

  constructor(
    private readonly src: string,
    private readonly toks: Token[],
  ) {}

  private get tok(): Token {
    return this.toks[this.pos]!;
  }
  private peekAt(k: number): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)]!;
  }
  private next(): Token {
    const t = this.tok;
    if (t.kind !== "eof") this.pos++;
    return t;
  }
  private fail(message: string, t: Token = this.tok): never {
    throw new SyntaxFail(message, { start: t.start, end: Math.max(t.end, t.start + 1) });
  }
  private isPunct(text: string, t: Token = this.tok): boolean {
    return t.kind === "punct" && t.text === text;
  }
  /** Does the current token end the expression being read? */
  private atEnd(): boolean {
    const t = this.tok;
    if (t.kind === "eof" || t.kind === "nl") return true;
    if (t.kind === "punct") return t.text === ";" || CLOSERS.has(t.text);
    const stops = this.stops[this.stops.length - 1]!;
    if (stops.size === 0) return false;
    if (t.kind === "op" && t.text === "," && stops.has(",")) return true;
    return t.kind === "name" && stops.has(t.text);
  }

  private withStops<R>(stops: string[], f: () => R): R {
    this.stops.push(new Set(stops));
    try {
      return f();
    } finally {
      this.stops.pop();
    }
  }

  private nested<R>(f: () => R): R {
    this.depth++;
    try {
      return this.withStops([], f);
    } finally {
      this.depth--;
    }
  }

  // ---------------------------------------------------------------- statements

  /** Top level: statements separated by `;` or line breaks. */
  program(errors: ParseError[] | null): Node[] {
    const out: Node[] = [];
    for (;;) {
      let semi = false;
      while (this.tok.kind === "nl" || this.isPunct(";")) semi = this.next().text === ";";
      if (this.tok.kind === "eof") {
        // A trailing `;` makes the last statement empty: the console shows nothing.
        if (semi && out.length > 0) out.push({ type: "empty", span: { start: this.tok.start, end: this.tok.end } });
        return out;
      }
      const start = this.pos;
      try {
        const node = this.statement();
        if (node !== null) out.push(node);
        const after = this.toks[this.pos]!;
        if (!(after.kind === "eof" || after.kind === "nl" || this.isPunct(";"))) {
          this.fail(CLOSERS.has(after.text) ? `unmatched ${after.text}` : "unexpected token");
        }
      } catch (e) {
        if (!(e instanceof SyntaxFail) || errors === null) throw e;
        errors.push({ ...e.span, message: e.message });
        this.recover(start);
      }
    }
  }

  /** Skip to the next top-level statement boundary. */
  private recover(from: number): void {
    if (this.pos === from) this.next();
    let depth = 0;
    while (this.tok.kind !== "eof") {
      const t = this.tok;
      if (t.kind === "punct") {
        if (t.text === "(" || t.text === "[" || t.text === "{") depth++;
        else if (CLOSERS.has(t.text)) depth = Math.max(0, depth - 1);
        else if (t.text === ";" && depth === 0) return;
      }
      if (t.kind === "nl" && depth === 0) return;
      this.next();
    }
  }

  private statement(): Node | null {
    const t = this.tok;
    if (t.kind === "sys") {
      this.next();
      return { type: "sys", command: t.value ?? "", span: { start: t.start, end: t.end } };
    }
    return this.expr();
  }

  /**
   * Items separated by `;` (or line breaks) up to `closer`. A `;`-separated
   * empty item is null (`f[;2]`, `(1;;2)`); line breaks never create items.
   */
  private sequence(closer: string): (Node | null)[] {
    return this.nested(() => {
      const items: (Node | null)[] = [];
      let cur: Node | null | undefined; // the item being filled; undefined: none yet
      let closedByBreak = false; // the previous item ended at a line break
      let any = false;
      for (;;) {
        const t = this.tok;
        if (t.kind === "nl") {
          if (cur !== undefined) {
            items.push(cur);
            cur = undefined;
            closedByBreak = true;
          }
          this.next();
          continue;
        }
        if (this.isPunct(closer)) {
          if (cur !== undefined) items.push(cur);
          else if (any && !closedByBreak) items.push(null);
          this.next();
          return items;
        }
        if (t.kind === "eof") this.fail(`missing ${closer}`);
        if (this.isPunct(";")) {
          if (cur !== undefined) items.push(cur);
          else if (!closedByBreak) items.push(null);
          cur = undefined;
          closedByBreak = false;
          any = true;
          this.next();
          continue;
        }
        if (cur !== undefined) this.fail(CLOSERS.has(t.text) ? `unmatched ${t.text}` : `expected ; or ${closer}`);
        cur = this.expr();
        any = true;
        closedByBreak = false;
      }
    });
  }

  // ---------------------------------------------------------------- expressions

  expr(): Node | null {
    if (this.depth > 0) while (this.tok.kind === "nl") this.next();
    if (this.atEnd()) return null;
    const t = this.tok;
    // `'[f;g]` is Compose (or `'[f]`, Each) applied with brackets, not a signal.
    const next = this.peekAt(1);
    const bracketed = next.kind === "punct" && next.text === "[" && !next.spaceBefore;
    if (t.kind === "adverb" && t.text === "'" && !bracketed) {
      this.next();
      const value = this.expr();
      if (value === null) this.fail("signal needs a value", t);
      return { type: "signal", value, span: { start: t.start, end: value.span.end } };
    }
    // `:/` is Assign's fold (`:/[1 2 3]` is 3), not a return.
    const iterated = next.kind === "adverb" && !next.spaceBefore;
    // `:[v;p1;r1;…;rd]` is the pattern conditional (q 4.1).
    if (t.kind === "op" && t.text === ":" && bracketed) {
      this.next();
      this.next();
      const args = this.sequence("]");
      const fn: Node = { type: "verb", glyph: ":", span: { start: t.start, end: t.end } };
      return this.rest({ type: "apply", fn, args, span: { start: t.start, end: this.toks[this.pos - 1]!.end } });
    }
    if (t.kind === "op" && t.text === ":" && !this.endsAfter(1) && !iterated) {
      this.next();
      const value = this.expr()!;
      return { type: "return", value, span: { start: t.start, end: value.span.end } };
    }
    return this.rest(this.term());
  }

  /** Would the expression end right after k more tokens? */
  private endsAfter(k: number): boolean {
    const save = this.pos;
    this.pos = Math.min(this.pos + k, this.toks.length - 1);
    const end = this.atEnd();
    this.pos = save;
    return end;
  }

  private rest(t: Node): Node {
    if (this.atEnd()) return t;
    if (this.verbLike(t)) {
      const arg = this.expr()!;
      return { type: "monad", fn: t, arg, span: { start: t.span.start, end: arg.span.end } };
    }
    const assign = this.assignment(t);
    if (assign !== null) return assign;
    const u = this.term();
    if (this.verbLike(u)) {
      if (this.depth > 0) while (this.tok.kind === "nl") this.next();
      if (this.atEnd()) return { type: "projectLeft", op: u, left: t, span: { start: t.span.start, end: u.span.end } };
      const right = this.expr()!;
      return { type: "dyad", op: u, left: t, right, span: { start: t.span.start, end: right.span.end } };
    }
    const arg = this.rest(u);
    return { type: "monad", fn: t, arg, span: { start: t.span.start, end: arg.span.end } };
  }

  private verbLike(n: Node): boolean {
    if (n.type === "verb" || n.type === "adverb") return true;
    return n.type === "name" && INFIX_KEYWORDS.has(n.name);
  }

  /** `name:`, `name::`, `name op:`, `name[i]:`, `name[i] op:` followed by the value. */
  private assignment(t: Node): AssignNode | null {
    let name: string;
    let indices: (Node | null)[] | undefined;
    let targets: (string | null)[] | undefined;
    if (t.type === "name") name = t.name;
    else if (t.type === "list" && t.items.every((x) => x === null || x.type === "name")) {
      if (!(this.tok.kind === "op" && this.tok.text === ":")) return null;
      name = "";
      targets = t.items.map((x) => (x === null ? null : (x as Node & { type: "name" }).name));
    } else if (t.type === "apply" && t.fn.type === "name") {
      name = t.fn.name;
      indices = t.args;
    } else return null;
    const a = this.tok;
    if (a.kind !== "op") return null;
    let op: Node | undefined;
    let global = false;
    if (a.text === ":" || a.text === "::") {
      global = a.text === "::";
      this.next();
    } else {
      const b = this.peekAt(1);
      if (!(b.kind === "op" && b.text === ":" && !b.spaceBefore)) return null;
      this.next();
      this.next();
      op = { type: "verb", glyph: a.text, span: { start: a.start, end: a.end } };
    }
    if (this.depth > 0) while (this.tok.kind === "nl") this.next();
    // `([six:;four:d])`: in a table or dictionary pattern a column may name no pattern.
    const value =
      this.expr() ??
      (this.depth === this.columnsDepth && targets === undefined && indices === undefined && op === undefined
        ? { type: "empty" as const, span: { start: a.end, end: a.end } }
        : null);
    if (value === null) this.fail("assignment needs a value");
    const node: AssignNode = {
      type: "assign",
      name,
      global,
      value,
      span: { start: t.span.start, end: value.span.end },
    };
    if (op) node.op = op;
    if (indices) node.indices = indices;
    if (targets) node.targets = targets;
    return node;
  }

  // ---------------------------------------------------------------- terms

  /** A primary followed by any bracket arguments and iterators. */
  private term(): Node {
    let n = this.primary();
    for (;;) {
      const t = this.tok;
      if (t.kind === "punct" && t.text === "[" && !t.spaceBefore) {
        this.next();
        const args = this.sequence("]");
        n = { type: "apply", fn: n, args, span: { start: n.span.start, end: this.toks[this.pos - 1]!.end } };
        continue;
      }
      if (t.kind === "adverb" && !t.spaceBefore) {
        this.next();
        n = { type: "adverb", adverb: t.text, fn: n, span: { start: n.span.start, end: t.end } };
        continue;
      }
      return n;
    }
  }

  private primary(): Node {
    const t = this.tok;
    const sp = { start: t.start, end: t.end };
    switch (t.kind) {
      case "num":
        this.next();
        return { type: "num", parts: t.parts ?? [t.text], span: sp };
      case "str":
        this.next();
        return { type: "str", value: t.value ?? "", span: sp };
      case "sym":
        this.next();
        return { type: "sym", names: t.parts ?? [], span: sp };
      case "name":
        if (QSQL_KEYWORDS.has(t.text)) return this.sql();
        this.next();
        return { type: "name", name: t.text, span: sp };
      case "op": {
        this.next();
        const c = this.tok;
        // `-:` `#:` …: the monadic form of a glyph, written with a colon.
        if (t.text !== ":" && t.text !== "::" && c.kind === "op" && c.text === ":" && !c.spaceBefore) {
          this.next();
          return { type: "verb", glyph: `${t.text}:`, span: { start: t.start, end: c.end } };
        }
        return { type: "verb", glyph: t.text, span: sp };
      }
      case "adverb":
        // An iterator with nothing to modify, as in `(/)`; q treats it as a value.
        this.next();
        return { type: "verb", glyph: t.text, span: sp };
      case "punct":
        if (t.text === "(") return this.paren();
        if (t.text === "{") return this.lambda();
        if (t.text === "[") {
          this.next();
          const body = this.sequence("]").map((x) => x ?? { type: "empty" as const, span: sp });
          return { type: "block", body, span: { start: t.start, end: this.toks[this.pos - 1]!.end } };
        }
        return this.fail(CLOSERS.has(t.text) ? `unmatched ${t.text}` : `unexpected ${t.text}`);
      case "sys":
        return this.fail("system command must start a line");
      default:
        return this.fail(t.kind === "eof" ? "unexpected end of input" : "unexpected token");
    }
  }

  private paren(): Node {
    const open = this.next();
    if (this.isPunct("[")) return this.table(open);
    const items = this.sequence(")");
    const span = { start: open.start, end: this.toks[this.pos - 1]!.end };
    if (items.length === 1 && items[0] !== null) {
      const only = items[0]!;
      // A parenthesised verb is a value: `(+) . 2 3`.
      return only.type === "verb" ||
        only.type === "adverb" ||
        only.type === "projectLeft" ||
        (only.type === "name" && INFIX_KEYWORDS.has(only.name))
        ? { type: "noun", expr: only, span }
        : only;
    }
    return { type: "list", items, span } satisfies ListNode;
  }

  private table(open: Token): TableNode {
    this.next(); // [
    const outer = this.columnsDepth;
    this.columnsDepth = this.depth + 1;
    const keys = this.sequence("]")
      .filter((x): x is Node => x !== null)
      .map(toColumn);
    const cols = this.sequence(")")
      .filter((x): x is Node => x !== null)
      .map(toColumn);
    this.columnsDepth = outer;
    return { type: "table", keys, cols, span: { start: open.start, end: this.toks[this.pos - 1]!.end } };
  }

  private lambda(): LambdaNode {
    const open = this.next();
    let params: string[] | null = null;
    // Patterned parameters (`{[(a;b);c] …}`, `{[x:check] …}`) get a hidden name (q names cannot
    // start with `_`) and a pattern assignment from it at the start of the body.
    const prologue: Node[] = [];
    if (this.isPunct("[")) {
      this.next();
      const ps = this.sequence("]");
      params = [];
      for (const [i, p] of ps.entries()) {
        if (p === null) params.push(`_${i}`);
        else if (p.type === "name") params.push(p.name);
        else if (p.type === "list" || p.type === "assign" || p.type === "table" || p.type === "dyad") {
          const hidden = `_${i}`;
          params.push(hidden);
          const colon: Node = { type: "verb", glyph: ":", span: p.span };
          prologue.push({
            type: "dyad",
            op: colon,
            left: p,
            right: { type: "name", name: hidden, span: p.span },
            span: p.span,
          });
        } else this.fail("parameter must be a name", this.toks[this.pos - 1]);
      }
    }
    const items = this.sequence("}");
    const end = this.toks[this.pos - 1]!.end;
    const span = { start: open.start, end };
    const body = [...prologue, ...items.map((x) => x ?? { type: "empty" as const, span })];
    if (body.length === 0) body.push({ type: "empty", span });
    if (params === null) params = implicitParams(body);
    if (params.length > 8) throw new SyntaxFail("params", span);
    return { type: "lambda", params, body, source: this.src.slice(open.start, end), span };
  }

  /** select/exec/update/delete: clauses separated by `by`, `from`, `where`; `,` separates columns. */
  private sql(): SqlNode {
    const kw = this.next();
    const kind = kw.text as SqlNode["kind"];
    let limit: Node[] | null = null;
    if (this.isPunct("[") && !this.tok.spaceBefore) {
      this.next();
      limit = this.sequence("]").filter((x): x is Node => x !== null);
    }
    // `select distinct a,b from t`: distinct applies to the whole result, not the first column.
    const distinct = kind === "select" && this.tok.kind === "name" && this.tok.text === "distinct";
    if (distinct) this.next();
    const clause = (stops: string[]): Node[] =>
      this.withStops(stops, () => {
        const out: Node[] = [];
        for (;;) {
          const e = this.expr();
          if (e !== null) out.push(e);
          if (this.tok.kind === "op" && this.tok.text === ",") {
            this.next();
            continue;
          }
          return out;
        }
      });
    const cols = clause([",", "by", "from"]);
    let by: Column[] | null = null;
    if (this.tok.kind === "name" && this.tok.text === "by") {
      this.next();
      by = clause([",", "from"]).map(toColumn);
    }
    if (!(this.tok.kind === "name" && this.tok.text === "from")) this.fail(`${kind} needs from`);
    this.next();
    const from = this.withStops(["where"], () => this.expr());
    if (from === null) this.fail("from needs a table");
    let where: Node[] = [];
    const w = this.toks[this.pos]!;
    if (w.kind === "name" && w.text === "where") {
      this.next();
      where = clause([","]);
    }
    if (kind === "select" && by !== null) {
      // q rejects a result column named like a group column when it parses the query.
      const named = (c: Column) => c.name ?? impliedName(c.expr);
      const dup = cols
        .map(toColumn)
        .map(named)
        .find((n) => by!.some((b) => named(b) === n));
      if (dup !== undefined) throw new QError(`dup names for cols/groups ${dup}`);
    }
    const names =
      kind === "delete" ? cols.map((c) => (c.type === "name" ? c.name : this.fail("delete needs column names"))) : [];
    const end = this.toks[this.pos - 1]!.end;
    return {
      type: "sql",
      kind,
      limit,
      cols: kind === "delete" ? [] : cols.map(toColumn),
      by,
      from,
      where,
      names,
      ...(distinct ? { distinct } : {}),
      span: { start: kw.start, end },
    };
  }
}

/** A qSQL or table column: `name:expr` names it explicitly. */
function toColumn(n: Node): Column {
  if (n.type === "assign" && !n.global && n.op === undefined && n.indices === undefined) {
    return { name: n.name, expr: n.value };
  }
  return { name: null, expr: n };
}

/** x, y, z used in a lambda body without explicit parameters (nested lambdas excluded). */
function implicitParams(body: Node[]): string[] {
  let highest = 0;
  const visit = (n: Node | null | undefined): void => {
    if (n === null || n === undefined) return;
    switch (n.type) {
      case "name":
        if (n.name === "x") highest = Math.max(highest, 1);
        else if (n.name === "y") highest = Math.max(highest, 2);
        else if (n.name === "z") highest = Math.max(highest, 3);
        return;
      case "lambda":
        return;
      // Inside a query x, y, z may be column names, so only the from-phrase (and the limit)
      // reveal implicit arguments (code.kx.com/q/basics/qsql: `{select from y where a=x,b=z}`
      // takes x and y).
      case "sql":
        visit(n.from);
        n.limit?.forEach(visit);
        return;
      case "assign":
        if (n.name === "x") highest = Math.max(highest, 1);
        else if (n.name === "y") highest = Math.max(highest, 2);
        else if (n.name === "z") highest = Math.max(highest, 3);
        n.indices?.forEach(visit);
        visit(n.op);
        visit(n.value);
        return;
      default:
        for (const v of Object.values(n)) {
          if (Array.isArray(v)) {
            for (const item of v) if (item && typeof item === "object") visitAny(item);
          } else if (v && typeof v === "object" && "type" in v) visit(v as Node);
        }
    }
  };
  const visitAny = (v: object): void => {
    if ("type" in v) visit(v as Node);
    else if ("expr" in v) visit((v as Column).expr);
  };
  body.forEach(visit);
  return ["x", "y", "z"].slice(0, Math.max(highest, 1));
}

function lexErrorToParse(e: LexError): ParseError {
  return { start: e.start, end: e.end, message: e.message };
}

/** Strict parse: statements of a script or console line; throws QError('parse') with a span. */
export function parse(text: string): Node[] {
  const { tokens, errors } = lex(text);
  if (errors.length > 0) {
    const e = errors[0]!;
    throw new QError(e.message.startsWith("unterminated") ? '"' : "parse", { start: e.start, end: e.end });
  }
  try {
    return new Parser(text, tokens).program(null);
  } catch (e) {
    if (e instanceof SyntaxFail) {
      // q names an unmatched closing bracket as the error: `{)}` signals ') (ref/apply).
      const closer = /^unmatched ([)\]}])$/.exec(e.message);
      throw new QError(e.message === "params" ? "params" : (closer?.[1] ?? "parse"), e.span);
    }
    throw e;
  }
}

/** Error-collecting parse for tools: never throws; every error is positioned. */
export function parseCollect(text: string): CollectResult {
  const { tokens, errors: lexErrors } = lex(text);
  const errors: ParseError[] = lexErrors.map(lexErrorToParse);
  const ast = new Parser(text, tokens).program(errors);
  errors.sort((a, b) => a.start - b.start);
  return { ast, errors };
}
