/**
 * The batching provider behind `qds convert --batch`: concurrent completions
 * through LlmClient go out as one provider batch job (OpenAI Batch wire, real
 * SDK, local stub), each call gets its own answer back, a row the job failed
 * rejects only that call, and a multi-turn (repair) conversation keeps its
 * messages.
 */
import { strict as assert } from "node:assert";
import { createBatchingProvider } from "../../../server/src/llm/batching";
import { LlmClient } from "../../../server/src/llm/client";
import { createBatchJobs } from "../../../server/src/llm/jobs";
import { parseSettings } from "../../../server/src/llm/settings";
import { BatchStub } from "../../stubs/batch-stub";

describe("llm: batching provider (convert --batch)", function () {
  this.timeout(30_000);

  it("collects concurrent calls into one job and maps each answer back; a failed row rejects alone", async () => {
    const stub = await BatchStub.start("openai");
    stub.reply = (user) => `answer to ${user}`;
    stub.failIds = new Set(["c2"]);
    try {
      const settings = parseSettings({ provider: "openai", model: "m", baseUrl: stub.baseUrl, retries: 0 });
      const provider = createBatchingProvider(createBatchJobs(settings, "k"), {
        windowMs: 50,
        maxBatch: 100,
        poll: { intervalMs: 1, timeoutMs: 5000 },
      });
      const client = new LlmClient({ settings, provider, apiKey: "k" });
      const calls = [0, 1, 2, 3].map((i) => client.complete({ messages: [{ role: "user", content: `q${i}` }] }));
      const settled = await Promise.allSettled(calls);
      assert.equal(stub.jobs.length, 1);
      assert.equal(stub.jobs[0]!.requests.length, 4);
      assert.deepEqual(
        settled.map((s) => (s.status === "fulfilled" ? s.value.text : "rejected")),
        ["answer to q0", "answer to q1", "rejected", "answer to q3"],
      );
      const repair = await client.complete({
        messages: [
          { role: "user", content: "first" },
          { role: "assistant", content: "bad" },
          { role: "user", content: "fix it" },
        ],
      });
      assert.equal(stub.jobs.length, 2);
      assert.equal(repair.text, "answer to first");
    } finally {
      await stub.close();
    }
  });
});
