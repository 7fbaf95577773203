/**
 * The server's LLM handlers (server/src/lsp/llm.ts) over real JSON-RPC with the
 * built server. The model is the `vscode-lm` provider, so every completion is
 * a `qds/lmComplete` reverse request that this test answers the way the
 * editor would: that covers the forwarding path, proposals that write
 * nothing, and a batch whose cancellation reaches the pending model call.
 *
 * A second server gets an API key the way the editor gives it (its process
 * environment) and talks to the HTTP stub (test/stubs/llm-stub.ts): the key
 * must reach the stub and appear nowhere on the JSON-RPC connection, every
 * byte of which is recorded in both directions.
 */
import { strict as assert } from "node:assert";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CancellationTokenSource } from "vscode-jsonrpc/node";
import { KEY_OWNERS } from "../../../client/src/secrets";
import { KEY_ENV } from "../../../server/src/llm/settings";
import type {
  ConvertDatasetResult,
  ConvertProblemResult,
  LmCompleteParams,
  LmCompleteResult,
} from "../../../server/src/protocol";
import { NO_API_KEY } from "../../../server/src/protocol";
import { StubServer } from "../../stubs/llm-stub";
import { ensureBuilt, ROOT, TestClient } from "./client";

const FIXTURE = join(ROOT, "test/integration/fixtures/llm/add-two");
const GOOD_Q = "solve:{x+y}";
const fenced = (q: string) => `\`\`\`q\n${q}\n\`\`\``;

