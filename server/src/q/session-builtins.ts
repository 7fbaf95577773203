/**
 * Keywords that need the session itself (its evaluator, globals, output, settings) and so
 * cannot live in the verb table: value, each/over/scan/prior/peach, show, system, 0N!, the
 * enumeration forms of `$` and `?`, the table verbs given a table's name, ... The interpreter
 * installs them over the verb table's entries at start-up.
 */
import { applyDerived } from "./adverbs";
import { call } from "./apply";
import { debugBuiltins } from "./backtrace";
import { asEnum, domainList, enumerate, enumValues, plainEnums } from "./enums";
import { ExitSignal, raise } from "./errors";
import { compactText, formatConsole } from "./format";
import type { Interp } from "./interp";
import { lambdaParts } from "./lambda-parts";
import {
  count,
  EMPTY_LIST,
  type EvalContext,
  enumDomain,
  enumType,
  IDENTITY,
  index,
  isFunction,
  isIntegralType,
  LONG_NULL,
  long,
  type QAtom,
  type QVector,
  rawList,
  str,
  sym,
  syms,
  TYPE_CHARS,
  TYPE_NAMES,
  textOf,
  type Value,
  type VerbDef,
  vectorAt,
  vectorOf,
} from "./values";
import { VERBS } from "./verbs/index";
import { internal } from "./verbs/internal";

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
    const e = asEnum(x);
    if (e !== undefined) return enumValues(e);
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
    if (x.kind === "lambda") return lambdaParts(x, (name) => VERBS.has(name) || it.builtinNames().includes(name));
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
        // An enumeration's key is its domain's name (code.kx.com/q/ref/key).
        const e = asEnum(x);
        if (e !== undefined) return sym(enumDomain(e.type));
        // A name: `` key ` `` lists the namespaces, `` key `.ns `` a namespace's names, the name
        // of a dictionary its keys, of any other global the name itself, of nothing ().
        if (x.kind === "atom" && x.type === 11) {
          const name = x.v as string;
          if (name === "") return syms(it.env.namespaceNames());
          if (name.startsWith(":")) return raise("nyi");
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
    ...globalForms(it),
    ...tableNameForms(it),
    ...debugBuiltins(it),
    {
      name: "tables",
      kind: "keyword",
      // The names of the tables (keyed or not) in a namespace, the root one by default.
      monadic: (x) => {
        const ns = x.kind === "identity" ? "." : x.kind === "atom" && x.type === 11 ? (x.v as string) : raise("type");
        const members: [string, Value][] = [];
        if (ns === "." || ns === "") for (const n of it.env.rootNames()) members.push([n, it.env.get(n, "")]);
        else {
          const d = it.env.lookup(ns, "");
          if (d?.kind === "dict" && d.keys.kind === "vector" && d.keys.type === 11)
            (d.keys.data as string[]).forEach((n, i) => {
              members.push([n, index(d.values, i)]);
            });
        }
        return syms(
          members
            .filter(([, v]) => isTable(v))
            .map(([n]) => n)
            .sort(),
        );
      },
      doc: doc("names of the tables in a namespace (root by default)", "tables `.", "([]a:1 2);tables[]"),
    },
  ];
}

/** `def` with the given forms replaced; nothing when the verb table lacks `name`. */
function over(name: string, wrap: (def: VerbDef) => Partial<VerbDef>): VerbDef[] {
  const def = VERBS.get(name);
  return def === undefined ? [] : [{ ...def, ...wrap(def) }];
}

