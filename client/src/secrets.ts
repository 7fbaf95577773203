/**
 * API keys in VS Code's SecretStorage, one per key owner. Keys are never
 * written to settings or logs; the client reads the key for the provider in
 * use and passes it with each conversion request (the server keeps none).
 * openai and openai-responses share OpenAI's key; vscode-lm needs none.
 */
import type * as vscode from "vscode";

/** Key owners offered by "Set API Key", with the provider setting values each serves. */
export const KEY_OWNERS = [
  { id: "openai", label: "OpenAI", providers: ["openai", "openai-responses"] },
  { id: "anthropic", label: "Anthropic", providers: ["anthropic"] },
  { id: "gemini", label: "Google (Gemini)", providers: ["gemini"] },
  { id: "openai-compatible", label: "OpenAI-compatible server", providers: ["openai-compatible"] },
] as const;

export type KeyOwner = (typeof KEY_OWNERS)[number]["id"];

const secretName = (owner: KeyOwner) => `qds.llm.apiKey.${owner}`;

function ownerOf(provider: string): KeyOwner | undefined {
  return KEY_OWNERS.find((o) => (o.providers as readonly string[]).includes(provider))?.id;
}

export function isKeyOwner(id: unknown): id is KeyOwner {
  return KEY_OWNERS.some((o) => o.id === id);
}

export async function storeKey(secrets: vscode.SecretStorage, owner: KeyOwner, key: string): Promise<void> {
  if (key === "") await secrets.delete(secretName(owner));
  else await secrets.store(secretName(owner), key);
}

/** The key for `provider` (a `qds.llm.provider` value), if one is stored. */
export async function keyFor(secrets: vscode.SecretStorage, provider: string): Promise<string | undefined> {
  const owner = ownerOf(provider);
  if (owner === undefined) return undefined;
  return (await secrets.get(secretName(owner))) || undefined;
}
