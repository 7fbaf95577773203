/**
 * Provider embeddings for the trace analysis (traces/analyze.ts calls
 * `embedBatch` with at most 100 texts and places the vectors back by input
 * index). OpenAI and OpenAI-compatible servers through `embeddings.create`
 * (each returned item carries its `index`, which we sort by rather than
 * trusting the order); Gemini through `models.embedContent` with a list of
 * contents (one batchEmbedContents request, answered in input order).
 * Anthropic has no embeddings API.
 */
import { toLlmError } from "./providers/common";
import { OPENAI_BASE_URL } from "./providers/openai";
import { loadSdks } from "./sdk";
import type { LlmSettings } from "./settings";
import { LlmError } from "./types";

export interface Embedder {
  readonly model: string;
  embedBatch(texts: string[]): Promise<number[][]>;
}

const once = { signal: new AbortController().signal, timedOut: () => false, callerAborted: () => false };

export function createEmbedder(settings: LlmSettings, model: string, apiKey: string | undefined): Embedder {
  const secrets = apiKey ? [apiKey] : [];
  switch (settings.provider) {
    case "openai":
    case "openai-responses":
    case "openai-compatible": {
      const client = new (loadSdks().OpenAI)({
        apiKey: apiKey || "no-key",
        baseURL: settings.baseUrl ?? OPENAI_BASE_URL,
        maxRetries: 0,
        organization: null,
        project: null,
      });
      return {
        model,
        embedBatch: async (texts) => {
          try {
            const res = await client.embeddings.create({ model, input: texts, encoding_format: "float" });
            return [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
          } catch (e) {
            throw toLlmError(e, settings.provider, secrets, once);
          }
        },
      };
    }
    case "gemini": {
      if (!apiKey) throw new LlmError("config", "no API key for gemini embeddings");
      const client = new (loadSdks().GoogleGenAI)({
        apiKey,
        vertexai: false,
        ...(settings.baseUrl ? { httpOptions: { baseUrl: settings.baseUrl } } : {}),
      });
      return {
        model,
        embedBatch: async (texts) => {
          try {
            const res = await client.models.embedContent({ model, contents: texts });
            return (res.embeddings ?? []).map((e) => e.values ?? []);
          } catch (e) {
            throw toLlmError(e, "gemini", secrets, once);
          }
        },
      };
    }
    default:
      throw new LlmError("config", `${settings.provider} has no embeddings API; use the offline embedding`);
  }
}
