// DOTQ_VERBS: utility functions of the .Q namespace that are plain
// computations (no files, no processes): .Q.id, .Q.dd, .Q.x10/.Q.j10, .Q.x12/.Q.j12,
// .Q.btoa/.Q.atob and .Q.sha1.
//
// Behaviour follows code.kx.com/q/ref/dotq: .Q.id turns symbols into valid q names (drops
// characters that are not alphanumeric or `_`, prefixes `a` to a name that starts with a digit
// or `_` or is empty, suffixes `1` to a reserved word) and, for a list of names or a table's
// columns, makes repeats unique by appending 1, 2, ...; .Q.x10 and .Q.x12 pack a long into
// 10 base-64 or 12 base-36 characters.

import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { raise } from "../errors";
import { NAMES } from "../names";
import {
  atom,
  decodeBytes,
  dict,
  type QVector,
  str,
  sym,
  syms,
  table,
  type Value,
  type VerbDef,
  vector,
} from "../values";
import { CORE_VERBS } from "./core";
import { intArg } from "./lists";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

let keywords: Set<string> | undefined;

/** Words .Q.id must not produce: q's keywords and the words q defines in .q. */
function isReserved(name: string): boolean {
  if (!/^[a-z][a-z0-9]*$/.test(name)) return false;
  keywords ??= new Set(CORE_VERBS.filter((v) => v.kind === "keyword").map((v) => v.name));
  if (keywords.has(name)) return true;
  return NAMES.some((n) => n.name === name && n.category !== "glyph");
}

function validName(s: string): string {
  let out = s.replace(/[^A-Za-z0-9_]/g, "");
  if (out === "" || /^[0-9_]/.test(out)) out = `a${out}`;
  return isReserved(out) ? `${out}1` : out;
}

/** Valid names with repeats made unique: the k-th repeat of n becomes n followed by k. */
function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw) => {
    const n = validName(raw);
    const k = seen.get(n) ?? 0;
    seen.set(n, k + 1);
    return k === 0 ? n : `${n}${k}`;
  });
}

function qid(x: Value): Value {
  if (x.kind === "atom" && x.type === 11) return sym(validName(x.v as string));
  if (x.kind === "vector" && x.type === 11) return syms(uniqueNames(x.data as string[]));
  if (x.kind === "table") return table(uniqueNames(x.columns), x.data);
  if (x.kind === "dict" && x.keys.kind === "vector" && x.keys.type === 11) return dict(qid(x.keys), x.values);
  return raise("type");
}

const textArg = (v: Value): string => {
  if (v.kind === "vector" && (v.type === 10 || v.type === 4)) return decodeBytes(v.data as Uint8Array);
  if (v.kind === "atom" && v.type === 10) return String.fromCharCode(v.v as number);
  return raise("type");
};

const bytesArg = (v: Value): Uint8Array => {
  if (v.kind === "vector" && (v.type === 10 || v.type === 4)) return v.data as Uint8Array;
  if (v.kind === "atom" && (v.type === 10 || v.type === 4)) return Uint8Array.of(v.v as number);
  return raise("type");
};

const bytes = (b: Uint8Array): QVector => vector(4, b);

/**
 * `.Q.gz(level;text)` gzips text at a level 0-9; `.Q.gz zipped` unzips it. Both give strings
 * (code.kx.com/q/ref/dotq/#gz).
 */
function gz(x: Value): Value {
  if (x.kind === "list" && x.items.length === 2) {
    const [lv, data] = x.items as [Value, Value];
    const level = intArg(lv);
    if (level < 0 || level > 9) raise("domain");
    return vector(10, new Uint8Array(gzipSync(bytesArg(data), { level })));
  }
  try {
    return vector(10, new Uint8Array(gunzipSync(bytesArg(x))));
  } catch {
    return raise("domain");
  }
}

/** A non-negative long as `width` digits of the alphabet (most significant first). */
function packLong(x: Value, alphabet: string, width: number): Value {
  let n = BigInt(intArg(x));
  if (n < 0n) raise("domain");
  const base = BigInt(alphabet.length);
  let out = "";
  for (let i = 0; i < width; i++) {
    out = alphabet[Number(n % base)]! + out;
    n /= base;
  }
  return str(out);
}

function unpackLong(x: Value, alphabet: string): Value {
  const base = BigInt(alphabet.length);
  let n = 0n;
  for (const c of textArg(x)) {
    const d = alphabet.indexOf(c);
    if (d < 0) raise("domain");
    n = n * base + BigInt(d);
  }
  return atom(7, Number(n));
}

/** q's reserved words (`.Q.res`): .Q.id suffixes 1 to these. */
export const RESERVED = `abs acos asin atan avg bin binr cor cos cov delete dev div do enlist exec exit exp getenv
  hopen if in insert last like log max min prd select setenv sin sqrt ss sum tan update var wavg while within
  wsum xexp`.split(/\s+/);

/** The first words of q's `.q` namespace, in q's order (code.kx.com/q/ref/key: key`.q). */
const DOT_Q_HEAD =
  "neg not null string reciprocal floor ceiling signum mod xbar xlog and or each scan over prior".split(" ");

/**
 * The names `` key `.q `` lists: the keywords the engine has that q defines in .q (its reserved
 * words, `.Q.res`, are k's own and not there), q's first ones in q's order, then the rest sorted.
 */
