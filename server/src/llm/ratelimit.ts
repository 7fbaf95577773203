/**
 * Per-run requests-per-minute and tokens-per-minute limits, as two token
 * buckets that refill continuously (limit / 60 000 per millisecond).
 *
 * The request bucket holds one request, so requests are spaced evenly
 * (60 000 / rpm ms apart) and a server counting any 60 s window never sees
 * more than rpm + 1. The token bucket holds one second's worth but may go
 * into debt: a call proceeds once the bucket is full (or holds its estimate)
 * and then pays its whole estimate, so one large prompt is never blocked
 * forever while the long-run rate still equals the limit. After the call,
 * `settle` replaces the estimate with the tokens actually used.
 *
 * Waiters are served first come, first served (a promise chain), and time
 * comes from an injectable `Clock` so tests run on virtual time.
 */
import { abortableSleep } from "./retry";

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = { now: () => Date.now(), sleep: abortableSleep };

class Bucket {
  private level: number;
  private last: number;
  constructor(
    private readonly perMs: number,
    readonly capacity: number,
    now: number,
  ) {
    this.level = capacity;
    this.last = now;
  }

  private refill(now: number): void {
    this.level = Math.min(this.capacity, this.level + (now - this.last) * this.perMs);
    this.last = now;
  }

  /** Milliseconds until `cost` may be taken (0 = now). */
  waitFor(cost: number, now: number): number {
    this.refill(now);
    const need = Math.min(cost, this.capacity);
    return this.level >= need ? 0 : Math.ceil((need - this.level) / this.perMs);
  }

  take(cost: number, now: number): void {
    this.refill(now);
    this.level -= cost;
  }
}

export class RateLimiter {
  private readonly requests: Bucket | undefined;
  private readonly tokens: Bucket | undefined;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    limits: { rpm: number; tpm: number },
    private readonly clock: Clock = realClock,
  ) {
    const now = clock.now();
    if (limits.rpm > 0) this.requests = new Bucket(limits.rpm / 60_000, 1, now);
    if (limits.tpm > 0) this.tokens = new Bucket(limits.tpm / 60_000, Math.max(1, limits.tpm / 60), now);
  }

  /** Waits for a request slot and `estimatedTokens` of budget, then takes them. */
  acquire(estimatedTokens: number, signal?: AbortSignal): Promise<void> {
    const turn = this.tail.then(async () => {
      for (;;) {
        const now = this.clock.now();
        const wait = Math.max(this.requests?.waitFor(1, now) ?? 0, this.tokens?.waitFor(estimatedTokens, now) ?? 0);
        if (wait === 0) break;
        await this.clock.sleep(wait, signal);
      }
      const now = this.clock.now();
      this.requests?.take(1, now);
      this.tokens?.take(estimatedTokens, now);
    });
    // A waiter that is aborted must not block the ones behind it.
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  /** Corrects the token bucket once the real usage is known. */
  settle(estimatedTokens: number, actualTokens: number): void {
    this.tokens?.take(actualTokens - estimatedTokens, this.clock.now());
  }
}
