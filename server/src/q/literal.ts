/**
 * Numeric and temporal source literals to values: one token's element texts
 * (`["1","2","3f"]`) become an atom or a vector. A type suffix on the last
 * element applies to the whole vector (`1 2 3f`); otherwise the widest kind
 * present decides (any float-looking element makes a float vector). Temporal
 * texts go to temporal.ts. Booleans (`101b`) and bytes (`0x0102`) are vectors
 * from a single element.
 */
import { QError } from "./errors";
import { parseTemporalLiteral } from "./temporal";
import type { Span } from "./tokens";
import { type AtomValue, atom, LONG_INF, LONG_NULL, normLong, nullValue, type Value, vectorOf } from "./values";

/** A plain number: digits, optional fraction and exponent, or a null/infinity, with an optional type suffix. */
const PLAIN = /^-?(?:(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|0[NnWw])[hijef]?$/;

const SUFFIX: Record<string, number> = { h: 5, i: 6, j: 7, e: 8, f: 9 };

function fail(span: Span | undefined): never {
  throw new QError("parse", span);
}

/** One numeric element as a payload of base type t, or undefined if it does not parse. */
function numeric(text: string, t: number): AtomValue | undefined {
  const neg = text.startsWith("-");
  const body = neg ? text.slice(1) : text;
  if (body === "0N" || body === "0n") return neg ? undefined : nullValue(t);
  if (body === "0W" || body === "0w") {
    switch (t) {
      case 5:
        return neg ? -32767 : 32767;
      case 6:
        return neg ? -2147483647 : 2147483647;
      case 7:
        return neg ? -LONG_INF : LONG_INF;
      default:
        return neg ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    }
  }
  if (t === 8 || t === 9) {
    if (!/^(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(body)) return undefined;
    const x = Number(text);
    return t === 8 ? Math.fround(x) : x;
  }
  if (!/^\d+$/.test(body)) return undefined;
  const big = BigInt(text);
  if (t === 7) {
    // 2^63-1 is 0W itself (q reads 9223372036854775807 as 0W); -2^63 (0N) has no digits form.
    if (big > LONG_INF || big <= LONG_NULL) return undefined;
    return normLong(big);
  }
  const limit = t === 5 ? 32767n : 2147483647n;
  if (big > limit || big < -limit) return undefined;
  return Number(big);
}

/** The value of a numeric/temporal literal token. */
export function literalValue(parts: string[], span?: Span): Value {
  const last = parts[parts.length - 1]!;
  if (parts.length === 1 && /^[01]+b$/.test(last)) {
    const bits = last.slice(0, -1).split("").map(Number);
    return bits.length === 1 ? atom(1, bits[0]!) : vectorOf(1, bits);
  }
  if (parts.length === 1 && /^0x[0-9a-fA-F]*$/.test(last)) {
    const hex = last.slice(2);
    const padded = hex.length % 2 ? `0${hex}` : hex;
    const bytes: number[] = [];
    for (let i = 0; i < padded.length; i += 2) bytes.push(Number.parseInt(padded.slice(i, i + 2), 16));
    return bytes.length === 1 ? atom(4, bytes[0]!) : vectorOf(4, bytes);
  }
  if (parts.length === 1 && last === "0Ng") return atom(2, new Uint8Array(16));
  if (parts.length > 1 && parts.every((p) => /^[01]b$/.test(p))) return fail(span);
  // A suffix on the last element types the whole literal.
  const sfx = /^-?(?:\d+\.?\d*|\.\d+|0[NnWw])(?:e[-+]?\d+)?([hijef])$/.exec(last);
  let type: number | undefined;
  let texts = parts;
  if (sfx && !/^-?0[nw]$/.test(last)) {
    type = SUFFIX[sfx[1]!]!;
    texts = [...parts.slice(0, -1), last.slice(0, -1)];
  }
  if (type === undefined) {
    const temporal = parts.map((p) => (PLAIN.test(p) ? undefined : (parseTemporalLiteral(p) ?? fail(span))));
    if (temporal.some((x) => x !== undefined)) {
      // A type letter on the last item types the whole vector (`13:30 20:00t` is two times).
      const lastTyped = /[a-z]$/.test(last) ? temporal[temporal.length - 1] : undefined;
      const t = (lastTyped ?? temporal.find((x) => x !== undefined)!).type;
      const raws = parts.map((p, i) => {
        const own = temporal[i];
        const a =
          (own?.type === t ? own : undefined) ??
          parseTemporalLiteral(`${p}${"pmdznuvt"[t - 12]}`) ??
          nullAsTemporal(p, t);
        return a === undefined ? fail(span) : a.type === t ? a.raw : fail(span);
      });
      return raws.length === 1 ? atom(t, raws[0]!) : vectorOf(t, raws);
    }
    const floaty = texts.some((p) => /[.e]|^-?0[nw]$/.test(p));
    type = floaty ? 9 : 7;
  }
  const vals = texts.map((p) => numeric(p, type) ?? fail(span));
  return vals.length === 1 ? atom(type, vals[0]!) : vectorOf(type, vals);
}

function nullAsTemporal(p: string, t: number): { type: number; raw: number | bigint } | undefined {
  if (p === "0N") return { type: t, raw: nullValue(t) as number | bigint };
  return undefined;
}
