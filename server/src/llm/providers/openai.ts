/**
 * OpenAI over the `openai` SDK: Chat Completions (provider "openai", and
 * "openai-compatible" for vLLM, Ollama, llama.cpp and the like, which differ
 * only in base URL and in not needing a key) and the Responses API
 * ("openai-responses").
 *
 * The client is built with maxRetries: 0 (our retry loop is the only one) and
 * always with an explicit apiKey and baseURL, so the SDK never falls back to
 * OPENAI_API_KEY / OPENAI_BASE_URL from the environment: a local server must
 * not receive the user's real OpenAI key.
 */
import type OpenAI from "openai";
import { loadSdks } from "../sdk";
import type { CompletionRequest, CompletionResult, Provider, ProviderName } from "../types";
import { malformed, normaliseFinish, toLlmError, withDeadline } from "./common";

export const OPENAI_BASE_URL = "https://api.openai.com/v1";
/** Sent to OpenAI-compatible servers that need no key; the SDK insists on one. */
const NO_KEY = "no-key";

export interface OpenAiOptions {
  name: Extract<ProviderName, "openai" | "openai-responses" | "openai-compatible">;
  apiKey?: string;
  baseUrl?: string;
}

export function createOpenAiProvider(opts: OpenAiOptions): Provider {
  const secrets = opts.apiKey ? [opts.apiKey] : [];
  const client = new (loadSdks().OpenAI)({
    apiKey: opts.apiKey || NO_KEY,
    baseURL: opts.baseUrl ?? OPENAI_BASE_URL,
    maxRetries: 0,
    organization: null,
    project: null,
  });
  const name = opts.name;

  async function chat(req: CompletionRequest, signal: AbortSignal): Promise<CompletionResult> {
    const messages: OpenAI.ChatCompletionMessageParam[] = [];
    if (req.system) messages.push({ role: "system", content: req.system });
    for (const m of req.messages) messages.push({ role: m.role, content: m.content });
    const res = await client.chat.completions.create(
      {
        model: req.model,
        messages,
        // OpenAI itself wants max_completion_tokens (o-series models reject
        // max_tokens); local servers mostly only know max_tokens.
        ...(name === "openai-compatible" ? { max_tokens: req.maxTokens } : { max_completion_tokens: req.maxTokens }),
        ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
        ...(req.stop === undefined ? {} : { stop: req.stop }),
      },
      { signal, timeout: req.timeoutMs + 1000, maxRetries: 0 },
    );
    const choice = res.choices?.[0];
    const text = choice?.message?.content;
    if (typeof text !== "string") throw malformed(name, "no choices[0].message.content");
    return {
      text,
      usage: { inputTokens: res.usage?.prompt_tokens ?? 0, outputTokens: res.usage?.completion_tokens ?? 0 },
      model: res.model ?? req.model,
      finishReason: normaliseFinish(choice?.finish_reason),
      raw: res,
    };
  }

  async function responses(req: CompletionRequest, signal: AbortSignal): Promise<CompletionResult> {
    const res = await client.responses.create(
      {
        model: req.model,
        ...(req.system ? { instructions: req.system } : {}),
        input: req.messages.map((m) => ({ role: m.role, content: m.content })),
        max_output_tokens: req.maxTokens,
        ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
        store: false,
      },
      { signal, timeout: req.timeoutMs + 1000, maxRetries: 0 },
    );
    const parts = (res.output ?? []).flatMap((item) =>
      item.type === "message" ? item.content.flatMap((c) => (c.type === "output_text" ? [c.text] : [])) : [],
    );
    if (parts.length === 0) throw malformed(name, "no output_text in output");
    return {
      text: parts.join(""),
      usage: { inputTokens: res.usage?.input_tokens ?? 0, outputTokens: res.usage?.output_tokens ?? 0 },
      model: res.model ?? req.model,
      finishReason: normaliseFinish(res.status === "incomplete" ? "incomplete" : res.status),
      raw: res,
    };
  }

  return {
    name,
    complete: (req) =>
      withDeadline(req.timeoutMs, req.signal, async (attempt) => {
        try {
          return name === "openai-responses" ? await responses(req, attempt.signal) : await chat(req, attempt.signal);
        } catch (e) {
          throw toLlmError(e, name, secrets, attempt);
        }
      }),
  };
}
