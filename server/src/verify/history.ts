/**
 * Verify-run history: `<dataset>/.qds/history.jsonl`, one line per
 * whole-dataset verify run (the CLI's and the editor's, both through
 * verify.ts), read by the dataset overview to chart the pass rate over time.
 *
 * Runs limited to some of the problems, or cancelled, are not recorded: their
 * counts would not describe the dataset. (The editor names every problem when
 * it verifies a whole dataset, so "whole" means every problem folder is in.) Lines are appended (one short write each,
 * so a crash can at worst cut the last line); the reader skips a line it
 * cannot parse and says which, rather than losing the rest of the history.
 */
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { listProblemDirs } from "../dataset/load";
import type { VerifiedProblemStatus, VerifyHistoryEntry } from "../protocol";

/** Relative to the dataset folder (forward slashes: also a glob for file watchers). */
export const HISTORY_FILE = ".qds/history.jsonl";

/** The entry for a finished run over every problem: statuses as the run left them. */
export function historyEntry(
  statuses: readonly VerifiedProblemStatus[],
  engine: string,
  time = new Date(),
): VerifyHistoryEntry {
  const counts: Record<VerifiedProblemStatus, number> = { valid: 0, failing: 0, error: 0, untested: 0, no_q: 0 };
  for (const s of statuses) counts[s]++;
  const withQ = statuses.length - counts.no_q;
  return { time: time.toISOString(), engine, counts, passRate: withQ === 0 ? null : counts.valid / withQ };
}

/**
 * Appends the run to the history when it covered the whole dataset and was
 * not cancelled. Never throws: a dataset folder we cannot write to still verifies.
 */
export async function recordRun(
  datasetDir: string,
  statuses: readonly VerifiedProblemStatus[],
  run: { engine: { id: string }; only?: ReadonlySet<string>; signal?: AbortSignal },
): Promise<void> {
  if (run.signal?.aborted) return;
  const only = run.only;
  if (only !== undefined && !listProblemDirs(datasetDir).every((name) => only.has(name))) return;
  await appendHistory(datasetDir, historyEntry(statuses, run.engine.id)).catch(() => {});
}

export async function appendHistory(datasetDir: string, entry: VerifyHistoryEntry): Promise<void> {
  const file = join(datasetDir, HISTORY_FILE);
  await mkdir(join(datasetDir, ".qds"), { recursive: true });
  await appendFile(file, `${JSON.stringify(entry)}\n`);
}

/** The recorded runs, oldest first; `skipped` names lines that could not be read (file:line). */
export async function readHistory(datasetDir: string): Promise<{ entries: VerifyHistoryEntry[]; skipped: string[] }> {
  const file = join(datasetDir, HISTORY_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return { entries: [], skipped: [] };
  }
  const entries: VerifyHistoryEntry[] = [];
  const skipped: string[] = [];
  text.split("\n").forEach((line, k) => {
    if (line.trim() === "") return;
    try {
      const e = JSON.parse(line) as VerifyHistoryEntry;
      if (typeof e.time !== "string" || typeof e.counts !== "object" || e.counts === null)
        throw new Error("not an entry");
      entries.push(e);
    } catch {
      skipped.push(`${file}:${k + 1}`);
    }
  });
  return { entries, skipped };
}
