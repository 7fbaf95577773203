/**
 * The Testing API view of the datasets: a TestController whose tree is
 * datasets → problems → test cases, filled lazily by the resolve handler from
 * the DatasetModel. Every run goes through one function, `run`, which sends
 * `qds/runTests` per dataset (the verifier `qds verify` uses), streams
 * results from `qds/testProgress` into the TestRun and the model, and turns
 * the run's CancellationToken into LSP request cancellation. The CodeLens,
 * the explorer's verify actions and the tests' API all call `run` too.
 *
 * Runs from the Test Explorer force re-verification (the user asked for
 * fresh results with diffs); "Verify Dataset" lets the cache skip unchanged
 * problems, as `qds verify` does, and a cached problem then reports its
 * recorded per-test states.
 *
 * Item ids: a dataset's dir, `<dir>/<problem>`, `<dir>/<problem>#<n>`.
 * Wrong answers are reported with TestMessage.diff(reason, expected, actual).
 */
import { join } from "node:path";
import * as vscode from "vscode";
import * as protocol from "../../server/src/protocol";
import type { Ctx } from "./ctx";
import type { DatasetModel, ModelChange } from "./model";

type Outcome = "passed" | "failed" | "errored" | "skipped";

/** What a finished run reported per item id: kept for CodeLens and for the integration tests. */
interface ItemResult {
  outcome: Outcome;
  message?: string;
  expected?: string;
  actual?: string;
}

export const problemId = (dataset: string, name: string): string => `${dataset}/${name}`;
export const testId = (dataset: string, name: string, n: number): string => `${problemId(dataset, name)}#${n}`;

const solUri = (p: protocol.ProblemInfo): vscode.Uri => vscode.Uri.file(join(p.dir, "sol.q"));

export class Testing implements vscode.Disposable {
  readonly controller: vscode.TestController;
  /** Last reported result per item id. */
  readonly results = new Map<string, ItemResult>();
  private readonly finished = new vscode.EventEmitter<void>();
  /** Fires after each run, so CodeLens can redraw its "k/N passing". */
  readonly onDidFinishRun = this.finished.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly progressed = new vscode.EventEmitter<protocol.TestProgressParams>();
  /** Every `qds/testProgress` of this controller's runs (the verify commands show it as progress). */
  readonly onProgress = this.progressed.event;
  private runCounter = 0;

  constructor(
    private readonly ctx: Ctx,
    private readonly model: DatasetModel,
  ) {
    this.controller = vscode.tests.createTestController("qds", "q Datasets");
    this.controller.resolveHandler = (item) => this.resolve(item);
    this.controller.refreshHandler = async () => {
      await this.model.refresh();
    };
    this.controller.createRunProfile("Run q tests", vscode.TestRunProfileKind.Run, (request, token) =>
      this.run(request, token),
    );
    this.subscriptions.push(
      this.controller,
      this.finished,
      this.progressed,
      model.onDidChange((change) => this.sync(change)),
    );
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }

  private async resolve(item: vscode.TestItem | undefined): Promise<void> {
    if (item === undefined) {
      await this.ctx.whenReady();
      if (this.model.datasets.length === 0) await this.model.refresh();
      else this.sync({});
      return;
    }
    const [dataset, name] = this.parse(item.id);
    if (name === undefined) await this.ensureProblems(dataset);
  }

  /** Splits an item id into dataset, problem name and test number. */
  private parse(id: string): [string, string | undefined, number | undefined] {
    const dataset = this.model.datasets.find((d) => id === d.dir || id.startsWith(`${d.dir}/`))?.dir;
    if (dataset === undefined) return [id, undefined, undefined];
    const rest = id.slice(dataset.length + 1);
    if (rest === "") return [dataset, undefined, undefined];
    const hash = rest.lastIndexOf("#");
    return hash < 0 ? [dataset, rest, undefined] : [dataset, rest.slice(0, hash), Number(rest.slice(hash + 1))];
  }

