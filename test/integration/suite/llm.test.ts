/**
 * LLM conversion in the real editor, against the wire-compatible stub server
 * (test/stubs/llm-stub.ts) on 127.0.0.1 as an openai-compatible provider.
 * Each test works on a fresh copy of fixtures/llm/add-two in a temp dataset
 * folder, so the files on disk are the evidence: a proposal shows as a diff
 * and writes nothing until it is accepted. "Set API Key" restarts the
 * language server with the key in its environment, so the stub seeing the
 * stored key proves that path; the last test traces the connection verbosely
 * and checks that the key is in no message of the output channel's log.
 */
import { strict as assert } from "node:assert";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import type { AcceptResult, Proposal } from "../../../client/src/llm";
import type { ConvertDatasetResult } from "../../../server/src/protocol";
import { StubServer } from "../../stubs/llm-stub";
import { extension, fixture, until, within } from "./util";

const KEY = "sk-qds-integration-7f3c9a";
const GOOD_Q = "solve:{x+y}";
const reply = (q: string) => ({ reply: `Here it is:\n\`\`\`q\n${q}\n\`\`\`\n` });

/** Files under `dir` whose text contains `needle` (run logs included). */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) hits.push(...filesContaining(path, needle));
    else if (readFileSync(path, "utf8").includes(needle)) hits.push(path);
  }
  return hits;
}

function activeDiff(): vscode.TabInputTextDiff | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputTextDiff ? input : undefined;
}

function openDiffsOf(p: Proposal): number {
  const mine = new Set(p.uris.map((u) => u.toString()));
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputTextDiff && mine.has(t.input.modified.toString())).length;
}

