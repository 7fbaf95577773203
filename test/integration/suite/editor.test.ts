/**
 * The editor features in the real host: the dataset explorer's tree and
 * statuses (an invalid problem among them), CodeLens through vscode.executeCodeLensProvider, test runs through
 * the TestController (a pass, and a planted wrong answer with expected and
 * actual), a sol.q edit turning a problem untested, and "Run q File or
 * Selection". The fixture dataset is copied into the workspace here, not
 * shipped in it, because an entry.json in the workspace would activate the
 * extension before the activation test looks.
 *
 * The last test opens the explorer expanded and, with QDS_SCREENSHOT set,
 * asks the runner for a screenshot while the extension still runs.
 */
import { strict as assert } from "node:assert";
import { existsSync, rmSync } from "node:fs";
import * as vscode from "vscode";
import type { Node } from "../../../client/src/explorer";
import type { QdsApi } from "../../../client/src/main";
import { problemId, testId } from "../../../client/src/testing";
import type { EvaluateResult } from "../../../server/src/protocol";
import { extension, fixture, until, within } from "./util";

describe("editor: explorer, CodeLens, Test Explorer", function () {
  this.timeout(60_000);
  let api: QdsApi;
  let demo: vscode.Uri;
  const file = (problem: string, name: string) => vscode.Uri.joinPath(demo, problem, name);

  /** The problem nodes of the demo dataset, as the explorer renders them. */
  async function problemNodes(): Promise<Node[]> {
    const roots = await api.editor.explorer.getChildren();
    const dataset = roots.find((n) => n.kind === "dataset" && n.dataset.name === "demo");
    assert.ok(dataset, `the explorer lists no demo dataset: ${JSON.stringify(roots.map((n) => n.kind))}`);
    return api.editor.explorer.getChildren(dataset);
  }

  /** executeCodeLensProvider needs the document open in the workbench (it reads the text model). */
  async function lenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
    await vscode.workspace.openTextDocument(uri);
    return within(vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", uri), "CodeLens");
  }

  async function statuses(): Promise<Record<string, string>> {
    const nodes = await problemNodes();
    return Object.fromEntries(nodes.flatMap((n) => (n.kind === "problem" ? [[n.problem.name, n.problem.status]] : [])));
  }

  before(async () => {
    api = await within(extension().activate(), "activation");
    await within(api.whenReady(), "the server to be ready");
    demo = fixture("datasets/demo");
    const source = vscode.Uri.joinPath(extension().extensionUri, "test", "integration", "fixtures", "datasets", "demo");
    await vscode.workspace.fs.copy(source, demo, { overwrite: true });
    await within(api.editor.model.refresh(), "the dataset list");
  });

  it("lists the fixture dataset with titles, difficulties and statuses", async () => {
    assert.deepEqual(await statuses(), {
      "add-two": "untested",
      "largest-number": "untested",
      "no-q-yet": "no_q",
      "reverse-list": "untested",
    });
    const nodes = await problemNodes();
    const add = nodes.find((n) => n.kind === "problem" && n.problem.name === "add-two");
    assert.ok(add);
    const item = api.editor.explorer.getTreeItem(add);
    assert.equal(item.label, "Add Two Numbers");
    assert.equal(item.description, "Easy");
    assert.equal((item.iconPath as vscode.ThemeIcon).id, "circle-large-outline");
    const children = await api.editor.explorer.getChildren(add);
    assert.deepEqual(
      children.map((n) => (n.kind === "test" ? `test ${n.test.n}` : n.kind === "file" ? n.file : n.kind)),
      ["entry.json", "problem_description.txt", "sol.py", "sol.q", "test 1", "test 2"],
    );
    assert.equal(api.editor.explorer.view.description, "1 no q · 3 untested");
  });

  it("filters by status and by title search", async () => {
    const explorer = api.editor.explorer;
    try {
      explorer.setFilter({ statuses: new Set(["no_q"]) });
      assert.deepEqual(
        (await problemNodes()).map((n) => (n.kind === "problem" ? n.problem.name : "")),
        ["no-q-yet"],
      );
      explorer.clearFilter();
      explorer.setFilter({ search: "LIST" });
      assert.deepEqual(
        (await problemNodes()).map((n) => (n.kind === "problem" ? n.problem.name : "")),
        ["reverse-list"],
      );
      assert.match(String(explorer.view.message), /title contains "LIST"/);
    } finally {
      explorer.clearFilter();
    }
  });

  it("shows a problem qds validate rejects as invalid: icon, first error on hover, count and filter", async () => {
    const explorer = api.editor.explorer;
    const removed = file("reverse-list", "test_case_1.py");
    const text = await vscode.workspace.fs.readFile(removed);
    await vscode.workspace.fs.delete(removed);
    try {
      await api.editor.model.reloadProblem(demo.fsPath, "reverse-list");
      const node = (await problemNodes()).find((n) => n.kind === "problem" && n.problem.name === "reverse-list");
      assert.ok(node?.kind === "problem");
      assert.equal(node.problem.status, "invalid");
      const item = explorer.getTreeItem(node);
      assert.equal((item.iconPath as vscode.ThemeIcon).id, "bracket-error");
      // appendText escapes Markdown (\_ for _, &nbsp; for spaces): undo that to read the text a user sees.
      const hover = (item.tooltip as vscode.MarkdownString).value.replace(/\\/g, "").replace(/&nbsp;/g, " ");
      assert.match(hover, /test_case_1\.py:1: missing file/);
      await until(() => /1 invalid/.test(String(explorer.view.description)), "the view's counts to show it");
      explorer.setFilter({ statuses: new Set(["invalid"]) });
      assert.deepEqual(
        (await problemNodes()).map((n) => (n.kind === "problem" ? n.problem.name : "")),
        ["reverse-list"],
      );
    } finally {
      explorer.clearFilter();
      await vscode.workspace.fs.writeFile(removed, text);
      await api.editor.model.reloadProblem(demo.fsPath, "reverse-list");
    }
    assert.equal((await statuses())["reverse-list"], "untested");
  });

  it("offers run lenses on a test file and on sol.q", async () => {
    const found = await lenses(file("add-two", "q_test_case_1.q"));
    const run = found.find((l) => l.command?.title === "▶ Run test 1");
    assert.ok(run, `no run lens: ${JSON.stringify(found.map((l) => l.command?.title))}`);
    assert.equal(run.command?.command, "qds.runTests");
    assert.deepEqual(run.command?.arguments, [[testId(demo.fsPath, "add-two", 1)]]);
    const sol = await lenses(file("add-two", "sol.q"));
    assert.deepEqual(
      sol.map((l) => l.command?.title),
      ["▶ Run all 2 tests · not run"],
    );
  });

  it("shows no lenses while qds.codeLens.enabled is false", async () => {
    const config = vscode.workspace.getConfiguration("qds");
    await config.update("codeLens.enabled", false, vscode.ConfigurationTarget.Global);
    try {
      assert.deepEqual(await lenses(file("add-two", "sol.q")), []);
    } finally {
      await config.update("codeLens.enabled", undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal((await lenses(file("add-two", "sol.q"))).length, 1, "lenses did not come back");
  });

  it("runs a problem through the TestController: both tests pass", async () => {
    await within(vscode.commands.executeCommand("qds.runTests", [problemId(demo.fsPath, "add-two")]), "the run");
    const results = api.editor.testing.results;
    assert.equal(results.get(testId(demo.fsPath, "add-two", 1))?.outcome, "passed");
    assert.equal(results.get(testId(demo.fsPath, "add-two", 2))?.outcome, "passed");
    const sol = await lenses(file("add-two", "sol.q"));
    assert.deepEqual(
      sol.map((l) => l.command?.title),
      ["▶ Run all 2 tests · 2/2 passing"],
    );
  });

  it("reports the planted wrong answer with expected and actual, and the explorer shows it", async () => {
    await within(api.editor.testing.runIds([problemId(demo.fsPath, "largest-number")]), "the run");
    const failed = api.editor.testing.results.get(testId(demo.fsPath, "largest-number", 1));
    assert.deepEqual(
      { outcome: failed?.outcome, expected: failed?.expected, actual: failed?.actual },
      { outcome: "failed", expected: "9", actual: "3" },
    );
    assert.equal(api.editor.testing.results.get(testId(demo.fsPath, "largest-number", 2))?.outcome, "passed");
    const now = await statuses();
    assert.equal(now["add-two"], "valid");
    assert.equal(now["largest-number"], "failing");
  });

  it("marks a problem untested when its sol.q changes on disk", async () => {
    await vscode.workspace.fs.writeFile(file("add-two", "sol.q"), Buffer.from("solve:{[a;b] b+a}\n"));
    await until(
      () => api.editor.model.problem(demo.fsPath, "add-two")?.status === "untested",
      "the edited problem to turn untested",
    );
    assert.equal((await statuses())["largest-number"], "failing", "other problems keep their status");
  });

  it("runs a q selection with console display", async () => {
    const doc = await vscode.workspace.openTextDocument({ language: "q", content: "x:til 5\nx*2\n" });
    await vscode.window.showTextDocument(doc);
    const result = await within(vscode.commands.executeCommand<EvaluateResult>("qds.runQ"), "qds.runQ");
    assert.deepEqual(result, { output: "0 2 4 6 8\n" });
  });

  it("runs a whole q test file after its problem's sol.q, as verification does", async () => {
    // sol.q was edited above to b+a: still 3 for solve[1;2].
    await vscode.window.showTextDocument(file("add-two", "q_test_case_1.q"));
    const result = await within(vscode.commands.executeCommand<EvaluateResult>("qds.runQ"), "qds.runQ");
    assert.deepEqual(result, { output: "3\n" });
  });

  it("names the problem on every Test Explorer item", async () => {
    await api.editor.testing.ensureProblems(demo.fsPath);
    const problem = api.editor.testing.controller.items
      .get(demo.fsPath)
      ?.children.get(problemId(demo.fsPath, "add-two"));
    assert.ok(problem);
    assert.equal(problem.description, "Easy · add-two");
    assert.equal(problem.children.get(testId(demo.fsPath, "add-two", 1))?.label, "test 1 · Add Two Numbers");
  });

  it("lints q files and untitled editors only, not other schemes such as output channels", async () => {
    const bad = "a:1\nb:2*3)\n";
    const provider = vscode.workspace.registerTextDocumentContentProvider("qds-itest", {
      provideTextDocumentContent: () => bad,
    });
    try {
      const virtual = await vscode.workspace.openTextDocument(vscode.Uri.parse("qds-itest:/console.q"));
      await vscode.languages.setTextDocumentLanguage(virtual, "q");
      const untitled = await vscode.workspace.openTextDocument({ language: "q", content: bad });
      await until(() => vscode.languages.getDiagnostics(untitled.uri).length > 0, "diagnostics on the untitled q");
      assert.deepEqual(vscode.languages.getDiagnostics(virtual.uri), []);
    } finally {
      provider.dispose();
    }
  });

  it("names the q runtime in the status bar", async () => {
    const info = await api.editor.runtime.update();
    assert.equal(info.kind, "embedded");
    assert.match(api.editor.runtime.item.text, new RegExp(`embedded ${info.version.replace(/\./g, "\\.")}`));
  });

  it("shows the explorer expanded (for the screenshot)", async () => {
    await vscode.commands.executeCommand("workbench.view.extension.qds");
    const roots = await api.editor.explorer.getChildren();
    const dataset = roots[0];
    assert.ok(dataset);
    // The view may still be rendering the tree of a refresh: VS Code then answers "Data tree node not
    // found" (seen once in CI). Retry for a bounded time; any other error, or no success, fails.
    const reveal = async (node: (typeof roots)[number], options: { expand: boolean; select?: boolean }) => {
      for (let tries = 0; ; tries++) {
        try {
          return await api.editor.explorer.view.reveal(node, options);
        } catch (e) {
          if (tries >= 40 || !/node not found/i.test(String(e))) throw e;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    };
    await reveal(dataset, { expand: true });
    const largest = (await problemNodes()).find((n) => n.kind === "problem" && n.problem.name === "largest-number");
    assert.ok(largest);
    await reveal(largest, { expand: true, select: true });
    await vscode.window.showTextDocument(file("largest-number", "sol.q"));
    assert.ok(api.editor.explorer.view.visible, "the explorer view is not visible");
    const shot = process.env["QDS_SCREENSHOT"];
    if (shot === undefined) return;
    // The runner takes the picture when it reads this line (runner.ts SCREENSHOT_REQUEST).
    rmSync(shot, { force: true });
    console.log("qds:screenshot");
    await until(() => existsSync(shot), `the runner to write ${shot}`);
  });
});
