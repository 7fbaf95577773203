/**
 * Loading a dataset: a folder whose sub-folders are problem folders.
 *
 * Loading must stay fast for tens of thousands of problems, so it reads only
 * directory listings and file stats (plus the one verification cache file);
 * file contents are read lazily through `readProblemFile`. Each problem gets
 * a status from the cache (see verify/cache.ts for why a stat signature is
 * enough to detect staleness there).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type CacheRecord, readCache } from "../verify/cache";
import { Q_SOLUTION_FILE, testNumbers } from "./format";
import { sha256 } from "./fsx";

/** no_q: no sol.q yet; untested: no fresh verification; valid/failing/error: last verification. */
export type ProblemStatus = "no_q" | "untested" | "valid" | "failing" | "error";

export interface FileStat {
  size: number;
  mtimeMs: number;
}

export interface Problem {
  name: string;
  dir: string;
  /** Visible file names, sorted. */
  files: string[];
  tests: number[];
  status: ProblemStatus;
  /** The cache record behind `status`, when fresh. */
  verification?: CacheRecord;
}

export interface Dataset {
  dir: string;
  problems: Problem[];
}

/** Names, sizes and mtimes of the folder's visible files, hashed; cheap to recompute. */
export function statSignature(files: Map<string, FileStat>): string {
  const rows = [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256(rows.map(([name, s]) => `${name}\t${s.size}\t${s.mtimeMs}`).join("\n"));
}

const visible = (name: string): boolean => !name.startsWith(".") && name !== "__pycache__";

/**
 * A problem folder's visible entry names, sorted. Plain names (no file types)
 * keep this cheap; a stray sub-folder is harmless here, and `statFiles` drops it.
 */
export function listProblemFiles(dir: string): string[] {
  return readdirSync(dir).filter(visible).sort();
}

/** Stats of the given files of a problem folder. */
export function statFiles(dir: string, names: readonly string[]): Map<string, FileStat> {
  const files = new Map<string, FileStat>();
  for (const name of names) {
    const s = statSync(join(dir, name), { throwIfNoEntry: false });
    if (s?.isFile()) files.set(name, { size: s.size, mtimeMs: s.mtimeMs });
  }
  return files;
}

/** Lists a problem folder's visible regular files with their stats. */
export const statProblemFiles = (dir: string): Map<string, FileStat> => statFiles(dir, listProblemFiles(dir));

/** Sub-folders that are problems: every visible directory (entry.json absence is a validation error, not a skip). */
export function listProblemDirs(datasetDir: string): string[] {
  return readdirSync(datasetDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && visible(d.name))
    .map((d) => d.name)
    .sort();
}

/**
 * Loads the index of `datasetDir`. With `engine`, only verifications by that
 * engine count; without, the latest verification counts whichever engine ran
 * it. Files are stat'ed only for problems that have a cache record to check.
 */
export function loadDataset(datasetDir: string, engine?: string): Dataset {
  const cache = readCache(datasetDir);
  const problems = listProblemDirs(datasetDir).map((name) => loadProblem(datasetDir, name, cache, engine));
  return { dir: datasetDir, problems };
}

/** One problem folder with its status from `cache` (the editor reloads a single edited problem this way). */
export function loadProblem(
  datasetDir: string,
  name: string,
  cache: ReadonlyMap<string, CacheRecord>,
  engine?: string,
): Problem {
  const dir = join(datasetDir, name);
  const files = listProblemFiles(dir);
  const p: Problem = { name, dir, files, tests: testNumbers(files), status: "untested" };
  const record = cache.get(name);
  if (!files.includes(Q_SOLUTION_FILE)) p.status = "no_q";
  else if (record !== undefined && (engine === undefined || record.engine === engine)) {
    if (record.statSignature === statSignature(statFiles(dir, files))) {
      p.status = record.status;
      p.verification = record;
    }
  }
  return p;
}

export function readProblemFile(problem: Problem, file: string): string {
  return readFileSync(join(problem.dir, file), "utf8");
}
