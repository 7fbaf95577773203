/**
 * Provider embeddings through the real OpenAI and Gemini SDKs against a
 * local server: texts go out in batches of at most 100 and every vector
 * lands at its input's index, even when the server lists them out of order.
 */
import { strict as assert } from "node:assert";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createEmbedder } from "../../../server/src/llm/embeddings";
import { parseSettings } from "../../../server/src/llm/settings";
import { EMBED_BATCH, embedWithProvider } from "../../../server/src/traces/analyze";

/** The vector the stub gives a text: its length and its number, so placement can be checked. */
const vec = (t: string) => [t.length, Number(/\d+/.exec(t)?.[0] ?? -1)];

async function serve(
  handler: (path: string, body: Record<string, unknown>) => unknown,
): Promise<{ server: Server; url: string; sizes: number[] }> {
  const sizes: number[] = [];
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => {
      text += c.toString();
    });
    req.on("end", () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      const out = handler((req.url ?? "").split("?")[0]!, body);
      const n =
        (body["input"] as unknown[] | undefined)?.length ?? (body["requests"] as unknown[] | undefined)?.length ?? 0;
      sizes.push(n);
      res.writeHead(out === undefined ? 404 : 200, { "content-type": "application/json" });
      res.end(JSON.stringify(out ?? { error: { message: "no route" } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sizes };
}

describe("traces: provider embeddings", () => {
  const texts = Array.from({ length: 250 }, (_, i) => `step ${i} ${"x".repeat(i % 7)}`);

  it("OpenAI-compatible: batches of ≤100, vectors placed by the index each item carries", async () => {
    const s = await serve((path, body) => {
      if (path !== "/v1/embeddings") return undefined;
      const input = body["input"] as string[];
      const data = input.map((t, index) => ({ object: "embedding", index, embedding: vec(t) })).reverse();
      return { object: "list", data, model: "e", usage: { prompt_tokens: 1, total_tokens: 1 } };
    });
    try {
      const settings = parseSettings({ provider: "openai-compatible", model: "m", baseUrl: `${s.url}/v1` });
      const e = await embedWithProvider(createEmbedder(settings, "e", undefined), texts);
      assert.deepEqual(s.sizes, [EMBED_BATCH, EMBED_BATCH, 50]);
      assert.equal(e.dims, 2);
      for (const i of [0, 99, 100, 249])
        assert.deepEqual(Array.from(e.data.subarray(i * 2, i * 2 + 2)), vec(texts[i]!));
    } finally {
      s.server.close();
    }
  });

  it("Gemini: batchEmbedContents in input order", async () => {
    const s = await serve((path, body) => {
      if (!path.endsWith(":batchEmbedContents")) return undefined;
      const reqs = body["requests"] as { content: { parts: { text: string }[] } }[];
      return { embeddings: reqs.map((r) => ({ values: vec(r.content.parts[0]!.text) })) };
    });
    try {
      const settings = parseSettings({ provider: "gemini", model: "m", baseUrl: s.url });
      const e = await embedWithProvider(createEmbedder(settings, "text-embedding-004", "k"), texts);
      assert.deepEqual(s.sizes, [100, 100, 50]);
      for (const i of [3, 150, 249]) assert.deepEqual(Array.from(e.data.subarray(i * 2, i * 2 + 2)), vec(texts[i]!));
    } finally {
      s.server.close();
    }
  });
});
