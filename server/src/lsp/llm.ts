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
 * Keys arrive with each request from the client's secret storage. They live
 * only in the request's LlmClient and in the run log's redaction list.
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
import { createProvider, type LlmSettings, parseSettings } from "../llm/settings";
import * as protocol from "../protocol";
import { embeddedEngine } from "../verify/embedded";
import { externalEngine } from "../verify/engines";

/** Per q run, as the explorer's verification uses. */
const LIMITS = { timeoutMs: 10_000, memoryMb: 1024 };
const BATCH_CONCURRENCY = 2;

interface EditorSettings {
  llm: LlmSettings;
  rounds: number;
  qPath: string;
}

/** Cancellation of an LSP request as the AbortSignal the headless modules take. */
function abortOn(token: CancellationToken): { signal: AbortSignal; dispose(): void } {
  const abort = new AbortController();
  const sub = token.onCancellationRequested(() => abort.abort());
  return { signal: abort.signal, dispose: () => sub.dispose() };
}

export function registerLlm(connection: Connection): void {
  const readSettings = async (): Promise<EditorSettings> => {
    const all = ((await connection.workspace.getConfiguration("qds")) ?? {}) as {
      llm?: Record<string, unknown>;
      q?: { path?: string };
    };
    const llm = parseSettings(all.llm ?? {});
    return { llm, rounds: llm.repairRounds, qPath: all.q?.path ?? "" };
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

  const context = (s: EditorSettings, apiKey: string | undefined, signal: AbortSignal, promptDirs: string[]) => ({
    client: new LlmClient({ settings: s.llm, provider: createProvider(s.llm, apiKey, forward) }),
    prompts: new PromptLoader(promptDirs),
    runner: engineRunner(s.qPath === "" ? embeddedEngine() : externalEngine(s.qPath), LIMITS),
    maxRounds: s.rounds,
    signal,
  });

  connection.onRequest(protocol.convertProblem, async (p, token): Promise<protocol.ConvertProblemResult> => {
    const dir = resolve(p.dir);
    const name = basename(dir);
    const original = readProblem(dir, name);
    const input = forMode(original, p.mode);
    const s = await readSettings();
    const scratch = mkdtempSync(join(tmpdir(), "qds-proposal-"));
    const cancel = abortOn(token);
    try {
      const ctx: ConvertContext = {
        ...context(s, p.apiKey, cancel.signal, [resolve(dir, "..")]),
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
        ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
        proposals,
      };
    } finally {
      cancel.dispose();
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  connection.onRequest(protocol.convertDataset, async (p, token): Promise<protocol.ConvertDatasetResult> => {
    const dataset = resolve(p.dataset);
    const s = await readSettings();
    const names = selectProblems(dataset, p.only === undefined ? {} : { only: p.only });
    // Same arguments, same run id, same log: a re-run skips what an earlier run finished.
    const runId = createHash("sha256")
      .update(JSON.stringify(["editor", dataset, p.only, s.llm.provider, s.llm.model, s.llm.baseUrl, s.rounds]))
      .digest("hex")
      .slice(0, 12);
    const log = new RunLog(dataset, runId, p.apiKey === undefined ? [] : [p.apiKey]);
    log.write({ event: "run_start", settings: s.llm, problems: names.length });
    const cancel = abortOn(token);
    const counts = { converted: 0, failing: 0, error: 0 };
    try {
      const summary = await runBatch({
        datasetDir: dataset,
        names,
        ctx: context(s, p.apiKey, cancel.signal, [dataset]),
        log,
        concurrency: BATCH_CONCURRENCY,
        onProblem: (o, done, total) => {
          counts[o.status]++;
          void connection.sendNotification(protocol.convertProgress, {
            runId: p.runId,
            name: o.name,
            status: o.status,
            ...(o.reason === undefined ? {} : { reason: o.reason }),
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
  });
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
