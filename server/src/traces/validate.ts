/**
 * The strict check of rewritten rows (the seed's rules, plus a few it left
 * implicit): the last assistant message holds exactly one think block, which
 * parses into alternating steer/exec pairs with nothing but whitespace
 * outside them. Every violation is reported with the row id, the file line,
 * and the position in the last assistant message (offset, line, column); the
 * rows with none are written to the clean file.
 */
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../dataset/fsx";
import { type ChatRow, lastAssistantIndex, messagesOf, parseSections, type RuleCode, thinkBlocks } from "./think";

export interface Issue {
  rowId: string;
  /** 1-based line in the input file. */
  fileLine: number;
  rule: RuleCode | "bad-json" | "no-messages";
  message: string;
  /** Index of the message the position is in (-1 when there is none). */
  messageIndex: number;
  /** Character offset in that message's content, and its 1-based line and column. */
  offset: number;
  line: number;
  column: number;
}

function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function rowIdOf(row: ChatRow, fallback: string): string {
  return typeof row.id === "string" || typeof row.id === "number" ? String(row.id) : fallback;
}

/** Every violation in one row (empty: the row is clean). */
export function validateRow(row: ChatRow, rowId: string, fileLine: number): Issue[] {
  const at = (rule: Issue["rule"], message: string, messageIndex: number, content: string, offset: number): Issue => ({
    rowId,
    fileLine,
    rule,
    message,
    messageIndex,
    offset,
    ...lineCol(content, offset),
  });
  const messages = messagesOf(row);
  if (!messages) return [at("no-messages", "no `messages` list of {role, content} strings", -1, "", 0)];
  const i = lastAssistantIndex(messages);
  if (i < 0) return [at("no-assistant", "no assistant message", -1, "", 0)];
  const content = messages[i]!.content;
  const { blocks, unclosed, strayClose } = thinkBlocks(content);
  const issues: Issue[] = [];
  if (unclosed !== undefined) issues.push(at("think-count", "<think> is never closed", i, content, unclosed));
  if (strayClose !== undefined) issues.push(at("think-count", "</think> with no <think>", i, content, strayClose));
  if (blocks.length !== 1 && unclosed === undefined && strayClose === undefined) {
    const where = blocks[1]?.outerStart ?? 0;
    issues.push(at("think-count", `${blocks.length} think blocks (exactly one is required)`, i, content, where));
  }
  const block = blocks[0];
  if (block) {
    for (const v of parseSections(block.text).violations) {
      issues.push(at(v.rule, v.message, i, content, block.innerStart + v.offset));
    }
  }
  return issues;
}

export interface ValidationSummary {
  rows: number;
  clean: number;
  issues: Issue[];
  /** Issues per rule. */
  byRule: Record<string, number>;
}

/** Validates a JSONL file; writes the clean rows to `cleanPath` and the report to `reportPath`. */
export async function validateFile(inPath: string, cleanPath: string, reportPath: string): Promise<ValidationSummary> {
  const lines = (await readFile(inPath, "utf8")).split("\n");
  const issues: Issue[] = [];
  const clean: string[] = [];
  let rows = 0;
  for (let n = 0; n < lines.length; n++) {
    const text = lines[n]!.trim();
    if (!text) continue;
    rows++;
    let row: ChatRow;
    try {
      row = JSON.parse(text) as ChatRow;
    } catch (e) {
      issues.push({
        rowId: `line-${n + 1}`,
        fileLine: n + 1,
        rule: "bad-json",
        message: `not valid JSON (${(e as Error).message})`,
        messageIndex: -1,
        offset: 0,
        line: 1,
        column: 1,
      });
      continue;
    }
    const found = validateRow(row, rowIdOf(row, `line-${n + 1}`), n + 1);
    if (found.length === 0) clean.push(text);
    else issues.push(...found);
  }
  const byRule: Record<string, number> = {};
  for (const i of issues) byRule[i.rule] = (byRule[i.rule] ?? 0) + 1;
  await writeFileAtomic(cleanPath, clean.map((l) => `${l}\n`).join(""));
  const summary = { rows, clean: clean.length, issues, byRule };
  await writeFileAtomic(reportPath, `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

export function formatIssue(file: string, i: Issue): string {
  const where = i.messageIndex >= 0 ? ` message ${i.messageIndex} ${i.line}:${i.column}` : "";
  return `${file}:${i.fileLine}: row ${i.rowId}${where}: ${i.rule}: ${i.message}`;
}
