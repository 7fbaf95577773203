/**
 * The q lexer: source text to tokens, never throwing. Problems (unterminated
 * strings, stray characters) are returned as positioned `LexError`s next to the
 * tokens so the language server can show every one of them; the strict parser
 * raises the first.
 *
 * Line structure follows q scripts:
 * - a line that is only `/` opens a block comment closed by a line that is only `\`;
 * - a line that is only `\` outside a block comment ends the script;
 * - `/` at the start of a line, or after whitespace, comments out the rest of the line;
 * - a line starting with `\` and a letter is a system command (`sys` token);
 * - a line starting with whitespace continues the previous line; inside brackets
 *   a line break separates items like `;` (the parser drops redundant ones).
 */
import { ADVERBS, GLYPHS1, GLYPHS2, type Span, type Token, type TokenKind } from "./tokens";

export interface LexError extends Span {
  message: string;
}

export interface LexResult {
  tokens: Token[];
  errors: LexError[];
}

const isDigit = (c: string) => c >= "0" && c <= "9";
const isAlpha = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
const isAlnum = (c: string) => isAlpha(c) || isDigit(c);
const isSpace = (c: string) => c === " " || c === "\t" || c === "\r";
const symbolChar = (c: string) => isAlnum(c) || c === "_" || c === ".";

/** Encode a JS string (UTF-16) as UTF-8 bytes held in a latin-1 string. */
export function utf8Bytes(s: string): string {
  // ASCII fast path
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return Buffer.from(s, "utf8").toString("latin1");
}

/** Tokens that end a noun: a following `-digit` after no space is subtraction. */
function endsNoun(t: Token | undefined): boolean {
  if (t === undefined) return false;
  if (t.kind === "num" || t.kind === "str" || t.kind === "sym" || t.kind === "name") return true;
  return t.kind === "punct" && (t.text === ")" || t.text === "]" || t.text === "}");
}

