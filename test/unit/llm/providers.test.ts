/**
 * Every provider through its real SDK against a local wire-compatible stub:
 * the exact request each one sends (path, model, system prompt placement,
 * messages, token limit, key header), and the fault matrix (429 with
 * Retry-After, 500, a stalled connection, truncated JSON, a reset) run
 * through `LlmClient`, whose clock records backoff waits instead of sleeping.
 */
import { strict as assert } from "node:assert";
import { LlmClient } from "../../../server/src/llm/client";
import type { Clock } from "../../../server/src/llm/ratelimit";
import { parseSettings } from "../../../server/src/llm/settings";
import { LlmError, type ProviderName } from "../../../server/src/llm/types";
import { type Recorded, StubServer, type Wire } from "../../stubs/llm-stub";

const KEY = "sk-test-0123456789abcdefABCDEF";
const SYSTEM = "You translate Python to q.";
const USER = "Translate: def solve(x): return x + 1";

interface Case {
  provider: ProviderName;
  wire: Wire;
  model: string;
  key: string | undefined;
  /** Checks the provider-specific request shape. */
  check(r: Recorded): void;
}

const cases: Case[] = [
  {
    provider: "openai",
    wire: "openai-chat",
    model: "gpt-4o-mini",
    key: KEY,
    check(r) {
      assert.equal(r.headers.authorization, `Bearer ${KEY}`);
      assert.deepEqual(r.body["messages"], [
        { role: "system", content: SYSTEM },
        { role: "user", content: USER },
      ]);
      assert.equal(r.body["max_completion_tokens"], 321);
      assert.equal(r.body["temperature"], 0.3);
    },
  },
  {
    provider: "openai-compatible",
    wire: "openai-chat",
    model: "qwen2.5-coder:7b",
    key: undefined,
    check(r) {
      // No key configured: the user's OPENAI_API_KEY must not leak to a local server.
      assert.equal(r.headers.authorization, "Bearer no-key");
      assert.equal(r.body["max_tokens"], 321);
      assert.equal(r.body["max_completion_tokens"], undefined);
    },
  },
  {
    provider: "openai-responses",
    wire: "openai-responses",
    model: "gpt-4.1-mini",
    key: KEY,
    check(r) {
      assert.equal(r.headers.authorization, `Bearer ${KEY}`);
      assert.equal(r.body["instructions"], SYSTEM);
      assert.deepEqual(r.body["input"], [{ role: "user", content: USER }]);
      assert.equal(r.body["max_output_tokens"], 321);
    },
  },
  {
    provider: "anthropic",
    wire: "anthropic",
    model: "claude-sonnet-4-20250514",
    key: KEY,
    check(r) {
      // Older SDKs send x-api-key; @anthropic-ai/sdk 1.x sends the same key as a bearer token.
      const sent = r.headers["x-api-key"] ?? r.headers.authorization?.replace(/^Bearer /, "");
      assert.equal(sent, KEY);
      assert.ok(r.headers["anthropic-version"]);
      assert.equal(r.body["system"], SYSTEM);
      assert.deepEqual(r.body["messages"], [{ role: "user", content: USER }]);
      assert.equal(r.body["max_tokens"], 321);
    },
  },
  {
    provider: "gemini",
    wire: "gemini",
    model: "gemini-2.5-flash",
    key: KEY,
    check(r) {
      assert.equal(r.path, "/v1beta/models/gemini-2.5-flash:generateContent");
      assert.equal(r.headers["x-goog-api-key"], KEY);
      assert.deepEqual(r.body["contents"], [{ role: "user", parts: [{ text: USER }] }]);
      const cfg = r.body["generationConfig"] as Record<string, unknown>;
      assert.equal(cfg["maxOutputTokens"], 321);
      assert.deepEqual((r.body["systemInstruction"] as { parts: unknown }).parts, [{ text: SYSTEM }]);
    },
  },
];

/** Real time for `now`, but backoff waits are recorded and skipped. */
function recordingClock(): Clock & { waits: number[] } {
  const waits: number[] = [];
  return { waits, now: () => Date.now(), sleep: async (ms) => void waits.push(ms) };
}

