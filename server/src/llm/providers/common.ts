/**
 * What the providers share: a per-attempt deadline (our own timer, so a
 * stalled connection is reported as `timeout` and told apart from the caller
 * cancelling), and the mapping from an SDK's thrown value to an `LlmError`.
 *
 * The OpenAI and Anthropic SDKs throw errors with `status` and `headers`;
 * Gemini's carry only `status`, so its provider hands in the Retry-After it
 * captured from the response itself. A `SyntaxError` means the body was not
 * JSON (truncated or garbled): `malformed`, which is retryable.
 */
import { redact } from "../redact";
import { parseRetryAfter } from "../retry";
import { LlmError, type ProviderName } from "../types";

export interface Attempt {
  signal: AbortSignal;
  /** True once our own timer fired (as opposed to the caller aborting). */
  timedOut(): boolean;
  callerAborted(): boolean;
}

export async function withDeadline<T>(
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
  fn: (attempt: Attempt) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  callerSignal?.addEventListener("abort", onAbort, { once: true });
  if (callerSignal?.aborted) controller.abort();
  try {
    return await fn({
      signal: controller.signal,
      timedOut: () => timedOut,
      callerAborted: () => callerSignal?.aborted === true,
    });
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener("abort", onAbort);
  }
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (headers !== null && typeof headers === "object") {
    const v = (headers as Record<string, unknown>)[name];
    return typeof v === "string" ? v : undefined;
  }
  return undefined;
}

export function toLlmError(
  e: unknown,
  provider: ProviderName,
  secrets: readonly string[],
  attempt: Attempt,
  retryAfterHeader?: string,
): LlmError {
  if (e instanceof LlmError) return e;
  const clean = (m: string) => redact(`${provider}: ${m}`, secrets);
  if (attempt.callerAborted()) return new LlmError("aborted", clean("request aborted"));
  if (attempt.timedOut()) return new LlmError("timeout", clean("request timed out"));
  const message = e instanceof Error ? e.message : String(e);
  const status = (e as { status?: unknown } | null)?.status;
  if (typeof status === "number") {
    const headers = (e as { headers?: unknown }).headers;
    // OpenAI and Anthropic also send the finer-grained retry-after-ms; prefer it when present.
    const ms = headerOf(headers, "retry-after-ms");
    const retryAfter =
      ms !== undefined && /^\d+$/.test(ms)
        ? Number(ms)
        : parseRetryAfter(retryAfterHeader ?? headerOf(headers, "retry-after"));
    const m = clean(`HTTP ${status}: ${message}`);
    if (status === 429) return new LlmError("rate_limit", m, status, retryAfter);
    if (status >= 500) return new LlmError("server", m, status, retryAfter);
    if (status === 408) return new LlmError("timeout", m, status);
    if (status === 401 || status === 403) return new LlmError("auth", m, status);
    return new LlmError("request", m, status);
  }
  if (e instanceof SyntaxError) return new LlmError("malformed", clean(`unparsable response: ${message}`));
  const cause = (e as { cause?: unknown } | null)?.cause;
  const detail = cause instanceof Error ? `${message} (${cause.message})` : message;
  return new LlmError("connection", clean(`connection failed: ${detail}`));
}

export function normaliseFinish(reason: string | null | undefined): string {
  if (reason === null || reason === undefined) return "unknown";
  const r = reason.toLowerCase();
  if (r === "stop" || r === "end_turn" || r === "stop_sequence" || r === "completed") return "stop";
  if (r === "length" || r === "max_tokens" || r === "max_output_tokens" || r === "incomplete") return "length";
  return r;
}

export function malformed(provider: ProviderName, what: string): LlmError {
  return new LlmError("malformed", `${provider}: malformed response: ${what}`);
}
