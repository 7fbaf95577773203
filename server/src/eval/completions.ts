/**
 * Reading completions produced elsewhere. Two line formats are accepted:
 *   {"task_id": ..., "completion": "..."}                  samples numbered in file order per task
 *   {"task_id": ..., "sample": 3, "completion": "...", "model": "...", "finish_reason": "..."}
 *                                                          the bootstrap's remote generator
 * task_id may be a number or a string. A malformed line is reported as
 * `file:line: reason` and skipped; the rest are read.
 */
import { readFileSync } from "node:fs";
import type { Completion } from "./types";

export function readCompletions(file: string): { completions: Completion[]; bad: string[] } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const completions: Completion[] = [];
  const bad: string[] = [];
  const next = new Map<string, number>();
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch (e) {
      bad.push(`${file}:${i + 1}: not JSON (${(e as Error).message})`);
      return;
    }
    const id = row["task_id"];
    if ((typeof id !== "string" && typeof id !== "number") || typeof row["completion"] !== "string") {
      bad.push(`${file}:${i + 1}: needs task_id (string or number) and completion (string)`);
      return;
    }
    const task = String(id);
    const given = row["sample"];
    if (given !== undefined && (typeof given !== "number" || !Number.isInteger(given) || given < 0)) {
      bad.push(`${file}:${i + 1}: sample must be a non-negative integer`);
      return;
    }
    const sample = given ?? next.get(task) ?? 0;
    next.set(task, Math.max(next.get(task) ?? 0, sample + 1));
    const c: Completion = { task_id: task, sample, completion: row["completion"] };
    if (typeof row["model"] === "string") c.model = row["model"];
    if (typeof row["finish_reason"] === "string") c.finish_reason = row["finish_reason"];
    completions.push(c);
  });
  return { completions, bad };
}

/** Reads JSONL records written by this module's callers, ignoring a torn last line (a kill mid-write). */
export function readJsonl<T>(file: string): T[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const out: T[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // Only the line being written when the process died can be torn; that sample runs again.
    }
  }
  return out;
}
