/**
 * Error tolerance for the outline. The parser drops a statement it cannot
 * parse, so `f:{[x] (x+1}` vanished from the outline while being typed,
 * exactly when a user looks for it. Error-tolerant language servers keep
 * such definitions: this adds, for each top-level `name:{` line the outline
 * lacks, a function symbol spanning its statement (q continues a statement
 * on indented lines, so it ends before the next line starting in column 0).
 */
import type { OutlineSymbol } from "../q/analysis/outline";

const DEFINITION = /^([.A-Za-z][A-Za-z0-9_.]*)[ \t]*::?[ \t]*\{/;

/** Every name the outline already has, namespaced children with their full name. */
function known(symbols: readonly OutlineSymbol[]): Set<string> {
  const names = new Set<string>();
  for (const s of symbols) {
    names.add(s.name);
    if (s.kind === "namespace") for (const c of s.children) names.add(`${s.name}.${c.name}`);
  }
  return names;
}

export function keepBrokenDefinitions(text: string, symbols: OutlineSymbol[]): OutlineSymbol[] {
  const have = known(symbols);
  const lines = text.split("\n");
  const starts: number[] = [];
  for (let i = 0, at = 0; i < lines.length; at += lines[i]!.length + 1, i++) starts.push(at);
  const added: OutlineSymbol[] = [];
  lines.forEach((line, i) => {
    const m = DEFINITION.exec(line);
    if (m === null || have.has(m[1]!)) return;
    let last = i;
    while (last + 1 < lines.length && /^[ \t]/.test(lines[last + 1]!)) last++;
    const start = starts[i]!;
    const end = starts[last]! + lines[last]!.replace(/\r$/, "").length;
    added.push({
      name: m[1]!,
      kind: "function",
      span: { start, end },
      selection: { start, end: start + m[1]!.length },
      children: [],
    });
  });
  return added.length === 0 ? symbols : [...symbols, ...added].sort((a, b) => a.span.start - b.span.start);
}
