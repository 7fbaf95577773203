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
import { ENTRY_FILE, Q_SOLUTION_FILE, testNumbers } from "./format";
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
  files: Map<string, FileStat>;
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

/** Lists a problem folder's visible regular files with their stats. */
export function statProblemFiles(dir: string): Map<string, FileStat> {
  const files = new Map<string, FileStat>();
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (d.name.startsWith(".") || !d.isFile() || d.name === "__pycache__") continue;
    const s = statSync(join(dir, d.name));
    files.set(d.name, { size: s.size, mtimeMs: s.mtimeMs });
  }
  return files;
}

/** Sub-folders that are problems: every visible directory (entry.json absence is a validation error, not a skip). */
export function listProblemDirs(datasetDir: string): string[] {
  return readdirSync(datasetDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith(".") && d.name !== "__pycache__")
    .map((d) => d.name)
    .sort();
}

export function problemStatus(
  files: Map<string, FileStat>,
  record: CacheRecord | undefined,
  engine: string,
): ProblemStatus {
  if (!files.has(Q_SOLUTION_FILE)) return "no_q";
  if (record === undefined || record.engine !== engine || record.statSignature !== statSignature(files)) {
    return "untested";
  }
  return record.status;
}

/** Loads the index of `datasetDir`; `engine` is the engine identity the cache must match. */
export function loadDataset(datasetDir: string, engine: string): Dataset {
  const cache = readCache(datasetDir);
  const problems = listProblemDirs(datasetDir).map((name): Problem => {
    const dir = join(datasetDir, name);
    const files = statProblemFiles(dir);
    const record = cache.get(name);
    const status = problemStatus(files, record, engine);
    const p: Problem = { name, dir, files, tests: testNumbers(files.keys()), status };
    if (record !== undefined && status !== "untested" && status !== "no_q") p.verification = record;
    return p;
  });
  return { dir: datasetDir, problems };
}

export function readProblemFile(problem: Problem, file: string): string {
  return readFileSync(join(problem.dir, file), "utf8");
}

export function hasEntry(problem: Problem): boolean {
  return problem.files.has(ENTRY_FILE);
}
