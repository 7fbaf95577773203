/**
 * q 4.1 pattern matching: `pattern:value` where the left side is not a plain
 * name, and patterned lambda parameters (`{[(a;b);c] …}`, `{[x:check] …}`).
 *
 * A pattern is read from the syntax tree at compile time into a matcher:
 * - a name binds the value; a literal must match it (`'match`);
 * - `(p;q;…)` matches the items of a list of equal count (`'length`), an empty slot skips one;
 * - `(p:f)` applies f first when f is a function, or checks the type when it is
 *   a type symbol (`` `f `` float atom, `` `F `` float vector): `'type`;
 * - `(k!v)`, `(k!)`: the keys and values of a dictionary; with a literal key
 *   list, the values found under those keys;
 * - `([k:p] …)`: a dictionary by key, or a table by column (`([]c:p)`);
 * - `name[i]` or `name i`: amends like `name[i]:value`;
 * - `(flip p)`: p matches a table's column dictionary.
 * The result of a pattern assignment is the value after any transforms.
 */
import type { Column, Node } from "./ast";
import { raise } from "./errors";
import { count, index, isFunction, items, list, sym, TYPE_CHARS, type Value } from "./values";
import { matchValues } from "./verbs/structure";

/** What the matcher needs from the compiler. */
export interface PatternHost {
  /** Evaluates an expression node (literals, transform functions) in the current frame. */
  evaluate(n: Node): Value;
  bind(name: string, v: Value): void;
  /** `name[i;…]:v` */
  amend(name: string, indices: (Node | null)[], v: Value): void;
  apply(f: Value, args: Value[]): Value;
}

/** The errors a pattern that does not fit signals; a pattern conditional tries the next arm on these. */
export const PATTERN_FAILURES: ReadonlySet<string> = new Set(["match", "type", "length"]);

export type Matcher = (v: Value, host: PatternHost) => Value;

const fail = (name: string): never => raise(name);

/** Is this node a pattern rather than a plain expression to compare against? */
function isLiteral(n: Node): boolean {
  return n.type === "num" || n.type === "str" || n.type === "sym";
}

export function compilePattern(n: Node): Matcher {
  switch (n.type) {
    case "name":
      return (v, h) => {
        h.bind(n.name, v);
        return v;
      };
    case "empty":
      return (v) => v;
    case "num":
    case "str":
    case "sym":
      return (v, h) => (matchValues(h.evaluate(n), v) ? v : fail("match"));
    case "list": {
      const parts = n.items.map((x) => (x === null ? null : compilePattern(x)));
      return (v, h) => {
        if (v.kind === "atom" || count(v) !== parts.length) return fail("length");
        const its = v.kind === "dict" ? items(v.values) : items(v);
        const out = parts.map((p, i) => (p === null ? its[i]! : p(its[i]!, h)));
        return v.kind === "table" ? v : list(out);
      };
    }
    case "return":
      // `(:f)` / `(:`t)`: transform or type check with nothing to bind.
      return check(n.value, (v) => v);
    case "assign": {
      if (n.indices !== undefined) {
        const indices = n.indices;
        return (v, h) => {
          h.amend(n.name, indices, v);
          return v;
        };
      }
      const inner: Matcher =
        n.targets !== undefined
          ? compilePattern({
              type: "list",
              items: n.targets.map((t) => (t === null ? null : { type: "name", name: t, span: n.span })),
              span: n.span,
            })
          : compilePattern({ type: "name", name: n.name, span: n.span });
      return check(n.value, inner);
    }
    case "apply":
      if (n.fn.type === "name") {
        const name = n.fn.name;
        const indices = n.args;
        return (v, h) => {
          h.amend(name, indices, v);
          return v;
        };
      }
      return raise("nyi");
    case "dyad":
      if (n.op.type === "verb" && n.op.glyph === "!") return dictPattern(n.left, compilePattern(n.right));
      return raise("nyi");
    case "noun":
      return compilePattern(n.expr);
    case "projectLeft":
      if (n.op.type === "verb" && n.op.glyph === "!") return dictPattern(n.left, null);
      return raise("nyi");
    case "table":
      return tablePattern(n.keys, n.cols);
    case "monad":
      // `(flip p):t`: p matches the table as a column dictionary.
      if (n.fn.type === "name" && n.fn.name === "flip") {
        const inner = compilePattern(n.arg);
        return (v, h) => {
          if (v.kind !== "table") return fail("type");
          inner(h.apply(h.evaluate(n.fn), [v]), h);
          return v;
        };
      }
      // `(x i)`: indexing by juxtaposition amends like `(x[i])`.
      if (n.fn.type === "name") return compilePattern({ type: "apply", fn: n.fn, args: [n.arg], span: n.span });
      return raise("nyi");
    default:
      return raise("nyi");
  }
}

/** `p:f` inside a pattern: apply f (a function) or check the type (a type symbol), then match p. */
function check(fn: Node, inner: Matcher): Matcher {
  return (v, h) => {
    const f = h.evaluate(fn);
    if (f.kind === "atom" && f.type === 11) {
      const want = f.v as string;
      const t = TYPE_CHARS.indexOf(want.toLowerCase());
      const ok =
        t > 0 && (want === want.toUpperCase() ? v.kind === "vector" : v.kind === "atom") && "type" in v && v.type === t;
      return ok ? inner(v, h) : fail("type");
    }
    if (isFunction(f)) return inner(h.apply(f, [v]), h);
    return fail("type");
  };
}

function dictPattern(keys: Node, values: Matcher | null): Matcher {
  if (isLiteral(keys)) {
    return (v, h) => {
      if (v.kind !== "dict") return fail("type");
      const want = h.evaluate(keys);
      const found = items(want).map((k) => {
        const i = items(v.keys).findIndex((x) => matchValues(x, k));
        return i < 0 ? fail("match") : index(v.values, i);
      });
      if (values !== null) values(list(found), h);
      return v;
    };
  }
  const keyMatcher = compilePattern(keys);
  return (v, h) => {
    if (v.kind !== "dict") return fail("type");
    keyMatcher(v.keys, h);
    if (values !== null) values(v.values, h);
    return v;
  };
}

function tablePattern(keys: Column[], cols: Column[]): Matcher {
  const part = (cs: Column[]) =>
    cs.map((c) => ({
      // `([a;b])`: a bare name is both the key and the pattern that binds it.
      name: c.name ?? (c.expr.type === "name" ? c.expr.name : null),
      m: c.expr.type === "empty" ? null : compilePattern(c.expr),
    }));
  const ks = part(keys);
  const vs = part(cols);
  return (v, h) => {
    const take = (source: Value, ps: { name: string | null; m: Matcher | null }[]) => {
      for (const p of ps) {
        if (p.name === null) return raise("nyi");
        let item: Value | undefined;
        if (source.kind === "table") {
          const i = source.columns.indexOf(p.name);
          item = i < 0 ? undefined : source.data[i];
        } else if (source.kind === "dict") {
          const i = items(source.keys).findIndex((k) => matchValues(k, sym(p.name!)));
          item = i < 0 ? undefined : index(source.values, i);
        }
        if (item === undefined) return fail("match");
        p.m?.(item, h);
      }
      return v;
    };
    if (v.kind === "dict" && v.keys.kind === "table" && v.values.kind === "table") {
      take(v.keys, ks);
      return take(v.values, vs);
    }
    return take(v, [...ks, ...vs]);
  };
}
