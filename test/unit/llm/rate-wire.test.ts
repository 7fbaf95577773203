/**
 * The rate limiter on the wire, in real time: many concurrent calls through
 * LlmClient to a stub that refuses more than its limit per sliding window.
 * At the configured rpm the client must stay under the stub's limit (no 429)
 * and its measured rate must match the setting. Kept to about three seconds
 * by scaling a minute down: the stub allows 10 requests a second (600/min).
 */
import { strict as assert } from "node:assert";
import { LlmClient } from "../../../server/src/llm/client";
import { parseSettings } from "../../../server/src/llm/settings";
import { StubServer } from "../../stubs/llm-stub";

describe("rate limit against a limited stub", function () {
  this.timeout(20_000);
  it("keeps a batch of concurrent calls at the configured rpm with no 429s", async () => {
    const stub = await StubServer.start("openai-chat");
    stub.limit = 10;
    stub.windowMs = 1000;
    const n = 30;
    for (let i = 0; i < n; i++) stub.push({ reply: "ok" });
    try {
      const rpm = 540; // 90% of the stub's 600/min
      const client = new LlmClient({
        settings: parseSettings({ provider: "openai-compatible", model: "m", baseUrl: stub.baseUrl, rpm, retries: 0 }),
      });
      const t0 = Date.now();
      await Promise.all(
        Array.from({ length: n }, () => client.complete({ messages: [{ role: "user", content: "hi" }] })),
      );
      const at = stub.requests.map((r) => r.at - t0);
      const measured = ((n - 1) / (at[n - 1]! - at[0]!)) * 60_000;
      assert.equal(stub.rejected, 0);
      // Never above the setting; timer lateness on a busy machine only makes it slower.
      assert.ok(measured <= rpm * 1.02 && measured >= rpm * 0.8, `measured ${measured.toFixed(0)} rpm`);
      process.stdout.write(`      measured ${measured.toFixed(1)} rpm at a setting of ${rpm} (stub limit 600/min)\n`);
    } finally {
      await stub.close();
    }
  });
});
