// Per-key exponential back-off, as the kubelet's flowcontrol.Backoff: the first retry waits
// `initialMs`, each further one doubles up to `maxMs`, and a key that has not failed for
// `resetAfterMs` starts again from `initialMs`. CrashLoopBackOff uses 10 s → 5 min with a reset
// after 10 min of running; image pulls use the same shape. Concretely: a container that exits at
// once restarts after 10 s, 20 s, 40 s, 80 s, 160 s, then every 300 s.
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  resetAfterMs: number;
}

interface Entry {
  delayMs: number;
  lastFailureMs: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();
  constructor(
    private readonly opts: BackoffOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a failure at `atMs` (default now) and grows the delay. */
  next(key: string, atMs = this.now()): number {
    const e = this.entries.get(key);
    if (!e || atMs - e.lastFailureMs > this.opts.resetAfterMs) {
      this.entries.set(key, { delayMs: this.opts.initialMs, lastFailureMs: atMs });
      return this.opts.initialMs;
    }
    if (atMs === e.lastFailureMs) return e.delayMs; // the same failure seen twice
    e.delayMs = Math.min(e.delayMs * 2, this.opts.maxMs);
    e.lastFailureMs = atMs;
    return e.delayMs;
  }

  /**
   * upstream IsInBackOffSince: true while less than the current delay has passed since `eventMs`
   * (the finish time of the attempt that just failed).
   */
  inBackoffSince(key: string, eventMs: number): boolean {
    const e = this.entries.get(key);
    return !!e && this.now() - eventMs < e.delayMs;
  }

  /** Milliseconds still to wait before the key may be retried (0 = go). */
  remaining(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    return Math.max(0, e.lastFailureMs + e.delayMs - this.now());
  }

  current(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets keys with a prefix (a deleted pod). */
  resetPrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}

export const crashLoopBackoff = (now?: () => number) => new Backoff({ initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 }, now);
export const imagePullBackoff = (now?: () => number) => new Backoff({ initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 }, now);
