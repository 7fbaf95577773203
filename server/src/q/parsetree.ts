/**
 * q parse trees (`parse "1+x"` is `(+;1;`x)`) built from the syntax tree, and
 * their evaluation (`eval`). In a parse tree a function application is a
 * general list whose first item is the function; a name is a symbol atom; a
 * symbol constant is enlisted (`,`a`) so it is not taken for a name; a
 * general list literal is `(enlist;…)`. qSQL templates become their
 * functional forms `(?;t;c;b;a)` and `(!;t;c;b;a)`.
 */
import type { Column, Node } from "./ast";
import { raise } from "./errors";
import { literalValue } from "./literal";
import { bool, dict, IDENTITY, isFunction, list, rawList, sym, syms, type Value, vectorOf } from "./values";

const prim = (name: string): Value => ({ kind: "prim", name });

export interface TreeContext {
  /** Turns a lambda node into its value. */
  lambda: (n: Node & { type: "lambda" }) => Value;
  /** Is this name a primitive (shown as the function itself, not a symbol)? */
  isVerb: (name: string) => boolean;
}

/** Builds the parse tree of one statement. */
export function toTree(n: Node, ctx: TreeContext): Value {
  const t = (x: Node | null): Value => (x === null ? IDENTITY : toTree(x, ctx));
  switch (n.type) {
    case "num":
      return literalValue(n.parts, n.span);
    case "str": {
      const bytes = Array.from(n.value, (c) => c.charCodeAt(0));
      return bytes.length === 1 ? { kind: "atom", type: 10, v: bytes[0]! } : vectorOf(10, bytes);
    }
    case "sym":
      return n.names.length === 1 ? syms(n.names) : rawList([syms(n.names)]);
    case "name":
      return ctx.isVerb(n.name) ? prim(n.name) : sym(n.name);
    case "verb":
      return n.glyph === "::" ? IDENTITY : prim(n.glyph);
    case "noun":
      return t(n.expr);
    case "adverb":
      // `+/` is the iterator applied to its operand: `(/;+)`.
      return rawList([prim(n.adverb), t(n.fn)]);
    case "dyad":
      return rawList([t(n.op), t(n.left), t(n.right)]);
    case "monad": {
      // A glyph applied prefix, bare or parenthesised, is its unary form: `(+)4` is (+:;4).
      const glyph = n.fn.type === "noun" ? n.fn.expr : n.fn;
      const unary = glyph.type === "verb" && !glyph.glyph.endsWith(":") && glyph.glyph !== "::";
      return rawList([unary ? prim(`${glyph.glyph}:`) : t(n.fn), t(n.arg)]);
    }
    case "apply":
      return rawList([t(n.fn), ...(n.args.length === 0 ? [IDENTITY] : n.args.map(t))]);
    case "list":
      return rawList([prim("enlist"), ...n.items.map(t)]);
    case "lambda":
      return ctx.lambda(n);
    case "assign":
      return rawList([prim(n.global ? "::" : ":"), sym(n.name), t(n.value)]);
    case "return":
      return rawList([prim(":"), t(n.value)]);
    case "signal":
      return rawList([prim("'"), t(n.value)]);
    case "projectLeft":
      return rawList([t(n.op), t(n.left)]);
    case "block":
      return rawList([prim(";"), ...n.body.map(t)]);
    case "empty":
      return IDENTITY;
    case "table": {
      const cols = (cs: Column[]) => dict(syms(cs.map((c) => c.name ?? "x")), rawList(cs.map((c) => t(c.expr))));
      return rawList([prim("flip"), n.keys.length ? rawList([prim("!"), cols(n.keys), cols(n.cols)]) : cols(n.cols)]);
    }
    case "sys":
      return rawList([
        prim("system"),
        vectorOf(
          10,
          Array.from(n.command, (c) => c.charCodeAt(0)),
        ),
      ]);
    case "sql": {
      const where = rawList(n.where.map(t));
      const whereArg = n.where.length === 0 ? rawList([]) : rawList([where]);
      const named = (cs: Column[]) =>
        dict(
          syms(cs.map((c) => c.name ?? (c.expr.type === "name" ? c.expr.name : "x"))),
          list(cs.map((c) => t(c.expr))),
        );
      const by = n.by === null ? (n.kind === "exec" ? rawList([]) : bool(n.distinct === true)) : named(n.by);
      if (n.kind === "delete") {
        return rawList([
          prim("!"),
          t(n.from),
          rawList([where]),
          bool(false),
          n.names.length ? rawList([syms(n.names)]) : rawList([]),
        ]);
      }
      const only = n.cols[0];
      const cols =
        n.cols.length === 0
          ? rawList([])
          : n.kind === "exec" && n.cols.length === 1 && only!.name === null
            ? t(only!.expr)
            : named(n.cols);
      const tree = [prim(n.kind === "update" ? "!" : "?"), t(n.from), whereArg, by, cols];
      // `select[10;<price]`: the row limit, then the sort as an enlisted (<:;`price) tree.
      const limits = n.limit ?? [];
      const isOrder = (l: Node) =>
        l.type === "monad" && l.fn.type === "verb" && (l.fn.glyph === "<" || l.fn.glyph === ">");
      const count = limits.find((l) => !isOrder(l));
      const order = limits.find(isOrder);
      if (count !== undefined) tree.push(t(count));
      if (count !== undefined && order !== undefined) tree.push(rawList([t(order)]));
      return rawList(tree);
    }
  }
}

