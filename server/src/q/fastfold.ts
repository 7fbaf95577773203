/**
 * Over and scan of float data by `+`, `-` or `*` without boxing each item.
 *
 * q folds `{x+y}over v` one item at a time, so its result carries the rounding of that order
 * (code.kx.com/q/basics/precision prints it to 17 digits). The general fold in adverbs.ts makes an
 * atom per item and applies the function through the interpreter, which at 10^7 items runs past
 * the step limit. A float fold by one of these glyphs cannot signal, so doing the same additions in
 * the same order on the raw numbers gives the same bits; a lambda whose whole body is `x op y`
 * counts as the glyph (the compiler marks it, see QLambda.dyad).
 */
import { float, type Value, vector } from "./values";

const OPS: Record<string, (a: number, b: number) => number> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
};

/** The glyph a fold by f computes, if f is one of the glyphs above or a lambda that is just `x op y`. */
function glyphOf(f: Value): string | undefined {
  const g = f.kind === "prim" ? f.name : f.kind === "lambda" ? f.dyad : undefined;
  return g !== undefined && OPS[g] !== undefined ? g : undefined;
}

const isFloats = (v: Value): v is Value & { kind: "vector"; data: Float64Array } =>
  v.kind === "vector" && v.type === 9 && v.data instanceof Float64Array;

/** `f over x` / `f scan x` with one argument, or undefined when this shortcut does not apply. */
export function floatFold(f: Value, x: Value, scan: boolean): Value | undefined {
  const g = glyphOf(f);
  if (g === undefined) return undefined;
  const op = OPS[g]!;
  if (isFloats(x)) {
    const d = x.data;
    if (d.length === 0) return undefined;
    let acc = d[0]!;
    if (!scan) {
      for (let i = 1; i < d.length; i++) acc = op(acc, d[i]!);
      return float(acc);
    }
    const out = new Float64Array(d.length);
    out[0] = acc;
    for (let i = 1; i < d.length; i++) out[i] = acc = op(acc, d[i]!);
    return vector(9, out);
  }
  // A list of float vectors of one length (a matrix): each step is a vector op, lane by lane.
  if (x.kind !== "list" || x.items.length === 0 || scan) return undefined;
  const rows = x.items.filter(isFloats).map((r) => r.data);
  const n = rows[0]?.length;
  if (rows.length !== x.items.length || rows.some((r) => r.length !== n)) return undefined;
  const acc = Float64Array.from(rows[0]!);
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i]!;
    for (let j = 0; j < acc.length; j++) acc[j] = op(acc[j]!, r[j]!);
  }
  return vector(9, acc);
}
