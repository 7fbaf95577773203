/**
 * The verification cache: <dataset>/.qds/cache/verify.json.
 *
 * One record per problem folder. A record is trusted only when BOTH hold:
 * - `fingerprint` (sha256 over every file's name and bytes and the verdict
 *   context: engine build or external binary identity, judge version,
 *   limits, problem-format version; verify.ts) equals what the verifier
 *   recomputes, for `qds verify` deciding whether to skip a problem;
 * - `statSignature` (names, sizes and mtimes, taken BEFORE the files were
 *   read) equals the folder's current one, for the fast dataset loader, which
 *   cannot afford to hash every file. Taking the stat first means an edit made
 *   while verification ran always leaves a signature that no longer matches.
 * So any file change makes the record stale, and a stale record is reported
 * as "untested", never as the old pass.
 *
 * The editor (language server) and the CLI read and write the same file
 * through this module, with the same keys.
 *
 * The file is rewritten atomically (temp + rename) after each problem, so a
 * crash loses at most the problem in flight.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROBLEM_FORMAT_VERSION } from "../dataset/format";
import { writeFileAtomic } from "../dataset/fsx";
import { JUDGE_VERSION } from "./equivalence";

export type VerifiedStatus = "valid" | "failing" | "error";

export interface TestRecord {
  n: number;
  /** Absent in caches written before it was recorded. */
  kind?: "q" | "python";
  /** "pass" | "fail" (wrong answer) | "error" (q error, timeout, crash). */
  status: "pass" | "fail" | "error";
  reason?: string;
}

export interface CacheRecord {
  fingerprint: string;
  statSignature: string;
  engine: string;
  /** The judge's and the problem format's versions that gave this verdict (older ones read as no record). */
  judge: number;
  format: number;
  /** The Python interpreter's identity when the run checked the Python references; absent when it did not. */
  python?: string;
  status: VerifiedStatus;
  reason?: string;
  tests: TestRecord[];
  verifiedAt: string;
}

interface CacheFile {
  version: 1;
  problems: Record<string, CacheRecord>;
}

export const cachePath = (datasetDir: string): string => join(datasetDir, ".qds", "cache", "verify.json");

/**
 * Reads the cache; a missing or corrupt file is an empty cache (it is only an optimisation).
 * Records made by another judge or problem-format version are left out: the dataset loader,
 * which cannot recompute fingerprints, must not show their verdicts as current.
 */
export function readCache(datasetDir: string): Map<string, CacheRecord> {
  try {
    const parsed = JSON.parse(readFileSync(cachePath(datasetDir), "utf8")) as CacheFile;
    if (parsed.version !== 1 || typeof parsed.problems !== "object" || parsed.problems === null) return new Map();
    return new Map(
      Object.entries(parsed.problems).filter(
        ([, r]) => r.judge === JUDGE_VERSION && r.format === PROBLEM_FORMAT_VERSION,
      ),
    );
  } catch {
    return new Map();
  }
}

/**
 * Keeps the cache file current while a run goes on. Writes are coalesced (at
 * most one per `intervalMs`, so a 10,000-problem run does not rewrite a
 * growing file 10,000 times) and serialised (each rename waits for the
 * previous one). A crash loses at most the last interval's results, which
 * then simply run again.
 */
export class CacheWriter {
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly datasetDir: string,
    private readonly records: Map<string, CacheRecord>,
    private readonly intervalMs = 500,
  ) {}

  set(name: string, record: CacheRecord): void {
    this.records.set(name, record);
    this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
  }

  /** Writes the current records now; resolves when they are on disk. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const snapshot: CacheFile = { version: 1, problems: Object.fromEntries(this.records) };
    const text = `${JSON.stringify(snapshot)}\n`;
    this.chain = this.chain.then(() => writeFileAtomic(cachePath(this.datasetDir), text));
    return this.chain;
  }
}
