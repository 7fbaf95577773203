/**
 * LLM commands in the editor: convert or repair one problem and review the
 * result as a diff, convert a whole dataset under a progress notification,
 * and store API keys. The server does the work (server/src/lsp/llm.ts); this
 * module asks, shows and, only on the user's accept, writes.
 *
 * A single-problem result is a `Proposal`: the files the server would write.
 * Each file is shown as `vscode.diff(current file, qds-proposal:…)`, served by
 * a read-only content provider from memory. Accept writes the files (temp +
 * rename) and re-verifies the problem; Reject drops the proposal. With
 * `qds.llm.autoAcceptWhenPassing`, a proposal whose tests all passed is
 * accepted without asking.
 */
import { randomUUID } from "node:crypto";
import { existsSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import * as vscode from "vscode";
import * as protocol from "../../server/src/protocol";
import type { Cmd } from "./ctx";
import type { App } from "./editor";
import type { Node } from "./explorer";
import { serveLanguageModel } from "./lm";
import { isKeyOwner, KEY_OWNERS, storeKey } from "./secrets";

const PROPOSAL_SCHEME = "qds-proposal";

export interface Proposal extends protocol.ConvertProblemResult {
  id: string;
  dir: string;
  /** Right-hand side of each file's diff. */
  uris: vscode.Uri[];
  state: "open" | "accepted" | "rejected";
}

/** What Accept returns: the files written and the problem's verification afterwards. */
export interface AcceptResult {
  written: string[];
  verification: protocol.ProblemRunResult | undefined;
}

/** Open proposals by id, and the in-memory documents the diff editors show. */
class Proposals implements vscode.TextDocumentContentProvider {
  readonly byId = new Map<string, Proposal>();

  provideTextDocumentContent(uri: vscode.Uri): string {
    // Path: /<id>/<side>/<file>, side = "proposed" or "current" (the empty left side of a new file).
    const [, id, side, file] = uri.path.split("/");
    if (side !== "proposed") return "";
    return this.byId.get(id ?? "")?.proposals.find((f) => f.file === file)?.proposed ?? "";
  }

  /** The proposal of the active diff editor, else the newest open one. */
  current(): Proposal | undefined {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active?.scheme === PROPOSAL_SCHEME) {
      const p = this.byId.get(active.path.split("/")[1] ?? "");
      if (p !== undefined) return p;
    }
    return [...this.byId.values()].reverse().find((p) => p.state === "open");
  }
}

const proposals = new Proposals();

export function registerProposalProvider(ctx: App): void {
  ctx.pushExtCleanup(vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, proposals));
}

/** The problem folder a command was invoked on: explorer node, file URI, or the active editor's file. */
function problemDir(arg: unknown): string | undefined {
  if (typeof arg === "string") return arg;
  if (typeof arg === "object" && arg !== null && "problem" in arg)
    return (arg as Node & { kind: "problem" }).problem.dir;
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (uri === undefined || uri.scheme !== "file") return undefined;
  return existsSync(uri.fsPath) && statSync(uri.fsPath).isDirectory() ? uri.fsPath : dirname(uri.fsPath);
}

const TITLES: Record<protocol.ConvertMode, string> = {
  solution: "Converting the Python solution to q",
  tests: "Converting the test cases to q",
  fix: "Repairing the q solution",
};