  /** Mirrors a model change into the controller's items. */
  private sync(change: ModelChange): void {
    if (change.dataset === undefined) {
      this.controller.items.replace(
        this.model.datasets.map((d) => {
          const item = this.controller.createTestItem(d.dir, d.name, vscode.Uri.file(d.dir));
          item.canResolveChildren = true;
          return item;
        }),
      );
      return;
    }
    const parent = this.controller.items.get(change.dataset);
    const problems = this.model.loadedProblems(change.dataset);
    if (parent === undefined || problems === undefined) return;
    if (change.problem === undefined) {
      parent.children.replace(problems.map((p) => this.problemItem(change.dataset!, p)));
      return;
    }
    const p = this.model.problem(change.dataset, change.problem);
    const id = problemId(change.dataset, change.problem);
    if (p === undefined) parent.children.delete(id);
    else parent.children.add(this.problemItem(change.dataset, p, parent.children.get(id)));
  }

  /** A problem's item with one child per test case; an existing item is updated in place. */
  private problemItem(dataset: string, p: protocol.ProblemInfo, existing?: vscode.TestItem): vscode.TestItem {
    const item = existing ?? this.controller.createTestItem(problemId(dataset, p.name), p.title, solUri(p));
    item.label = p.title;
    item.description = p.difficulty ?? "";
    const ids = p.tests.map((t) => testId(dataset, p.name, t.n));
    const same = ids.length === item.children.size && ids.every((id) => item.children.get(id) !== undefined);
    if (!same) {
      item.children.replace(
        p.tests.map((t) => {
          const uri = vscode.Uri.file(join(p.dir, `q_test_case_${t.n}.q`));
          const child = this.controller.createTestItem(testId(dataset, p.name, t.n), `test ${t.n}`, uri);
          child.range = new vscode.Range(0, 0, 0, 0);
          return child;
        }),
      );
    }
    return item;
  }

  /** Makes sure the dataset's problems are loaded and mirrored as items; returns them. */
  async ensureProblems(dataset: string): Promise<protocol.ProblemInfo[]> {
    if (this.controller.items.get(dataset) === undefined) this.sync({});
    const parent = this.controller.items.get(dataset);
    const problems = await this.model.problems(dataset);
    if (parent !== undefined && parent.children.size !== problems.length) this.sync({ dataset });
    return problems;
  }

  /** Runs items by id (datasets, problems or test cases): what CodeLens and the verify commands call. */
  async runIds(ids: readonly string[], token?: vscode.CancellationToken, force = true): Promise<void> {
    const items: vscode.TestItem[] = [];
    for (const id of ids) {
      const [dataset, name, n] = this.parse(id);
      await this.ensureProblems(dataset);
      const datasetItem = this.controller.items.get(dataset);
      const problemItem = name === undefined ? undefined : datasetItem?.children.get(problemId(dataset, name));
      const item =
        n === undefined || name === undefined
          ? (problemItem ?? datasetItem)
          : problemItem?.children.get(testId(dataset, name, n));
      if (item === undefined) throw new Error(`no test item ${id}`);
      items.push(item);
    }
    const source = new vscode.CancellationTokenSource();
    const cancel = token?.onCancellationRequested(() => source.cancel());
    try {
      await this.run(new vscode.TestRunRequest(items), source.token, force);
    } finally {
      cancel?.dispose();
      source.dispose();
    }
  }

  /** The one run path: groups the request by dataset and verifies the problems it names. */
  async run(request: vscode.TestRunRequest, token: vscode.CancellationToken, force = true): Promise<void> {
    const run = this.controller.createTestRun(request);
    try {
      const include = request.include ?? [...this.collect(this.controller.items)];
      const excluded = new Set((request.exclude ?? []).map((i) => i.id));
      // dataset → problem name → test numbers to report (undefined: all of the problem's tests).
      const plan = new Map<string, Map<string, Set<number> | undefined>>();
      for (const item of include) {
        const [dataset, name, n] = this.parse(item.id);
        const problems = await this.ensureProblems(dataset);
        const byName = plan.get(dataset) ?? new Map<string, Set<number> | undefined>();
        plan.set(dataset, byName);
        const names = name === undefined ? problems.map((p) => p.name) : [name];
        for (const pn of names) {
          if (excluded.has(problemId(dataset, pn))) continue;
          const tests = byName.get(pn);
          // A whole problem already planned stays whole; a test case adds to the problem's set.
          if (n === undefined) byName.set(pn, undefined);
          else if (tests !== undefined) tests.add(n);
          else if (!byName.has(pn)) byName.set(pn, new Set([n]));
        }
      }
      for (const [dataset, byName] of plan) {
        if (token.isCancellationRequested) break;
        await this.runDataset(run, dataset, byName, excluded, token, force);
      }
    } finally {
      run.end();
      this.finished.fire();
    }
  }

