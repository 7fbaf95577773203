/**
 * The transform stage through the real SDKs against local wire-compatible
 * servers: synchronous Gemini and OpenAI-compatible calls (test/stubs/
 * llm-stub.ts), and the three providers' batch APIs (test/stubs/
 * batch-stub.ts): job states, partial failures, resubmission of only the
 * failed rows, recovery of a finished job by its id, dry run, the
 * confirmation gate and the prompt placeholder check. The kill -9 and
 * resume test is in transform-kill.test.ts.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LlmClient } from "../../../server/src/llm/client";
import { createBatchJobs } from "../../../server/src/llm/jobs";
import { PromptLoader } from "../../../server/src/llm/prompts";
import { parseSettings } from "../../../server/src/llm/settings";
import { transformRun } from "../../../server/src/traces/transform";
import { validateRow } from "../../../server/src/traces/validate";
import { BatchStub, type BatchWire } from "../../stubs/batch-stub";
import { StubServer } from "../../stubs/llm-stub";
import { rewriteReply, transformedIds, writeRows } from "../../support/traces-rows";

function userText(body: Record<string, unknown>): string {
  const contents = body["contents"] as { parts: { text: string }[] }[] | undefined;
  if (contents) return contents[0]!.parts[0]!.text;
  const messages = body["messages"] as { role: string; content: string }[];
  return messages.find((m) => m.role === "user")!.content;
}

describe("traces: transform", function () {
  this.timeout(30_000);
  let dir: string;
  const prompts = new PromptLoader();
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "qds-transform-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const client = (provider: "gemini" | "openai-compatible", baseUrl: string) =>
    new LlmClient({
      settings: parseSettings({ provider, model: "m", baseUrl, retries: 1 }),
      apiKey: "test-key",
      retry: { baseMs: 1, maxMs: 5 },
    });

  it("synchronous Gemini: every row rewritten, the output validates, a re-run sends nothing", async () => {
    const stub = await StubServer.start("gemini");
    stub.respond = (r) => ({ reply: rewriteReply(userText(r.body)) });
    try {
      const ids = writeRows(dir, 5);
      const rep = await transformRun({ run: dir, prompts, client: client("gemini", stub.baseUrl) });
      assert.equal(rep.done, 5);
      assert.deepEqual(transformedIds(dir).sort(), ids.sort());
      assert.ok(userText(stub.requests[0]!.body).includes("Consider case"));
      for (const line of readFileSync(join(dir, "transformed.jsonl"), "utf8").trim().split("\n")) {
        assert.deepEqual(validateRow(JSON.parse(line), "x", 1), []);
      }
      const again = await transformRun({ run: dir, prompts, client: client("gemini", stub.baseUrl) });
      assert.equal(again.done, 0);
      assert.equal(again.skipped, 5);
      assert.equal(stub.requests.length, 5);
    } finally {
      await stub.close();
    }
  });

  it("synchronous OpenAI-compatible: a failing row is logged and retried next run, the rest done", async () => {
    const stub = await StubServer.start("openai-chat");
    let failRow2 = true;
    stub.respond = (r) =>
      failRow2 && userText(r.body).includes("case 2.") ? { status: 400 } : { reply: rewriteReply(userText(r.body)) };
    try {
      writeRows(dir, 4);
      const first = await transformRun({ run: dir, prompts, client: client("openai-compatible", stub.baseUrl) });
      assert.deepEqual([first.done, first.failed], [3, 1]);
      assert.match(readFileSync(join(dir, "transform_errors.jsonl"), "utf8"), /"id":"row2".*HTTP 400/);
      failRow2 = false;
      const second = await transformRun({ run: dir, prompts, client: client("openai-compatible", stub.baseUrl) });
      assert.deepEqual([second.done, second.failed, second.skipped], [1, 0, 3]);
      assert.equal(transformedIds(dir).length, 4);
    } finally {
      await stub.close();
    }
  });

  for (const wire of ["gemini", "openai", "anthropic"] as BatchWire[]) {
    it(`batch (${wire}): submit, poll through states, partial failure, only failed rows resubmitted`, async () => {
      const stub = await BatchStub.start(wire);
      stub.reply = rewriteReply;
      stub.failIds = new Set(["row1"]);
      const provider = wire === "openai" ? "openai" : wire;
      const jobs = createBatchJobs(parseSettings({ provider, model: "m", baseUrl: stub.baseUrl }), "test-key");
      const states: string[] = [];
      const opts = {
        run: dir,
        prompts,
        jobs,
        batchSize: 10,
        poll: { intervalMs: 1, timeoutMs: 10_000 },
        onEvent: (e: { event: string; state?: string }) => {
          if (e.state) states.push(e.state);
        },
      };
      try {
        const ids = writeRows(dir, 4);
        const first = await transformRun(opts);
        assert.deepEqual([first.done, first.failed], [3, 1]);
        assert.ok(states.length >= 3, `states seen: ${states.join(", ")}`);
        assert.equal(stub.jobs.length, 1);
        assert.match(readFileSync(join(dir, "transform_errors.jsonl"), "utf8"), /"id":"row1"/);
        stub.failIds.clear();
        const second = await transformRun(opts);
        assert.equal(second.done, 1);
        assert.equal(stub.jobs.length, 2);
        assert.deepEqual(
          stub.jobs[1]!.requests.map((r) => r.id),
          ["row1"],
        );
        assert.deepEqual(transformedIds(dir).sort(), ids.sort());
      } finally {
        await stub.close();
      }
    });
  }

  it("batch: a finished job is recovered by its id alone; a job recorded as submitted is collected, not resubmitted", async () => {
    const stub = await BatchStub.start("gemini");
    stub.reply = rewriteReply;
    const jobs = createBatchJobs(parseSettings({ provider: "gemini", model: "m", baseUrl: stub.baseUrl }), "k");
    try {
      writeRows(dir, 3);
      const prompt = (i: number) => {
        const p = prompts.render("think-rewrite", {
          think_text: `Consider case ${i}. Compute the total. Check the result.`,
        });
        return { system: p.system!, messages: [{ role: "user" as const, content: p.user }] };
      };
      const jobId = await jobs.submit([0, 1, 2].map((i) => ({ id: `row${i}`, ...prompt(i) })));
      assert.match(jobId, /^batches\//);
      const rep = await transformRun({
        run: dir,
        prompts,
        jobs,
        batchJob: jobId,
        poll: { intervalMs: 1, timeoutMs: 5000 },
      });
      assert.equal(rep.done, 3);
      assert.equal(stub.jobs.length, 1);

      // A run killed after submitting: the record says "submitted"; the next run collects that job.
      const dir2 = mkdtempSync(join(tmpdir(), "qds-transform-"));
      try {
        writeRows(dir2, 3);
        const job2 = await jobs.submit([0, 1, 2].map((i) => ({ id: `row${i}`, ...prompt(i) })));
        mkdirSync(join(dir2, "batches"));
        const rec = {
          jobId: job2,
          provider: "gemini",
          rowIds: ["row0", "row1", "row2"],
          submittedAt: "",
          state: "submitted",
        };
        writeFileSync(join(dir2, "batches", "x.json"), JSON.stringify(rec));
        const resumed = await transformRun({ run: dir2, prompts, jobs, poll: { intervalMs: 1, timeoutMs: 5000 } });
        assert.equal(resumed.done, 3);
        assert.equal(stub.jobs.length, 2, "no new job submitted");
        assert.equal(transformedIds(dir2).length, 3);
      } finally {
        rmSync(dir2, { recursive: true, force: true });
      }
    } finally {
      await stub.close();
    }
  });

  it("batch: a job that ends failed or expired leaves its rows to the next run", async () => {
    const stub = await BatchStub.start("openai");
    stub.reply = rewriteReply;
    stub.finalState = "expired";
    const jobs = createBatchJobs(parseSettings({ provider: "openai", model: "m", baseUrl: stub.baseUrl }), "k");
    try {
      writeRows(dir, 2);
      const rep = await transformRun({ run: dir, prompts, jobs, poll: { intervalMs: 1, timeoutMs: 5000 } });
      assert.deepEqual([rep.done, rep.failed], [0, 2]);
      stub.finalState = "succeeded";
      const again = await transformRun({ run: dir, prompts, jobs, poll: { intervalMs: 1, timeoutMs: 5000 } });
      assert.equal(again.done, 2);
    } finally {
      await stub.close();
    }
  });

  it("dry run sends nothing; above 100 rows the run needs confirmation", async () => {
    const stub = await StubServer.start("gemini");
    stub.respond = (r) => ({ reply: rewriteReply(userText(r.body)) });
    try {
      writeRows(dir, 101);
      const dry = await transformRun({ run: dir, prompts, client: client("gemini", stub.baseUrl), dryRun: true });
      assert.equal(dry.todo, 101);
      assert.ok(dry.preview![0]!.user.includes("Consider case"));
      const refused = await transformRun({
        run: dir,
        prompts,
        client: client("gemini", stub.baseUrl),
        confirm: async () => false,
      });
      assert.equal(refused.cancelled, true);
      assert.equal(stub.requests.length, 0);
      const limited = await transformRun({ run: dir, prompts, client: client("gemini", stub.baseUrl), maxRows: 3 });
      assert.equal(limited.done, 3);
    } finally {
      await stub.close();
    }
  });

  it("a prompt override without {{think_text}} is refused with the file named", () => {
    mkdirSync(join(dir, ".qds", "prompts"), { recursive: true });
    writeFileSync(join(dir, ".qds", "prompts", "think-rewrite.md"), "<!-- user -->\nRewrite the reasoning.\n");
    assert.throws(
      () => new PromptLoader([dir]).render("think-rewrite", { think_text: "x" }),
      /think-rewrite\.md: missing required placeholder \{\{think_text\}\}/,
    );
  });
});