export function dotQWords(keywords: readonly string[]): string[] {
  const words = new Set(keywords.filter((k) => /^[a-z][a-z0-9]*$/.test(k) && !RESERVED.includes(k)));
  const head = DOT_Q_HEAD.filter((w) => words.has(w));
  return [...head, ...[...words].filter((w) => !head.includes(w)).sort()];
}

const isTable = (x: Value): boolean =>
  x.kind === "table" || (x.kind === "dict" && x.keys.kind === "table" && x.values.kind === "table");

/** `.Q.ty`: the type letter of a list: lower case for a vector, upper for a list of like vectors. */
function typeLetter(x: Value): Value {
  const letters = " bg xhijefcspmdznuvts";
  if (x.kind === "vector") return atom(10, letters.charCodeAt(x.type));
  if (x.kind === "list" && x.items.length > 0) {
    const t = x.items[0]!.kind === "vector" ? (x.items[0] as QVector).type : -1;
    if (t >= 0 && x.items.every((i) => i.kind === "vector" && i.type === t))
      return atom(10, letters.toUpperCase().charCodeAt(t));
  }
  return atom(10, 32);
}

export const DOTQ_VERBS: VerbDef[] = [
  {
    name: ".Q.qt",
    kind: "keyword",
    monadic: (x) => atom(1, isTable(x) ? 1 : 0),
    doc: { summary: "Whether x is a table or keyed table.", forms: [".Q.qt x"], example: ".Q.qt ([]a:1 2)  → 1b" },
  },
  {
    name: ".Q.ty",
    kind: "keyword",
    monadic: typeLetter,
    doc: {
      summary: "The type letter of a list: lower case for a vector, upper case for a list of vectors of one type.",
      forms: [".Q.ty x"],
      example: '.Q.ty (1 2;3 4)  → "J"',
    },
  },
  {
    name: ".Q.id",
    kind: "keyword",
    monadic: qid,
    doc: {
      summary: "Valid q names from symbols, a table's columns or a dictionary's keys; repeats made unique.",
      forms: [".Q.id x"],
      example: '.Q.id `$"a/b"  → `ab',
    },
  },
  {
    name: ".Q.dd",
    kind: "keyword",
    dyadic: (x, y) => {
      if (x.kind !== "atom" || x.type !== 11) return raise("type");
      const tail = y.kind === "atom" && y.type === 11 ? (y.v as string) : textArg(y);
      return sym(`${x.v as string}.${tail}`);
    },
    doc: {
      summary: "Join a symbol and a suffix with a dot.",
      forms: [".Q.dd[x;y]"],
      example: '.Q.dd[`AAPL]"O"  → `AAPL.O',
    },
  },
  {
    name: ".Q.x10",
    kind: "keyword",
    monadic: (x) => packLong(x, B64, 10),
    doc: {
      summary: "A long as 10 base-64 characters.",
      forms: [".Q.x10 x"],
      example: '.Q.x10 12345  → "AAAAAAADA5"',
    },
  },
  {
    name: ".Q.j10",
    kind: "keyword",
    monadic: (x) => unpackLong(x, B64),
    doc: { summary: "The long a .Q.x10 string encodes.", forms: [".Q.j10 s"], example: '.Q.j10 "AAAAAAADA5"  → 12345' },
  },
  {
    name: ".Q.x12",
    kind: "keyword",
    monadic: (x) => packLong(x, B36, 12),
    doc: {
      summary: "A long as 12 base-36 characters.",
      forms: [".Q.x12 x"],
      example: '.Q.x12 12345  → "0000000009IX"',
    },
  },
  {
    name: ".Q.j12",
    kind: "keyword",
    monadic: (x) => unpackLong(x, B36),
    doc: {
      summary: "The long a .Q.x12 string encodes.",
      forms: [".Q.j12 s"],
      example: '.Q.j12 "0000000009IX"  → 12345',
    },
  },
  {
    name: ".Q.btoa",
    kind: "keyword",
    monadic: (x) => str(Buffer.from(bytesArg(x)).toString("base64")),
    doc: {
      summary: "Base64 encoding of a string or bytes.",
      forms: [".Q.btoa x"],
      example: '.Q.btoa "hello"  → "aGVsbG8="',
    },
  },
  {
    name: ".Q.atob",
    kind: "keyword",
    monadic: (x) => bytes(new Uint8Array(Buffer.from(textArg(x), "base64"))),
    doc: {
      summary: "Bytes decoded from base64 text.",
      forms: [".Q.atob s"],
      example: '10h$.Q.atob "aGVsbG8="  → "hello"',
    },
  },
  {
    name: ".Q.gz",
    kind: "keyword",
    monadic: gz,
    doc: {
      summary: "Gzip a string at a level 0-9 (.Q.gz(level;x)), or unzip one (.Q.gz x).",
      forms: [".Q.gz(level;x)", ".Q.gz x"],
      example: '.Q.gz .Q.gz(9;"hello")  → "hello"',
    },
  },
  {
    name: ".Q.sha1",
    kind: "keyword",
    monadic: (x) => bytes(new Uint8Array(createHash("sha1").update(bytesArg(x)).digest())),
    doc: {
      summary: "SHA-1 digest of a string as 20 bytes.",
      forms: [".Q.sha1 x"],
      example: '.Q.sha1 "abc"  → 0xa9993e364706816aba3e25717850c26c9cd0d89d',
    },
  },
];
