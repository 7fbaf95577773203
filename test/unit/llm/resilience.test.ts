/**
 * The pieces under the retry loop on their own: Retry-After parsing, the
 * backoff schedule, the rate limiter on a virtual clock (sleep advances time
 * instantly, so a "minute" of traffic runs in microseconds), the price table
 * and key redaction.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { estimateCost, priceOf } from "../../../server/src/llm/pricing";
import { type Clock, RateLimiter } from "../../../server/src/llm/ratelimit";
import { REDACTED, redact } from "../../../server/src/llm/redact";
import { backoffDelay, parseRetryAfter, withRetries } from "../../../server/src/llm/retry";
import { parseSettings, SETTING_KEYS } from "../../../server/src/llm/settings";
import { LlmError } from "../../../server/src/llm/types";

function virtualClock(): Clock & { t: number } {
  const c = {
    t: 0,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
    },
  };
  return c;
}

describe("Retry-After", () => {
  it("reads delta-seconds, fractional seconds and HTTP-dates", () => {
    assert.equal(parseRetryAfter("3"), 3000);
    assert.equal(parseRetryAfter("0.5"), 500);
    const now = Date.parse("Sun, 22 Nov 2026 04:00:00 GMT");
    assert.equal(parseRetryAfter("Sun, 22 Nov 2026 04:00:12 GMT", now), 12_000);
    assert.equal(parseRetryAfter("Sun, 22 Nov 2026 03:00:00 GMT", now), 0);
  });
  it("ignores absent or garbage values", () => {
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter("soon"), undefined);
  });
});

describe("backoff", () => {
  const opts = { retries: 5, baseMs: 100, maxMs: 1000, maxRetryAfterMs: 5000, random: () => 1 };
  it("doubles up to the cap, scaled by jitter", () => {
    const e = new LlmError("server", "x", 500);
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, opts, e)),
      [100, 200, 400, 800, 1000, 1000],
    );
    assert.equal(backoffDelay(3, { ...opts, random: () => 0.25 }, e), 200);
  });
  it("prefers Retry-After, capped", () => {
    assert.equal(backoffDelay(0, opts, new LlmError("rate_limit", "x", 429, 2500)), 2500);
    assert.equal(backoffDelay(0, opts, new LlmError("rate_limit", "x", 429, 99_000)), 5000);
  });
  it("does not retry non-retryable kinds or foreign errors", async () => {
    let calls = 0;
    const sleep = async () => {};
    await assert.rejects(
      withRetries(
        async () => {
          calls++;
          throw new LlmError("request", "bad model", 400);
        },
        { ...opts, sleep },
      ),
      /bad model/,
    );
    await assert.rejects(
      withRetries(
        async () => {
          calls++;
          throw new TypeError("bug");
        },
        { ...opts, sleep },
      ),
      TypeError,
    );
    assert.equal(calls, 2);
  });
});

describe("rate limiter", () => {
  it("spaces requests evenly at the rpm limit", async () => {
    const clock = virtualClock();
    const rl = new RateLimiter({ rpm: 30, tpm: 0 }, clock);
    const at: number[] = [];
    for (let i = 0; i < 31; i++) {
      await rl.acquire(1);
      at.push(clock.t);
    }
    assert.equal(at[0], 0);
    assert.equal(at[1], 2000);
    assert.equal(at[30], 60_000);
    // No 60 s window holds more than rpm + 1 requests.
    const inWindow = at.filter((t) => t < 60_000).length;
    assert.equal(inWindow, 30);
  });

  it("serves concurrent waiters first come, first served", async () => {
    const clock = virtualClock();
    const rl = new RateLimiter({ rpm: 60, tpm: 0 }, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => rl.acquire(1).then(() => order.push(i))));
    assert.deepEqual(order, [0, 1, 2, 3]);
    assert.equal(clock.t, 3000);
  });

  it("holds tokens per minute, lets one oversized call through and charges its debt", async () => {
    const clock = virtualClock();
    const rl = new RateLimiter({ rpm: 0, tpm: 6000 }, clock); // 100 tokens/s, bucket of 100
    await rl.acquire(100);
    assert.equal(clock.t, 0);
    await rl.acquire(100);
    assert.equal(clock.t, 1000);
    await rl.acquire(1000); // larger than the bucket: waits for a full bucket, then owes 900
    assert.equal(clock.t, 2000);
    await rl.acquire(50);
    assert.equal(clock.t, 2000 + 9500);
  });

  it("settles estimates against real usage", async () => {
    const clock = virtualClock();
    const rl = new RateLimiter({ rpm: 0, tpm: 6000 }, clock);
    await rl.acquire(100);
    rl.settle(100, 20); // used far less than reserved: 80 back
    await rl.acquire(80);
    assert.equal(clock.t, 0);
    rl.settle(80, 380); // used more: 300 of debt
    await rl.acquire(100);
    assert.equal(clock.t, 4000);
  });

  it("keeps an average of rpm over a long virtual run", async () => {
    const clock = virtualClock();
    const rl = new RateLimiter({ rpm: 120, tpm: 0 }, clock);
    for (let i = 0; i < 600; i++) await rl.acquire(1);
    const perMinute = 599 / (clock.t / 60_000);
    assert.ok(Math.abs(perMinute - 120) < 0.5, `${perMinute} rpm`);
  });
});

describe("pricing", () => {
  it("matches model families by longest prefix", () => {
    assert.deepEqual(priceOf("gpt-4o-mini-2024-07-18"), [0.15, 0.6]);
    assert.deepEqual(priceOf("gpt-4o-2024-08-06"), [2.5, 10]);
    assert.deepEqual(priceOf("models/gemini-2.5-pro"), [1.25, 10]);
    assert.equal(priceOf("qwen2.5-coder:7b"), undefined);
  });
  it("estimates dollars per call, or says unknown", () => {
    const c = estimateCost("claude-sonnet-4-20250514", { inputTokens: 1_000_000, outputTokens: 100_000 });
    assert.ok(c !== "unknown" && Math.abs(c.usd - 4.5) < 1e-9);
    assert.equal(estimateCost("llama3", { inputTokens: 5, outputTokens: 5 }), "unknown");
  });
});

describe("redaction and settings", () => {
  it("masks the keys in use and key-shaped strings", () => {
    const key = "my-local-secret-123";
    const out = redact(`bad key ${key}; other sk-proj-abcdefghijklmnopqrstuv and AIza${"x".repeat(35)}`, [key]);
    assert.ok(!out.includes(key) && !out.includes("sk-proj-") && !out.includes("AIza"), out);
    assert.equal(out.split(REDACTED).length - 1, 3);
  });
  it("matches the qds.llm.* settings the manifest declares, defaults included", () => {
    const manifest = JSON.parse(readFileSync(resolve(__dirname, "../../../package.json"), "utf8")) as {
      contributes: { configuration: { properties: Record<string, { default: unknown }> } };
    };
    const props = manifest.contributes.configuration.properties;
    const declared = Object.keys(props).filter((k) => k.startsWith("qds.llm."));
    assert.deepEqual(declared.sort(), Object.keys(SETTING_KEYS).sort());
    const defaults = parseSettings({});
    const fromManifest = parseSettings(Object.fromEntries(declared.map((k) => [k, props[k]!.default])));
    assert.deepEqual(fromManifest, defaults);
  });

  it("accepts editor setting names and rejects bad values clearly", () => {
    const s = parseSettings({
      "qds.llm.provider": "anthropic",
      "qds.llm.model": "claude-sonnet-4",
      "qds.llm.retries": 2,
    });
    assert.equal(s.provider, "anthropic");
    assert.equal(s.retries, 2);
    assert.equal(s.maxTokens, 4096);
    assert.throws(() => parseSettings({ "qds.llm.provider": "bard" }), /qds\.llm\.provider/);
    assert.throws(() => parseSettings({ "qds.llm.maxTokens": -1 }), /qds\.llm\.maxTokens/);
  });
});
