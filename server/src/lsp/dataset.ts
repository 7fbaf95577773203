/**
 * Server side of the editor's dataset features: the explorer, the Test
 * Explorer, CodeLens and the small q REPL. Every answer comes from the
 * headless modules (dataset/load.ts for folders and statuses, verify/verify.ts
 * for running tests — the function `qds verify` runs — and q/session.ts for
 * console display); this file only finds datasets, shapes results for the
 * wire and ties LSP cancellation to the verifier's AbortSignal.
 *
 * Dataset detection is bounded: it looks at most DETECT_DEPTH folders deep
 * and decides that a folder is a dataset from the first sub-folder holding
 * entry.json, so a 10,000-problem folder costs a listing, not 10,000 stats.
 *
 * The one module-level map here caches parsed entry.json files for the
 * server's lifetime; it is keyed by folder and checked against size and mtime.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { CancellationToken, Connection } from "vscode-languageserver/node";
import { ENTRY_FILE } from "../dataset/format";
import { loadDataset, loadProblem, type Problem, statFiles, statSignature } from "../dataset/load";
import { entrySchema } from "../dataset/schema";
import { validateProblem } from "../dataset/validate";
import * as protocol from "../protocol";
import { DEFAULT_LIMITS } from "../q/limits";
import { runQScript } from "../q/sandbox";
import { ENGINE_NAME, ENGINE_VERSION } from "../q/version";
import { readCache } from "../verify/cache";
import { embeddedEngine } from "../verify/embedded";
import { externalEngine, type QEngine, VERSION_SCRIPT } from "../verify/engines";
import { type ProblemResult, verifyDataset } from "../verify/verify";
import { pullSettings, qPathOf } from "./settings";

const DETECT_DEPTH = 3;
const SKIP_DIRS = new Set(["node_modules", "dist", "out"]);
/** Per-test limits: the CLI's defaults (limits.ts), so the two share cached verdicts. */
const TIMEOUT_MS = DEFAULT_LIMITS.timeoutMs;
const MEMORY_MB = DEFAULT_LIMITS.memoryMb;
/** The REPL runs in the server's thread, so it gets a cooperative deadline and an output cap. */
const EVAL_TIME_LIMIT_MS = 10_000;
const EVAL_MAX_OUTPUT = 1024 * 1024;
const EVAL_MEMORY_MB = 512;

const isDir = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith(".") && !SKIP_DIRS.has(d.name))
      .map((d) => join(dir, d.name));
  } catch {
    return [];
  }
}

/** A dataset is a folder with at least one sub-folder holding entry.json. */
export function isDataset(dir: string): boolean {
  return subdirs(dir).some((d) => existsSync(join(d, ENTRY_FILE)));
}

/** Datasets at or under `roots` (not inside another dataset), plus `configured` ones that exist; sorted, unique. */
export function findDatasets(roots: readonly string[], configured: readonly string[]): string[] {
  const found = new Set<string>();
  const walk = (dir: string, depth: number): void => {
    if (isDataset(dir)) {
      found.add(dir);
      return;
    }
    if (depth < DETECT_DEPTH) for (const d of subdirs(dir)) walk(d, depth + 1);
  };
  for (const root of roots) walk(resolve(root), 0);
  for (const dir of configured) if (isDir(dir)) found.add(resolve(dir));
  return [...found].sort();
}

function countStatuses(problems: readonly Problem[]): Record<protocol.ProblemStatus, number> {
  const counts = protocol.zeroCounts();
  for (const p of problems) counts[invalidity(p) === undefined ? p.status : "invalid"]++;
  return counts;
}

/**
 * The first error `qds validate` reports for a problem folder (and how many
 * there are), or undefined when it has none; the same checks as the CLI, so
 * the explorer and `qds validate` agree. Remembered per folder while the
 * folder's file names, sizes and mtimes stay the same.
 */
const validations = new Map<string, { signature: string; invalid: string | undefined }>();

function invalidity(p: Problem): string | undefined {
  // The loader already listed the folder (p.files): stat those, no second listing.
  const signature = statSignature(statFiles(p.dir, p.files));
  const known = validations.get(p.dir);
  if (known?.signature === signature) return known.invalid;
  const errors = validateProblem(dirname(p.dir), p.name).filter((f) => f.severity === "error");
  const first = errors[0];
  const invalid =
    first === undefined
      ? undefined
      : `${relative(p.dir, first.path) || "."}:${first.line}: ${first.message}` +
        (errors.length > 1 ? ` (and ${errors.length - 1} more: run qds validate)` : "");
  validations.set(p.dir, { signature, invalid });
  return invalid;
}

type EntryView = { title: string; difficulty?: string; tags: string[] };

/**
 * entry.json views by problem dir, reused while the file's size and mtime
 * stay the same: listing a large dataset again then costs a stat per problem
 * instead of a read and a schema parse.
 */
const entries = new Map<string, { size: number; mtimeMs: number; view: EntryView }>();

function readEntry(dir: string, name: string): EntryView {
  const s = statSync(join(dir, ENTRY_FILE), { throwIfNoEntry: false });
  if (s === undefined) return { title: name, tags: [] };
  const known = entries.get(dir);
  if (known !== undefined && known.size === s.size && known.mtimeMs === s.mtimeMs) return known.view;
  const view = parseEntry(dir, name);
  entries.set(dir, { size: s.size, mtimeMs: s.mtimeMs, view });
  return view;
}

