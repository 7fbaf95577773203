/**
 * The client's copy of what the server says about datasets: the dataset list
 * and, once asked for, each dataset's problems. The explorer, the Test
 * Explorer and CodeLens all read it, so a verification result or a file edit
 * changes every view at once.
 *
 * Freshness: a file watcher reloads only the problem folder a change touched
 * (`qds/problem`); the server's stat signature check then reports an edited
 * problem as untested. Creating or deleting folders reloads that dataset.
 */
import { relative, sep } from "node:path";
import * as vscode from "vscode";
import * as protocol from "../../server/src/protocol";
import type { Ctx } from "./ctx";

interface ProblemRef {
  dataset: string;
  problem: protocol.ProblemInfo;
  /** The file inside the problem folder, when a file was looked up. */
  file?: string;
}

export interface ModelChange {
  dataset?: string;
  problem?: string;
}

/** Coalesces bursts of file events (a save writes several) into one reload per problem. */
const RELOAD_DELAY_MS = 150;

export class DatasetModel implements vscode.Disposable {
  private list: protocol.DatasetSummary[] = [];
  private readonly loaded = new Map<string, Map<string, protocol.ProblemInfo>>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly changed = new vscode.EventEmitter<ModelChange>();
  private readonly watcher: vscode.FileSystemWatcher;
  /** What changed: the dataset list ({}), a dataset's problem list ({dataset}) or one problem ({dataset, problem}). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    this.watcher = vscode.workspace.createFileSystemWatcher("**/*");
    this.watcher.onDidChange((uri) => this.fileChanged(uri.fsPath, "change"));
    this.watcher.onDidCreate((uri) => this.fileChanged(uri.fsPath, "create"));
    this.watcher.onDidDelete((uri) => this.fileChanged(uri.fsPath, "delete"));
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
    for (const t of this.pending.values()) clearTimeout(t);
  }

  get datasets(): readonly protocol.DatasetSummary[] {
    return this.list;
  }

  /** Asks the server for the datasets again and drops every loaded problem list. */
  async refresh(): Promise<readonly protocol.DatasetSummary[]> {
    const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const base = roots[0] ?? "";
    const configured = this.ctx.config.datasets.map((d) =>
      d.startsWith("/") || base === "" ? d : `${base}${sep}${d}`,
    );
    await this.ctx.whenReady();
    this.list = await this.ctx.languageClient.sendRequest(protocol.datasets, { roots, configured });
    this.loaded.clear();
    this.changed.fire({});
    return this.list;
  }

  /** The problems of `dataset`, loaded on first use. */
  async problems(dataset: string): Promise<protocol.ProblemInfo[]> {
    let map = this.loaded.get(dataset);
    if (map === undefined) {
      const list = await this.ctx.languageClient.sendRequest(protocol.problems, { dataset });
      map = new Map(list.map((p) => [p.name, p]));
      this.loaded.set(dataset, map);
      this.recount(dataset);
    }
    return [...map.values()];
  }

  /** The problems of `dataset` if they were loaded already. */
  loadedProblems(dataset: string): protocol.ProblemInfo[] | undefined {
    const map = this.loaded.get(dataset);
    return map === undefined ? undefined : [...map.values()];
  }

  problem(dataset: string, name: string): protocol.ProblemInfo | undefined {
    return this.loaded.get(dataset)?.get(name);
  }

  /** The dataset, problem and file a path belongs to (problems of that dataset are loaded if needed). */
  async locate(path: string): Promise<ProblemRef | undefined> {
    const dataset = this.list.find((d) => path.startsWith(d.dir + sep));
    if (dataset === undefined) return undefined;
    const [name, file] = relative(dataset.dir, path).split(sep);
    if (name === undefined) return undefined;
    await this.problems(dataset.dir);
    const problem = this.problem(dataset.dir, name);
    if (problem === undefined) return undefined;
    return file === undefined ? { dataset: dataset.dir, problem } : { dataset: dataset.dir, problem, file };
  }

  /** Reloads one problem from disk (server side) and tells the views. */
  async reloadProblem(dataset: string, name: string): Promise<void> {
    const map = this.loaded.get(dataset);
    if (map === undefined) return;
    const info = await this.ctx.languageClient.sendRequest(protocol.problem, { dataset, name });
    if (info === null) map.delete(name);
    else map.set(name, info);
    this.recount(dataset);
    this.changed.fire({ dataset, problem: name });
  }

  /** Applies a verification result without a round trip: status, reason and per-test states. */
  applyResult(dataset: string, r: protocol.ProblemRunResult): void {
    const p = this.loaded.get(dataset)?.get(r.name);
    if (p === undefined) return;
    // Running tests does not mend a folder `qds validate` rejects: it stays invalid, with its reason, until edited.
    if (p.status !== "invalid") {
      p.status = r.status;
      if (r.reason === undefined) delete p.reason;
      else p.reason = r.reason;
    }
    // A cached result carries no per-test detail; the states already shown stay.
    if (!r.cached) {
      const q = new Map(r.tests.filter((t) => t.kind === "q").map((t) => [t.n, t]));
      p.tests = p.tests.map((t) => {
        const got = q.get(t.n);
        if (got === undefined) return t;
        return got.reason === undefined
          ? { n: t.n, status: got.status }
          : { n: t.n, status: got.status, reason: got.reason };
      });
    }
    this.recount(dataset);
    this.changed.fire({ dataset, problem: r.name });
  }

  private recount(dataset: string): void {
    const summary = this.list.find((d) => d.dir === dataset);
    const map = this.loaded.get(dataset);
    if (summary === undefined || map === undefined) return;
    const counts = protocol.zeroCounts();
    for (const p of map.values()) counts[p.status]++;
    summary.counts = counts;
  }

  private fileChanged(path: string, kind: "change" | "create" | "delete"): void {
    if (path.includes(`${sep}.qds${sep}`)) return;
    const dataset = this.list.find((d) => path.startsWith(d.dir + sep));
    if (dataset === undefined) return;
    const parts = relative(dataset.dir, path).split(sep);
    const name = parts[0];
    if (name === undefined || name.startsWith(".")) return;
    // A problem folder created or deleted changes the list: reload the dataset. A "change" of the
    // folder itself (the watcher reports one when a file inside is written) only touches that problem;
    // dropping the whole list then would lose every loaded status until the view asked again.
    const wholeList = parts.length === 1 && kind !== "change";
    const key = wholeList ? `${dataset.dir}` : `${dataset.dir}${sep}${name}`;
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        if (wholeList) {
          this.loaded.delete(dataset.dir);
          this.changed.fire({ dataset: dataset.dir });
        } else void this.reloadProblem(dataset.dir, name).catch(() => undefined);
      }, RELOAD_DELAY_MS),
    );
  }
}
