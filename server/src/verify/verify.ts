/**
 * `qds verify`: every problem, every test, the q solution and (optionally)
 * the Python reference, each output compared with test_case_N_correct_ans.txt
 * by the equivalence checker.
 *
 * Problems run through a pool of `jobs` concurrent workers; each test runs in
 * a fresh engine session or process with its own wall-clock and memory limit,
 * so one runaway test costs at most its timeout. After each problem the cache
 * (cache.ts) is rewritten atomically; a problem whose fingerprint (file bytes
 * and the verdict context: engine build or external binary identity, judge
 * version, limits, problem-format version) matches its record is not re-run
 * unless `force`. The editor and the CLI share records: whether Python
 * references were checked is kept in the record rather than in the key, so a
 * record that checked them serves a run that does not ask for them.
 *
 * Status per problem: valid (every test passed), failing (a test gave a wrong
 * answer, a q error or a timeout), error (the problem cannot be verified as
 * it stands: missing files, no tests, a q test that does not call `solve`
 * exactly once), no_q (nothing to verify yet).
 */
import { isUtf8 } from "node:buffer";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  answerFile,
  ENTRY_FILE,
  PROBLEM_FORMAT_VERSION,
  PY_SOLUTION_FILE,
  pyTestFile,
  Q_SOLUTION_FILE,
  qTestFile,
  solveCalls,
  testNumbers,
} from "../dataset/format";
import { lineOfOffset, sha256 } from "../dataset/fsx";
import { listProblemDirs, statProblemFiles, statSignature } from "../dataset/load";
import { absTolerances } from "../dataset/schema";
import { checkEntry, firstInvalidUtf8 } from "../dataset/validate";
import { DEFAULT_LIMITS, limitsKey } from "../q/limits";
import { type CacheRecord, CacheWriter, readCache, type TestRecord, type VerifiedStatus } from "./cache";
import { composeScript, judgeQRun, type QEngine } from "./engines";
import { compareOutputs, JUDGE_VERSION } from "./equivalence";
import { recordRun } from "./history";
import { pythonIdentity, runPythonTest } from "./python";

export interface VerifyOptions {
  engine: QEngine;
  jobs: number;
  timeoutMs: number;
  memoryMb: number;
  force: boolean;
  python: boolean;
  /** Called after each problem (cached ones included), in completion order. */
  onProblem?: (result: ProblemResult, done: number, total: number) => void;
  /** Verify only these problem folders (the editor runs one problem or a selection). */
  only?: ReadonlySet<string>;
  /** Once aborted, problems not yet started are skipped (left out of the summary); running ones finish. */
  signal?: AbortSignal;
}

export interface TestResult {
  n: number;
  kind: "q" | "python";
  status: "pass" | "fail" | "error";
  expected: string;
  actual?: string;
  reason?: string;
}

export interface ProblemResult {
  name: string;
  status: VerifiedStatus | "no_q";
  reason?: string;
  tests: TestResult[];
  /** For a cached problem: the per-test outcomes of the run that is being reused (not re-run, so not in `tests`). */
  recordedTests?: TestRecord[];
  cached: boolean;
  ms: number;
}

export interface VerifySummary {
  problems: ProblemResult[];
  elapsedMs: number;
}

/** Runs `worker` over `items` with at most `jobs` in flight; results keep input order. */
export async function pool<T, R>(items: T[], jobs: number, worker: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const k = next++;
      results[k] = await worker(items[k]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, lane));
  return results;
}

/**
 * Everything besides a problem's own files that decides its verdict, as one string: the engine
 * (build hash, or an external binary's identity), the judge's version, the limits and the
 * problem-format version. Any change to any of them is a different key, so a cache miss.
 */
export async function verdictContext(opts: Pick<VerifyOptions, "engine" | "timeoutMs" | "memoryMb">): Promise<string> {
  const engine =
    opts.engine.identity === undefined ? opts.engine.id : `${opts.engine.id}|${await opts.engine.identity()}`;
  const limits = limitsKey({ ...DEFAULT_LIMITS, timeoutMs: opts.timeoutMs, memoryMb: opts.memoryMb });
  return `engine=${engine}\njudge=${JUDGE_VERSION}\nlimits=${limits}\nformat=${PROBLEM_FORMAT_VERSION}`;
}

