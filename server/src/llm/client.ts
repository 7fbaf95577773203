/**
 * `LlmClient`: a provider plus everything a batch run needs around it:
 * the rate limiter, our retry loop, token usage and a cost estimate per call,
 * and running totals. One client per run; it is safe to call concurrently.
 *
 * Each attempt (not each call) takes a limiter slot, since a retried request
 * counts against the provider's limits just like the first one did.
 */
import { addCost, type Cost, estimateCost, estimateTokens } from "./pricing";
import { type Clock, RateLimiter, realClock } from "./ratelimit";
import { type AttemptNote, DEFAULT_RETRY, type RetryOptions, withRetries } from "./retry";
import { createProvider, type LlmSettings } from "./settings";
import type { ChatMessage, CompletionResult, Provider, Usage } from "./types";

export interface LlmCall extends CompletionResult {
  /** Failed attempts before the one that succeeded, with the wait after each. */
  notes: AttemptNote[];
  attempts: number;
  cost: Cost;
  durationMs: number;
}

export interface LlmClientOptions {
  settings: LlmSettings;
  apiKey?: string;
  /** A ready provider, instead of one built from settings (tests, custom backends). */
  provider?: Provider;
  clock?: Clock;
  /** Overrides of backoff base/cap and the random source, mainly for fast tests. */
  retry?: Partial<Pick<RetryOptions, "baseMs" | "maxMs" | "maxRetryAfterMs" | "random">>;
}

export interface Totals {
  calls: number;
  attempts: number;
  usage: Usage;
  cost: Cost;
}

export class LlmClient {
  readonly provider: Provider;
  readonly limiter: RateLimiter;
  private readonly clock: Clock;
  readonly totals: Totals = { calls: 0, attempts: 0, usage: { inputTokens: 0, outputTokens: 0 }, cost: { usd: 0 } };

  constructor(private readonly opts: LlmClientOptions) {
    this.provider = opts.provider ?? createProvider(opts.settings, opts.apiKey);
    this.clock = opts.clock ?? realClock;
    this.limiter = new RateLimiter({ rpm: opts.settings.rpm, tpm: opts.settings.tpm }, this.clock);
  }

  async complete(req: {
    system?: string;
    messages: ChatMessage[];
    stop?: string[];
    signal?: AbortSignal;
  }): Promise<LlmCall> {
    const s = this.opts.settings;
    const estimate = estimateTokens((req.system ?? "") + req.messages.map((m) => m.content).join("")) + s.maxTokens;
    const notes: AttemptNote[] = [];
    const started = this.clock.now();
    let attempts = 0;
    const result = await withRetries(
      async () => {
        attempts++;
        this.totals.attempts++;
        await this.limiter.acquire(estimate, req.signal);
        let used = 0;
        try {
          const r = await this.provider.complete({
            ...(req.system === undefined ? {} : { system: req.system }),
            messages: req.messages,
            model: s.model,
            maxTokens: s.maxTokens,
            temperature: s.temperature,
            ...(req.stop === undefined || req.stop.length === 0 ? {} : { stop: req.stop }),
            timeoutMs: s.timeoutMs,
            ...(req.signal === undefined ? {} : { signal: req.signal }),
          });
          used = r.usage.inputTokens + r.usage.outputTokens;
          return r;
        } finally {
          this.limiter.settle(estimate, used);
        }
      },
      {
        retries: s.retries,
        baseMs: this.opts.retry?.baseMs ?? DEFAULT_RETRY.baseMs,
        maxMs: this.opts.retry?.maxMs ?? DEFAULT_RETRY.maxMs,
        maxRetryAfterMs: this.opts.retry?.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs,
        ...(this.opts.retry?.random === undefined ? {} : { random: this.opts.retry.random }),
        sleep: (ms, signal) => this.clock.sleep(ms, signal),
        ...(req.signal === undefined ? {} : { signal: req.signal }),
        onRetry: (n) => notes.push(n),
      },
    );
    const cost = estimateCost(s.model, result.usage);
    this.totals.calls++;
    this.totals.usage.inputTokens += result.usage.inputTokens;
    this.totals.usage.outputTokens += result.usage.outputTokens;
    this.totals.cost = addCost(this.totals.cost, cost);
    return { ...result, notes, attempts, cost, durationMs: this.clock.now() - started };
  }
}