function convertCommand(ctx: App, mode: protocol.ConvertMode): Cmd {
  return async (arg) => {
    const dir = problemDir(arg);
    if (dir === undefined) {
      void vscode.window.showErrorMessage("Open a problem's sol.py or sol.q, or pick a problem in the explorer.");
      return undefined;
    }
    const client = ctx.languageClient;
    serveLanguageModel(client);
    let result: protocol.ConvertProblemResult;
    try {
      result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `${TITLES[mode]} (${basename(dir)})`,
          cancellable: true,
        },
        (_progress, token) => client.sendRequest(protocol.convertProblem, { dir, mode }, token),
      );
    } catch (err) {
      void vscode.window.showErrorMessage(
        `${TITLES[mode]} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      throw err;
    }
    return propose(ctx, dir, result);
  };
}

async function propose(ctx: App, dir: string, result: protocol.ConvertProblemResult): Promise<Proposal> {
  const id = randomUUID();
  const uris = result.proposals.map((f) =>
    vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${id}/proposed/${f.file}` }),
  );
  const proposal: Proposal = { ...result, id, dir, uris, state: "open" };
  const verdict =
    result.status === "converted"
      ? `all tests pass (${result.calls} calls)`
      : `${result.status}: ${result.reason ?? "unknown reason"}`;
  if (result.proposals.length === 0) {
    proposal.state = "rejected";
    void vscode.window.showWarningMessage(`${result.name}: no change proposed (${verdict}).`);
    return proposal;
  }
  proposals.byId.set(id, proposal);
  if (result.status === "converted" && ctx.config.autoAcceptWhenPassing) {
    await accept(ctx, proposal);
    return proposal;
  }
  // The main file last, so its diff is the active editor.
  const order = result.proposals.map((f, i) => ({ f, uri: uris[i]! })).sort((a, b) => rank(b.f.file) - rank(a.f.file));
  for (const { f, uri } of order) {
    const left =
      f.original === null
        ? vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${id}/current/${f.file}` })
        : vscode.Uri.file(f.path);
    await vscode.commands.executeCommand("vscode.diff", left, uri, `${result.name}/${f.file}: current ↔ proposed`, {
      preview: false,
    });
  }
  // Not awaited: the command returns while the user decides (title actions and commands work too).
  void vscode.window
    .showInformationMessage(
      `${result.name}: ${verdict}. Accept the proposed ${result.proposals.map((f) => f.file).join(", ")}?`,
      "Accept",
      "Reject",
    )
    .then((choice) => {
      if (proposal.state !== "open") return;
      if (choice === "Accept") void accept(ctx, proposal);
      else if (choice === "Reject") void reject(proposal);
    });
  return proposal;
}

const rank = (file: string) => (file === "sol.q" ? 1 : 0);

async function closeDiffs(p: Proposal): Promise<void> {
  const mine = new Set(p.uris.map((u) => u.toString()));
  const tabs = vscode.window.tabGroups.all.flatMap((g) =>
    g.tabs.filter((t) => t.input instanceof vscode.TabInputTextDiff && mine.has(t.input.modified.toString())),
  );
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.qds-${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

async function accept(ctx: App, p: Proposal): Promise<AcceptResult> {
  if (p.state !== "open") throw new Error(`proposal for ${p.name} was already ${p.state}`);
  p.state = "accepted";
  proposals.byId.delete(p.id);
  for (const f of p.proposals) writeAtomic(f.path, f.proposed);
  await closeDiffs(p);
  const run = await ctx.languageClient.sendRequest(protocol.runTests, {
    runId: `accept-${p.id}`,
    dataset: dirname(p.dir),
    problems: [basename(p.dir)],
    force: true,
  });
  const verification = run.problems[0];
  const status = verification?.status ?? "not verified";
  void vscode.window.showInformationMessage(
    `${p.name}: wrote ${p.proposals.map((f) => f.file).join(", ")}; ${status}.`,
  );
  return { written: p.proposals.map((f) => f.path), verification };
}

async function reject(p: Proposal): Promise<void> {
  if (p.state !== "open") return;
  p.state = "rejected";
  proposals.byId.delete(p.id);
  await closeDiffs(p);
}

/** Accept/Reject take a proposal id (tests, scripts) or act on the active diff's proposal. */
function proposalArg(arg: unknown): Proposal | undefined {
  if (typeof arg === "string") return proposals.byId.get(arg);
  if (arg instanceof vscode.Uri && arg.scheme === PROPOSAL_SCHEME)
    return proposals.byId.get(arg.path.split("/")[1] ?? "");
  return proposals.current();
}

function acceptProposal(ctx: App): Cmd {
  return async (arg) => {
    const p = proposalArg(arg);
    if (p === undefined) {
      void vscode.window.showWarningMessage("No open proposal to accept.");
      return undefined;
    }
    return accept(ctx, p);
  };
}

function rejectProposal(_ctx: App): Cmd {
  return async (arg) => {
    const p = proposalArg(arg);
    if (p !== undefined) await reject(p);
    return p !== undefined;
  };
}

/** A dataset batch; writes in place like `qds convert` and is resumable through its run log. */
function convertDataset(ctx: App): Cmd {
  return async (arg, onlyArg) => {
    const model = ctx.editor.model;
    let dir: string | undefined;
    if (typeof arg === "string") dir = arg;
    else if (typeof arg === "object" && arg !== null && (arg as Node).kind === "dataset")
      dir = (arg as Node & { kind: "dataset" }).dataset.dir;
    else {
      if (model.datasets.length === 0) await model.refresh();
      dir =
        model.datasets.length === 1
          ? model.datasets[0]?.dir
          : (await vscode.window.showQuickPick(model.datasets.map((d) => ({ label: d.name, description: d.dir }))))
              ?.description;
    }
    if (dir === undefined) return undefined;
    let only = onlyArg as "missing" | "failing" | "all" | undefined;
    if (only === undefined)
      only = (
        await vscode.window.showQuickPick(
          [
            { label: "missing", description: "problems without sol.q" },
            { label: "failing", description: "problems whose sol.q fails its tests" },
            { label: "all", description: "every problem" },
          ],
          { title: `Convert which problems of ${basename(dir)}?` },
        )
      )?.label as typeof only;
    if (only === undefined) return undefined;
    const dataset = dir;
    const client = ctx.languageClient;
    serveLanguageModel(client);
    const runId = randomUUID();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Converting ${basename(dataset)}`, cancellable: true },
      async (progress, token) => {
        const sub = client.onNotification(protocol.convertProgress, (p) => {
          if (p.runId !== runId) return;
          progress.report({ message: `${p.done}/${p.total} · ${p.name}: ${p.status}`, increment: 100 / p.total });
        });
        try {
          return await client.sendRequest(
            protocol.convertDataset,
            { runId, dataset, ...(only === "all" ? {} : { only }) },
            token,
          );
        } finally {
          sub.dispose();
        }
      },
    );
    const counts = `converted ${result.converted}, failing ${result.failing}, error ${result.error}, skipped ${result.skipped}`;
    void vscode.window.showInformationMessage(
      result.cancelled ? `Conversion cancelled (${counts}); run it again to resume.` : `Conversion done: ${counts}.`,
    );
    void model.refresh();
    return result;
  };
}

