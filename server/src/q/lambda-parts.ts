/**
 * `value` of a lambda (code.kx.com/q/ref/value): q returns its bytecode, parameters, locals,
 * globals (the namespace first), constants, then the source. This engine compiles to closures,
 * so it has no bytecode: that item is an empty byte vector; the rest come from the source.
 */
import type { Column, Node } from "./ast";
import { literalValue } from "./literal";
import { parse } from "./parser";
import { atom, type QLambda, rawList, str, sym, syms, type Value, vector } from "./values";

export function lambdaParts(f: QLambda, isBuiltin: (name: string) => boolean): Value {
  const [node] = parse(f.source);
  const body = node?.type === "lambda" ? node.body : [];
  const params = new Set(f.params);
  const locals: string[] = [];
  const globals: string[] = [];
  const constants: Value[] = [];
  const seenConst = new Set<string>();
  let collecting = true; // the first pass finds the locals, the second the globals and constants
  const addGlobal = (name: string): void => {
    if (collecting) return;
    if (!params.has(name) && !locals.includes(name) && !globals.includes(name) && !isBuiltin(name)) globals.push(name);
  };
  const constant = (key: string, v: () => Value): void => {
    if (collecting || seenConst.has(key)) return;
    seenConst.add(key);
    constants.push(v());
  };
  const visit = (n: Node | null | undefined): void => {
    if (!n) return;
    switch (n.type) {
      case "lambda":
        return;
      case "name":
        addGlobal(n.name);
        return;
      case "num":
        constant(`n${n.parts.join(" ")}`, () => literalValue(n.parts, n.span));
        return;
      case "sym":
        constant(`s${n.names.join("`")}`, () => (n.names.length === 1 ? sym(n.names[0]!) : syms(n.names)));
        return;
      case "str":
        constant(`c${n.value}`, () => {
          const bytes = Uint8Array.from(n.value, (c) => c.charCodeAt(0));
          return bytes.length === 1 ? atom(10, bytes[0]!) : vector(10, bytes);
        });
        return;
      case "sql":
        // Column names inside a query are not variables: only the from-phrase reads names.
        visit(n.from);
        return;
      case "assign":
        visit(n.value);
        n.indices?.forEach(visit);
        visit(n.op);
        if (n.name === "") return;
        if (n.global || n.indices !== undefined || n.name.includes(".")) addGlobal(n.name);
        else if (!params.has(n.name) && !locals.includes(n.name)) locals.push(n.name);
        return;
      default:
        for (const v of Object.values(n)) {
          if (Array.isArray(v)) {
            for (const item of v)
              if (item && typeof item === "object") {
                if ("type" in item) visit(item as Node);
                else if ("expr" in item) visit((item as Column).expr);
              }
          } else if (v && typeof v === "object" && "type" in v) visit(v as Node);
        }
    }
  };
  // An assignment's value is visited before its name: q evaluates right to left.
  body.forEach(visit);
  collecting = false;
  body.forEach(visit);
  return rawList([
    vector(4, new Uint8Array(0)),
    syms([...f.params]),
    syms(locals),
    syms([(f.ns ?? "").replace(/^\./, ""), ...globals]),
    ...constants,
    str(f.source),
  ]);
}
