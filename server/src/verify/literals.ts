/**
 * Readers for the two output notations the verifier compares: q console
 * display (and the one-line `-3!`/`0N!` form) and Python literals as
 * `print`/`repr` or LeetCode write them. Both produce the same small value
 * model, so equivalence.ts can compare across notations.
 *
 * Each reader parses the WHOLE text or returns undefined; it never guesses
 * from a prefix. q notes: symbols inside dict displays appear bare (`a| 1`),
 * typed nulls (0N, 0Ni, 0n, …) and `::` read as null, `` `long$() `` and `()`
 * read as empty lists, byte vectors (0x0102) read as integers, and anything
 * else q can display (temporals, tables, functions) is left to the text
 * comparison. Integers stay integers (BigInt, exact beyond 2^53) and floats
 * stay floats, so the judge can compare each kind by its own rule: a number
 * is a float when it is written with a point, an exponent, a float suffix
 * (`f`, `e`) or belongs to a q vector with such an item.
 */

export type OutValue =
  | { t: "null" }
  | { t: "bool"; v: boolean }
  /** An integer, exact at any size (q long, int, short, byte; Python int). */
  | { t: "int"; v: bigint }
  /** A float (q float or real; Python float), infinities included. */
  | { t: "float"; v: number }
  | { t: "str"; v: string }
  | { t: "list"; items: OutValue[] }
  | { t: "dict"; keys: OutValue[]; values: OutValue[] };

const NULL: OutValue = { t: "null" };
const list = (items: OutValue[]): OutValue => ({ t: "list", items });

// ---------------------------------------------------------------- Python ---

/** Parses a Python literal (repr/print of lists, tuples, dicts, sets, str, numbers, bools, None; LeetCode's true/false/null). */
export function parsePython(text: string): OutValue | undefined {
  let i = 0;
  const s = text;
  const ws = (): void => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const items = (close: string): OutValue[] | undefined => {
    const out: OutValue[] = [];
    ws();
    if (s[i] === close) {
      i++;
      return out;
    }
    for (;;) {
      const v = value();
      if (v === undefined) return undefined;
      out.push(v);
      ws();
      if (s[i] === ",") {
        i++;
        ws();
        if (s[i] === close) {
          i++;
          return out;
        }
      } else if (s[i] === close) {
        i++;
        return out;
      } else return undefined;
    }
  };
  const value = (): OutValue | undefined => {
    ws();
    const c = s[i];
    if (c === "[") {
      i++;
      const xs = items("]");
      return xs && list(xs);
    }
    if (c === "(") {
      i++;
      const xs = items(")");
      return xs && list(xs);
    }
    if (c === "{") {
      i++;
      ws();
      if (s[i] === "}") {
        i++;
        return { t: "dict", keys: [], values: [] };
      }
      const keys: OutValue[] = [];
      const values: OutValue[] = [];
      let isSet: boolean | undefined;
      for (;;) {
        const k = value();
        if (k === undefined) return undefined;
        ws();
        if (s[i] === ":" && isSet !== true) {
          isSet = false;
          i++;
          const v = value();
          if (v === undefined) return undefined;
          keys.push(k);
          values.push(v);
        } else if (isSet !== false) {
          isSet = true;
          keys.push(k);
        } else return undefined;
        ws();
        if (s[i] === ",") {
          i++;
          ws();
        }
        if (s[i] === "}") {
          i++;
          return isSet ? list(keys) : { t: "dict", keys, values };
        }
        if (i >= s.length) return undefined;
      }
    }
    if (c === "'" || c === '"') return pyString();
    const m = /^(?:True|False|None|true|false|null|-?inf|nan|-?(?:\d[\d_]*)?(?:\.\d*)?(?:[eE][+-]?\d+)?)/.exec(
      s.slice(i, i + 512),
    );
    if (m === null || m[0] === "" || m[0] === "-" || m[0] === ".") return undefined;
    i += m[0].length;
    if (/^[A-Za-z0-9_]/.test(s[i] ?? "")) return undefined;
    switch (m[0]) {
      case "True":
      case "true":
        return { t: "bool", v: true };
      case "False":
      case "false":
        return { t: "bool", v: false };
      case "None":
      case "null":
        return NULL;
      case "inf":
        return { t: "float", v: Infinity };
      case "-inf":
        return { t: "float", v: -Infinity };
      case "nan":
        return NULL;
    }
    const digits = m[0].replaceAll("_", "");
    if (/^-?\d+$/.test(digits)) return { t: "int", v: BigInt(digits) };
    const n = Number(digits);
    return Number.isNaN(n) ? undefined : { t: "float", v: n };
  };
  const pyString = (): OutValue | undefined => {
    const q = s[i]!;
    i++;
    let out = "";
    while (i < s.length && s[i] !== q) {
      if (s[i] === "\\") {
        const e = s[i + 1];
        const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0" };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          i += 2;
          continue;
        }
        const hex = /^\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4}))/.exec(s.slice(i, i + 6));
        if (hex === null) return undefined;
        out += String.fromCharCode(Number.parseInt(hex[1] ?? hex[2]!, 16));
        i += hex[0].length;
        continue;
      }
      out += s[i];
      i++;
    }
    if (i >= s.length) return undefined;
    i++;
    return { t: "str", v: out };
  };
  const v = value();
  ws();
  return v !== undefined && i === s.length ? v : undefined;
}

