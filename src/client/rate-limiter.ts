// Rate limiters for the work queue (client-go util/workqueue/default_rate_limiters.go): how long an
// item that failed must wait before it is processed again. The default controller limiter is the
// maximum of a per-item exponential back-off (5 ms · 2^failures, capped at 1000 s) and an overall
// token bucket (10 qps, burst 100), so one hot failing key backs off and a storm of keys is paced.

export interface RateLimiter {
  /** Milliseconds the item must wait now; counts one more failure for it. */
  when(item: string): number;
  /** Stops tracking the item (it succeeded): its next failure starts from the base delay again. */
  forget(item: string): void;
  /** How many failures are recorded for the item since its last forget. */
  numRequeues(item: string): number;
}

/** Per-item exponential back-off: base·2^n for the n-th failure (n from 0), never more than max. */
export class ItemExponentialFailureRateLimiter implements RateLimiter {
  /** item → failures since its last forget; absent = 0. */
  private readonly failures = new Map<string, number>();
  constructor(
    private readonly baseMs = 5,
    private readonly maxMs = 1000_000,
  ) {}

  when(item: string): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    // 5 ms · 2^18 ≈ 1311 s already exceeds the 1000 s cap; the exponent is bounded to avoid Infinity.
    const d = this.baseMs * Math.pow(2, Math.min(n, 62));
    return Math.min(d, this.maxMs);
  }
  forget(item: string): void {
    this.failures.delete(item);
  }
  numRequeues(item: string): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * Overall token bucket: `burst` tokens, refilled at `qps` per second. Each `when` reserves a token
 * and returns how long until that reservation is due (0 while tokens remain). Not per item.
 */
export class BucketRateLimiter implements RateLimiter {
  /** Tokens available at `lastMs` (may go negative: reservations made ahead of the refill). */
  private tokens: number;
  private lastMs: number;
  constructor(
    private readonly qps = 10,
    private readonly burst = 100,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.lastMs = now();
  }
  when(_item: string): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.lastMs) / 1000) * this.qps);
    this.lastMs = t;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }
  forget(_item: string): void {}
  numRequeues(_item: string): number {
    return 0;
  }
}

/** The longest delay of several limiters; numRequeues is the highest count among them. */
export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: RateLimiter[];
  constructor(...limiters: RateLimiter[]) {
    this.limiters = limiters;
  }
  when(item: string): number {
    let d = 0;
    for (const l of this.limiters) d = Math.max(d, l.when(item));
    return d;
  }
  forget(item: string): void {
    for (const l of this.limiters) l.forget(item);
  }
  numRequeues(item: string): number {
    let n = 0;
    for (const l of this.limiters) n = Math.max(n, l.numRequeues(item));
    return n;
  }
}

/** client-go's DefaultControllerRateLimiter: max(exponential 5 ms..1000 s, bucket 10 qps / 100 burst). */
export function defaultControllerRateLimiter(): RateLimiter {
  return new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter(5, 1000_000), new BucketRateLimiter(10, 100));
}
