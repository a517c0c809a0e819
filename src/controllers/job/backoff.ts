// Pod-failure back-off (upstream pkg/controller/job/backoff_utils.go): after a pod fails, the next
// replacement waits base·2^(failures−1) (base 10 s, capped at 6 min) since the last failure, where
// failures counts pod failures since the last success. Records live in memory, as upstream.
export const DEFAULT_BACKOFF_BASE_MS = 10_000;
export const MAX_BACKOFF_MS = 6 * 60_000;

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime: number;
}

/** The delay before the next pod may be created after `failures` consecutive failures. */
export function backoffDelay(failures: number, baseMs = DEFAULT_BACKOFF_BASE_MS, maxMs = MAX_BACKOFF_MS): number {
  if (failures <= 0) return 0;
  // 2^(failures−1) overflows nothing useful past ~30 doublings; the cap applies long before.
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
}

/** How long from `now` until a new pod may be created (0 = now). */
export function remainingBackoff(rec: BackoffRecord | undefined, now: number, baseMs = DEFAULT_BACKOFF_BASE_MS, maxMs = MAX_BACKOFF_MS): number {
  if (!rec || rec.failuresAfterLastSuccess === 0) return 0;
  const wait = backoffDelay(rec.failuresAfterLastSuccess, baseMs, maxMs) - (now - rec.lastFailureTime);
  return wait > 0 ? wait : 0;
}

export class BackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  get(key: string): BackoffRecord | undefined {
    return this.records.get(key);
  }

  /** Folds newly counted pod finishes in: a success after the last failure resets the count. */
  observe(key: string, failureTimes: number[], successTimes: number[]): void {
    const rec = this.records.get(key) ?? { failuresAfterLastSuccess: 0, lastFailureTime: 0 };
    const lastSuccess = Math.max(0, ...successTimes);
    const failures = failureTimes.filter((t) => t >= lastSuccess);
    if (successTimes.length && lastSuccess >= rec.lastFailureTime) rec.failuresAfterLastSuccess = 0;
    rec.failuresAfterLastSuccess += failures.length;
    if (failureTimes.length) rec.lastFailureTime = Math.max(rec.lastFailureTime, ...failureTimes);
    this.records.set(key, rec);
  }

  delete(key: string): void {
    this.records.delete(key);
  }
}
