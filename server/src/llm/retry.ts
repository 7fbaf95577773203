/**
 * Our retry loop, the only one: every SDK is built with its own retries off
 * (maxRetries: 0, no Gemini retryOptions) so attempts are counted, logged and
 * testable here.
 *
 * Delay for retry n (0-based) is "full jitter" exponential backoff,
 * random() * min(maxMs, baseMs * 2^n), unless the server sent Retry-After, in
 * which case we wait exactly that long (capped at maxRetryAfterMs so a hostile
 * or confused server cannot park a batch for hours). Only `LlmError`s whose
 * kind is retryable are retried; everything else propagates at once.
 */
import { LlmError } from "./types";

export interface RetryOptions {
  /** Retries after the first attempt; 0 means one attempt. */
  retries: number;
  baseMs: number;
  maxMs: number;
  maxRetryAfterMs?: number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  /** Called before each wait; the run log records these as attempt notes. */
  onRetry?: (info: AttemptNote) => void;
}

export interface AttemptNote {
  attempt: number;
  kind: string;
  message: string;
  delayMs: number;
}

export const DEFAULT_RETRY = { retries: 4, baseMs: 1000, maxMs: 60_000, maxRetryAfterMs: 120_000 } as const;

/** Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new LlmError("aborted", "request aborted"));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new LlmError("aborted", "request aborted"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function backoffDelay(retry: number, opts: RetryOptions, err: LlmError): number {
  if (err.retryAfterMs !== undefined)
    return Math.min(err.retryAfterMs, opts.maxRetryAfterMs ?? Number.POSITIVE_INFINITY);
  const random = opts.random ?? Math.random;
  return Math.round(random() * Math.min(opts.maxMs, opts.baseMs * 2 ** retry));
}

export async function withRetries<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const sleep = opts.sleep ?? abortableSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (!(e instanceof LlmError) || !e.retryable) throw e;
      if (attempt >= opts.retries) {
        throw new LlmError(e.kind, `${e.message} (gave up after ${attempt + 1} attempts)`, e.status, e.retryAfterMs);
      }
      const delayMs = backoffDelay(attempt, opts, e);
      opts.onRetry?.({ attempt, kind: e.kind, message: e.message, delayMs });
      await sleep(delayMs, opts.signal);
    }
  }
}
