/**
 * Model evaluation in the editor: **Evaluate Model on Dataset…** (the server
 * runs `evaluate`, the code `qds eval` runs, under a cancellable progress
 * notification) and the **Evaluation Results** view: pass@k per k with its
 * interval in the header, then the problems with failed samples, each sample
 * opening its generated code beside the q test it failed.
 *
 * The view reads an eval output folder (summary.json, samples.jsonl) as
 * written; it holds no state beyond the folder shown.
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import * as vscode from "vscode";
import type { EvalSummary, SampleRecord } from "../../server/src/eval/types";
import * as protocol from "../../server/src/protocol";
import type { App as Ctx } from "./editor";
import type { Node } from "./explorer";
import { serveLanguageModel } from "./lm";

/** A command handler, as commands.ts registers it (declared here so this module does not import the table). */
type Cmd = (...args: unknown[]) => unknown;

export type EvalNode =
  | { kind: "header"; summary: EvalSummary }
  | { kind: "problem"; problem: string; samples: SampleRecord[]; n: number; c: number }
  | { kind: "sample"; record: SampleRecord };

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export class EvalResultsView implements vscode.TreeDataProvider<EvalNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<EvalNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<EvalNode>;
  outDir: string | undefined;
  summary: EvalSummary | undefined;
  private samples: SampleRecord[] = [];

  constructor() {
    this.view = vscode.window.createTreeView("qds.evalResults", { treeDataProvider: this });
  }

  /** Shows the results in `outDir`; throws naming the file when it is not an eval output folder. */
  load(outDir: string): void {
    const file = join(outDir, "summary.json");
    if (!existsSync(file)) throw new Error(`${file} not found: not an evaluation output folder`);
    this.summary = JSON.parse(readFileSync(file, "utf8")) as EvalSummary;
    const seen = new Set<string>();
    this.samples = [];
    const text = existsSync(join(outDir, "samples.jsonl")) ? readFileSync(join(outDir, "samples.jsonl"), "utf8") : "";
    for (const line of text.split("\n")) {
      try {
        const r = JSON.parse(line) as SampleRecord;
        const key = `${r.problem}\u0000${r.sample}`;
        if (!seen.has(key) && r.sample < this.summary.n) {
          seen.add(key);
          this.samples.push(r);
        }
      } catch {
        // blank or torn line
      }
    }
    this.outDir = outDir;
    this.view.title = `Evaluation: ${basename(outDir)}`;
    this.changed.fire(undefined);
  }

  /** The header line: pass@k for each k with its interval. */
  headline(): string {
    const s = this.summary;
    if (s === undefined) return "";
    return s.k
      .map((k) => {
        const e = s.pass_at_k[String(k)]!;
        return `pass@${k} ${pct(e.value)} [${pct(e.ci[0])}–${pct(e.ci[1])}]`;
      })
      .join(" · ");
  }

  getChildren(node?: EvalNode): EvalNode[] {
    const s = this.summary;
    if (s === undefined) return [];
    if (node === undefined) {
      const scored = new Set(s.per_problem.map((p) => p.problem));
      const failing = s.per_problem
        .filter((p) => p.c < p.n)
        .map((p) => ({
          kind: "problem" as const,
          problem: p.problem,
          n: p.n,
          c: p.c,
          samples: this.samples
            .filter((r) => r.problem === p.problem && !r.passed && scored.has(r.problem))
            .sort((a, b) => a.sample - b.sample),
        }));
      return [{ kind: "header", summary: s }, ...failing];
    }
    if (node.kind === "problem") return node.samples.map((record) => ({ kind: "sample", record }));
    return [];
  }

  getTreeItem(node: EvalNode): vscode.TreeItem {
    if (node.kind === "header") {
      const item = new vscode.TreeItem(this.headline());
      item.description = `${node.summary.problems} problems, n = ${node.summary.n}`;
      item.tooltip = `${node.summary.source}\n${node.summary.ci_method}`;
      item.iconPath = new vscode.ThemeIcon("graph");
      return item;
    }
    if (node.kind === "problem") {
      const item = new vscode.TreeItem(node.problem, vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `${node.c}/${node.n} passed`;
      item.iconPath = new vscode.ThemeIcon(node.c === 0 ? "error" : "warning");
      return item;
    }
    const r = node.record;
    const item = new vscode.TreeItem(`sample ${r.sample}: ${r.class.replace("_", " ")}`);
    item.description = r.error ?? "";
    item.tooltip = r.error;
    item.iconPath = new vscode.ThemeIcon("circle-slash");
    item.command = { command: "qds.openEvalSample", title: "Open sample", arguments: [node] };
    return item;
  }

  /** What the view shows, one line per item ("label — description"), children indented: for tests and logs. */
  rendered(): string[] {
    const line = (n: EvalNode, indent: string) => {
      const item = this.getTreeItem(n);
      return `${indent}${String(item.label)}${item.description ? ` — ${String(item.description)}` : ""}`;
    };
    return this.getChildren().flatMap((n) => [line(n, ""), ...this.getChildren(n).map((c) => line(c, "  "))]);
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}

let view: EvalResultsView | undefined;

export function registerResultsView(ctx: Ctx): void {
  view = new EvalResultsView();
  ctx.pushExtCleanup(view);
}

export const resultsView = (): EvalResultsView | undefined => view;

async function pickDataset(ctx: Ctx, arg: unknown): Promise<string | undefined> {
  if (typeof arg === "string") return arg;
  if (typeof arg === "object" && arg !== null && (arg as Node).kind === "dataset")
    return (arg as Node & { kind: "dataset" }).dataset.dir;
  const model = ctx.editor.model;
  if (model.datasets.length === 0) await model.refresh();
  if (model.datasets.length === 1) return model.datasets[0]?.dir;
  return (await vscode.window.showQuickPick(model.datasets.map((d) => ({ label: d.name, description: d.dir }))))
    ?.description;
}

/**
 * Arguments (all optional, for scripts and tests): dataset folder, then
 * `{n, k, completions, outDir}`; anything missing is asked for.
 */
export function evaluateModel(ctx: Ctx): Cmd {
  return async (arg, optsArg) => {
    const dataset = await pickDataset(ctx, arg);
    if (dataset === undefined) return undefined;
    const given = (optsArg ?? {}) as Partial<Pick<protocol.EvalDatasetParams, "n" | "k" | "completions" | "outDir">>;
    let completions = given.completions;
    if (optsArg === undefined) {
      const source = await vscode.window.showQuickPick(
        [
          { label: "Configured model", description: "the qds.llm.* provider and model" },
          { label: "Completions file…", description: "JSONL of {task_id, completion} produced elsewhere" },
        ],
        { title: `Evaluate on ${basename(dataset)} with…` },
      );
      if (source === undefined) return undefined;
      if (source.label.startsWith("Completions")) {
        const file = await vscode.window.showOpenDialog({ filters: { JSONL: ["jsonl"] }, canSelectMany: false });
        if (file?.[0] === undefined) return undefined;
        completions = file[0].fsPath;
      }
    }
    let n = given.n;
    if (n === undefined) {
      const text = await vscode.window.showInputBox({
        title: "Samples per problem (n)",
        value: "1",
        validateInput: (v) => (/^[1-9]\d*$/.test(v.trim()) ? undefined : "a positive integer"),
      });
      if (text === undefined) return undefined;
      n = Number(text);
    }
    const samples = n;
    let k = given.k;
    if (k === undefined) {
      const text = await vscode.window.showInputBox({
        title: "pass@k for k = (comma-separated, each at most n)",
        value: [1, 5, 10].filter((x) => x <= samples).join(","),
        validateInput: (v) =>
          v.split(",").every((x) => /^\s*[1-9]\d*\s*$/.test(x) && Number(x) <= samples)
            ? undefined
            : `integers from 1 to ${samples}`,
      });
      if (text === undefined) return undefined;
      k = text.split(",").map((x) => Number(x.trim()));
    }
    const client = ctx.languageClient;
    serveLanguageModel(client);
    const runId = randomUUID();
    let result: protocol.EvalDatasetResult;
    try {
      result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Evaluating on ${basename(dataset)}`,
          cancellable: true,
        },
        async (progress, token) => {
          let last = 0;
          const sub = client.onNotification(protocol.evalProgress, (p) => {
            if (p.runId !== runId) return;
            const eta = p.etaMs === undefined ? "" : ` · ETA ${Math.ceil(p.etaMs / 1000)} s`;
            progress.report({
              message: `${p.done}/${p.total} samples · ${p.passed} passed${eta}`,
              increment: ((p.done - last) / p.total) * 100,
            });
            last = p.done;
          });
          try {
            return await client.sendRequest(
              protocol.evalDataset,
              {
                runId,
                dataset,
                n: samples,
                k: k!,
                ...(completions === undefined ? {} : { completions }),
                ...(given.outDir === undefined ? {} : { outDir: given.outDir }),
              },
              token,
            );
          } finally {
            sub.dispose();
          }
        },
      );
    } catch (err) {
      void vscode.window.showErrorMessage(`Evaluation failed: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    view?.load(result.outDir);
    void vscode.commands.executeCommand("qds.evalResults.focus");
    const line = view?.headline() ?? "";
    void vscode.window.showInformationMessage(
      result.cancelled
        ? `Evaluation cancelled; run it again to resume. ${line}`
        : `Evaluation done: ${line}${result.incomplete > 0 ? ` (${result.incomplete} problems lack samples)` : ""}`,
    );
    return result;
  };
}

/** Shows an eval output folder (argument, or picked) in the results view; returns the summary and the rendered items. */
export function openEvalResults(_ctx: Ctx): Cmd {
  return async (arg) => {
    let dir = typeof arg === "string" ? arg : undefined;
    if (dir === undefined) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFiles: false,
        canSelectFolders: true,
        title: "Evaluation output folder",
      });
      dir = picked?.[0]?.fsPath;
    }
    if (dir === undefined) return undefined;
    try {
      view?.load(dir);
    } catch (err) {
      void vscode.window.showErrorMessage(String(err instanceof Error ? err.message : err));
      return undefined;
    }
    void vscode.commands.executeCommand("qds.evalResults.focus");
    return { summary: view?.summary, items: view?.rendered() ?? [] };
  };
}

