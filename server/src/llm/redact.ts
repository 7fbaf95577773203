/**
 * Keeps API keys out of everything we print or persist. Every provider error
 * message and every run-log line passes through `redact`; the secrets are the
 * keys in use for that client. Besides exact matches we also mask anything
 * shaped like a well-known key (sk-…, AIza…), because a server may echo a
 * *different* key than the one we hold (a stale env var, a proxy's own key).
 */

const KEY_SHAPES = [/sk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}/g, /AIza[0-9A-Za-z_-]{30,}/g];

export const REDACTED = "[REDACTED]";

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    // Short strings would mask ordinary words; real keys are long.
    if (s.length >= 8) out = out.split(s).join(REDACTED);
  }
  for (const shape of KEY_SHAPES) out = out.replace(shape, REDACTED);
  return out;
}
