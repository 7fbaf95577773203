/**
 * Google Gemini generateContent over `@google/genai`. The SDK retries nothing
 * unless given `retryOptions`, which we never pass. Its ApiError carries the
 * status but not the response headers, so each call goes through a small
 * fetch wrapper that remembers the Retry-After of the response it saw; a
 * client is built per call so concurrent calls do not share that slot.
 */
import { loadSdks } from "../sdk";
import type { CompletionResult, Provider } from "../types";
import { malformed, normaliseFinish, toLlmError, withDeadline } from "./common";

export function createGeminiProvider(opts: { apiKey: string; baseUrl?: string }): Provider {
  const secrets = [opts.apiKey];
  return {
    name: "gemini",
    complete: (req) =>
      withDeadline(req.timeoutMs, req.signal, async (attempt): Promise<CompletionResult> => {
        let retryAfter: string | undefined;
        const capture: typeof fetch = async (input, init) => {
          const res = await fetch(input, init);
          retryAfter = res.headers.get("retry-after") ?? undefined;
          return res;
        };
        const client = new (loadSdks().GoogleGenAI)({
          apiKey: opts.apiKey,
          vertexai: false,
          httpOptions: {
            ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
            timeout: req.timeoutMs + 1000,
            fetch: capture,
          },
        });
        try {
          const res = await client.models.generateContent({
            model: req.model,
            contents: req.messages.map((m) => ({
              role: m.role === "assistant" ? "model" : "user",
              parts: [{ text: m.content }],
            })),
            config: {
              ...(req.system ? { systemInstruction: req.system } : {}),
              maxOutputTokens: req.maxTokens,
              ...(req.stop === undefined ? {} : { stopSequences: req.stop }),
              ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
              abortSignal: attempt.signal,
            },
          });
          const candidate = res.candidates?.[0];
          const parts = candidate?.content?.parts ?? [];
          const texts = parts.flatMap((p) => (typeof p.text === "string" && !p.thought ? [p.text] : []));
          if (texts.length === 0) throw malformed("gemini", "no text part in candidates[0]");
          return {
            text: texts.join(""),
            usage: {
              inputTokens: res.usageMetadata?.promptTokenCount ?? 0,
              outputTokens: res.usageMetadata?.candidatesTokenCount ?? 0,
            },
            model: res.modelVersion ?? req.model,
            finishReason: normaliseFinish(candidate?.finishReason),
            raw: res,
          };
        } catch (e) {
          throw toLlmError(e, "gemini", secrets, attempt, retryAfter);
        }
      }),
  };
}
