/**
 * The dataset explorer: a tree view (datasets → problems → files and test
 * cases) rendered from the DatasetModel. It holds only view state — the
 * filter (statuses, difficulties, tag, title search) and the sort order — and
 * shows the per-status counts in the view's description. Problem icons carry
 * the status as a ThemeIcon with a ThemeColor, so themes restyle them.
 */
import { join } from "node:path";
import * as vscode from "vscode";
import * as protocol from "../../server/src/protocol";
import type { DatasetModel } from "./model";

export type Node =
  | { kind: "dataset"; dataset: protocol.DatasetSummary }
  | { kind: "problem"; dataset: string; problem: protocol.ProblemInfo }
  | { kind: "file"; dataset: string; problem: protocol.ProblemInfo; file: string }
  | { kind: "test"; dataset: string; problem: protocol.ProblemInfo; test: protocol.TestState };

export type SortKey = "name" | "title" | "difficulty" | "status";

interface Filter {
  statuses: ReadonlySet<protocol.ProblemStatus>;
  difficulties: ReadonlySet<string>;
  /** Problems must carry this tag (case-insensitive); empty = any. */
  tag: string;
  /** Substring of the title (case-insensitive); empty = any. */
  search: string;
}

export const STATUSES = protocol.PROBLEM_STATUSES;

/** Label, codicon and theme colour per status (column order: label, icon, colour). */
export const STATUS_LOOK: Record<protocol.ProblemStatus, [string, string, string]> = {
  invalid: ["invalid", "bracket-error", "problemsErrorIcon.foreground"],
  no_q: ["no q", "circle-slash", "disabledForeground"],
  untested: ["untested", "circle-large-outline", "testing.iconUnset"],
  valid: ["valid", "pass", "testing.iconPassed"],
  failing: ["failing", "error", "testing.iconFailed"],
  error: ["error", "warning", "testing.iconErrored"],
};

const TEST_LOOK: Record<protocol.TestState["status"], [string, string]> = {
  pass: ["pass", "testing.iconPassed"],
  fail: ["close", "testing.iconFailed"],
  error: ["warning", "testing.iconErrored"],
  unknown: ["circle-large-outline", "testing.iconUnset"],
};

const DIFFICULTY_ORDER: Record<string, number> = { Easy: 0, Medium: 1, Hard: 2 };

const emptyFilter = (): Filter => ({ statuses: new Set(), difficulties: new Set(), tag: "", search: "" });

/** Whether a problem passes the filter (pure; unit-testable without VS Code state). */
function matches(p: protocol.ProblemInfo, f: Filter): boolean {
  if (f.statuses.size > 0 && !f.statuses.has(p.status)) return false;
  if (f.difficulties.size > 0 && !f.difficulties.has(p.difficulty ?? "")) return false;
  if (f.tag !== "" && !p.tags.some((t) => t.toLowerCase() === f.tag.toLowerCase())) return false;
  return f.search === "" || p.title.toLowerCase().includes(f.search.toLowerCase());
}

function compareBy(key: SortKey): (a: protocol.ProblemInfo, b: protocol.ProblemInfo) => number {
  const byName = (a: protocol.ProblemInfo, b: protocol.ProblemInfo) =>
    a.name.localeCompare(b.name, undefined, { numeric: true });
  switch (key) {
    case "name":
      return byName;
    case "title":
      return (a, b) => a.title.localeCompare(b.title) || byName(a, b);
    case "difficulty":
      return (a, b) =>
        (DIFFICULTY_ORDER[a.difficulty ?? ""] ?? 3) - (DIFFICULTY_ORDER[b.difficulty ?? ""] ?? 3) || byName(a, b);
    case "status":
      return (a, b) => STATUSES.indexOf(a.status) - STATUSES.indexOf(b.status) || byName(a, b);
  }
}