  private *collect(items: vscode.TestItemCollection): Iterable<vscode.TestItem> {
    for (const [, item] of items) yield item;
  }

  private async runDataset(
    run: vscode.TestRun,
    dataset: string,
    byName: Map<string, Set<number> | undefined>,
    excluded: Set<string>,
    token: vscode.CancellationToken,
    force: boolean,
  ): Promise<void> {
    const datasetItem = this.controller.items.get(dataset);
    const testItems = (name: string): vscode.TestItem[] => {
      const p = datasetItem?.children.get(problemId(dataset, name));
      if (p === undefined) return [];
      const wanted = byName.get(name);
      return [...this.collect(p.children)].filter((t) => {
        const n = Number(t.id.slice(t.id.lastIndexOf("#") + 1));
        return !excluded.has(t.id) && (wanted === undefined || wanted.has(n));
      });
    };
    for (const name of byName.keys()) for (const t of testItems(name)) run.enqueued(t);
    const runId = `run-${++this.runCounter}`;
    const client = this.ctx.languageClient;
    const progress = client.onNotification(protocol.testProgress, (p) => {
      if (p.runId !== runId) return;
      this.progressed.fire(p);
      this.report(run, dataset, p.result, testItems(p.result.name));
    });
    try {
      for (const name of byName.keys()) for (const t of testItems(name)) run.started(t);
      const params: protocol.RunTestsParams = { runId, dataset, problems: [...byName.keys()], force };
      const result = await client.sendRequest(protocol.runTests, params, token);
      // Problems the cancelled run never started are reported as skipped.
      const done = new Set(result.problems.map((p) => p.name));
      for (const name of byName.keys()) {
        if (done.has(name)) continue;
        for (const t of testItems(name)) {
          run.skipped(t);
          this.results.set(t.id, { outcome: "skipped" });
        }
      }
    } catch (err) {
      if (!token.isCancellationRequested) throw err;
      for (const name of byName.keys()) for (const t of testItems(name)) if (!this.results.has(t.id)) run.skipped(t);
    } finally {
      progress.dispose();
    }
  }

  /** Reports one problem's verification to the run, the results map and the model. */
  private report(run: vscode.TestRun, dataset: string, r: protocol.ProblemRunResult, items: vscode.TestItem[]): void {
    this.model.applyResult(dataset, r);
    const recorded = this.model.problem(dataset, r.name)?.tests ?? [];
    for (const item of items) {
      const n = Number(item.id.slice(item.id.lastIndexOf("#") + 1));
      const t = r.tests.find((x) => x.n === n && x.kind === "q");
      const cached = r.cached ? recorded.find((x) => x.n === n) : undefined;
      if (cached !== undefined && cached.status !== "unknown") {
        // Unchanged since the cached verification: its per-test states, without outputs.
        const message = `${cached.reason ?? cached.status} (cached)`;
        if (cached.status === "pass") run.passed(item);
        else if (cached.status === "fail") run.failed(item, new vscode.TestMessage(message));
        else run.errored(item, new vscode.TestMessage(message));
        const outcome = cached.status === "pass" ? "passed" : cached.status === "fail" ? "failed" : "errored";
        this.results.set(item.id, cached.status === "pass" ? { outcome } : { outcome, message });
      } else if (t === undefined) {
        // The problem as a whole could not be verified (missing files, no q solution …).
        const message = r.reason ?? (r.status === "no_q" ? "no sol.q yet" : `problem is ${r.status}`);
        run.errored(item, new vscode.TestMessage(message));
        this.results.set(item.id, { outcome: "errored", message });
      } else if (t.status === "pass") {
        run.passed(item, r.ms);
        this.results.set(item.id, { outcome: "passed" });
      } else if (t.status === "fail") {
        const message = t.reason ?? "wrong answer";
        const msg = vscode.TestMessage.diff(message, t.expected, t.actual ?? "");
        if (item.uri !== undefined) msg.location = new vscode.Location(item.uri, new vscode.Position(0, 0));
        run.failed(item, msg);
        this.results.set(item.id, { outcome: "failed", message, expected: t.expected, actual: t.actual ?? "" });
      } else {
        const message = t.reason ?? "error";
        run.errored(item, new vscode.TestMessage(message));
        this.results.set(item.id, { outcome: "errored", message });
      }
    }
  }
}