/** A failed sample: its generated code on the left, the q test it failed beside it. */
export function openEvalSample(_ctx: Ctx): Cmd {
  return async (node) => {
    const r =
      (node as EvalNode | undefined)?.kind === "sample" ? (node as EvalNode & { kind: "sample" }).record : undefined;
    const s = view?.summary;
    if (r === undefined || s === undefined) return undefined;
    const failed = r.tests.find((t) => t.class !== "pass");
    const header = `/ ${r.problem} sample ${r.sample}: ${r.class}${r.error ? ` (${r.error})` : ""}${failed ? `, test ${failed.n}: expected ${failed.expected}${failed.actual === undefined ? "" : `, got ${failed.actual}`}` : ""}\n`;
    const code = await vscode.workspace.openTextDocument({
      language: "q",
      content: `${header.replace(/\n(?!$)/g, " ")}${r.code ?? `/ no q code in the completion:\n/ ${r.completion.split("\n").join("\n/ ")}`}\n`,
    });
    const left = await vscode.window.showTextDocument(code, { viewColumn: vscode.ViewColumn.One });
    const test = join(s.dataset, r.problem, `q_test_case_${failed?.n ?? 1}.q`);
    if (existsSync(test)) {
      await vscode.window.showTextDocument(vscode.Uri.file(test), {
        viewColumn: vscode.ViewColumn.Beside,
        preview: true,
      });
    }
    return { code: left.document, test };
  };
}