/** A problem's fingerprint: the verdict context and every file's name and content hash. */
export function problemFingerprint(context: string, files: ReadonlyMap<string, string>): string {
  const names = [...files.keys()].sort();
  return sha256(`${context}\n${names.map((f) => `${f}\0${sha256(files.get(f)!)}`).join("\n")}`);
}

export async function verifyDataset(datasetDir: string, opts: VerifyOptions): Promise<VerifySummary> {
  const started = Date.now();
  const context = await verdictContext(opts);
  // Python references: the interpreter is part of what decided a recorded Python verdict.
  const python = opts.python ? await pythonIdentity() : undefined;
  const records = readCache(datasetDir);
  const writer = new CacheWriter(datasetDir, records);
  const only = opts.only;
  const names = listProblemDirs(datasetDir).filter((n) => only === undefined || only.has(n));
  let done = 0;
  const problems = await pool(names, opts.jobs, async (name): Promise<ProblemResult | undefined> => {
    if (opts.signal?.aborted) return undefined;
    const t0 = Date.now();
    let result: ProblemResult;
    try {
      result = await verifyProblem(
        join(datasetDir, name),
        name,
        records.get(name),
        { ...opts, context, python },
        writer,
      );
    } catch (err) {
      // An unreadable folder is this problem's error; the run goes on.
      result = { name, status: "error", reason: (err as Error).message, tests: [], cached: false, ms: 0 };
    }
    result.ms = Date.now() - t0;
    opts.onProblem?.(result, ++done, names.length);
    return result;
  });
  await writer.flush();
  const finished = problems.filter((p) => p !== undefined);
  await recordRun(
    datasetDir,
    finished.map((p) => p.status),
    opts,
  );
  return { problems: finished, elapsedMs: Date.now() - started };
}

interface RunContext extends Omit<VerifyOptions, "python"> {
  context: string;
  /** The Python interpreter's identity when Python references are checked. */
  python: string | undefined;
}

/** A record serves this run when it was made with the same key and checked at least what the run asks. */
function serves(record: CacheRecord | undefined, fingerprint: string, opts: RunContext): record is CacheRecord {
  if (record === undefined || record.fingerprint !== fingerprint) return false;
  return opts.python === undefined || record.python === opts.python;
}

async function verifyProblem(
  dir: string,
  name: string,
  record: CacheRecord | undefined,
  opts: RunContext,
  writer: CacheWriter,
): Promise<ProblemResult> {
  // Stat BEFORE reading: an edit during the run then leaves a signature the loader will not trust.
  const files = statProblemFiles(dir);
  const signature = statSignature(files);
  if (!files.has(Q_SOLUTION_FILE)) return { name, status: "no_q", tests: [], cached: false, ms: 0 };
  const names = [...files.keys()].sort();
  const contents = new Map<string, string>();
  // Decoding replaces bad bytes silently, so a non-UTF-8 file would run as something it does not say.
  let undecodable: string | undefined;
  for (const f of names) {
    const bytes = await readFile(join(dir, f));
    if (undecodable === undefined && !isUtf8(bytes)) {
      const at = firstInvalidUtf8(bytes);
      undecodable = `${f}:${lineOfOffset(bytes.subarray(0, at).toString("latin1"), at)}: not valid UTF-8 (byte ${at})`;
    }
    contents.set(f, bytes.toString("utf8"));
  }
  const fingerprint = problemFingerprint(opts.context, contents);
  if (!opts.force && serves(record, fingerprint, opts)) {
    if (record.statSignature !== signature) writer.set(name, { ...record, statSignature: signature });
    const cached: ProblemResult = {
      name,
      status: record.status,
      tests: [],
      recordedTests: record.tests,
      cached: true,
      ms: 0,
    };
    if (record.reason !== undefined) cached.reason = record.reason;
    return cached;
  }

  // A problem whose files cannot be trusted is refused before any test runs, as `qds validate` would.
  const refusal = undecodable ?? entryError(contents.get(ENTRY_FILE));
  const { status, reason, tests } =
    refusal === undefined
      ? await runTests(dir, contents, opts)
      : { status: "error" as const, reason: refusal, tests: [] };
  const out: ProblemResult = { name, status, tests, cached: false, ms: 0 };
  if (reason !== undefined) out.reason = reason;
  const rec: CacheRecord = {
    fingerprint,
    statSignature: signature,
    engine: opts.engine.id,
    judge: JUDGE_VERSION,
    format: PROBLEM_FORMAT_VERSION,
    ...(opts.python === undefined ? {} : { python: opts.python }),
    status,
    tests: tests.map((t) => ({
      n: t.n,
      kind: t.kind,
      status: t.status,
      ...(t.reason === undefined ? {} : { reason: t.reason }),
    })),
    verifiedAt: new Date().toISOString(),
  };
  if (reason !== undefined) rec.reason = reason;
  writer.set(name, rec);
  return out;
}