/** Evaluates a parse tree: symbols are names, lists with a function head are applications. */
export function evalTree(
  x: Value,
  lookup: (name: string) => Value,
  apply: (f: Value, args: Value[]) => Value,
  assign?: (name: string, v: Value) => void,
): Value {
  const go = (v: Value): Value => evalTree(v, lookup, apply, assign);
  if (x.kind === "atom" && x.type === 11) return lookup(x.v as string);
  if (x.kind === "vector" && x.type === 11) {
    const names = x.data as string[];
    if (names.length === 1) return sym(names[0]!);
    // A symbol list of names is an application too: `` `f`x `` is f[x].
    if (names.length > 1) return go(rawList(names.map(sym)));
  }
  if (x.kind !== "list" || x.items.length === 0) return x;
  const [head, ...rest] = x.items;
  // A one-item list quotes its item: `,`a` is the symbol, `,(t1;t2)` the list of trees.
  if (rest.length === 0) return head!;
  // `(:;`a;v)` and `(::;`a;v)` assign the name (code.kx.com/q/ref/parse: `eval parse"a::5"` is 5).
  const target = rest[0]!;
  const isAssign = head!.kind === "identity" || (head!.kind === "prim" && (head!.name === ":" || head!.name === "::"));
  if (assign && isAssign && rest.length === 2 && target.kind === "atom" && target.type === 11) {
    const v = go(rest[1]!);
    assign(target.v as string, v);
    return v;
  }
  const f = head!.kind === "atom" && head!.type === 11 ? lookup(head!.v as string) : go(head!);
  if (f.kind === "prim" && f.name === "enlist") return list(rest.map(go));
  if (f.kind === "prim" && (f.name === "?" || f.name === "!") && (rest.length === 4 || rest.length === 5)) {
    // Functional qSQL: the clauses are parse trees themselves; only the table (and a row
    // limit) is evaluated, and the enlisted constraint list is unwrapped.
    const [t, c, b, a, limit] = rest as [Value, Value, Value, Value, Value | undefined];
    const cs = c.kind === "list" && c.items.length === 1 && c.items[0]!.kind === "list" ? c.items[0]! : c;
    return apply(f, [go(t), cs, b, a, ...(limit === undefined ? [] : [go(limit)])]);
  }
  // Lists, dictionaries and tables at the head are indexed, as in any application.
  if (isFunction(f) || (f.kind !== "atom" && f.kind !== "identity")) {
    const args = new Array<Value>(rest.length);
    for (let i = rest.length - 1; i >= 0; i--) args[i] = go(rest[i]!);
    return apply(f, args);
  }
  return raise("type");
}
