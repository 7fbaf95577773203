/**
 * q conformance runner: replays the KX documentation transcripts in
 * test/conformance/corpus/visible.jsonl (vendored, CC BY 4.0: see NOTICE.md
 * there) against the embedded engine, as the
 * corpus README prescribes: a fresh session per case, `depends_on` cases run
 * first without comparison, `\l sp.q` loads fixtures/sp.q, console at \c 25 80,
 * and each step compared by its `check` mode (exact / error / prefix /
 * noerror; skip steps still run, except exit steps).
 *
 *   npm run conformance -- [--corpus FILE] [--json OUT] [--filter TEXT] [--update-baseline]
 *
 * Cases run in a worker thread watched by a timer, so one hanging case is
 * cut off (its steps "differ" with a timeout note) and the run goes on.
 * Files beside the corpus, each a reviewed list:
 *   baseline.json      step ids that matched when it was last updated; the ratchet
 *                      test fails if one stops matching. --update-baseline only adds.
 *   removals.json      id -> reason for every id ever dropped from the baseline; the
 *                      ratchet test fails on a drop without an entry.
 *   exceptions.json    id -> reason where the documentation itself is wrong.
 *   out-of-scope.json  step id, case id or page -> reason where the expected output
 *                      needs what the sandbox refuses on purpose (files, sockets,
 *                      host identity). Reported apart, never counted as a miss.
 *   dependencies.json  case id -> {after, reason}: earlier cases of the same page whose
 *                      session state (a `\P 0`, say) the case's display shows but its
 *                      corpus `depends_on` does not name. They run first, like depends_on.
 * A step whose expected output has a line wider than the runner's 80 columns was
 * captured at a wider console; it runs at a width that fits that line, then back at 80.
 * Figures: "all steps" counts every compared step; "non-trivial" only those whose
 * expected output is not empty (an empty expectation matches any silent step).
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { Command, parseScriptArgs } from "../server/src/cli/args";
import { QSession } from "../server/src/q/session";

export type Check = "exact" | "error" | "prefix" | "noerror" | "skip";

export interface Step {
  in: string;
  out: string;
  error: string | null;
  check: Check;
  flags: string[];
  prompt: string;
}

export interface Case {
  id: string;
  page: string;
  flags?: string[];
  steps: Step[];
  depends_on?: string[];
}

export type Verdict = "match" | "differ" | "skipped" | "exception" | "out-of-scope";

export interface StepResult {
  id: string;
  page: string;
  check: Check;
  /** The expected output is not empty (error steps always have one). */
  nonTrivial: boolean;
  verdict: Verdict;
  actual: string;
  error?: string;
  note?: string;
}

const ROOT = resolve(__dirname, "..");
export const CONFORMANCE_DIR = join(ROOT, "test/conformance");
export const DEFAULT_CORPUS = join(CONFORMANCE_DIR, "corpus/visible.jsonl");
export const BASELINE = join(CONFORMANCE_DIR, "baseline.json");
export const EXCEPTIONS = join(CONFORMANCE_DIR, "exceptions.json");
export const REMOVALS = join(CONFORMANCE_DIR, "removals.json");
export const OUT_OF_SCOPE = join(CONFORMANCE_DIR, "out-of-scope.json");
export const DEPENDENCIES = join(CONFORMANCE_DIR, "dependencies.json");
const STEP_TIME_MS = 2000;
const CONSOLE_COLS = 80;
const CASE_WATCHDOG_MS = 15000;

export const stepId = (caseId: string, i: number): string => `${caseId}:${i}`;

export function loadCorpus(path: string): Case[] {
  const lines = readFileSync(path, "utf8").split("\n");
  const out: Case[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      out.push(JSON.parse(line) as Case);
    } catch (e) {
      throw new Error(`${path}:${i + 1}: bad JSON: ${(e as Error).message}`);
    }
  });
  return out;
}

