/**
 * Text-level helpers for editor features that must work on code that does not
 * parse yet (the line being typed): the word at a position, the innermost open
 * bracket call, the lambda whose brace is still open. They scan characters and
 * skip strings and comments on the current line only, which is what a cursor
 * in the middle of an edit needs.
 */

const WORD = /[A-Za-z0-9_.]/;

/** The name-like word around `offset` (`.Q.n`, `til`), or undefined. */
export function wordAt(text: string, offset: number): { start: number; end: number; word: string } | undefined {
  let s = offset;
  while (s > 0 && WORD.test(text[s - 1]!)) s--;
  let e = offset;
  while (e < text.length && WORD.test(text[e]!)) e++;
  // A name starts with a letter or a dot followed by a letter.
  while (s < e && !/[A-Za-z.]/.test(text[s]!)) s++;
  if (s >= e) return undefined;
  const word = text.slice(s, e);
  if (!/^\.?[A-Za-z]/.test(word)) return undefined;
  return { start: s, end: e, word };
}

/** The name prefix typed just before `offset` (possibly empty). */
export function prefixAt(text: string, offset: number): { start: number; prefix: string } {
  let s = offset;
  while (s > 0 && WORD.test(text[s - 1]!)) s--;
  return { start: s, prefix: text.slice(s, offset) };
}

const OPEN: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

/**
 * Walks back from `offset` to the innermost unclosed `open` bracket; returns
 * its offset and the number of `;` seen at its depth (the argument index).
 */
export function openBracket(text: string, offset: number, open: "[" | "{"): { at: number; semis: number } | undefined {
  const stack: string[] = [];
  let semis = 0;
  let inString = false;
  for (let i = offset - 1; i >= 0; i--) {
    const c = text[i]!;
    if (c === '"' && text[i - 1] !== "\\") inString = !inString;
    if (inString) continue;
    if (c === ")" || c === "]" || c === "}") stack.push(OPEN[c]!);
    else if (c === "(" || c === "[" || c === "{") {
      if (stack.length > 0) {
        stack.pop();
        continue;
      }
      if (c === open) return { at: i, semis };
      if (open === "[") return undefined; // the call is not the innermost bracket
      semis = 0;
    } else if (c === ";" && stack.length === 0) semis++;
  }
  return undefined;
}

/** Parameters and locals of the lambda still open at `offset`, read from its text. */
export function openLambdaNames(text: string, offset: number): { params: string[]; locals: string[] } | undefined {
  const brace = openBracket(text, offset, "{");
  if (brace === undefined) return undefined;
  const body = text.slice(brace.at, offset);
  const m = /^\{\s*\[([^\]]*)\]/.exec(body);
  const params = m ? [...m[1]!.matchAll(/[A-Za-z][A-Za-z0-9_]*/g)].map((x) => x[0]) : ["x", "y", "z"];
  const locals = new Set<string>();
  for (const a of body.matchAll(/(?:^|[^A-Za-z0-9_.`])([A-Za-z][A-Za-z0-9_]*)\s*:(?!:)/g)) {
    if (!params.includes(a[1]!)) locals.add(a[1]!);
  }
  return { params, locals: [...locals] };
}

/** Comment lines directly above the line holding `offset`, without their `/`. */
export function commentAbove(text: string, offset: number): string[] {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const out: string[] = [];
  let end = lineStart - 1;
  while (end > 0) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    const line = text.slice(start, end).trimEnd();
    if (!line.startsWith("/") || line === "/") break;
    out.unshift(line.replace(/^\/\s?/, ""));
    end = start - 1;
  }
  return out;
}
