/**
 * LLM conversion and repair for the editor: thin handlers over llm/convert.ts
 * and llm/batch.ts, the same code `qds convert` runs.
 *
 * A single problem is converted into a scratch folder, never into the problem
 * folder: `convertProblem` writes what it would keep (sol.q, new q tests)
 * there, and those files go back to the client as proposals that the user
 * accepts or rejects. A dataset batch writes in place, like the CLI, and is
 * resumable through the same run log.
 *
 * Keys come only from this process's environment (llm/settings.ts `KEY_ENV`),
 * where the client puts the keys from its secret storage when it starts the
 * server; no message on the connection carries one. A traced connection
 * prints every message, so whatever text could echo a key (a provider's error
 * message in a reason, progress or a failed request) is redacted first.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { type CancellationToken, CancellationTokenSource, type Connection } from "vscode-languageserver/node";
import { classifyTestFile, Q_SOLUTION_FILE } from "../dataset/format";
import { RunLog, runBatch, selectProblems } from "../llm/batch";
import { LlmClient } from "../llm/client";
import { type ConvertContext, convertProblem, engineRunner, type ProblemInput, readProblem } from "../llm/convert";
import { PromptLoader } from "../llm/prompts";
import type { ForwardComplete } from "../llm/providers/forward";
import { redact } from "../llm/redact";
import { createProvider, KEY_ENV, keyFromEnv, type LlmSettings, parseSettings } from "../llm/settings";
import * as protocol from "../protocol";
import { embeddedEngine } from "../verify/embedded";
import { externalEngine } from "../verify/engines";
import { pullSettings, qPathOf } from "./settings";

/** Per q run, as the explorer's verification uses. */
const LIMITS = { timeoutMs: 10_000, memoryMb: 1024 };
const BATCH_CONCURRENCY = 2;

interface EditorSettings {
  llm: LlmSettings;
  rounds: number;
  qPath: string;
}

/** Every API key in this process's environment, whichever provider is in use. */
function envKeys(): string[] {
  const names = new Set(Object.values(KEY_ENV).flat());
  return [...names].flatMap((n) => process.env[n] || []);
}

/** Runs a handler so that its error message, which the client may trace, names no key. */
async function redacting<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw new Error(redact(e instanceof Error ? e.message : String(e), envKeys()));
  }
}

/** Cancellation of an LSP request as the AbortSignal the headless modules take. */
function abortOn(token: CancellationToken): { signal: AbortSignal; dispose(): void } {
  const abort = new AbortController();
  const sub = token.onCancellationRequested(() => abort.abort());
  return { signal: abort.signal, dispose: () => sub.dispose() };
}