/** Glyph forms that read or write globals (enumerations) or print (`0N!x`, `-3!x`). */
function globalForms(it: Interp): VerbDef[] {
  return [
    // `` `d$y ``: enumeration against the global d, a list or a keyed table (code.kx.com/q/ref/enumerate);
    // an enumeration cast to int or long gives its indices (`"i"$e`).
    ...over("$", (dollar) => ({
      dyadic: (x, y, ctx) => {
        const e = asEnum(y);
        if (e !== undefined) {
          const t = indexCastType(x);
          if (t !== undefined) return t === 6 ? { ...e, type: 6 } : vector7(e);
          y = plainEnums(y);
        }
        if (x.kind === "atom" && x.type === 11 && (y.kind === "atom" || y.kind === "vector")) {
          const name = x.v as string;
          const named = y.type === 11 || !castNames.has(name);
          const domain = named ? domainList(name) : undefined;
          if (domain !== undefined) return enumerate(name, y);
        }
        return dollar.dyadic!(x, plainEnums(y), ctx);
      },
    })),
    // `` `d?syms ``: enumeration extending the global symbol list d with the symbols it lacks
    // (code.kx.com/q/ref/enum-extend); any other `x?y` searches the plain values.
    ...over("?", (query) => ({
      dyadic: (x, y, ctx) => {
        y = plainEnums(y);
        if (x.kind === "atom" && x.type === 11 && (y.kind === "atom" || y.kind === "vector") && y.type === 11) {
          const name = x.v as string;
          const domain = it.env.lookup(name) ?? vectorOf(11, []);
          if (domain.kind === "vector" && domain.type === 11) {
            const known = new Set(domain.data as string[]);
            const add: string[] = [];
            for (const sym of y.kind === "atom" ? [y.v as string] : (y.data as string[]))
              if (!known.has(sym)) {
                known.add(sym);
                add.push(sym);
              }
            if (add.length > 0 || it.env.lookup(name) === undefined)
              it.env.set(name, vectorOf(11, [...(domain.data as string[]), ...add]));
            return enumerate(name, y);
          }
        }
        return query.dyadic!(plainEnums(x), y, ctx);
      },
    })),
    // `0N!x` shows x and returns it; `-3!x` is x's one-line text; every other `x!y` is the verb table's.
    ...over("!", (bang) => ({
      dyadic: (x, y, ctx) => {
        if (x.kind === "atom" && x.type === 7 && x.v === LONG_NULL) {
          ctx.print(1, `${compactText(y, ctx.settings.precision)}\n`);
          return y;
        }
        if (x.kind === "atom" && (x.type === 7 || x.type === 6) && x.v === -3)
          return str(compactText(y, ctx.settings.precision));
        if (x.kind === "atom" && (x.type === 7 || x.type === 6) && x.v === -5) return it.parseToTree(textOf(y));
        if (x.kind === "atom" && (x.type === 7 || x.type === 6) && x.v === -120)
          return long(it.memoryDomain1.has(y) ? 1 : 0);
        const inner =
          x.kind === "atom" && (x.type === 7 || x.type === 6) ? internal(Number(x.v), y, ctx.tick) : undefined;
        if (inner !== undefined) return inner;
        // `` 0!`t `` / `` 1!`t ``: (un)key the global table t in place and return its name (ref/enkey).
        if (x.kind === "atom" && (x.type === 7 || x.type === 6 || x.type === 5) && y.kind === "atom" && y.type === 11) {
          const t = it.env.lookup(y.v as string);
          if (t !== undefined && (t.kind === "table" || (t.kind === "dict" && t.keys.kind === "table"))) {
            it.env.set(y.v as string, bang.dyadic!(x, t, ctx));
            return y;
          }
        }
        // `` `x!1 2 3 ``: the enumeration of x with those indices (code.kx.com/q/ref/enumeration).
        if (
          x.kind === "atom" &&
          x.type === 11 &&
          (y.kind === "atom" || y.kind === "vector") &&
          isIntegralType(y.type)
        ) {
          const name = x.v as string;
          if (y.type !== 1 && domainList(name) !== undefined) return enumFromIndices(name, y);
        }
        return bang.dyadic!(plainEnums(x), plainEnums(y), ctx);
      },
    })),
  ];
}

/**
 * Table verbs given a table's name act on the global it names: reads (`` cols `t ``) see its
 * value, updates (`` `t upsert x ``, `` `a xasc `t ``) replace the global and return the name.
 */