export function lex(src: string): LexResult {
  const tokens: Token[] = [];
  const errors: LexError[] = [];
  const n = src.length;
  const brackets: string[] = [];
  let i = 0;
  let space = true; // whitespace (or line start) precedes the next token
  let lineStart = true;

  // Every token gets the same fields in the same order: one object shape keeps V8's
  // property access monomorphic (spreading differently shaped literals made the lexer
  // allocate ~700 bytes per source byte and spend most of its time in GC).
  const push = (kind: TokenKind, text: string, start: number, end: number, parts?: string[], value?: string) => {
    tokens.push({ kind, text, start, end, spaceBefore: space, parts, value });
    space = false;
    lineStart = false;
  };
  const lineEnd = (from: number) => {
    const e = src.indexOf("\n", from);
    return e < 0 ? n : e;
  };
  const lineText = (from: number) => src.slice(from, lineEnd(from)).replace(/[ \t\r]+$/, "");

  while (i < n) {
    if (lineStart) {
      const text = lineText(i);
      if (text === "/") {
        // Block comment: skip to a line that is only `\` (or the end).
        let j = lineEnd(i);
        while (j < n) {
          const next = j + 1;
          if (lineText(next) === "\\") {
            j = lineEnd(next);
            break;
          }
          j = lineEnd(next);
        }
        i = j;
        continue;
      }
      if (text === "\\") break; // ends the script
      if (src[i] === "/") {
        i = lineEnd(i);
        continue;
      }
      if (src[i] === "\\" && i + 1 < n && src[i + 1] !== "\n" && !isSpace(src[i + 1]!)) {
        const e = lineEnd(i);
        // A trailing ` / comment` is not part of the command (a slash then a space: `\l /a/b.q` keeps its path).
        const command = src
          .slice(i + 1, e)
          .replace(/\s+\/(\s.*)?$/, "")
          .trim();
        push("sys", src.slice(i, e), i, e, undefined, command);
        i = e;
        continue;
      }
    }
    const c = src[i]!;
    if (c === "\n") {
      // Does the next line continue this one? (indented and not blank)
      let j = i + 1;
      while (j < n && isSpace(src[j]!)) j++;
      const indented = j > i + 1;
      const blank = j >= n || src[j] === "\n";
      const inside = brackets.length > 0;
      if (!(indented && !blank && !inside)) {
        const last = tokens[tokens.length - 1];
        if (last !== undefined && last.kind !== "nl") push("nl", "\n", i, i + 1);
      }
      i++;
      space = true;
      lineStart = !indented || blank;
      if (indented && !blank) i = j;
      continue;
    }
    if (isSpace(c)) {
      i++;
      space = true;
      continue;
    }
    if (c === "/" && space) {
      i = lineEnd(i);
      continue;
    }
    const start = i;
    // Strings.
    if (c === '"') {
      let j = i + 1;
      let out = "";
      let closed = false;
      while (j < n) {
        const d = src[j]!;
        if (d === '"') {
          closed = true;
          j++;
          break;
        }
        if (d === "\\" && j + 1 < n) {
          const e = src[j + 1]!;
          if (e >= "0" && e <= "7") {
            const m = /^[0-7]{1,3}/.exec(src.slice(j + 1, j + 4))![0];
            out += String.fromCharCode(Number.parseInt(m, 8) & 255);
            j += 1 + m.length;
            continue;
          }
          const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"' };
          // q keeps an unknown escape as written (`"\\*"` in a like pattern).
          out += map[e] ?? `\\${e}`;
          j += 2;
          continue;
        }
        out += d;
        j++;
      }
      if (!closed) errors.push({ start, end: j, message: "unterminated string" });
      push("str", src.slice(start, j), start, j, undefined, utf8Bytes(out));
      i = j;
      continue;
    }
    // Symbols (adjacent ones form one vector token).
    if (c === "`") {
      const parts: string[] = [];
      let j = i;
      while (j < n && src[j] === "`") {
        let k = j + 1;
        if (src[k] === ":") {
          k++;
          while (k < n && (symbolChar(src[k]!) || src[k] === ":" || src[k] === "/")) k++;
        } else {
          while (k < n && symbolChar(src[k]!)) k++;
          // `a:b inside a symbol is only allowed after a leading colon (file handles).
        }
        parts.push(src.slice(j + 1, k));
        j = k;
      }
      push("sym", src.slice(start, j), start, j, parts);
      i = j;
      continue;
    }
    // `0:` `1:` `2:` used infix (`csv 0: t`, `fmt 1: bytes`) are verbs, not numbers.
    if (
      (c === "0" || c === "1" || c === "2") &&
      src[i + 1] === ":" &&
      (!/[0-9:]/.test(src[i + 2] ?? "") || src.startsWith("0x", i + 2)) &&
      endsNoun(tokens[tokens.length - 1])
    ) {
      push("op", `${c}:`, start, i + 2);
      i += 2;
      continue;
    }
    // Numbers, possibly negative, possibly a space-separated vector.
    const negOk = c === "-" && (space || !endsNoun(tokens[tokens.length - 1]));
    if (isDigit(c) || (c === "." && isDigit(src[i + 1] ?? "")) || (negOk && numberStart(src, i + 1))) {
      const parts: string[] = [];
      let j = i;
      for (;;) {
        const e = scanNumber(src, j);
        parts.push(src.slice(j, e));
        j = e;
        // Another element follows after spaces?
        let k = j;
        while (k < n && (src[k] === " " || src[k] === "\t")) k++;
        if (k === j || k >= n) break;
        if (numberStart(src, k) || (src[k] === "-" && numberStart(src, k + 1))) {
          j = k;
          continue;
        }
        break;
      }
      push("num", src.slice(start, j), start, j, parts);
      i = j;
      continue;
    }
    // Names.
    if (isAlpha(c) || (c === "." && isAlpha(src[i + 1] ?? ""))) {
      let j = i + 1;
      while (j < n && (isAlnum(src[j]!) || src[j] === "_" || (src[j] === "." && isAlpha(src[j + 1] ?? "")))) j++;
      push("name", src.slice(start, j), start, j);
      i = j;
      continue;
    }
    if (PUNCT.includes(c)) {
      if (c === "(" || c === "[" || c === "{") brackets.push(c);
      else if (c !== ";") brackets.pop();
      push("punct", c, start, i + 1);
      i++;
      continue;
    }
    // Iterators, written right after what they modify (or standalone: `'` signal).
    const adverb = startingAt(src, i, ADVERBS);
    if (adverb !== undefined) {
      push("adverb", adverb, start, i + adverb.length);
      i += adverb.length;
      continue;
    }
    const g2 = startingAt(src, i, GLYPHS2);
    if (g2 !== undefined) {
      push("op", g2, start, i + 2);
      i += 2;
      continue;
    }
    if (GLYPHS1.includes(c)) {
      push("op", c, start, i + 1);
      i++;
      continue;
    }
    errors.push({ start, end: i + 1, message: `unexpected character ${JSON.stringify(c)}` });
    i++;
  }
  tokens.push({ kind: "eof", text: "", start: n, end: n, spaceBefore: true, parts: undefined, value: undefined });
  return { tokens, errors };
}

const PUNCT = "()[]{};";

/** The first of `options` that `src` has at `i` (a plain loop: this runs for every glyph). */
function startingAt(src: string, i: number, options: readonly string[]): string | undefined {
  for (const o of options) if (src.startsWith(o, i)) return o;
  return undefined;
}

function numberStart(src: string, i: number): boolean {
  const c = src[i] ?? "";
  return isDigit(c) || (c === "." && isDigit(src[i + 1] ?? ""));
}

/**
 * End of one numeric or temporal literal starting at `i`: digits, letters
 * (type suffixes, `0x`, `0N`, `D`, `e`), `.` and `:` between digits, and a
 * sign after an exponent `e`.
 */
function scanNumber(src: string, i: number): number {
  const n = src.length;
  let j = i;
  if (src[j] === "-") j++;
  if (src.startsWith("0x", j)) {
    j += 2;
    while (j < n && /[0-9a-fA-F]/.test(src[j]!)) j++;
    return j;
  }
  while (j < n) {
    const c = src[j]!;
    if (isAlnum(c)) {
      if ((c === "e" || c === "E") && (src[j + 1] === "-" || src[j + 1] === "+") && isDigit(src[j + 2] ?? "")) {
        j += 2;
        continue;
      }
      j++;
      continue;
    }
    if (c === "." && !isAlpha(src[j + 1] ?? "")) {
      j++;
      continue;
    }
    if (c === ":" && isDigit(src[j + 1] ?? "")) {
      j++;
      continue;
    }
    break;
  }
  return j;
}
