/**
 * Cutting q script text into top-level statements, the way q loads a script:
 * each unindented line starts a statement, indented lines continue it.
 */

/**
 * A script cut into top-level statements with their 1-based starting lines. A
 * statement continues on lines that start with whitespace; block comments
 * (`/` … `\`) are skipped and a lone `\` ends the script.
 */
export function scriptChunks(text: string): { text: string; line: number }[] {
  const lines = text.split("\n");
  const out: { text: string; line: number }[] = [];
  let cur: string[] = [];
  let curLine = 0;
  let inBlock = false;
  const flush = () => {
    if (cur.length > 0) out.push({ text: cur.join("\n"), line: curLine });
    cur = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, "");
    const trimmed = line.trimEnd();
    if (inBlock) {
      if (trimmed === "\\") inBlock = false;
      continue;
    }
    if (trimmed === "/") {
      flush();
      inBlock = true;
      continue;
    }
    if (trimmed === "\\") break;
    if (line.startsWith("/")) continue; // a comment line, even inside a multi-line statement
    const continues = /^[ \t]/.test(line) && trimmed !== "";
    if (!continues) flush();
    if (trimmed === "") continue;
    if (cur.length === 0) curLine = i + 1;
    cur.push(line);
  }
  flush();
  return out;
}
