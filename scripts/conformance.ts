/**
 * q conformance runner: replays the KX documentation transcripts in
 * ../shared/q-conformance/visible.jsonl against the embedded engine, as the
 * corpus README prescribes: a fresh session per case, `depends_on` cases run
 * first without comparison, `\l sp.q` loads fixtures/sp.q, console at \c 25 80,
 * and each step compared by its `check` mode (exact / error / prefix /
 * noerror; skip steps still run, except exit steps).
 *
 *   npm run conformance -- [--corpus FILE] [--json OUT] [--filter TEXT] [--update-baseline]
 *
 * Cases run in a worker thread watched by a timer, so one hanging case is
 * cut off (its steps "differ" with a timeout note) and the run goes on.
 * test/conformance/baseline.json lists the step ids that matched when it was
 * last updated: the ratchet test fails if one of them stops matching.
 * test/conformance/exceptions.json maps step ids to a reason where the
 * documentation itself is wrong; those steps are reported apart.
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

export type Verdict = "match" | "differ" | "skipped" | "exception";

export interface StepResult {
  id: string;
  page: string;
  check: Check;
  verdict: Verdict;
  actual: string;
  error?: string;
  note?: string;
}

const ROOT = resolve(__dirname, "..");
export const DEFAULT_CORPUS = resolve(ROOT, "../shared/q-conformance/visible.jsonl");
export const BASELINE = join(ROOT, "test/conformance/baseline.json");
export const EXCEPTIONS = join(ROOT, "test/conformance/exceptions.json");
const STEP_TIME_MS = 2000;
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

/** Runs one case (after its dependencies) in a fresh session; returns a result per step. */
export function runCase(
  c: Case,
  byId: Map<string, Case>,
  corpus: string,
  exceptions: Record<string, string>,
): StepResult[] {
  const session = new QSession({
    consoleRows: 25,
    consoleCols: 80,
    timeLimitMs: STEP_TIME_MS,
    maxOutputBytes: 64 * 1024,
    allowLoad: (p) => (p === "sp.q" ? spFixture(corpus) : undefined),
  });
  const run = (s: Step) => {
    if (s.flags.some((f) => NOT_RUN.has(f))) return undefined;
    try {
      return session.evalLine(s.in);
    } catch (e) {
      return { output: `internal error: ${(e as Error).message}`, error: "internal" };
    }
  };
  // Cases that assume the Suppliers & Parts tables get them loaded first.
  const flags = c.flags ?? [];
  if (flags.includes("may_need_sp_q") || c.steps.some((s) => s.flags.includes("needs_sp_q"))) {
    run({ in: "\\l sp.q", out: "", error: null, check: "skip", flags: [], prompt: "q)" });
  }
  for (const dep of c.depends_on ?? []) {
    const d = byId.get(dep);
    if (d) for (const s of d.steps) run(s);
  }
  return c.steps.map((s, i) => {
    const id = stepId(c.id, i);
    const r = run(s);
    const base = { id, page: c.page, check: s.check, actual: r?.output ?? "" };
    const withError = r?.error === undefined ? base : { ...base, error: r.error };
    if (s.check === "skip" || r === undefined) return { ...withError, verdict: "skipped" as const };
    if (compareStep(s, r.output, r.error)) return { ...withError, verdict: "match" as const };
    const reason = exceptions[id];
    return reason === undefined
      ? { ...withError, verdict: "differ" as const }
      : { ...withError, verdict: "exception" as const, note: reason };
  });
}

/** Runs cases in a watched worker; a case that hangs is reported and the worker restarted. */
export async function runAll(
  cases: Case[],
  all: Case[],
  corpus: string,
  exceptions: Record<string, string>,
): Promise<StepResult[]> {
  const results = new Map<string, StepResult[]>();
  let next = 0;
  while (next < cases.length) {
    const batch = cases.slice(next).map((c) => c.id);
    const done = await new Promise<number>((resolveBatch) => {
      // A Worker cannot start from a .ts file; load this file through tsx's require hook.
      const worker = new Worker(`require("tsx/cjs"); require(${JSON.stringify(__filename)});`, {
        eval: true,
        workerData: { ids: batch, corpus, exceptions },
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
          verdict: s.check === "skip" ? "skipped" : "differ",
          actual: "",
          note: "case timed out or crashed the worker",
        })),
      );
      next++;
    }
  }
  void all;
  return cases.flatMap((c) => results.get(c.id) ?? []);
}

function workerMain(): void {
  const { ids, corpus, exceptions } = workerData as {
    ids: string[];
    corpus: string;
    exceptions: Record<string, string>;
  };
  const all = loadCorpus(corpus);
  const byId = new Map(all.map((c) => [c.id, c]));
  for (const id of ids) {
    const c = byId.get(id)!;
    parentPort!.postMessage({ id, steps: runCase(c, byId, corpus, exceptions) });
  }
}

export function loadExceptions(): Record<string, string> {
  return JSON.parse(readFileSync(EXCEPTIONS, "utf8")) as Record<string, string>;
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

function tally(rs: StepResult[]) {
  const t = { match: 0, differ: 0, skipped: 0, exception: 0 };
  for (const r of rs) t[r.verdict]++;
  return t;
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
  const results = await runAll(cases, all, corpus, loadExceptions());
  const total = tally(results);
  const compared = total.match + total.differ;
  process.stdout.write(
    `${total.match} steps match, ${total.differ} differ (${compared ? ((100 * total.match) / compared).toFixed(1) : "0"}% of ${compared} compared); ${total.skipped} skipped, ${total.exception} exceptions\n`,
  );
  const group = (key: (r: StepResult) => string) => {
    const m = new Map<string, StepResult[]>();
    for (const r of results) {
      if (r.verdict === "skipped") continue;
      const k = key(r);
      m.set(k, [...(m.get(k) ?? []), r]);
    }
    return [...m.entries()].map(([k, rs]) => ({ k, ...tally(rs) }));
  };
  process.stdout.write("\nby check mode:\n");
  for (const g of group((r) => r.check))
    process.stdout.write(`  ${g.k.padEnd(8)} ${g.match} steps match, ${g.differ} differ\n`);
  process.stdout.write("\nby page (largest first):\n");
  for (const g of group((r) => r.page)
    .sort((a, b) => b.match + b.differ - (a.match + a.differ))
    .slice(0, 30)) {
    process.stdout.write(
      `  ${g.k.padEnd(44)} ${String(g.match).padStart(4)} steps match, ${String(g.differ).padStart(4)} differ\n`,
    );
  }
  if (jsonOut !== undefined)
    writeAtomic(jsonOut, `${JSON.stringify({ corpus, totals: total, steps: results }, null, 1)}\n`);
  if (update) {
    const ids = results.filter((r) => r.verdict === "match").map((r) => r.id);
    let kept: string[] = [];
    if (filter !== undefined) {
      const old = JSON.parse(readFileSync(BASELINE, "utf8")) as string[];
      const ran = new Set(results.map((r) => r.id));
      kept = old.filter((id) => !ran.has(id));
    }
    writeAtomic(BASELINE, `${JSON.stringify([...kept, ...ids].sort(), null, 1)}\n`);
    process.stdout.write(`\nbaseline: ${kept.length + ids.length} matching steps written to ${BASELINE}\n`);
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