// --------------------------------------------------------------------- q ---

const Q_NULLS = /^(?:0N[hijepmdznuvt]?|0n|::)$/;
const Q_NUMBER = /^(-?)(0[Ww]|0n|0N|\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)([hijef]?)$/;
/** q's long infinity, 0W: the largest long. */
const LONG_MAX = 9223372036854775807n;

/** One q number token; `float` says the vector it sits in is a float vector (another item showed it). */
function qNumber(tok: string, float: boolean): OutValue | undefined {
  if (Q_NULLS.test(tok)) return NULL;
  const m = Q_NUMBER.exec(tok);
  if (m === null) return undefined;
  const [, sign, body, suffix] = m;
  if (body === "0N" || body === "0n") return sign === "" ? NULL : undefined;
  if (body === "0w" || (body === "0W" && (float || suffix === "f" || suffix === "e")))
    return { t: "float", v: sign === "-" ? -Infinity : Infinity };
  if (body === "0W") return { t: "int", v: sign === "-" ? -LONG_MAX : LONG_MAX };
  if (suffix !== "" && suffix !== "e" && suffix !== "f" && /[.e]/.test(body!)) return undefined;
  if (float || suffix === "e" || suffix === "f" || /[.e]/.test(body!))
    return { t: "float", v: Number(`${sign}${body}`) };
  return { t: "int", v: BigInt(`${sign}${body}`) };
}

/** A q vector display is a float vector when any item shows it: a point, an exponent, 0w/0n or an f/e suffix. */
const isFloatToken = (tok: string): boolean => /^-?(?:\d*\.|\d+e[+-]?\d|0w$|0n$)|[ef]$/.test(tok);

