/**
 * Every command is a factory `(ctx) => handler`, listed once in `commands`;
 * names match package.json contributes.commands (a unit test checks both
 * directions). The logic lives in the server; handlers convert and forward.
 */
import { basename, dirname, join } from "node:path";
import * as vscode from "vscode";
import * as protocol from "../../server/src/protocol";
import * as bootstrap from "./bootstrap-commands";
import type { Cmd } from "./ctx";
import type { App } from "./editor";
import * as evaluation from "./eval";
import { type Node, type SortKey, STATUS_LOOK, STATUSES } from "./explorer";
import * as llm from "./llm";
import { problemId } from "./testing";
import { openDatasetOverview } from "./webviews/overview";
import { openSteeringExplorer } from "./webviews/steering";

function showEngineInfo(ctx: App): Cmd {
  return async () => {
    const info = await ctx.languageClient.sendRequest(protocol.engineInfo);
    void vscode.window.showInformationMessage(`q engine: ${info.engine} ${info.version}`);
    return info;
  };
}

function restartServer(ctx: App): Cmd {
  return async () => {
    await ctx.stop();
    await ctx.start();
    return ctx.whenReady();
  };
}

/**
 * The problem's sol.q beside a q test file (`q_test_case_N.q`), as verification
 * loads it before the test: the open editor's text when it is open, else the file.
 */
async function solutionFor(doc: vscode.TextDocument): Promise<{ uri: vscode.Uri; text: string } | undefined> {
  if (doc.uri.scheme !== "file" || !/^q_test_case_\d+\.q$/.test(basename(doc.uri.fsPath))) return undefined;
  const uri = vscode.Uri.file(join(dirname(doc.uri.fsPath), "sol.q"));
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open !== undefined) return { uri, text: open.getText() };
  try {
    return { uri, text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) };
  } catch {
    return undefined;
  }
}

/**
 * "Run q File or Selection": the selection, or the whole file, evaluated as if
 * typed at the q console. A whole q test file runs after its problem's sol.q,
 * as verification runs it, and the output says so.
 */
function runQ(ctx: App): Cmd {
  return async () => {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined) return undefined;
    const selection = editor.selection;
    let text = selection.isEmpty ? editor.document.getText() : editor.document.getText(selection);
    const out = ctx.editor.console;
    const sol = selection.isEmpty ? await solutionFor(editor.document) : undefined;
    if (sol !== undefined) {
      out.appendLine(`q) loading ${vscode.workspace.asRelativePath(sol.uri)} first, as verification does`);
      text = `${sol.text}\n\n${text}`;
    }
    const result = await ctx.languageClient.sendRequest(protocol.evaluate, { text });
    const where = selection.isEmpty ? "" : `:${selection.start.line + 1}-${selection.end.line + 1}`;
    out.appendLine(`q) ${vscode.workspace.asRelativePath(editor.document.uri)}${where}`);
    out.append(result.output.endsWith("\n") || result.output === "" ? result.output : `${result.output}\n`);
    out.show(true);
    return result;
  };
}

function refreshDatasets(ctx: App): Cmd {
  return () => ctx.editor.model.refresh();
}

/** Filter the explorer by status and difficulty (one multi-select pick). */
function filterProblems(ctx: App): Cmd {
  return async () => {
    const explorer = ctx.editor.explorer;
    type Pick = vscode.QuickPickItem & { status?: protocol.ProblemStatus; difficulty?: string };
    const items: Pick[] = [
      ...STATUSES.map((status) => ({
        label: STATUS_LOOK[status][0],
        description: "status",
        status,
        picked: explorer.filter.statuses.has(status),
      })),
      ...["Easy", "Medium", "Hard"].map((difficulty) => ({
        label: difficulty,
        description: "difficulty",
        difficulty,
        picked: explorer.filter.difficulties.has(difficulty),
      })),
    ];
    const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: "Show problems that are…" });
    if (picked === undefined) return;
    explorer.setFilter({
      statuses: new Set(picked.flatMap((p) => (p.status === undefined ? [] : [p.status]))),
      difficulties: new Set(picked.flatMap((p) => (p.difficulty === undefined ? [] : [p.difficulty]))),
    });
  };
}

function filterByTag(ctx: App): Cmd {
  return async () => {
    const model = ctx.editor.model;
    const tags = new Set<string>();
    for (const d of model.datasets) for (const p of await model.problems(d.dir)) for (const t of p.tags) tags.add(t);
    const tag = await vscode.window.showQuickPick(["(any tag)", ...[...tags].sort()], {
      title: "Show problems tagged",
    });
    if (tag !== undefined) ctx.editor.explorer.setFilter({ tag: tag === "(any tag)" ? "" : tag });
  };
}

function searchProblems(ctx: App): Cmd {
  return async () => {
    const explorer = ctx.editor.explorer;
    const search = await vscode.window.showInputBox({
      prompt: "Show problems whose title contains",
      value: explorer.filter.search,
    });
    if (search !== undefined) explorer.setFilter({ search: search.trim() });
  };
}

function clearFilter(ctx: App): Cmd {
  return () => ctx.editor.explorer.clearFilter();
}

function sortProblems(ctx: App): Cmd {
  return async () => {
    const keys: SortKey[] = ["name", "title", "difficulty", "status"];
    const key = await vscode.window.showQuickPick(keys, {
      title: `Sort problems by (now: ${ctx.editor.explorer.sort})`,
    });
    if (key !== undefined) ctx.editor.explorer.setSort(key as SortKey);
  };
}

