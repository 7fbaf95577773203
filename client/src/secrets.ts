/**
 * API keys in VS Code's SecretStorage, one per key owner. Keys are never
 * written to settings or logs, and never sent as a message: the language
 * server gets them in its process environment, under the variable names the
 * CLI reads (server/src/llm/settings.ts `KEY_ENV`), when the client starts it.
 * openai and openai-responses share OpenAI's key; vscode-lm needs none.
 */
import type * as vscode from "vscode";

/** Key owners offered by "Set API Key", with the provider setting values each serves and its variable. */
export const KEY_OWNERS = [
  { id: "openai", label: "OpenAI", providers: ["openai", "openai-responses"], env: "OPENAI_API_KEY" },
  { id: "anthropic", label: "Anthropic", providers: ["anthropic"], env: "ANTHROPIC_API_KEY" },
  { id: "gemini", label: "Google (Gemini)", providers: ["gemini"], env: "GEMINI_API_KEY" },
  {
    id: "openai-compatible",
    label: "OpenAI-compatible server",
    providers: ["openai-compatible"],
    env: "QDS_OPENAI_COMPATIBLE_API_KEY",
  },
] as const;

type KeyOwner = (typeof KEY_OWNERS)[number]["id"];

const secretName = (owner: KeyOwner) => `qds.llm.apiKey.${owner}`;

export function isKeyOwner(id: unknown): id is KeyOwner {
  return KEY_OWNERS.some((o) => o.id === id);
}

export async function storeKey(secrets: vscode.SecretStorage, owner: KeyOwner, key: string): Promise<void> {
  if (key === "") await secrets.delete(secretName(owner));
  else await secrets.store(secretName(owner), key);
}

/** The stored keys as environment variables for the language server; a stored key wins over the editor's own. */
export async function keyEnv(secrets: vscode.SecretStorage): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const o of KEY_OWNERS) {
    const key = await secrets.get(secretName(o.id));
    if (key) env[o.env] = key;
  }
  return env;
}