/** Title, difficulty and tags from entry.json; a malformed entry leaves the folder name (the validator reports it). */
function parseEntry(dir: string, name: string): EntryView {
  try {
    const parsed = entrySchema.safeParse(JSON.parse(readFileSync(join(dir, ENTRY_FILE), "utf8")));
    if (!parsed.success) return { title: name, tags: [] };
    const e = parsed.data;
    const out: EntryView = { title: e.title || name, tags: e.tags ?? [] };
    if (e.difficulty !== undefined) out.difficulty = e.difficulty;
    return out;
  } catch {
    return { title: name, tags: [] };
  }
}

export function problemInfo(p: Problem): protocol.ProblemInfo {
  const recorded = new Map((p.verification?.tests ?? []).map((t) => [t.n, t]));
  const tests = p.tests.map((n): protocol.TestState => {
    const t = recorded.get(n);
    if (t === undefined) return { n, status: "unknown" };
    return t.reason === undefined ? { n, status: t.status } : { n, status: t.status, reason: t.reason };
  });
  const invalid = invalidity(p);
  const info: protocol.ProblemInfo = {
    name: p.name,
    dir: p.dir,
    ...readEntry(p.dir, p.name),
    status: invalid === undefined ? p.status : "invalid",
    files: p.files,
    tests,
  };
  const reason = invalid ?? p.verification?.reason;
  if (reason !== undefined) info.reason = reason;
  return info;
}

function wireResult(r: ProblemResult): protocol.ProblemRunResult {
  const out: protocol.ProblemRunResult = {
    name: r.name,
    status: r.status,
    tests: r.tests.map((t) => ({ ...t })),
    cached: r.cached,
    ms: r.ms,
  };
  if (r.reason !== undefined) out.reason = r.reason;
  return out;
}

/**
 * Evaluates `text` statement by statement in a fresh session, as if typed at
 * the q console. The code may be generated and is untrusted: it runs in the
 * engine's worker sandbox with the time, memory and output limits.
 */
export async function evaluateText(text: string): Promise<protocol.EvaluateResult> {
  const r = await runQScript(text, {
    timeoutMs: EVAL_TIME_LIMIT_MS,
    memoryMb: EVAL_MEMORY_MB,
    maxOutputBytes: EVAL_MAX_OUTPUT,
    console: true,
  });
  const result: protocol.EvaluateResult = { output: r.stdout };
  if (r.error !== undefined) result.error = r.error.name;
  return result;
}

/** An external q's own version text, or the reason it could not be read. */
async function externalVersion(engine: QEngine): Promise<string> {
  const r = await engine.run(VERSION_SCRIPT, { timeoutMs: 5000, memoryMb: 256 });
  const text = r.stdout.trim();
  if (r.exitCode === 0 && text !== "") return text;
  return r.error ?? `no version (exit code ${r.exitCode})`;
}

export function registerDataset(connection: Connection): void {
  /** `qds.q.path` as the client has it now; empty means the embedded engine. */
  const qPath = async (): Promise<string> => {
    return qPathOf(await pullSettings(connection));
  };
  const engine = async (): Promise<QEngine> => {
    const path = await qPath();
    return path === "" ? embeddedEngine() : externalEngine(path);
  };

  connection.onRequest(protocol.datasets, (p) =>
    findDatasets(p.roots, p.configured).map((dir) => ({
      dir,
      name: basename(dir),
      counts: countStatuses(loadDataset(dir).problems),
    })),
  );

  connection.onRequest(protocol.problems, (p) => loadDataset(p.dataset).problems.map(problemInfo));

  connection.onRequest(protocol.problem, (p) => {
    if (!isDir(join(p.dataset, p.name))) return null;
    return problemInfo(loadProblem(p.dataset, p.name, readCache(p.dataset)));
  });

  connection.onRequest(protocol.runTests, async (p, token: CancellationToken) => {
    const abort = new AbortController();
    const listener = token.onCancellationRequested(() => abort.abort());
    try {
      const q = await engine();
      const opts = {
        engine: q,
        jobs: Math.max(1, availableParallelism() - 1),
        timeoutMs: TIMEOUT_MS,
        memoryMb: MEMORY_MB,
        force: p.force,
        // The editor verifies the q solution; Python references are checked by `qds verify`.
        python: false,
        signal: abort.signal,
        onProblem: (r: ProblemResult, done: number, total: number) =>
          void connection.sendNotification(protocol.testProgress, {
            runId: p.runId,
            dataset: p.dataset,
            result: wireResult(r),
            done,
            total,
          }),
        ...(p.problems === undefined ? {} : { only: new Set(p.problems) }),
      };
      const summary = await verifyDataset(p.dataset, opts);
      return {
        engine: q.id,
        problems: summary.problems.map(wireResult),
        cancelled: abort.signal.aborted,
        elapsedMs: summary.elapsedMs,
      };
    } finally {
      listener.dispose();
    }
  });

  connection.onRequest(protocol.evaluate, (p) => evaluateText(p.text));

  connection.onRequest(protocol.runtimeInfo, async (): Promise<protocol.RuntimeInfoResult> => {
    const path = await qPath();
    if (path === "") return { kind: "embedded", name: ENGINE_NAME, version: ENGINE_VERSION };
    return { kind: "external", name: path, version: await externalVersion(externalEngine(path)) };
  });
}
