/**
 * Model evaluation for the editor: a thin handler over server/src/eval, the
 * code `qds eval` runs. The provider comes from the editor's `qds.llm.*`
 * settings and the key from this process's environment (put there by the
 * client from its secret storage), as for conversion; errors are redacted
 * before they travel.
 */
import { join, resolve } from "node:path";
import type { Connection } from "vscode-languageserver/node";
import { evaluate } from "../eval";
import type { Source } from "../eval/types";
import { redact } from "../llm/redact";
import { KEY_ENV, keyFromEnv, parseSettings } from "../llm/settings";
import * as protocol from "../protocol";
import { externalEngine } from "../verify/engines";

const envKeys = (): string[] => [...new Set(Object.values(KEY_ENV).flat())].flatMap((n) => process.env[n] || []);

/** A folder name from a model name: letters, digits, dot, dash and underscore only. */
const slug = (s: string): string => s.replace(/[^\w.-]+/g, "_").slice(0, 80);

export function registerEval(connection: Connection): void {
  connection.onRequest(protocol.evalDataset, async (p, token): Promise<protocol.EvalDatasetResult> => {
    const all = ((await connection.workspace.getConfiguration("qds")) ?? {}) as {
      llm?: Record<string, unknown>;
      q?: { path?: string };
    };
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      let source: Source;
      let label: string;
      if (p.completions !== undefined) {
        source = { kind: "completions", file: resolve(p.completions) };
        label = "completions";
      } else {
        const settings = parseSettings(all.llm ?? {});
        const apiKey = keyFromEnv(settings.provider);
        source = { kind: "provider", settings, ...(apiKey === undefined ? {} : { apiKey }) };
        label = settings.model;
      }
      const outDir = resolve(p.outDir ?? join(p.dataset, ".qds", "eval", `${slug(label)}-n${p.n}`));
      const qPath = all.q?.path ?? "";
      const summary = await evaluate({
        datasetDir: p.dataset,
        source,
        n: p.n,
        k: p.k,
        outDir,
        signal: abort.signal,
        ...(qPath === "" ? {} : { engine: externalEngine(qPath) }),
        onProgress: (g) =>
          void connection.sendNotification(protocol.evalProgress, {
            runId: p.runId,
            done: g.done,
            total: g.total,
            passed: g.passed,
            ...(g.etaMs === undefined ? {} : { etaMs: g.etaMs }),
          }),
      });
      return {
        outDir,
        passAtK: summary.pass_at_k,
        problems: summary.problems,
        samples: summary.samples,
        incomplete: summary.incomplete.length,
        cancelled: abort.signal.aborted,
      };
    } catch (e) {
      throw new Error(redact(e instanceof Error ? e.message : String(e), envKeys()));
    } finally {
      sub.dispose();
    }
  });
}