/** The first entry.json finding (bad JSON, schema) as `entry.json:line: message`; absence is `qds validate`'s concern. */
function entryError(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let first: string | undefined;
  checkEntry(text, (line, message) => {
    first ??= `${ENTRY_FILE}:${line}: ${message}`;
  });
  return first;
}

async function runTests(
  dir: string,
  contents: Map<string, string>,
  opts: RunContext,
): Promise<{ status: VerifiedStatus; reason?: string; tests: TestResult[] }> {
  const numbers = testNumbers(contents.keys());
  if (numbers.length === 0) return { status: "error", reason: "no test cases", tests: [] };
  // Structural problems first: the original refused a problem whose tests were malformed.
  for (const n of numbers) {
    const q = contents.get(qTestFile(n));
    if (q === undefined) return { status: "error", reason: `${qTestFile(n)} is missing`, tests: [] };
    if (!contents.has(answerFile(n))) return { status: "error", reason: `${answerFile(n)} is missing`, tests: [] };
    const calls = solveCalls(q).length;
    if (calls !== 1)
      return { status: "error", reason: `invalid solve call count in ${qTestFile(n)}: ${calls}`, tests: [] };
  }
  const limits = { timeoutMs: opts.timeoutMs, memoryMb: opts.memoryMb };
  const solution = contents.get(Q_SOLUTION_FILE)!;
  const tolerance = tolerances(contents.get(ENTRY_FILE));
  const tests: TestResult[] = [];
  for (const n of numbers) {
    const expected = contents.get(answerFile(n))!.trim();
    const judged = judgeQRun(
      await opts.engine.run(composeScript(solution, contents.get(qTestFile(n))!), limits),
      opts.timeoutMs,
    );
    tests.push(check(n, "q", expected, judged, tolerance[n]));
    if (opts.python !== undefined && contents.has(pyTestFile(n)) && contents.has(PY_SOLUTION_FILE)) {
      tests.push(check(n, "python", expected, await runPythonTest(dir, pyTestFile(n), limits), tolerance[n]));
    }
  }
  const bad = tests.find((t) => t.status !== "pass");
  return bad === undefined
    ? { status: "valid", tests }
    : { status: "failing", reason: `test ${bad.n} (${bad.kind}): ${bad.reason}`, tests };
}

/** entry.json's `abs_tolerance` by test number (the entry was checked before any test ran, so it parses). */
const tolerances = (entryText: string | undefined): Readonly<Record<string, number>> =>
  entryText === undefined ? {} : absTolerances(JSON.parse(entryText));

function check(
  n: number,
  kind: "q" | "python",
  expected: string,
  run: { ok: true; output: string } | { ok: false; reason: string },
  absTolerance: number | undefined,
): TestResult {
  if (!run.ok) return { n, kind, status: "error", expected, reason: run.reason };
  const cmp = compareOutputs(expected, run.output, absTolerance);
  const t: TestResult = { n, kind, status: cmp.equal ? "pass" : "fail", expected, actual: run.output };
  // The reason is shown on one terminal line and kept in the cache; the full output stays in `actual`.
  if (!cmp.equal) t.reason = clip(cmp.reason ?? "outputs differ");
  return t;
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