for (const c of cases) {
  describe(`provider ${c.provider} (${c.wire} wire)`, () => {
    let stub: StubServer;
    let clock: ReturnType<typeof recordingClock>;
    beforeEach(async () => {
      stub = await StubServer.start(c.wire);
      clock = recordingClock();
    });
    afterEach(() => stub.close());

    const client = (retries = 3, timeoutMs = 5000) =>
      new LlmClient({
        settings: parseSettings({
          provider: c.provider,
          model: c.model,
          baseUrl: stub.baseUrl,
          maxTokens: 321,
          temperature: 0.3,
          retries,
          timeoutMs,
        }),
        ...(c.key === undefined ? {} : { apiKey: c.key }),
        clock,
        retry: { baseMs: 40, maxMs: 1000, random: () => 0.5 },
      });
    const ask = (cl: LlmClient) => cl.complete({ system: SYSTEM, messages: [{ role: "user", content: USER }] });

    it("sends the exact request and reads text and usage", async () => {
      stub.push({ reply: "solve:{x+1}", usage: { input: 120, output: 30 } });
      const cl = client();
      const r = await ask(cl);
      assert.equal(r.text, "solve:{x+1}");
      assert.deepEqual(r.usage, { inputTokens: 120, outputTokens: 30 });
      assert.equal(r.finishReason, "stop");
      assert.equal(r.attempts, 1);
      assert.equal(stub.requests.length, 1);
      const req = stub.requests[0]!;
      assert.equal(req.method, "POST");
      if (c.wire !== "gemini") assert.equal(req.body["model"], c.model);
      c.check(req);
      assert.deepEqual(cl.totals.usage, { inputTokens: 120, outputTokens: 30 });
      if (c.provider === "openai-compatible") assert.equal(r.cost, "unknown");
      else assert.ok(r.cost !== "unknown" && r.cost.usd > 0);
    });

    it("reports a max-token cut-off as finishReason length", async () => {
      const finish = {
        "openai-chat": "length",
        "openai-responses": "incomplete",
        anthropic: "max_tokens",
        gemini: "MAX_TOKENS",
      }[c.wire];
      stub.push({ reply: "solve:{", finish });
      assert.equal((await ask(client())).finishReason, "length");
    });

    it("honours Retry-After in seconds on 429", async () => {
      stub.push({ status: 429, headers: { "retry-after": "7" } }, { reply: "ok" });
      const r = await ask(client());
      assert.equal(r.text, "ok");
      assert.equal(r.attempts, 2);
      assert.deepEqual(clock.waits, [7000]);
      assert.equal(r.notes[0]?.kind, "rate_limit");
    });

    if (c.wire !== "gemini") {
      it("prefers retry-after-ms when the server sends it", async () => {
        stub.push({ status: 429, headers: { "retry-after": "9", "retry-after-ms": "1500" } }, { reply: "ok" });
        await ask(client());
        assert.deepEqual(clock.waits, [1500]);
      });
    }

    it("honours Retry-After as an HTTP-date", async () => {
      const at = new Date(Date.now() + 30_000).toUTCString();
      stub.push({ status: 429, headers: { "retry-after": at } }, { reply: "ok" });
      await ask(client());
      assert.equal(clock.waits.length, 1);
      assert.ok(clock.waits[0]! > 27_000 && clock.waits[0]! <= 30_000, `waited ${clock.waits[0]}`);
    });

    it("backs off exponentially on 5xx", async () => {
      stub.push({ status: 500 }, { status: 503 }, { status: 502 }, { reply: "ok" });
      const r = await ask(client());
      assert.equal(r.attempts, 4);
      // random() = 0.5: half of 40, 80, 160.
      assert.deepEqual(clock.waits, [20, 40, 80]);
      assert.deepEqual(
        r.notes.map((n) => n.kind),
        ["server", "server", "server"],
      );
    });

    it("turns a stalled connection into a timeout and retries", async () => {
      stub.push({ stall: true }, { reply: "ok" });
      const r = await ask(client(3, 300));
      assert.equal(r.text, "ok");
      assert.equal(r.notes[0]?.kind, "timeout");
    });

    it("retries a truncated JSON body with a note", async () => {
      stub.push({ truncate: true }, { reply: "ok" });
      const r = await ask(client());
      assert.equal(r.text, "ok");
      assert.equal(r.notes[0]?.kind, "malformed");
    });

    it("retries a connection reset", async () => {
      stub.push({ reset: true }, { reply: "ok" });
      const r = await ask(client());
      assert.equal(r.text, "ok");
      assert.equal(r.notes[0]?.kind, "connection");
    });

    it("gives up after the configured retries with the last error", async () => {
      stub.push({ status: 500 }, { status: 500 }, { status: 500 });
      await assert.rejects(ask(client(2)), (e: unknown) => {
        assert.ok(e instanceof LlmError);
        assert.equal(e.kind, "server");
        assert.match(e.message, /gave up after 3 attempts/);
        return true;
      });
      assert.equal(stub.requests.length, 3);
    });

    if (c.key !== undefined) {
      it("does not retry 401 and never shows the key, even when the server echoes it", async () => {
        stub.push({ status: 401, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}` } }) });
        const err = await ask(client()).then(
          () => assert.fail("expected an auth error"),
          (e: unknown) => e,
        );
        assert.ok(err instanceof LlmError);
        assert.equal(err.kind, "auth");
        assert.equal(stub.requests.length, 1);
        const shown = `${err.message}\n${err.stack}\n${JSON.stringify(err)}\n${String(err)}`;
        assert.ok(!shown.includes(KEY), shown);
        assert.match(err.message, /\[REDACTED\]/);
      });
    }

    it("stops at once when the caller aborts", async () => {
      stub.push({ stall: true });
      const ctl = new AbortController();
      setTimeout(() => ctl.abort(), 100);
      await assert.rejects(
        client().complete({ messages: [{ role: "user", content: USER }], signal: ctl.signal }),
        (e: unknown) => e instanceof LlmError && e.kind === "aborted",
      );
      assert.equal(stub.requests.length, 1);
    });
  });
}