export function registerLlm(connection: Connection): void {
  const readSettings = async (): Promise<EditorSettings> => {
    const all = await pullSettings(connection);
    // An invalid value fell back to its default above; the CLI's parser still checks the whole set.
    const llm = parseSettings(all.llm);
    return { llm, rounds: llm.repairRounds, qPath: qPathOf(all) };
  };

  // The vscode-lm provider: each completion is a reverse request to the client, cancelled with the call.
  const forward: ForwardComplete = async (req) => {
    const source = new CancellationTokenSource();
    const onAbort = () => source.cancel();
    req.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      return await connection.sendRequest(
        protocol.lmComplete,
        { ...(req.system === undefined ? {} : { system: req.system }), messages: req.messages, model: req.model },
        source.token,
      );
    } finally {
      req.signal?.removeEventListener("abort", onAbort);
      source.dispose();
    }
  };

  const context = (s: EditorSettings, signal: AbortSignal, promptDirs: string[]) => ({
    client: new LlmClient({ settings: s.llm, provider: createProvider(s.llm, keyFromEnv(s.llm.provider), forward) }),
    prompts: new PromptLoader(promptDirs),
    runner: engineRunner(s.qPath === "" ? embeddedEngine() : externalEngine(s.qPath), LIMITS),
    maxRounds: s.rounds,
    signal,
  });

  connection.onRequest(protocol.convertProblem, (p, token) => redacting(() => proposeConversion(p, token)));
  connection.onRequest(protocol.convertDataset, (p, token) => redacting(() => convertDataset(p, token)));

  async function proposeConversion(
    p: protocol.ConvertProblemParams,
    token: CancellationToken,
  ): Promise<protocol.ConvertProblemResult> {
    const dir = resolve(p.dir);
    const name = basename(dir);
    const original = readProblem(dir, name);
    const input = forMode(original, p.mode);
    const s = await readSettings();
    const scratch = mkdtempSync(join(tmpdir(), "qds-proposal-"));
    const cancel = abortOn(token);
    try {
      const ctx: ConvertContext = {
        ...context(s, cancel.signal, [resolve(dir, "..")]),
        // A single proposal keeps no run log; its outcome is the answer.
        log: () => {},
      };
      const outcome = await convertProblem({ ...input, dir: scratch }, ctx);
      const proposals = readdirSync(scratch)
        .filter((f) => f === Q_SOLUTION_FILE || classifyTestFile(f)?.kind === "q")
        .sort()
        .map((file): protocol.FileProposal => {
          const path = join(dir, file);
          return {
            file,
            path,
            original: existsSync(path) ? readFileSync(path, "utf8") : null,
            proposed: readFileSync(join(scratch, file), "utf8"),
          };
        })
        .filter((f) => f.proposed !== f.original);
      return {
        name,
        status: outcome.status,
        rounds: outcome.rounds,
        calls: outcome.calls,
        ...(outcome.reason === undefined ? {} : { reason: redact(outcome.reason, envKeys()) }),
        proposals,
      };
    } finally {
      cancel.dispose();
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  async function convertDataset(
    p: protocol.ConvertDatasetParams,
    token: CancellationToken,
  ): Promise<protocol.ConvertDatasetResult> {
    const dataset = resolve(p.dataset);
    const s = await readSettings();
    const names = selectProblems(dataset, p.only === undefined ? {} : { only: p.only });
    // Same arguments, same run id, same log: a re-run skips what an earlier run finished.
    const runId = createHash("sha256")
      .update(JSON.stringify(["editor", dataset, p.only, s.llm.provider, s.llm.model, s.llm.baseUrl, s.rounds]))
      .digest("hex")
      .slice(0, 12);
    const keys = envKeys();
    const log = new RunLog(dataset, runId, keys);
    log.write({ event: "run_start", settings: s.llm, problems: names.length });
    const cancel = abortOn(token);
    const counts = { converted: 0, failing: 0, error: 0 };
    try {
      const summary = await runBatch({
        datasetDir: dataset,
        names,
        ctx: context(s, cancel.signal, [dataset]),
        log,
        concurrency: BATCH_CONCURRENCY,
        onProblem: (o, done, total) => {
          counts[o.status]++;
          void connection.sendNotification(protocol.convertProgress, {
            runId: p.runId,
            name: o.name,
            status: o.status,
            ...(o.reason === undefined ? {} : { reason: redact(o.reason, keys) }),
            done,
            total,
          });
        },
      });
      log.write({ event: "run_end" });
      return { ...counts, skipped: summary.skipped, cancelled: false, log: log.path };
    } catch (e) {
      if (!cancel.signal.aborted) throw e;
      log.write({ event: "run_cancelled" });
      return { ...counts, skipped: 0, cancelled: true, log: log.path };
    } finally {
      cancel.dispose();
    }
  }
}

/** The problem as the mode wants it converted; throws when the mode has nothing to work on. */
function forMode(p: ProblemInput, mode: protocol.ConvertMode): ProblemInput {
  switch (mode) {
    case "solution": {
      const { q: _existing, ...rest } = p;
      return rest;
    }
    case "tests": {
      const convertible = p.tests.filter((t) => t.python !== undefined);
      if (convertible.length === 0) throw new Error(`${p.dir}: no test_case_N.py to convert`);
      // With every q test present, "convert" means redo them all from the Python tests.
      const redoAll = convertible.every((t) => t.q !== undefined);
      return {
        ...p,
        tests: p.tests.map((t) => {
          if (t.python === undefined || (!redoAll && t.q !== undefined)) return t;
          const { q: _old, ...rest } = t;
          return rest;
        }),
      };
    }
    case "fix":
      if (p.q === undefined)
        throw new Error(`${join(p.dir, Q_SOLUTION_FILE)}: missing; convert the Python solution first`);
      return p;
  }
}