function tableNameForms(it: Interp): VerbDef[] {
  const named = (x: Value): string | undefined => {
    if (x.kind !== "atom" || x.type !== 11) return undefined;
    const v = it.env.lookup(x.v as string);
    return v !== undefined && (v.kind === "table" || v.kind === "dict") ? (x.v as string) : undefined;
  };
  const upsert = VERBS.get("upsert")?.dyadic;
  return [
    ...["cols", "keys", "meta"].flatMap((name) =>
      over(name, (def) => ({
        monadic: (x, ctx) => {
          const n = named(x);
          return def.monadic!(n === undefined ? x : it.env.get(n), ctx);
        },
      })),
    ),
    ...over("upsert", (def) => ({
      dyadic: (x, y, ctx) => {
        const n = named(x);
        if (n === undefined) return def.dyadic!(x, y, ctx);
        it.env.set(n, it.verb("upsert")!.dyadic!(it.env.get(n), y, ctx));
        return x;
      },
    })),
    ...["xasc", "xdesc", "xkey"].flatMap((name) =>
      over(name, (def) => ({
        dyadic: (x, y, ctx) => {
          const n = named(y);
          if (n === undefined) return def.dyadic!(x, y, ctx);
          it.env.set(n, it.verb(name)!.dyadic!(x, it.env.get(n), ctx));
          return y;
        },
      })),
    ),
    ...(upsert === undefined
      ? []
      : [
          {
            name: "insert",
            kind: "keyword" as const,
            // `` `t insert rows ``: appends to the global table t and returns the new rows' indices;
            // on a keyed table a key that is already present is an error. A new name given a table
            // creates it (code.kx.com/q/ref/insert); any other target cannot take rows: 'insert.
            dyadic: (x: Value, y: Value, ctx: EvalContext): Value => {
              if (x.kind !== "atom" || x.type !== 11) return raise("type");
              const n = named(x);
              if (n === undefined) {
                const fresh = x.v as string;
                if (it.env.lookup(fresh) !== undefined || (y.kind !== "table" && y.kind !== "dict")) raise("insert");
                it.env.set(fresh, y);
                return vectorOf(
                  7,
                  Array.from({ length: count(y) }, (_, i) => i),
                );
              }
              const old = it.env.get(n);
              const before = count(old);
              const next = it.verb("upsert")!.dyadic!(old, y, ctx);
              const after = count(next);
              if (old.kind === "dict" && after - before !== rowsIn(y)) raise("insert");
              it.env.set(n, next);
              return vectorOf(
                7,
                Array.from({ length: after - before }, (_, i) => before + i),
              );
            },
            doc: {
              summary: "Append rows to the table named by x; returns the indices of the new rows.",
              forms: ["`t insert y"],
              example: "`t insert (3;`c)  → ,2",
            },
          },
        ]),
  ];
}

/** Type names `$` casts to by symbol; a global with one of these names is not taken as a domain. */
const castNames = new Set(TYPE_NAMES.filter((n) => n !== ""));

/** 6 or 7 when x casts to int or long (`"i"$`, `` `long$ ``, `6h$`), which gives an enumeration's indices. */
function indexCastType(x: Value): 6 | 7 | undefined {
  let name: string | undefined;
  if (x.kind === "atom" && x.type === 10) name = String.fromCharCode(x.v as number);
  else if (x.kind === "atom" && x.type === 11) name = x.v as string;
  else if (x.kind === "atom" && (x.type === 5 || x.type === 7 || x.type === 6)) name = TYPE_CHARS[Number(x.v)];
  if (name === "i" || name === "int") return 6;
  if (name === "j" || name === "long") return 7;
  return undefined;
}

/** An enumeration's indices as ints (`"i"$e`) or longs. */
function vector7(e: QAtom | QVector): Value {
  if (e.kind === "atom") return long(e.v as number);
  return vectorOf(7, Array.from(e.data as Int32Array));
}

/** `` `x!i ``: the enumeration of x whose indices are i. */
function enumFromIndices(name: string, y: QAtom | QVector): Value {
  const t = enumType(name);
  if (y.kind === "atom") return { kind: "atom", type: t, v: Number(y.v) };
  const out = Int32Array.from(Array.from({ length: count(y) }, (_, i) => Number(vectorAt(y, i))));
  return { kind: "vector", type: t, data: out };
}

const isTable = (v: Value): boolean =>
  v.kind === "table" || (v.kind === "dict" && v.keys.kind === "table" && v.values.kind === "table");

/** Rows in what `insert` was given: a table, one record (dict or atoms) or columns of values. */
function rowsIn(y: Value): number {
  if (y.kind === "table") return count(y);
  if (y.kind === "dict") return y.keys.kind === "table" ? count(y.keys) : 1;
  if (y.kind === "list" && y.items.length > 0 && y.items[0]!.kind !== "atom") return count(y.items[0]!);
  return 1;
}

const isFileHandle = (x: Value): boolean => x.kind === "atom" && x.type === 11 && (x.v as string).startsWith(":");

export function displayValue(v: Value, s: { precision: number; rows: number; cols: number }): string {
  return formatConsole(v, s);
}