/**
 * Stores a key in SecretStorage and restarts the language server, which reads
 * keys from its environment only at start. Arguments (owner id, key) skip the prompts.
 */
function setApiKey(ctx: App): Cmd {
  return async (ownerArg, keyArg) => {
    const owner = isKeyOwner(ownerArg)
      ? ownerArg
      : (await vscode.window.showQuickPick(KEY_OWNERS.map((o) => ({ label: o.label, id: o.id }))))?.id;
    if (owner === undefined) return false;
    const key =
      typeof keyArg === "string"
        ? keyArg
        : await vscode.window.showInputBox({
            prompt: `API key for ${KEY_OWNERS.find((o) => o.id === owner)?.label} (stored in the editor's secret storage; empty removes it)`,
            password: true,
            ignoreFocusOut: true,
          });
    if (key === undefined) return false;
    await storeKey(ctx.extension.secrets, owner, key.trim());
    if (ctx.isRunning) {
      await ctx.stop();
      await ctx.start();
      await ctx.whenReady();
    }
    void vscode.window.showInformationMessage(key.trim() === "" ? "API key removed." : "API key stored.");
    return true;
  };
}

export const convertSolution = (ctx: App): Cmd => convertCommand(ctx, "solution");
export const convertTests = (ctx: App): Cmd => convertCommand(ctx, "tests");
export const fixSolution = (ctx: App): Cmd => convertCommand(ctx, "fix");
export { acceptProposal, convertDataset, rejectProposal, setApiKey };
