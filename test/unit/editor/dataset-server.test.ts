/**
 * The editor's server requests (server/src/lsp/dataset.ts) against the built
 * server over JSON-RPC: dataset detection, problem listing with entry.json
 * metadata, verification of a selection with streamed progress and
 * expected/actual on a wrong answer, an edit turning a problem untested,
 * cancellation stopping a run, the q console evaluation and the runtime info.
 * The problems are copies of the integration fixture dataset plus generated ones.
 */
import assert from "node:assert/strict";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CancellationTokenSource } from "vscode-jsonrpc/node";
import type * as protocol from "../../../server/src/protocol";
import { ensureBuilt, ROOT, TestClient } from "../lsp/client";

const FIXTURE = join(ROOT, "test/integration/fixtures/datasets/demo");

describe("editor server requests", function () {
  this.timeout(60_000);
  let root: string;
  let demo: string;
  let client: TestClient;

  before(async () => {
    ensureBuilt();
    root = mkdtempSync(join(tmpdir(), "qds-editor-"));
    demo = join(root, "data", "demo");
    cpSync(FIXTURE, demo, { recursive: true });
    // Not a dataset: a folder of folders without entry.json.
    mkdirSync(join(root, "notes", "misc"), { recursive: true });
    client = new TestClient();
    client.settings = { diagnostics: { runtime: "off" } };
    await client.start(root);
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("finds datasets under the roots and configured ones, with status counts", async () => {
    const extra = join(root, "elsewhere");
    mkdirSync(join(extra, "p1"), { recursive: true });
    writeFileSync(join(extra, "p1", "entry.json"), "{}\n");
    const found = await client.request<protocol.DatasetSummary[]>("qds/datasets", {
      roots: [join(root, "data"), join(root, "notes")],
      configured: [extra, join(root, "missing")],
    });
    assert.deepEqual(
      found.map((d) => d.dir),
      [demo, extra],
    );
    assert.deepEqual(found[0]?.counts, { invalid: 0, no_q: 1, untested: 3, valid: 0, failing: 0, error: 0 });
    // elsewhere/p1 has an entry.json of {} and nothing else: what `qds validate` rejects, the explorer counts invalid.
    assert.deepEqual(found[1]?.counts, { invalid: 1, no_q: 0, untested: 0, valid: 0, failing: 0, error: 0 });
  });

  it("lists problems with title, difficulty, tags and test numbers", async () => {
    const problems = await client.request<protocol.ProblemInfo[]>("qds/problems", { dataset: demo });
    const largest = problems.find((p) => p.name === "largest-number");
    assert.ok(largest, "largest-number missing");
    assert.equal(largest.title, "Largest Number");
    assert.equal(largest.difficulty, "Hard");
    assert.deepEqual(largest.tags, ["array", "math"]);
    assert.deepEqual(largest.tests, [
      { n: 1, status: "unknown" },
      { n: 2, status: "unknown" },
    ]);
    assert.equal(problems.find((p) => p.name === "no-q-yet")?.status, "no_q");
  });

  it("verifies only the named problems, streams progress and reports expected/actual", async () => {
    const progress: protocol.TestProgressParams[] = [];
    const sub = client.conn.onNotification("qds/testProgress", (p: protocol.TestProgressParams) => {
      progress.push(p);
    });
    const result = await client.request<protocol.RunTestsResult>("qds/runTests", {
      runId: "r1",
      dataset: demo,
      problems: ["largest-number", "add-two"],
      force: true,
    });
    sub.dispose();
    assert.equal(result.cancelled, false);
    assert.deepEqual(result.problems.map((p) => p.name).sort(), ["add-two", "largest-number"]);
    assert.deepEqual(
      progress.map((p) => p.runId),
      ["r1", "r1"],
    );
    const largest = result.problems.find((p) => p.name === "largest-number");
    assert.equal(largest?.status, "failing");
    const t1 = largest?.tests.find((t) => t.n === 1);
    assert.deepEqual([t1?.status, t1?.expected, t1?.actual], ["fail", "9", "3"]);
    assert.equal(result.problems.find((p) => p.name === "add-two")?.status, "valid");
    // The cache now says so, and the problem not asked for is still untested.
    const problems = await client.request<protocol.ProblemInfo[]>("qds/problems", { dataset: demo });
    const status = Object.fromEntries(problems.map((p) => [p.name, p.status]));
    assert.deepEqual(status, {
      "add-two": "valid",
      "largest-number": "failing",
      "no-q-yet": "no_q",
      "reverse-list": "untested",
    });
    assert.deepEqual(
      problems.find((p) => p.name === "largest-number")?.tests.map((t) => t.status),
      ["fail", "pass"],
    );
  });

  it("shows a problem that qds validate rejects as invalid, with its first error, until it is mended", async () => {
    const file = join(demo, "largest-number", "test_case_2.py");
    const text = readFileSync(file, "utf8");
    rmSync(file);
    try {
      const p = await client.request<protocol.ProblemInfo | null>("qds/problem", {
        dataset: demo,
        name: "largest-number",
      });
      // Verified as failing before, but a folder with a missing file is invalid first of all.
      assert.equal(p?.status, "invalid");
      assert.equal(p?.reason, "test_case_2.py:1: missing file");
      const all = await client.request<protocol.ProblemInfo[]>("qds/problems", { dataset: demo });
      assert.equal(all.find((x) => x.name === "largest-number")?.status, "invalid");
      const [summary] = await client.request<protocol.DatasetSummary[]>("qds/datasets", {
        roots: [demo],
        configured: [],
      });
      assert.equal(summary?.counts.invalid, 1);
    } finally {
      writeFileSync(file, text);
    }
    const mended = await client.request<protocol.ProblemInfo | null>("qds/problem", {
      dataset: demo,
      name: "largest-number",
    });
    assert.notEqual(mended?.status, "invalid");
  });

  it("reports an edited problem as untested", async () => {
    writeFileSync(join(demo, "add-two", "sol.q"), "solve:{[a;b] b+a}\n");
    const p = await client.request<protocol.ProblemInfo | null>("qds/problem", { dataset: demo, name: "add-two" });
    assert.equal(p?.status, "untested");
    assert.equal(await client.request("qds/problem", { dataset: demo, name: "nope" }), null);
  });

  it("stops a run when the request is cancelled", async () => {
    const many = join(root, "many");
    for (let i = 0; i < 40; i++)
      cpSync(join(FIXTURE, "add-two"), join(many, `p${String(i).padStart(2, "0")}`), { recursive: true });
    const source = new CancellationTokenSource();
    const sub = client.conn.onNotification("qds/testProgress", (p: protocol.TestProgressParams) => {
      if (p.runId === "r2") source.cancel();
    });
    const result = (await client.conn.sendRequest(
      "qds/runTests",
      { runId: "r2", dataset: many, force: true },
      source.token,
    )) as protocol.RunTestsResult;
    sub.dispose();
    assert.equal(result.cancelled, true);
    assert.ok(result.problems.length >= 1 && result.problems.length < 40, `${result.problems.length} problems ran`);
  });

  it("evaluates text with q console display, going on after an error", async () => {
    const ok = await client.request<protocol.EvaluateResult>("qds/evaluate", { text: "x:1+1\nx*3\n1 2 3\n" });
    assert.deepEqual(ok, { output: "6\n1 2 3\n" });
    const bad = await client.request<protocol.EvaluateResult>("qds/evaluate", { text: "1+`a\n2+2\n" });
    assert.equal(bad.error, "type");
    assert.match(bad.output, /^'type/);
    assert.match(bad.output, /\n4\n$/);
  });

  it("evaluates in the sandbox: untrusted text meets the memory limit and no system access", async () => {
    const big = await client.request<protocol.EvaluateResult>("qds/evaluate", { text: "x:til 300000000\n1+1\n" });
    assert.equal(big.error, "wsfull");
    assert.match(big.output, /\n2\n$/, "evaluation goes on after the refused allocation");
    const shell = await client.request<protocol.EvaluateResult>("qds/evaluate", { text: 'system "ls /"\n' });
    assert.notEqual(shell.error, undefined);
    assert.doesNotMatch(shell.output, /\bbin\b|\betc\b/);
  });

  it("names the runtime: embedded by default", async () => {
    const info = await client.request<protocol.RuntimeInfoResult>("qds/runtimeInfo", undefined);
    assert.equal(info.kind, "embedded");
    assert.match(info.version, /^\d+\.\d+\.\d+$/);
  });

  it("names an external q from qds.q.path with the version it prints", async () => {
    // A stand-in binary: real q would print .z.K and .z.k for the script the server sends.
    const fake = join(root, "fake-q");
    writeFileSync(fake, '#!/bin/sh\ngrep -q "string .z.K" "$1" && echo "4.1 2024.05.31"\n');
    chmodSync(fake, 0o755);
    client.settings = { ...client.settings, q: { path: fake } };
    try {
      const info = await client.request<protocol.RuntimeInfoResult>("qds/runtimeInfo", undefined);
      assert.deepEqual(info, { kind: "external", name: fake, version: "4.1 2024.05.31" });
    } finally {
      client.settings = { diagnostics: { runtime: "off" } };
    }
  });
});