function countsText(counts: Record<protocol.ProblemStatus, number>): string {
  return STATUSES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${STATUS_LOOK[s][0]}`)
    .join(" · ");
}

export class Explorer implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<Node>;
  filter: Filter = emptyFilter();
  sort: SortKey = "name";
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly model: DatasetModel) {
    this.view = vscode.window.createTreeView("qds.datasets", { treeDataProvider: this, showCollapseAll: true });
    this.subscriptions.push(
      this.view,
      this.changed,
      model.onDidChange(() => this.redraw()),
    );
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }

  get filtered(): boolean {
    const f = this.filter;
    return f.statuses.size + f.difficulties.size > 0 || f.tag !== "" || f.search !== "";
  }

  setFilter(f: Partial<Filter>): void {
    this.filter = { ...this.filter, ...f };
    void vscode.commands.executeCommand("setContext", "qds.explorer.filtered", this.filtered);
    this.redraw();
  }

  clearFilter(): void {
    this.setFilter(emptyFilter());
  }

  setSort(key: SortKey): void {
    this.sort = key;
    this.redraw();
  }

  /** Re-renders the tree and its description (counts over every dataset). */
  redraw(): void {
    const total = protocol.zeroCounts();
    for (const d of this.model.datasets) for (const s of STATUSES) total[s] += d.counts[s];
    this.view.description = countsText(total);
    const f = this.filter;
    const parts = [
      f.statuses.size > 0 ? `status: ${[...f.statuses].map((s) => STATUS_LOOK[s][0]).join(", ")}` : "",
      f.difficulties.size > 0 ? `difficulty: ${[...f.difficulties].join(", ")}` : "",
      f.tag !== "" ? `tag: ${f.tag}` : "",
      f.search !== "" ? `title contains "${f.search}"` : "",
    ].filter((x) => x !== "");
    this.view.message = parts.length > 0 ? `Filtered by ${parts.join("; ")}` : "";
    this.changed.fire(undefined);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node === undefined) {
      if (this.model.datasets.length === 0) await this.model.refresh();
      return this.model.datasets.map((dataset) => ({ kind: "dataset", dataset }));
    }
    if (node.kind === "dataset") {
      const dataset = node.dataset.dir;
      const problems = (await this.model.problems(dataset)).filter((p) => matches(p, this.filter));
      return problems.sort(compareBy(this.sort)).map((problem) => ({ kind: "problem", dataset, problem }));
    }
    if (node.kind === "problem") {
      const { dataset, problem } = node;
      const tests: Node[] = problem.tests.map((test) => ({ kind: "test", dataset, problem, test }));
      // Test-case files are reached through their test nodes; the rest are listed as files.
      const files: Node[] = problem.files
        .filter((f) => !/^(q_)?test_case_\d+/.test(f))
        .map((file) => ({ kind: "file", dataset, problem, file }));
      return [...files, ...tests];
    }
    return [];
  }

  getParent(node: Node): Node | undefined {
    if (node.kind === "dataset") return undefined;
    const dataset = this.model.datasets.find((d) => d.dir === node.dataset);
    if (dataset === undefined) return undefined;
    if (node.kind === "problem") return { kind: "dataset", dataset };
    return { kind: "problem", dataset: node.dataset, problem: node.problem };
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case "dataset": {
        const item = new vscode.TreeItem(node.dataset.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.dataset.dir;
        item.description = countsText(node.dataset.counts);
        item.tooltip = node.dataset.dir;
        item.iconPath = new vscode.ThemeIcon("database");
        item.contextValue = "qds.dataset";
        return item;
      }
      case "problem": {
        const p = node.problem;
        const [label, icon, colour] = STATUS_LOOK[p.status];
        const item = new vscode.TreeItem(p.title, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${node.dataset}/${p.name}`;
        item.description = p.difficulty ?? "";
        item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(colour));
        const tooltip = new vscode.MarkdownString(`**${p.title}** (${p.name})\n\nstatus: ${label}`);
        if (p.reason !== undefined) tooltip.appendText(`\n\n${p.reason}`);
        if (p.tags.length > 0) tooltip.appendText(`\n\ntags: ${p.tags.join(", ")}`);
        item.tooltip = tooltip;
        item.contextValue = `qds.problem.${p.status}`;
        return item;
      }
      case "file": {
        const uri = vscode.Uri.file(join(node.problem.dir, node.file));
        const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.None);
        item.id = uri.fsPath;
        item.command = { title: "Open", command: "vscode.open", arguments: [uri] };
        item.contextValue = "qds.file";
        return item;
      }
      case "test": {
        const { n, status, reason } = node.test;
        const [icon, colour] = TEST_LOOK[status];
        const uri = vscode.Uri.file(join(node.problem.dir, `q_test_case_${n}.q`));
        const item = new vscode.TreeItem(`test ${n}`, vscode.TreeItemCollapsibleState.None);
        item.id = `${node.dataset}/${node.problem.name}#${n}`;
        item.description = reason ?? (status === "unknown" ? "" : status);
        item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(colour));
        item.resourceUri = uri;
        item.command = { title: "Open", command: "vscode.open", arguments: [uri] };
        item.contextValue = "qds.test";
        return item;
      }
    }
  }
}
