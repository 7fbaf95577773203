/**
 * The dataset overview's numbers from the problems the language server
 * loaded and the recorded verify runs. Pure, no `vscode`: unit tests check it.
 */
import {
  type DatasetOverview,
  type ProblemInfo,
  type VerifyHistoryEntry,
  zeroCounts,
} from "../../../server/src/protocol";

const NONE = "(none)";

/** Most frequent first, ties by name. */
function ranked(counts: Map<string, number>): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function overviewOf(
  dataset: { dir: string; name: string },
  problems: readonly ProblemInfo[],
  history: readonly VerifyHistoryEntry[],
): DatasetOverview {
  const byStatus = zeroCounts();
  const difficulty = new Map<string, number>();
  const tags = new Map<string, number>();
  for (const p of problems) {
    byStatus[p.status]++;
    const d = p.difficulty?.trim() || NONE;
    difficulty.set(d, (difficulty.get(d) ?? 0) + 1);
    for (const t of p.tags.length === 0 ? [NONE] : new Set(p.tags)) tags.set(t, (tags.get(t) ?? 0) + 1);
  }
  return {
    dir: dataset.dir,
    name: dataset.name,
    total: problems.length,
    byStatus,
    byDifficulty: ranked(difficulty),
    byTag: ranked(tags),
    history: [...history],
  };
}
