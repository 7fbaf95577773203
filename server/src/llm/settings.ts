/**
 * LLM settings, named as the editor names them (`qds.llm.*`), and the choice
 * of API key. Keys come from the environment only (`KEY_ENV`): the CLI's
 * own, or the language server's, where the editor puts the keys it holds in
 * SecretStorage when it starts the server. Keys are never part of `LlmSettings`, so
 * settings can be logged and written to run files as they are.
 */
// A namespace import lets the bundler keep only the parts of zod in use (~0.6 MB less to compile at every start).
import * as z from "zod";
import { createAnthropicProvider } from "./providers/anthropic";
import { createForwardProvider, type ForwardComplete } from "./providers/forward";
import { createGeminiProvider } from "./providers/gemini";
import { createOpenAiProvider } from "./providers/openai";
import { LlmError, PROVIDER_NAMES, type Provider, type ProviderName } from "./types";

export const LlmSettingsSchema = z.object({
  provider: z.enum(PROVIDER_NAMES as [ProviderName, ...ProviderName[]]).default("openai"),
  model: z.string().min(1).default("gpt-4o-mini"),
  baseUrl: z.string().url().optional(),
  temperature: z.number().min(0).max(2).default(0.2),
  maxTokens: z.number().int().positive().default(4096),
  timeoutMs: z.number().int().positive().default(120_000),
  retries: z.number().int().min(0).max(20).default(4),
  /** Requests and tokens per minute for one run; 0 means unlimited. */
  rpm: z.number().int().min(0).default(0),
  tpm: z.number().int().min(0).default(0),
  /** Verification rounds per problem, the first included (the CLI's --rounds). */
  repairRounds: z.number().int().min(1).max(20).default(3),
  /** Editor only: write a single problem's passing proposal without showing the diff. */
  autoAcceptWhenPassing: z.boolean().default(false),
});

export type LlmSettings = z.infer<typeof LlmSettingsSchema>;

/** Editor setting names, mapped onto `LlmSettings` fields. */
export const SETTING_KEYS = {
  "qds.llm.provider": "provider",
  "qds.llm.model": "model",
  "qds.llm.baseUrl": "baseUrl",
  "qds.llm.temperature": "temperature",
  "qds.llm.maxTokens": "maxTokens",
  "qds.llm.timeoutMs": "timeoutMs",
  "qds.llm.retries": "retries",
  "qds.llm.rpm": "rpm",
  "qds.llm.tpm": "tpm",
  "qds.llm.repairRounds": "repairRounds",
  "qds.llm.autoAcceptWhenPassing": "autoAcceptWhenPassing",
} as const satisfies Record<string, keyof LlmSettings>;

/** Accepts either short field names or `qds.llm.*` names; unset fields get defaults. */
export function parseSettings(input: Record<string, unknown>): LlmSettings {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined || v === null || v === "") continue;
    fields[(SETTING_KEYS as Record<string, string>)[k] ?? k] = v;
  }
  const parsed = LlmSettingsSchema.safeParse(fields);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `qds.llm.${i.path.join(".")}: ${i.message}`);
    throw new LlmError("config", `invalid LLM settings: ${issues.join("; ")}`);
  }
  return parsed.data;
}

export const KEY_ENV: Record<ProviderName, readonly string[]> = {
  openai: ["OPENAI_API_KEY"],
  "openai-responses": ["OPENAI_API_KEY"],
  anthropic: ["ANTHROPIC_API_KEY"],
  gemini: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
  // Its own name: a local server must never receive the user's real OPENAI_API_KEY.
  "openai-compatible": ["QDS_OPENAI_COMPATIBLE_API_KEY"],
  "vscode-lm": [],
};

export function keyFromEnv(provider: ProviderName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const name of KEY_ENV[provider]) {
    const v = env[name];
    if (v) return v;
  }
  return undefined;
}

/** `forward` is how the editor's language server reaches the editor's own models; the CLI has none. */
export function createProvider(settings: LlmSettings, apiKey: string | undefined, forward?: ForwardComplete): Provider {
  const base = settings.baseUrl === undefined ? {} : { baseUrl: settings.baseUrl };
  const need = (): string => {
    if (apiKey) return apiKey;
    throw new LlmError("config", `no API key for ${settings.provider}: set ${KEY_ENV[settings.provider].join(" or ")}`);
  };
  switch (settings.provider) {
    case "openai":
    case "openai-responses":
      return createOpenAiProvider({ name: settings.provider, apiKey: need(), ...base });
    case "openai-compatible":
      if (settings.baseUrl === undefined) throw new LlmError("config", "openai-compatible needs qds.llm.baseUrl");
      return createOpenAiProvider({ name: "openai-compatible", ...(apiKey ? { apiKey } : {}), ...base });
    case "anthropic":
      return createAnthropicProvider({ apiKey: need(), ...base });
    case "gemini":
      return createGeminiProvider({ apiKey: need(), ...base });
    case "vscode-lm":
      if (forward === undefined) throw new LlmError("config", "vscode-lm is only available inside VS Code");
      return createForwardProvider(forward);
  }
}
