/**
 * Anthropic Messages over `@anthropic-ai/sdk`. As with OpenAI, the SDK's own
 * retries are off and every credential is passed explicitly (authToken: null)
 * so nothing is picked up from ANTHROPIC_AUTH_TOKEN or profile files behind
 * the user's back.
 */
import { loadSdks } from "../sdk";
import type { CompletionResult, Provider } from "../types";
import { malformed, normaliseFinish, toLlmError, withDeadline } from "./common";

export const ANTHROPIC_BASE_URL = "https://api.anthropic.com";

export function createAnthropicProvider(opts: { apiKey: string; baseUrl?: string }): Provider {
  const secrets = [opts.apiKey];
  const client = new (loadSdks().Anthropic)({
    apiKey: opts.apiKey,
    authToken: null,
    baseURL: opts.baseUrl ?? ANTHROPIC_BASE_URL,
    maxRetries: 0,
  });
  return {
    name: "anthropic",
    complete: (req) =>
      withDeadline(req.timeoutMs, req.signal, async (attempt): Promise<CompletionResult> => {
        try {
          const res = await client.messages.create(
            {
              model: req.model,
              max_tokens: req.maxTokens,
              ...(req.stop === undefined ? {} : { stop_sequences: req.stop }),
              ...(req.system ? { system: req.system } : {}),
              messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
              ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
            },
            { signal: attempt.signal, timeout: req.timeoutMs + 1000, maxRetries: 0 },
          );
          const texts = (res.content ?? []).flatMap((b) => (b.type === "text" ? [b.text] : []));
          if (texts.length === 0) throw malformed("anthropic", "no text block in content");
          return {
            text: texts.join(""),
            usage: { inputTokens: res.usage?.input_tokens ?? 0, outputTokens: res.usage?.output_tokens ?? 0 },
            model: res.model ?? req.model,
            finishReason: normaliseFinish(res.stop_reason),
            raw: res,
          };
        } catch (e) {
          throw toLlmError(e, "anthropic", secrets, attempt);
        }
      }),
  };
}
