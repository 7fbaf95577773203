/**
 * Keywords that need the session itself (its evaluator, globals, output, settings) and so
 * cannot live in the verb table: value, each/over/scan/prior/peach, show, system, 0N!, ... The
 * interpreter installs them over the verb table's entries at start-up.
 */
import { applyDerived } from "./adverbs";
import { call } from "./apply";
import { ExitSignal, raise } from "./errors";
import { compactText, formatConsole } from "./format";
import type { Interp } from "./interp";
import {
  EMPTY_LIST,
  type EvalContext,
  IDENTITY,
  isFunction,
  long,
  rawList,
  syms,
  textOf,
  type Value,
  type VerbDef,
} from "./values";
import { dotQWords } from "./verbs/dotq";
import { VERBS } from "./verbs/index";

/** The k operators in code order: `value` of one gives its index (`value (+)` is 1, `value value` 19). */
const OPERATOR_CODES = [
  "::",
  "+",
  "-",
  "*",
  "%",
  "&",
  "|",
  "^",
  "=",
  "<",
  ">",
  "$",
  ",",
  "#",
  "_",
  "~",
  "!",
  "?",
  "@",
  ".",
];

export function sessionBuiltins(it: Interp): VerbDef[] {
  const doc = (summary: string, form: string, example: string) => ({ summary, forms: [form], example });
  const text = (x: Value): string => {
    if ((x.kind === "vector" || x.kind === "atom") && x.type === 10) return textOf(x);
    if (x.kind === "vector" && x.type === 10) return textOf(x);
    return raise("type");
  };
  const byName = (name: string) => VERBS.get(name);
  const value = (x: Value, ctx: EvalContext): Value => {
    if ((x.kind === "vector" || x.kind === "atom") && x.type === 10) return it.evalText(text(x)).value;
    if (x.kind === "atom" && x.type === 11) return it.getGlobal(x.v as string);
    // `value (f;a;b)` applies f to the items as they are (nested trees are not evaluated); a string
    // or symbol at the head is evaluated first: `value(`.q.neg;2)`, `value("{x+y}";1;2)`.
    if (x.kind === "list" && x.items.length > 1) {
      const head = x.items[0]!;
      const named = (head.kind === "atom" || head.kind === "vector") && (head.type === 10 || head.type === 11);
      if (named || isFunction(head)) return call(it, named ? value(head, ctx) : head, x.items.slice(1));
    }
    if (x.kind === "list" && x.items.length > 0 && isFunction(x.items[0]!))
      return call(it, x.items[0]!, x.items.slice(1));
    // The parts of a function value (code.kx.com/q/ref/value): a projection's function and
    // arguments, a composition's functions, an iterated function's operand, an operator's code.
    if (x.kind === "projection") {
      const args = x.args.slice();
      while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
      return rawList([x.fn, ...args.map((a) => a ?? IDENTITY)]);
    }
    if (x.kind === "prim" && (x.name === "value" || x.name === "get")) return long(OPERATOR_CODES.indexOf("."));
    if (x.kind === "composition") return rawList([...x.fns]);
    if (x.kind === "derived") return x.fn;
    if (x.kind === "identity") return long(0);
    if (x.kind === "prim" && OPERATOR_CODES.includes(x.name)) return long(OPERATOR_CODES.indexOf(x.name));
    const inner = byName("value")?.monadic;
    if (inner) return inner(x, ctx);
    if (x.kind === "dict") return x.values;
    return raise("nyi");
  };
  return [
    {
      name: "value",
      kind: "keyword",
      monadic: value,
      doc: doc("evaluate a string or symbol, or the values of a dictionary", "value x", 'value "1+2"  → 3'),
    },
    {
      name: "get",
      kind: "keyword",
      // A file handle (`:path) reads a file, which the sandbox does not offer.
      monadic: (x, ctx) => (isFileHandle(x) ? raise("nyi") : value(x, ctx)),
      doc: doc("value of a global, a string, a dictionary or a parse tree", "get x", "get `a"),
    },
    {
      name: "set",
      kind: "keyword",
      dyadic: (x, y) => {
        if (x.kind !== "atom" || x.type !== 11) return raise("type");
        if (isFileHandle(x)) return raise("nyi");
        it.setGlobal(x.v as string, y);
        return x;
      },
      doc: doc("assign a global by name and return the name", "`a set 42", "`a set 42"),
    },
    {
      name: "key",
      kind: "keyword",
      monadic: (x, ctx) => {
        const inner = byName("key")!.monadic!;
        // A name: `` key ` `` lists the namespaces, `` key `.ns `` a namespace's names, the name
        // of a dictionary its keys, of any other global the name itself, of nothing ().
        if (x.kind === "atom" && x.type === 11) {
          const name = x.v as string;
          if (name === "") return syms(it.env.namespaceNames());
          if (name.startsWith(":")) return raise("nyi");
          if (name === ".q") return syms(["", ...dotQWords([...VERBS.keys(), ...it.builtinNames()])]);
          // Inside `\d .foo`, `a` names .foo.a only (code.kx.com/q/ref/key: "now you don't").
          const v = it.env.lookup(name.startsWith("..") ? name.slice(2) : it.env.qualify(name), "");
          if (v === undefined) return EMPTY_LIST;
          return v.kind === "dict" ? inner(v, ctx) : x;
        }
        return inner(x, ctx);
      },
      doc: doc("keys of a dictionary or table; names in a namespace", "key x", "key `a`b!1 2  → `a`b"),
    },
    ...(
      [
        ["each", "'", "apply f to each item of x", "f each x", "count each (1 2;3 4 5)  → 2 3"],
        ["peach", "'", "each (run sequentially here)", "f peach x", "count peach (1 2;3)  → 2 1"],
        ["over", "/", "fold or converge f over x", "f over x", "(+) over 1 2 3  → 6"],
        ["scan", "\\", "running fold or converge of f over x", "f scan x", "(+) scan 1 2 3  → 1 3 6"],
        ["prior", "':", "apply f to each item and its predecessor", "f prior x", "(-) prior 1 4 9  → 1 3 5"],
      ] as const
    ).map(
      ([name, iterator, summary, form, example]): VerbDef => ({
        name,
        kind: "keyword",
        dyadic: (f, x) => applyDerived(it, { kind: "derived", iterator, fn: f }, [x]),
        doc: doc(summary, form, example),
      }),
    ),
    {
      name: "show",
      kind: "keyword",
      monadic: (x, ctx) => {
        ctx.print(1, `${displayValue(x, ctx.settings)}\n`);
        return IDENTITY;
      },
      doc: doc("display x on stdout", "show x", "show 1 2 3"),
    },
    {
      name: "system",
      kind: "keyword",
      monadic: (x) => {
        const r = it.system(text(x));
        return r.kind === "identity" ? { kind: "list", items: [] } : r;
      },
      doc: doc("run a system command (sandboxed subset)", 'system "c 25 80"', 'system "P 7"'),
    },
    {
      name: "exit",
      kind: "keyword",
      monadic: (x) => {
        const code = x.kind === "atom" && typeof x.v === "number" ? x.v : raise("type");
        throw new ExitSignal(code);
      },
      doc: doc("end the session with an exit code", "exit n", "exit 0"),
    },
    {
      name: "getenv",
      kind: "keyword",
      monadic: () => raise("nyi"),
      doc: doc("environment variables (disabled in the sandbox)", "getenv `HOME", "getenv `HOME"),
    },
    {
      name: "hopen",
      kind: "keyword",
      monadic: () => raise("nyi"),
      doc: doc("open a connection (disabled in the sandbox)", "hopen `:host:port", "hopen 5000"),
    },
    {
      name: "parse",
      kind: "keyword",
      monadic: (x) => it.parseToTree(text(x)),
      doc: doc("parse a string to a parse tree", 'parse "1+x"', 'parse "1+x"  → (+;1;`x)'),
    },
    {
      name: "eval",
      kind: "keyword",
      monadic: (x) => it.evalParseTree(x),
      doc: doc("evaluate a parse tree", "eval (+;1;2)", "eval (+;1;2)  → 3"),
    },
    {
      name: "0N!",
      kind: "glyph",
      monadic: (x, ctx) => {
        ctx.print(1, `${compactText(x, ctx.settings.precision)}\n`);
        return x;
      },
      doc: doc("print the one-line text of x and return x", "0N!x", "0N!1 2"),
    },
  ];
}

const isFileHandle = (x: Value): boolean => x.kind === "atom" && x.type === 11 && (x.v as string).startsWith(":");

export function displayValue(v: Value, s: { precision: number; rows: number; cols: number }): string {
  return formatConsole(v, s);
}