describe("llm conversion", function () {
  this.timeout(60_000);
  let stub: StubServer;
  let root: string;
  let dataset: string;
  const llm = () => vscode.workspace.getConfiguration("qds.llm");

  before(async () => {
    const ext = extension();
    await within(
      ext.activate().then((api) => api.whenReady()),
      "the language server",
    );
    stub = await StubServer.start("openai-chat");
    const target = vscode.ConfigurationTarget.Workspace;
    await llm().update("provider", "openai-compatible", target);
    await llm().update("baseUrl", stub.baseUrl, target);
    await llm().update("model", "stub-model", target);
    // No HTTP retries: an unscripted request fails the test at once instead of backing off.
    await llm().update("retries", 0, target);
    root = mkdtempSync(join(tmpdir(), "qds-llm-it-"));
    dataset = join(root, "dataset");
    assert.equal(await vscode.commands.executeCommand("qds.setApiKey", "openai-compatible", KEY), true);
  });

  after(async () => {
    for (const k of ["provider", "baseUrl", "model", "retries", "autoAcceptWhenPassing"])
      await llm().update(k, undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await stub.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** A fresh copy of the fixture problem under `name`. */
  function problem(name: string): string {
    const dir = join(dataset, name);
    cpSync(join(extension().extensionPath, "test", "integration", "fixtures", "llm", "add-two"), dir, {
      recursive: true,
    });
    return dir;
  }

  it("Convert Python Solution to Q shows a diff, writes nothing until Accept, then sol.q passes its tests", async () => {
    const dir = problem("add-two");
    const solQ = join(dir, "sol.q");
    stub.push(reply(GOOD_Q));
    await vscode.window.showTextDocument(vscode.Uri.file(join(dir, "sol.py")));
    const p = await within(
      vscode.commands.executeCommand<Proposal>("qds.convertSolution"),
      "the conversion proposal",
      30_000,
    );
    assert.equal(p.status, "converted", p.reason);
    assert.deepEqual(
      p.proposals.map((f) => f.file),
      ["sol.q"],
    );
    const diff = activeDiff();
    assert.ok(diff, "no diff editor is active after the conversion");
    assert.equal(diff.modified.scheme, "qds-proposal");
    const shown = await vscode.workspace.openTextDocument(diff.modified);
    assert.equal(shown.getText().trim(), GOOD_Q);
    assert.equal(existsSync(solQ), false, "sol.q was written before Accept");

    // The stored key reached the provider as the bearer token.
    assert.equal(stub.requests.length, 1);
    assert.equal(stub.requests[0]?.headers.authorization, `Bearer ${KEY}`);

    const accepted = await within(
      vscode.commands.executeCommand<AcceptResult>("qds.acceptProposal", p.id),
      "accept and re-verify",
    );
    assert.equal(readFileSync(solQ, "utf8").trim(), GOOD_Q);
    assert.equal(accepted.verification?.status, "valid", JSON.stringify(accepted.verification));
    assert.deepEqual(
      accepted.verification?.tests.map((t) => t.status),
      ["pass", "pass"],
    );
    assert.equal(openDiffsOf(p), 0, "the diff stayed open after Accept");
  });

  it("Fix Q Solution sends the failing test back, and Reject leaves sol.q untouched", async () => {
    const dir = problem("add-two-fix");
    const solQ = join(dir, "sol.q");
    writeFileSync(solQ, "solve:{x-y}\n");
    const before = statSync(solQ).mtimeMs;
    const sent = stub.requests.length;
    stub.push(reply(GOOD_Q));
    const p = await within(
      vscode.commands.executeCommand<Proposal>("qds.fixSolution", vscode.Uri.file(solQ)),
      "the repair proposal",
      30_000,
    );
    assert.equal(p.status, "converted", p.reason);
    assert.equal(p.rounds, 2);
    assert.equal(stub.requests.length, sent + 1);
    // The repair prompt carries the broken solution and the first failing test's expected and actual output.
    const prompt = JSON.stringify(stub.requests[sent]?.body);
    for (const part of ["solve:{x-y}", "solve[12;5]", "17"])
      assert.ok(prompt.includes(part), `repair prompt lacks ${part}`);
    const shown = await vscode.workspace.openTextDocument(p.uris[0]!);
    assert.equal(shown.getText().trim(), GOOD_Q);

    assert.equal(await vscode.commands.executeCommand("qds.rejectProposal", p.id), true);
    assert.equal(readFileSync(solQ, "utf8"), "solve:{x-y}\n");
    assert.equal(statSync(solQ).mtimeMs, before);
    assert.equal(openDiffsOf(p), 0, "the diff stayed open after Reject");
    // A rejected proposal cannot be accepted later.
    assert.equal(await vscode.commands.executeCommand("qds.acceptProposal", p.id), undefined);
    assert.equal(readFileSync(solQ, "utf8"), "solve:{x-y}\n");
  });

  it("autoAcceptWhenPassing writes a passing proposal without asking", async () => {
    const dir = problem("add-two-auto");
    await llm().update("autoAcceptWhenPassing", true, vscode.ConfigurationTarget.Workspace);
    try {
      stub.push(reply(GOOD_Q));
      const p = await within(
        vscode.commands.executeCommand<Proposal>("qds.convertSolution", vscode.Uri.file(join(dir, "sol.py"))),
        "the auto-accepted conversion",
        30_000,
      );
      assert.equal(p.state, "accepted");
      assert.equal(readFileSync(join(dir, "sol.q"), "utf8").trim(), GOOD_Q);
    } finally {
      await llm().update("autoAcceptWhenPassing", undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it("Convert Dataset writes in place and a re-run resumes from the run log", async () => {
    const batch = join(root, "batch");
    cpSync(join(extension().extensionPath, "test", "integration", "fixtures", "llm", "add-two"), join(batch, "p1"), {
      recursive: true,
    });
    stub.push(reply(GOOD_Q));
    const sent = stub.requests.length;
    const first = await within(
      vscode.commands.executeCommand<ConvertDatasetResult>("qds.convertDataset", batch, "all"),
      "the dataset conversion",
      30_000,
    );
    assert.deepEqual([first.converted, first.failing, first.error, first.cancelled], [1, 0, 0, false]);
    assert.equal(readFileSync(join(batch, "p1", "sol.q"), "utf8").trim(), GOOD_Q);
    assert.equal(stub.requests.length, sent + 1);
    const again = await within(
      vscode.commands.executeCommand<ConvertDatasetResult>("qds.convertDataset", batch, "all"),
      "the resumed conversion",
    );
    assert.deepEqual([again.converted, again.skipped], [0, 1]);
    assert.equal(stub.requests.length, sent + 1, "the resumed run called the model again");
  });

  it("a provider without a key: no request, no file, the command ends (the message offers Set API Key)", async () => {
    const dir = problem("add-two-nokey");
    const sent = stub.requests.length;
    await llm().update("provider", "anthropic", vscode.ConfigurationTarget.Workspace);
    try {
      const r = await within(
        Promise.resolve(vscode.commands.executeCommand("qds.convertSolution", vscode.Uri.file(join(dir, "sol.py")))),
        "the refused conversion",
      );
      assert.equal(r, undefined);
    } finally {
      await llm().update("provider", "openai-compatible", vscode.ConfigurationTarget.Workspace);
    }
    assert.equal(stub.requests.length, sent);
    assert.equal(existsSync(join(dir, "sol.q")), false);
  });

  it("vscode-lm asks the host's Language Model API and names the problem when it has no model", async () => {
    const dir = problem("add-two-lm");
    const sent = stub.requests.length;
    await llm().update("provider", "vscode-lm", vscode.ConfigurationTarget.Workspace);
    try {
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand("qds.convertSolution", vscode.Uri.file(join(dir, "sol.py")))),
        /vscode-lm: no VS Code language model is available/,
      );
    } finally {
      await llm().update("provider", "openai-compatible", vscode.ConfigurationTarget.Workspace);
    }
    assert.equal(stub.requests.length, sent, "vscode-lm went to the HTTP provider");
    assert.equal(existsSync(join(dir, "sol.q")), false);
  });

  it("the API key is in no setting, settings file, run log or traced message", async () => {
    const api = await extension().activate();
    const target = vscode.ConfigurationTarget.Workspace;
    await vscode.workspace.getConfiguration("qds").update("trace.server", "verbose", target);
    // The client traces only while its output channel logs at trace level.
    await vscode.commands.executeCommand("_extensionTests.setLogLevel", "trace");
    try {
      // Set the key again while tracing: the restart and the conversion after it both land in the trace.
      assert.equal(await vscode.commands.executeCommand("qds.setApiKey", "openai-compatible", KEY), true);
      const sent = stub.requests.length;
      stub.push(reply(GOOD_Q));
      const p = await within(
        vscode.commands.executeCommand<Proposal>(
          "qds.convertSolution",
          vscode.Uri.file(join(problem("add-two-trace"), "sol.py")),
        ),
        "the traced conversion",
        30_000,
      );
      assert.equal(p.status, "converted", p.reason);
      assert.equal(stub.requests[sent]?.headers.authorization, `Bearer ${KEY}`, "the restarted server lost the key");
      await vscode.commands.executeCommand("qds.rejectProposal", p.id);
      const log = join(api.logUri.fsPath, "Q Dataset Studio.log");
      const traced = () => (existsSync(log) ? readFileSync(log, "utf8") : "");
      await until(
        () => traced().includes(p.name) && traced().includes("qds/convertProblem"),
        `the traced request in ${log}`,
      );
      assert.ok(traced().includes('"mode": "solution"'), "the trace has no request parameters to check");
      assert.equal(traced().includes(KEY), false, "the key is in the language server's output channel");
      // Every log of the extension host, this channel's among them.
      assert.deepEqual(filesContaining(join(api.logUri.fsPath, ".."), KEY), [], "the key is in a log file");
    } finally {
      await vscode.commands.executeCommand("_extensionTests.setLogLevel", "info");
      await vscode.workspace.getConfiguration("qds").update("trace.server", undefined, target);
    }
    assert.ok(
      stub.requests.some((r) => r.headers.authorization === `Bearer ${KEY}`),
      "the key was never sent",
    );
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration("qds")).includes(KEY), "the key is in qds.* settings");
    assert.deepEqual(filesContaining(fixture(".").fsPath, KEY), [], "the key is in a workspace file");
    assert.deepEqual(filesContaining(root, KEY), [], "the key is in a dataset file or run log");
    assert.ok(filesContaining(root, "run_start").length > 0, "no run log was written to check");
  });
});
