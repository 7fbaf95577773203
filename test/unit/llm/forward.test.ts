/** The forwarding provider behind `vscode-lm`: what reaches the callback, and how its failures map to LlmError kinds. */
import { strict as assert } from "node:assert";
import { LlmClient } from "../../../server/src/llm/client";
import type { ForwardComplete } from "../../../server/src/llm/providers/forward";
import { createProvider, parseSettings } from "../../../server/src/llm/settings";
import type { CompletionRequest, LlmError } from "../../../server/src/llm/types";

const settings = parseSettings({ "qds.llm.provider": "vscode-lm", "qds.llm.model": "fam", "qds.llm.retries": 2 });
const fast = { baseMs: 1, maxMs: 2 };

function client(forward: ForwardComplete): LlmClient {
  return new LlmClient({ settings, provider: createProvider(settings, undefined, forward), retry: fast });
}

describe("llm: vscode-lm forwarding provider", () => {
  it("hands system, messages and model to the callback and estimates usage", async () => {
    const seen: CompletionRequest[] = [];
    const call = await client(async (req) => {
      seen.push(req);
      return { text: "four words of reply", model: "copilot-x" };
    }).complete({ system: "be brief", messages: [{ role: "user", content: "hello there" }] });
    assert.equal(call.text, "four words of reply");
    assert.equal(call.model, "copilot-x");
    assert.deepEqual(
      [seen[0]?.system, seen[0]?.messages, seen[0]?.model],
      ["be brief", [{ role: "user", content: "hello there" }], "fam"],
    );
    assert.ok(call.usage.inputTokens > 0 && call.usage.outputTokens > 0);
  });

  it("is a config error outside the editor", () => {
    assert.throws(
      () => createProvider(settings, undefined),
      (e: LlmError) => e.kind === "config" && /VS Code/.test(e.message),
    );
  });

  it("does not retry the editor's refusal (no model), and says what it was", async () => {
    let calls = 0;
    await assert.rejects(
      client(async () => {
        calls++;
        throw new Error("no VS Code language model is available");
      }).complete({ messages: [{ role: "user", content: "x" }] }),
      (e: LlmError) => e.kind === "config" && e.message === "vscode-lm: no VS Code language model is available",
    );
    assert.equal(calls, 1);
  });

  it("retries an empty reply as malformed", async () => {
    let calls = 0;
    const call = await client(async () => ({ text: ++calls < 3 ? "" : "ok", model: "m" })).complete({
      messages: [{ role: "user", content: "x" }],
    });
    assert.equal(call.text, "ok");
    assert.equal(call.attempts, 3);
  });

  it("reports a cancelled call as aborted", async () => {
    const abort = new AbortController();
    await assert.rejects(
      client(async () => {
        abort.abort();
        throw new Error("request cancelled");
      }).complete({ messages: [{ role: "user", content: "x" }], signal: abort.signal }),
      (e: LlmError) => e.kind === "aborted",
    );
  });
});