describe("lsp: LLM conversion handlers", function () {
  this.timeout(30_000);
  let client: TestClient;
  let root: string;
  /** Answers for qds/lmComplete, in order; a function may hold the reply back. */
  let answers: ((p: LmCompleteParams, cancelled: Promise<void>) => Promise<LmCompleteResult>)[];
  let asked: LmCompleteParams[];

  before(async () => {
    ensureBuilt();
    root = mkdtempSync(join(tmpdir(), "qds-lsp-llm-"));
    client = new TestClient();
    client.settings = { llm: { provider: "vscode-lm", model: "editor-model", retries: 0 } };
    client.conn.onRequest("qds/lmComplete", (p: LmCompleteParams, token) => {
      asked.push(p);
      const next = answers.shift();
      if (next === undefined) throw new Error("unscripted qds/lmComplete");
      return next(p, new Promise((res) => token.onCancellationRequested(() => res())));
    });
    await client.start(root);
  });

  beforeEach(() => {
    answers = [];
    asked = [];
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const say = (text: string) => async () => ({ text, model: "editor-model" });
  function problem(dataset: string, name: string): string {
    const dir = join(root, dataset, name);
    cpSync(FIXTURE, dir, { recursive: true });
    return dir;
  }

  it("proposes sol.q through the editor's model and writes nothing", async () => {
    const dir = problem("ds1", "add-two");
    answers.push(say(`Sure.\n${fenced(GOOD_Q)}`));
    const r = await client.request<ConvertProblemResult>("qds/convertProblem", { dir, mode: "solution" });
    assert.equal(r.status, "converted", r.reason);
    assert.deepEqual(
      r.proposals.map((f) => [f.file, f.original, f.proposed.trim()]),
      [["sol.q", null, GOOD_Q]],
    );
    assert.equal(existsSync(join(dir, "sol.q")), false);
    assert.equal(asked.length, 1);
    assert.equal(asked[0]?.model, "editor-model");
    assert.ok(JSON.stringify(asked[0]?.messages).includes("return num1 + num2"), "the Python solution was not sent");
  });

  it("converts only the missing q test in tests mode", async () => {
    const dir = problem("ds1", "tests-mode");
    writeFileSync(join(dir, "sol.q"), `${GOOD_Q}\n`);
    unlinkSync(join(dir, "q_test_case_2.q"));
    answers.push(say(fenced("0N!solve[-10;4];")));
    const r = await client.request<ConvertProblemResult>("qds/convertProblem", { dir, mode: "tests" });
    assert.equal(r.status, "converted", r.reason);
    assert.deepEqual(
      r.proposals.map((f) => [f.file, f.original]),
      [["q_test_case_2.q", null]],
    );
    assert.equal(existsSync(join(dir, "q_test_case_2.q")), false);
  });

  it("refuses to fix a problem without sol.q, naming the file", async () => {
    const dir = problem("ds1", "no-q");
    await assert.rejects(client.request("qds/convertProblem", { dir, mode: "fix" }), (e: Error) =>
      e.message.includes(join(dir, "sol.q")),
    );
    assert.equal(asked.length, 0);
  });

  it("refuses a provider without a key before any work, with the code the client turns into 'Set API Key'", async () => {
    assert.equal(process.env["ANTHROPIC_API_KEY"], undefined, "this test needs ANTHROPIC_API_KEY unset");
    const dir = problem("ds1", "no-key");
    const saved = client.settings;
    client.settings = { llm: { provider: "anthropic" } };
    try {
      await assert.rejects(
        client.request("qds/convertProblem", { dir, mode: "solution" }),
        (e: Error & { code?: number; data?: unknown }) => {
          assert.equal(e.code, NO_API_KEY);
          assert.deepEqual(e.data, { provider: "anthropic" });
          return true;
        },
      );
      await assert.rejects(
        client.request("qds/convertDataset", { runId: "r", dataset: join(root, "ds1") }),
        (e: Error & { code?: number }) => e.code === NO_API_KEY,
      );
    } finally {
      client.settings = saved;
    }
    assert.equal(existsSync(join(root, "ds1", ".qds", "runs")), false, "a run log was started");
  });

  it("cancelling a dataset batch cancels the pending model call and stops cleanly; a re-run finishes it", async () => {
    problem("ds2", "a");
    problem("ds2", "b");
    const dataset = join(root, "ds2");
    let reached!: () => void;
    const waiting = new Promise<void>((res) => {
      reached = res;
    });
    let callCancelled = false;
    const hold = async (_p: LmCompleteParams, cancelled: Promise<void>): Promise<LmCompleteResult> => {
      reached();
      await cancelled;
      callCancelled = true;
      throw new Error("cancelled by the test");
    };
    answers.push(hold, hold);
    const source = new CancellationTokenSource();
    const pending = client.conn.sendRequest<ConvertDatasetResult>(
      "qds/convertDataset",
      { runId: "r1", dataset },
      source.token,
    );
    await waiting;
    source.cancel();
    const r = await pending;
    assert.equal(r.cancelled, true);
    assert.equal(callCancelled, true, "the model call in flight was not cancelled");
    assert.equal(existsSync(join(dataset, "a", "sol.q")), false);
    assert.match(readFileSync(r.log, "utf8"), /run_cancelled/);

    answers = [say(fenced(GOOD_Q)), say(fenced(GOOD_Q))];
    const again = await client.request<ConvertDatasetResult>("qds/convertDataset", { runId: "r2", dataset });
    assert.deepEqual([again.converted, again.cancelled, again.log], [2, false, r.log]);
    assert.equal(readFileSync(join(dataset, "b", "sol.q"), "utf8").trim(), GOOD_Q);
  });
});

describe("lsp: API keys stay off the JSON-RPC connection", function () {
  this.timeout(30_000);
  const KEY = "sk-qds-wire-test-4b8e2d71c0";
  let client: TestClient;
  let stub: StubServer;
  let root: string;
  /** Everything sent on the connection, both directions, as one text so a key split across chunks still matches. */
  let wire = "";

  before(async () => {
    ensureBuilt();
    root = mkdtempSync(join(tmpdir(), "qds-lsp-keys-"));
    stub = await StubServer.start("openai-chat");
    client = new TestClient({
      env: { ...process.env, QDS_OPENAI_COMPATIBLE_API_KEY: KEY },
      onWire: (_from, chunk) => {
        wire += chunk.toString("utf8");
      },
    });
    client.settings = {
      llm: { provider: "openai-compatible", baseUrl: stub.baseUrl, model: "stub-model", retries: 0 },
    };
    await client.start(root);
  });

  after(async () => {
    await client.stop();
    await stub.close();
    rmSync(root, { recursive: true, force: true });
  });

  function problem(dataset: string, name: string): string {
    const dir = join(root, dataset, name);
    cpSync(FIXTURE, dir, { recursive: true });
    return dir;
  }

  it("sends the key from the server's environment to the provider, never over JSON-RPC", async () => {
    stub.push({ reply: fenced(GOOD_Q) });
    const r = await client.request<ConvertProblemResult>("qds/convertProblem", {
      dir: problem("ds", "one"),
      mode: "solution",
    });
    assert.equal(r.status, "converted", r.reason);

    // A batch whose provider echoes the key in its error: result, progress and run log must not carry it.
    stub.push(
      { reply: fenced(GOOD_Q) },
      { status: 400, body: JSON.stringify({ error: { message: `bad key ${KEY}` } }) },
    );
    problem("batch", "a");
    problem("batch", "b");
    const batch = await client.request<ConvertDatasetResult>("qds/convertDataset", {
      runId: "k1",
      dataset: join(root, "batch"),
    });
    assert.deepEqual([batch.converted, batch.error], [1, 1]);
    assert.equal(readFileSync(batch.log, "utf8").includes(KEY), false, "the key is in the run log");

    assert.equal(stub.requests.length, 3);
    for (const req of stub.requests) assert.equal(req.headers.authorization, `Bearer ${KEY}`);
    // The wire was recorded (both directions) and is free of the key.
    for (const part of ['"method":"qds/convertProblem"', '"method":"qds/convertProgress"', '"status":"error"'])
      assert.ok(wire.includes(part), `the recorded wire lacks ${part}`);
    assert.equal(wire.includes(KEY), false, "the key crossed the JSON-RPC connection");
  });

  it("the client's key variables are the ones the server reads", () => {
    for (const owner of KEY_OWNERS)
      for (const provider of owner.providers)
        assert.ok(KEY_ENV[provider].includes(owner.env), `${owner.id}/${provider}`);
  });
});