/** The problem a command was invoked on: the explorer node, or the active editor's file. */
async function problemOf(
  ctx: App,
  node: unknown,
): Promise<{ dataset: string; problem: protocol.ProblemInfo } | undefined> {
  if (typeof node === "object" && node !== null && "problem" in node && "dataset" in node)
    return node as Node & { kind: "problem" };
  const uri = vscode.window.activeTextEditor?.document.uri;
  if (uri === undefined) return undefined;
  if (ctx.editor.model.datasets.length === 0) await ctx.editor.model.refresh();
  return ctx.editor.model.locate(uri.fsPath);
}

function openDescription(ctx: App): Cmd {
  return async (node) => {
    const ref = await problemOf(ctx, node);
    if (ref === undefined) return;
    await vscode.window.showTextDocument(vscode.Uri.file(join(ref.problem.dir, "problem_description.txt")));
  };
}

/** sol.py on the left, sol.q beside it. */
function openSolutions(ctx: App): Cmd {
  return async (node) => {
    const ref = await problemOf(ctx, node);
    if (ref === undefined) return;
    await vscode.window.showTextDocument(vscode.Uri.file(join(ref.problem.dir, "sol.py")), {
      viewColumn: vscode.ViewColumn.One,
    });
    await vscode.window.showTextDocument(vscode.Uri.file(join(ref.problem.dir, "sol.q")), {
      viewColumn: vscode.ViewColumn.Beside,
    });
  };
}

function verifyProblem(ctx: App): Cmd {
  return async (node) => {
    const ref = await problemOf(ctx, node);
    if (ref === undefined) return;
    await ctx.editor.testing.runIds([problemId(ref.dataset, ref.problem.name)]);
  };
}

/** Verifies a whole dataset (cache honoured, as `qds verify`) under a cancellable progress notification. */
function verifyDataset(ctx: App): Cmd {
  return async (node) => {
    const model = ctx.editor.model;
    if (model.datasets.length === 0) await model.refresh();
    let dir: string | undefined;
    if (typeof node === "object" && node !== null && (node as Node).kind === "dataset")
      dir = (node as Node & { kind: "dataset" }).dataset.dir;
    else if (model.datasets.length === 1) dir = model.datasets[0]?.dir;
    else
      dir = (await vscode.window.showQuickPick(model.datasets.map((d) => ({ label: d.name, description: d.dir }))))
        ?.description;
    if (dir === undefined) return;
    const dataset = dir;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Verifying ${basename(dataset)}`, cancellable: true },
      async (progress, token) => {
        let last = 0;
        const sub = ctx.editor.testing.onProgress((p) => {
          if (p.dataset !== dataset) return;
          progress.report({
            message: `${p.done}/${p.total} · ${p.result.name}: ${p.result.status}`,
            increment: ((p.done - last) / p.total) * 100,
          });
          last = p.done;
        });
        try {
          await ctx.editor.testing.runIds([dataset], token, false);
        } finally {
          sub.dispose();
        }
      },
    );
  };
}

function revealInTestExplorer(ctx: App): Cmd {
  return async (node) => {
    const ref = await problemOf(ctx, node);
    if (ref === undefined) return;
    await ctx.editor.testing.ensureProblems(ref.dataset);
    const item = ctx.editor.testing.controller.items
      .get(ref.dataset)
      ?.children.get(problemId(ref.dataset, ref.problem.name));
    if (item !== undefined) await vscode.commands.executeCommand("vscode.revealTestInExplorer", item);
  };
}

/** Runs Test Explorer items by id (what the CodeLens buttons call). */
function runTests(ctx: App): Cmd {
  return (ids) => ctx.editor.testing.runIds(Array.isArray(ids) ? ids.map(String) : []);
}

const commands: Record<string, (ctx: App) => Cmd> = {
  "qds.showEngineInfo": showEngineInfo,
  "qds.restartServer": restartServer,
  "qds.runQ": runQ,
  "qds.refreshDatasets": refreshDatasets,
  "qds.filterProblems": filterProblems,
  "qds.filterByTag": filterByTag,
  "qds.searchProblems": searchProblems,
  "qds.clearFilter": clearFilter,
  "qds.sortProblems": sortProblems,
  "qds.openDescription": openDescription,
  "qds.openSolutions": openSolutions,
  "qds.verifyProblem": verifyProblem,
  "qds.verifyDataset": verifyDataset,
  "qds.revealInTestExplorer": revealInTestExplorer,
  "qds.runTests": runTests,
  "qds.convertSolution": llm.convertSolution,
  "qds.convertTests": llm.convertTests,
  "qds.fixSolution": llm.fixSolution,
  "qds.acceptProposal": llm.acceptProposal,
  "qds.rejectProposal": llm.rejectProposal,
  "qds.convertDataset": llm.convertDataset,
  "qds.setApiKey": llm.setApiKey,
  "qds.evaluateModel": evaluation.evaluateModel,
  "qds.openEvalResults": evaluation.openEvalResults,
  "qds.openEvalSample": evaluation.openEvalSample,
  "qds.startBootstrapRun": bootstrap.startRun,
  "qds.attachBootstrapRun": bootstrap.attachRun,
  "qds.stopBootstrapRun": bootstrap.stopRun,
  "qds.openBootstrapReport": bootstrap.openReport,
  "qds.checkBootstrapHost": bootstrap.checkHost,
  "qds.openSteeringExplorer": openSteeringExplorer,
  "qds.openDatasetOverview": openDatasetOverview,
};

export function registerCommands(ctx: App): void {
  llm.registerProposalProvider(ctx);
  evaluation.registerResultsView(ctx);
  for (const [name, factory] of Object.entries(commands)) {
    ctx.pushExtCleanup(vscode.commands.registerCommand(name, factory(ctx)));
  }
}