/** One q display line or a one-line q expression (`(1;2)`, `` `a`b!1 2 ``, `,1`). */
function parseQLine(text: string): OutValue | undefined {
  let i = 0;
  const s = text;
  const atom = (): string => {
    const m = /^[^\s;()!`",]+/.exec(s.slice(i));
    return m === null ? "" : m[0];
  };
  const numbers = (): OutValue | undefined => {
    const toks: string[] = [];
    for (;;) {
      const tok = atom();
      if (tok === "") break;
      toks.push(tok);
      i += tok.length;
      if (s[i] !== " ") break;
      i++;
      if (atom() === "") {
        i--;
        break;
      }
    }
    if (toks.length === 0) return undefined;
    const last = toks[toks.length - 1]!;
    if (toks.length === 1 && /^[01]+b$/.test(last)) {
      const bits = [...last.slice(0, -1)].map((b): OutValue => ({ t: "bool", v: b === "1" }));
      return bits.length === 1 ? bits[0] : list(bits);
    }
    if (toks.length === 1 && /^0x[0-9a-f]*$/.test(last)) {
      const hex = last.slice(2);
      const bytes: OutValue[] = [];
      for (let k = 0; k < hex.length; k += 2)
        bytes.push({ t: "int", v: BigInt(Number.parseInt(hex.slice(k, k + 2), 16)) });
      return bytes.length === 1 ? bytes[0] : list(bytes);
    }
    // A type suffix is written once, after the last item of a vector: `1 2 3f`, `1 0N 3i`.
    const suffix = /[hijef]$/.exec(last)?.[0] ?? "";
    const float = toks.some(isFloatToken);
    const values: OutValue[] = [];
    for (const [k, tok] of toks.entries()) {
      const v = qNumber(k < toks.length - 1 && suffix !== "" && !Q_NULLS.test(tok) ? tok + suffix : tok, float);
      if (v === undefined) return undefined;
      values.push(v);
    }
    return values.length === 1 ? values[0] : list(values);
  };
  const qString = (): OutValue | undefined => {
    i++;
    let out = "";
    while (i < s.length && s[i] !== '"') {
      if (s[i] === "\\") {
        const e = s[i + 1] ?? "";
        const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"' };
        if (simple[e] !== undefined) {
          out += simple[e];
          i += 2;
        } else if (/^[0-7]{3}$/.test(s.slice(i + 1, i + 4))) {
          out += String.fromCharCode(Number.parseInt(s.slice(i + 1, i + 4), 8));
          i += 4;
        } else return undefined;
        continue;
      }
      out += s[i];
      i++;
    }
    if (i >= s.length) return undefined;
    i++;
    return { t: "str", v: out };
  };
  const term = (): OutValue | undefined => {
    const c = s[i];
    if (c === ",") {
      i++;
      const v = term();
      return v && list([v]);
    }
    if (c === "(") {
      i++;
      const out: OutValue[] = [];
      if (s[i] === ")") {
        i++;
        return list(out);
      }
      for (;;) {
        const v = expr();
        if (v === undefined) return undefined;
        out.push(v);
        if (s[i] === ";") i++;
        else if (s[i] === ")") {
          i++;
          return list(out);
        } else return undefined;
      }
    }
    if (c === '"') return qString();
    if (c === "`") {
      const typed = /^`[a-z]+\$\(\)/.exec(s.slice(i));
      if (typed !== null) {
        i += typed[0].length;
        return list([]);
      }
      const syms: OutValue[] = [];
      while (s[i] === "`") {
        const m = /^`([A-Za-z0-9_.:/]*)/.exec(s.slice(i))!;
        syms.push({ t: "str", v: m[1]! });
        i += m[0].length;
      }
      return syms.length === 1 ? syms[0] : list(syms);
    }
    if (s.startsWith("::", i)) {
      i += 2;
      return NULL;
    }
    return numbers();
  };
  const expr = (): OutValue | undefined => {
    const k = term();
    if (k === undefined) return undefined;
    if (s[i] !== "!") return k;
    i++;
    const v = expr();
    if (v === undefined) return undefined;
    const keys = k.t === "list" ? k.items : [k];
    const values = v.t === "list" ? v.items : keys.map(() => v);
    return keys.length === values.length ? { t: "dict", keys, values } : undefined;
  };
  const v = expr();
  return v !== undefined && i === s.length ? v : undefined;
}

/** A bare dict key as q displays it: a symbol without its backtick, or any one-line value. */
function parseQKey(text: string): OutValue | undefined {
  if (/^[A-Za-z][A-Za-z0-9_.]*$/.test(text)) return { t: "str", v: text };
  return text === "" ? { t: "str", v: "" } : parseQLine(text);
}

/** Parses q output: one line, or a multi-line display (general list, one item per line; or a dict `k| v`). */
export function parseQ(text: string): OutValue | undefined {
  const lines = text.split("\n").map((l) => l.trimEnd());
  if (lines.length === 1) {
    const v = parseQLine(lines[0]!.trim());
    if (v !== undefined) return v;
  }
  const dictRows = lines.map((l) => /^([^|"]*?)\s*\|\s?(.*)$/.exec(l));
  if (dictRows.every((m) => m !== null)) {
    const keys: OutValue[] = [];
    const values: OutValue[] = [];
    for (const m of dictRows) {
      const k = parseQKey(m![1]!.trim());
      const v = parseQLine(m![2]!.trim());
      if (k === undefined || v === undefined) return undefined;
      keys.push(k);
      values.push(v);
    }
    return { t: "dict", keys, values };
  }
  const items: OutValue[] = [];
  for (const l of lines) {
    const v = parseQLine(l.trim());
    if (v === undefined) return undefined;
    items.push(v);
  }
  return list(items);
}

/** Reads either notation: Python first (it is stricter), then q. */
export function parseOutput(text: string): OutValue | undefined {
  return parsePython(text) ?? parseQ(text);
}

/** A neutral rendering for mismatch reasons. */
export function showValue(v: OutValue): string {
  switch (v.t) {
    case "null":
      return "null";
    case "bool":
      return v.v ? "true" : "false";
    case "int":
    case "float":
      return String(v.v);
    case "str":
      return JSON.stringify(v.v);
    case "list":
      return `[${v.items.map(showValue).join(", ")}]`;
    case "dict":
      return `{${v.keys.map((k, n) => `${showValue(k)}: ${showValue(v.values[n]!)}`).join(", ")}}`;
  }
}
