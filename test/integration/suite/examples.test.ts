/**
 * The shipped example dataset in the real host: the explorer lists every
 * problem of examples/dataset with the title and difficulty from its
 * entry.json and the right status (untested before any run), and after a
 * Test Explorer run over all of them every problem shows valid. Expected
 * values are read from the dataset on disk, not written into the test.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { Node } from "../../../client/src/explorer";
import type { QdsApi } from "../../../client/src/main";
import { problemId } from "../../../client/src/testing";
import { extension, fixture, within } from "./util";

interface Entry {
  title?: string;
  difficulty?: string;
}

describe("editor: the example dataset", function () {
  this.timeout(180_000);
  let api: QdsApi;
  let copy: vscode.Uri;
  const source = join(extension().extensionPath, "examples", "dataset");
  const entries = new Map<string, Entry>(
    readdirSync(source, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith("."))
      .map((d) => [d.name, JSON.parse(readFileSync(join(source, d.name, "entry.json"), "utf8")) as Entry]),
  );

  async function problemNodes(): Promise<Extract<Node, { kind: "problem" }>[]> {
    const roots = await api.editor.explorer.getChildren();
    const dataset = roots.find((n) => n.kind === "dataset" && n.dataset.dir === copy.fsPath);
    assert.ok(dataset, "the explorer does not list the example dataset");
    const nodes = await api.editor.explorer.getChildren(dataset);
    return nodes.flatMap((n) => (n.kind === "problem" ? [n] : []));
  }

  before(async () => {
    api = await within(extension().activate(), "activation");
    await within(api.whenReady(), "the server to be ready");
    copy = fixture("datasets/examples");
    await vscode.workspace.fs.copy(vscode.Uri.file(source), copy, { overwrite: true });
    // A developer's verification cache must not decide the statuses this test expects.
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(copy, ".qds"), { recursive: true, useTrash: false }).then(
      () => undefined,
      () => undefined,
    );
    await within(api.editor.model.refresh(), "the dataset list");
  });

  it("lists every problem with its entry.json title and difficulty, untested", async () => {
    assert.ok(entries.size >= 30, `only ${entries.size} example problems`);
    const nodes = await problemNodes();
    assert.deepEqual(nodes.map((n) => n.problem.name).sort(), [...entries.keys()].sort());
    for (const n of nodes) {
      const entry = entries.get(n.problem.name) as Entry;
      const item = api.editor.explorer.getTreeItem(n);
      assert.equal(item.label, entry.title ?? n.problem.name, n.problem.name);
      assert.equal(item.description, entry.difficulty, n.problem.name);
      assert.equal(n.problem.status, "untested", n.problem.name);
    }
  });

  it("verifies every problem through the Test Explorer: all valid", async () => {
    const ids = [...entries.keys()].map((name) => problemId(copy.fsPath, name));
    await within(api.editor.testing.runIds(ids), "the run over the example dataset", 150_000);
    const notValid = (await problemNodes()).filter((n) => n.problem.status !== "valid");
    assert.deepEqual(
      notValid.map((n) => `${n.problem.name}: ${n.problem.status} ${n.problem.reason ?? ""}`),
      [],
    );
  });
});