/** Trailing whitespace per line dropped, leading/trailing blank lines dropped. */
export function normalise(text: string): string[] {
  const lines = text.split("\n").map((l) => l.trimEnd());
  while (lines.length > 0 && lines[0] === "") lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

const ELLIPSIS = /(\.\.\.?|…)$/;

/** Prefix check: `..` lines match any run of lines; a line ending in `..` matches by prefix. */
export function prefixMatch(expected: string[], actual: string[]): boolean {
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === expected.length) r = j === actual.length;
    else {
      const e = expected[i]!;
      if (/^\s*(\.\.\.?|…)$/.test(e)) {
        r = false;
        for (let k = j; k <= actual.length && !r; k++) r = go(i + 1, k);
      } else if (j === actual.length) r = false;
      else if (ELLIPSIS.test(e)) r = actual[j]!.startsWith(e.replace(ELLIPSIS, "")) && go(i + 1, j + 1);
      else r = e === actual[j] && go(i + 1, j + 1);
    }
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

export function compareStep(step: Step, actual: string, error: string | undefined): boolean {
  switch (step.check) {
    case "exact":
      return error === undefined && normalise(actual).join("\n") === normalise(step.out).join("\n");
    case "error":
      return error !== undefined && error === step.error;
    case "prefix":
      return error === undefined && prefixMatch(normalise(step.out), normalise(actual));
    case "noerror":
      return error === undefined;
    case "skip":
      return false;
  }
}

let spQ: string | undefined;
function spFixture(corpus: string): string {
  spQ ??= readFileSync(join(dirname(corpus), "fixtures/sp.q"), "utf8");
  return spQ;
}

const NOT_RUN = new Set(["exit", "after_exit", "debug", "debug_exit", "k_toggle"]);

/** The reviewed id -> reason lists beside the corpus. */
export interface Notes {
  exceptions: Record<string, string>;
  outOfScope: Record<string, string>;
  /** Case id -> the earlier cases whose state it shows without naming them (dependencies.json). */
  dependencies: Record<string, { after: string[]; reason: string }>;
}

/** The out-of-scope reason for a step, looked up by step id, then case id, then page. */
export function outOfScopeReason(notes: Notes, id: string, caseId: string, page: string): string | undefined {
  return notes.outOfScope[id] ?? notes.outOfScope[caseId] ?? notes.outOfScope[page];
}

/**
 * The cases c depends on, each once, a dependency's own dependencies before it: a case
 * uses names its dependencies define, and they may use names from theirs.
 */
export function dependencies(c: Case, byId: Map<string, Case>, extra: Notes["dependencies"] = {}): Case[] {
  const out: Case[] = [];
  const seen = new Set<string>([c.id]);
  const visit = (x: Case) => {
    for (const id of [...(extra[x.id]?.after ?? []), ...(x.depends_on ?? [])]) {
      const d = byId.get(id);
      if (d === undefined || seen.has(id)) continue;
      seen.add(id);
      visit(d);
      out.push(d);
    }
  };
  visit(c);
  return out;
}

/** Runs one case (after its dependencies) in a fresh session; returns a result per step. */
export function runCase(c: Case, byId: Map<string, Case>, corpus: string, notes: Notes): StepResult[] {
  const session = new QSession({
    consoleRows: 25,
    consoleCols: CONSOLE_COLS,
    timeLimitMs: STEP_TIME_MS,
    maxOutputBytes: 64 * 1024,
    allowLoad: (p) => (p === "sp.q" ? spFixture(corpus) : undefined),
  });
  const run = (s: Step) => {
    if (s.flags.some((f) => NOT_RUN.has(f))) return undefined;
    // A markdown escape (`` \`a\`b ``) is the page's typesetting, not q: run what the page means.
    const input = s.flags.includes("md_escape") ? s.in.replace(/\\`/g, "`") : s.in;
    try {
      return session.evalLine(input);
    } catch (e) {
      return { output: `internal error: ${(e as Error).message}`, error: "internal" };
    }
  };
  // Cases that assume the Suppliers & Parts tables get them loaded first.
  const flags = c.flags ?? [];
  if (flags.includes("may_need_sp_q") || c.steps.some((s) => s.flags.includes("needs_sp_q"))) {
    run({ in: "\\l sp.q", out: "", error: null, check: "skip", flags: [], prompt: "q)" });
  }
  for (const d of dependencies(c, byId, notes.dependencies)) for (const s of d.steps) run(s);
  const setWidth = (cols: number) => session.evalLine(`\\c 25 ${cols}`);
  return c.steps.map((s, i) => {
    const id = stepId(c.id, i);
    const widest = Math.max(...s.out.split("\n").map((l) => l.length));
    if (widest > CONSOLE_COLS) setWidth(widest + 2);
    const r = run(s);
    if (widest > CONSOLE_COLS) setWidth(CONSOLE_COLS);
    const base = { id, page: c.page, check: s.check, nonTrivial: s.out.trim() !== "", actual: r?.output ?? "" };
    const withError = r?.error === undefined ? base : { ...base, error: r.error };
    if (s.check === "skip" || r === undefined) return { ...withError, verdict: "skipped" as const };
    const outOfScope = outOfScopeReason(notes, id, c.id, c.page);
    if (outOfScope !== undefined) return { ...withError, verdict: "out-of-scope" as const, note: outOfScope };
    if (compareStep(s, r.output, r.error)) return { ...withError, verdict: "match" as const };
    const reason = notes.exceptions[id];
    return reason === undefined
      ? { ...withError, verdict: "differ" as const }
      : { ...withError, verdict: "exception" as const, note: reason };
  });
}

/** Runs cases in a watched worker; a case that hangs is reported and the worker restarted. */
export async function runAll(cases: Case[], corpus: string, notes: Notes): Promise<StepResult[]> {
  const results = new Map<string, StepResult[]>();
  let next = 0;
  while (next < cases.length) {
    const batch = cases.slice(next).map((c) => c.id);
    const done = await new Promise<number>((resolveBatch) => {
      // A Worker cannot start from a .ts file; load this file through tsx's require hook.
      const worker = new Worker(`require("tsx/cjs"); require(${JSON.stringify(__filename)});`, {
        eval: true,
        workerData: { ids: batch, corpus, notes },
        resourceLimits: { maxOldGenerationSizeMb: 2048, stackSizeMb: 16 },
      });
      let finished = 0;
      let timer = setTimeout(() => void worker.terminate(), CASE_WATCHDOG_MS);
      worker.on("message", (m: { id: string; steps: StepResult[] }) => {
        results.set(m.id, m.steps);
        if (results.size % 100 === 0) process.stderr.write(`conformance: ${results.size}/${cases.length} cases\n`);
        finished++;
        clearTimeout(timer);
        timer = setTimeout(() => void worker.terminate(), CASE_WATCHDOG_MS);
      });
      const end = () => {
        clearTimeout(timer);
        resolveBatch(finished);
      };
      worker.on("exit", end);
      worker.on("error", end);
    });
    next += done;
    if (next < cases.length && !results.has(cases[next]!.id)) {
      const c = cases[next]!;
      results.set(
        c.id,
        c.steps.map((s, i) => ({
          id: stepId(c.id, i),
          page: c.page,
          check: s.check,
          nonTrivial: s.out.trim() !== "",
          verdict: s.check === "skip" ? "skipped" : "differ",
          actual: "",
          note: "case timed out or crashed the worker",
        })),
      );
      next++;
    }
  }
  return cases.flatMap((c) => results.get(c.id) ?? []);
}

function workerMain(): void {
  const { ids, corpus, notes } = workerData as { ids: string[]; corpus: string; notes: Notes };
  const all = loadCorpus(corpus);
  const byId = new Map(all.map((c) => [c.id, c]));
  for (const id of ids) {
    const c = byId.get(id)!;
    parentPort!.postMessage({ id, steps: runCase(c, byId, corpus, notes) });
  }
}

function readReasons(path: string): Record<string, string> {
  const o = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  for (const [k, v] of Object.entries(o))
    if (typeof v !== "string" || v.trim() === "") throw new Error(`${path}: ${k} has no reason`);
  return o as Record<string, string>;
}

export const loadRemovals = (): Record<string, string> => readReasons(REMOVALS);
function readDependencies(path: string): Notes["dependencies"] {
  const o = JSON.parse(readFileSync(path, "utf8")) as Record<string, { after?: unknown; reason?: unknown }>;
  for (const [k, v] of Object.entries(o)) {
    if (typeof v.reason !== "string" || v.reason.trim() === "") throw new Error(`${path}: ${k} has no reason`);
    if (!Array.isArray(v.after) || v.after.some((a) => typeof a !== "string"))
      throw new Error(`${path}: ${k}.after must be a list of case ids`);
  }
  return o as Notes["dependencies"];
}

export const loadNotes = (): Notes => ({
  exceptions: readReasons(EXCEPTIONS),
  outOfScope: readReasons(OUT_OF_SCOPE),
  dependencies: readDependencies(DEPENDENCIES),
});
export const loadBaseline = (): string[] => JSON.parse(readFileSync(BASELINE, "utf8")) as string[];

export interface Figures {
  /** Compared steps (match + differ), all and those with a non-empty expected output. */
  all: { match: number; compared: number };
  nonTrivial: { match: number; compared: number };
  skipped: number;
  exceptions: number;
  outOfScope: number;
}

/** The headline figures: out-of-scope, exception and skipped steps are never in a denominator. */
export function figures(rs: StepResult[]): Figures {
  const f: Figures = {
    all: { match: 0, compared: 0 },
    nonTrivial: { match: 0, compared: 0 },
    skipped: 0,
    exceptions: 0,
    outOfScope: 0,
  };
  for (const r of rs) {
    if (r.verdict === "skipped") f.skipped++;
    else if (r.verdict === "exception") f.exceptions++;
    else if (r.verdict === "out-of-scope") f.outOfScope++;
    else {
      const hit = r.verdict === "match" ? 1 : 0;
      f.all.compared++;
      f.all.match += hit;
      if (r.nonTrivial) {
        f.nonTrivial.compared++;
        f.nonTrivial.match += hit;
      }
    }
  }
  return f;
}

const pct = (m: number, n: number): string => (n === 0 ? "0.0" : ((100 * m) / n).toFixed(1));

export function summaryLines(f: Figures): string[] {
  return [
    `non-trivial steps (expected output not empty): ${f.nonTrivial.match} of ${f.nonTrivial.compared} match (${pct(f.nonTrivial.match, f.nonTrivial.compared)}%)`,
    `all compared steps: ${f.all.match} of ${f.all.compared} match (${pct(f.all.match, f.all.compared)}%)`,
    `not counted: ${f.outOfScope} out of scope (sandbox refuses on purpose), ${f.exceptions} documentation errors, ${f.skipped} skipped by the corpus`,
  ];
}

/**
 * The new baseline: the old one plus every step that matches now. An id leaves only
 * when removals.json names it with a reason.
 */
export function nextBaseline(old: string[], matching: string[], removals: Record<string, string>): string[] {
  const ids = new Set([...old, ...matching]);
  for (const id of Object.keys(removals)) ids.delete(id);
  return [...ids].sort();
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

async function main(argv: string[]): Promise<number> {
  const { opts } = parseScriptArgs<{ corpus: string; json?: string; filter?: string; updateBaseline?: boolean }>(
    new Command("conformance")
      .description("Runs the q documentation transcripts through the embedded engine and reports matching steps.")
      .option("--corpus <file>", "the transcripts (JSONL)", DEFAULT_CORPUS)
      .option("--json <file>", "also write every step's verdict to this file")
      .option("--filter <text>", "only steps whose id contains this text")
      .option("--update-baseline", "rewrite the baseline with the steps that match now"),
    argv,
  );
  const corpus = resolve(opts.corpus);
  const jsonOut = opts.json === undefined ? undefined : resolve(opts.json);
  const filter = opts.filter;
  const update = opts.updateBaseline === true;
  const all = loadCorpus(corpus);
  const cases = filter === undefined ? all : all.filter((c) => c.id.includes(filter!));
  const results = await runAll(cases, corpus, loadNotes());
  for (const line of summaryLines(figures(results))) process.stdout.write(`${line}\n`);
  const byPage = new Map<string, StepResult[]>();
  for (const r of results) byPage.set(r.page, [...(byPage.get(r.page) ?? []), r]);
  const pages = [...byPage.entries()].map(([page, rs]) => ({ page, f: figures(rs) }));
  process.stdout.write("\nnon-trivial steps that differ, by page (largest first):\n");
  for (const { page, f } of pages
    .map((p) => ({ ...p, miss: p.f.nonTrivial.compared - p.f.nonTrivial.match }))
    .filter((p) => p.miss > 0)
    .sort((a, b) => b.miss - a.miss)
    .slice(0, 40)) {
    process.stdout.write(
      `  ${page.padEnd(44)} ${String(f.nonTrivial.compared - f.nonTrivial.match).padStart(4)} differ of ${String(f.nonTrivial.compared).padStart(4)}\n`,
    );
  }
  const outOfScope = results.filter((r) => r.verdict === "out-of-scope");
  if (outOfScope.length > 0) {
    process.stdout.write("\nout of scope (not counted):\n");
    for (const r of outOfScope) process.stdout.write(`  ${r.id}: ${r.note}\n`);
  }
  if (jsonOut !== undefined)
    writeAtomic(jsonOut, `${JSON.stringify({ corpus, figures: figures(results), steps: results }, null, 1)}\n`);
  const old = loadBaseline();
  const matching = new Set(results.filter((r) => r.verdict === "match").map((r) => r.id));
  const ran = new Set(results.map((r) => r.id));
  const regressed = old.filter((id) => ran.has(id) && !matching.has(id));
  if (regressed.length > 0)
    process.stdout.write(`\n${regressed.length} baseline steps no longer match:\n  ${regressed.join("\n  ")}\n`);
  if (update) {
    const next = nextBaseline(old, [...matching], loadRemovals());
    writeAtomic(BASELINE, `${JSON.stringify(next, null, 1)}\n`);
    process.stdout.write(
      `\nbaseline: ${next.length} steps (${next.length - old.length} added) written to ${BASELINE}\n`,
    );
  }
  return 0;
}

if (!isMainThread && (workerData as { ids?: unknown } | null)?.ids !== undefined) workerMain();
else if (isMainThread && process.argv[1] !== undefined && resolve(process.argv[1]) === __filename) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`conformance: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
