// A de-duplicating, rate-limited work queue with client-go's semantics (util/workqueue/queue.go,
// delaying_queue.go, rate_limiting_queue.go). Event handlers `add` object keys; workers `get` a key,
// sync it and call `done`. A key is never handed to two workers at once, and a key added while it is
// being processed is processed once more afterwards — so every change is seen by a later sync, and a
// burst of changes to one object costs one sync.
import { type RateLimiter, defaultControllerRateLimiter } from './rate-limiter.js';

export class WorkQueue {
  /** Keys waiting for a worker, in FIFO order. Invariant: every key here is in `dirty` and not in `processing`; no duplicates. */
  private queue: string[] = [];
  /** Keys that need processing. Invariant: dirty = keys in `queue` ∪ keys dirtied while in `processing`. */
  private readonly dirty = new Set<string>();
  /** Keys handed out by `get` and not yet `done`. Invariant: a key in here is never also in `queue`. */
  private readonly processing = new Set<string>();
  /** Pending `get` calls. Invariant: non-empty only while `queue` is empty and the queue is not shut down. */
  private waiters: Array<(key: string | undefined) => void> = [];
  /** addAfter timers: key → [due time, timer]; only the earliest due time per key is kept. */
  private readonly delayed = new Map<string, { due: number; timer: NodeJS.Timeout }>();
  /** Once set, `add` is ignored and `get` returns undefined as soon as `queue` is drained. */
  private shuttingDown = false;

  constructor(private readonly rateLimiter: RateLimiter = defaultControllerRateLimiter()) {}

  /** Marks the key as needing processing; a no-op if it already is (de-duplication). */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return; // `done` will re-queue it
    this.enqueue(key);
  }

  /** Hands a dirty key to a waiting worker, or queues it. */
  private enqueue(key: string): void {
    const w = this.waiters.shift();
    if (w) {
      this.dirtyToProcessing(key);
      w(key);
    } else this.queue.push(key);
  }

  private dirtyToProcessing(key: string): void {
    this.dirty.delete(key);
    this.processing.add(key);
  }

  /** Resolves with the next key (now "processing") or undefined once shut down and drained. */
  get(): Promise<string | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) {
      this.dirtyToProcessing(key);
      return Promise.resolve(key);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The worker finished the key; if it was added meanwhile it goes back into the queue. */
  done(key: string): void {
    if (!this.processing.delete(key)) return;
    // Dirtied while processing: process it once more (even while shutting down, as upstream: drain).
    if (this.dirty.has(key)) this.enqueue(key);
  }

  /** Adds the key after `ms` milliseconds (at once if ms ≤ 0); an earlier pending addAfter wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const due = Date.now() + ms;
    const prev = this.delayed.get(key);
    if (prev && prev.due <= due) return;
    if (prev) clearTimeout(prev.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    timer.unref?.();
    this.delayed.set(key, { due, timer });
  }

  /** Adds the key after the rate limiter's delay (exponential per key): for a failed sync. */
  addRateLimited(key: string): void {
    this.addAfter(key, this.rateLimiter.when(key));
  }
  /** The key succeeded: reset its back-off. Does not remove it from the queue. */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }
  numRequeues(key: string): number {
    return this.rateLimiter.numRequeues(key);
  }

  /** Keys waiting for a worker (not counting those being processed or delayed). */
  len(): number {
    return this.queue.length;
  }

  /** Stops accepting keys, cancels delayed adds; waiting `get`s resolve undefined; queued keys still drain. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const d of this.delayed.values()) clearTimeout(d.timer);
    this.delayed.clear();
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w(undefined);
  }
  isShuttingDown(): boolean {
    return this.shuttingDown;
  }
}
