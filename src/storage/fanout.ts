// In-memory watch fan-out shared by the SQLite backend and the watch cache. A `Fanout` holds the
// subscribers of one event source and delivers each published event, in revision order, to every
// subscriber whose prefix matches. Two subtleties are handled here once, for both users:
//   - Re-entrancy: an onEvent handler may itself write, which publishes a newer event while an older
//     one is still being fanned out. Publishing is therefore queued and drained by the outermost
//     call, so every subscriber sees events in revision order.
//   - Replay + live without gap or duplicate: a new subscriber is registered *before* its history is
//     replayed, buffering live events meanwhile; `after` is the revision the replay snapshot ends at,
//     so a live event is delivered only if it is newer than anything the replay contained.
import type { Revision, WatchEvent, WatchHandle, WatchOptions } from './interface.js';

/** The revision an event happened at (for DELETE, the revision of the delete). */
export const eventRevision = (ev: WatchEvent): Revision => ev.kv.modRevision;

export class Subscriber implements WatchHandle {
  active = true;
  /** Live events that arrived while the history replay was still being delivered. */
  private pending: WatchEvent[] | null = [];

  constructor(
    private readonly fanout: Fanout,
    readonly prefix: string,
    private readonly opts: WatchOptions,
    /** Live events at or below this revision are skipped (the replay already covered them). */
    private readonly after: Revision,
  ) {}

  /** Called by the fanout for every published event. */
  offer(ev: WatchEvent): void {
    if (!this.active || eventRevision(ev) <= this.after || !ev.kv.key.startsWith(this.prefix)) return;
    if (this.pending) this.pending.push(ev);
    else this.deliver(ev);
  }

  /** Delivers the history (already filtered to this subscriber), then anything buffered meanwhile. */
  replay(history: Iterable<WatchEvent>): void {
    for (const ev of history) if (this.active) this.deliver(ev);
    // Draining may trigger writes that append to `pending` again, hence the loop.
    while (this.active && this.pending && this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      for (const ev of batch) if (this.active) this.deliver(ev);
    }
    this.pending = null;
  }

  stop(): void {
    this.active = false;
    this.fanout.remove(this);
  }

  /** Ends the subscription abnormally (handler threw, backend closed, upstream watch failed). */
  fail(err: Error): void {
    if (!this.active) return;
    this.stop();
    this.opts.onError?.(err);
  }

  private deliver(ev: WatchEvent): void {
    try {
      this.opts.onEvent(ev);
    } catch (err) {
      // A throwing handler must not break the writer or other watchers; it loses its watch.
      this.fail(err instanceof Error ? err : new Error(String(err)));
    }
  }
}

export class Fanout {
  private readonly subscribers = new Set<Subscriber>();
  private readonly queue: WatchEvent[] = [];
  private draining = false;

  get size(): number {
    return this.subscribers.size;
  }

  /** Registers a subscriber; the caller then calls `replay` on it (possibly with no history). */
  subscribe(prefix: string, opts: WatchOptions, after: Revision): Subscriber {
    const sub = new Subscriber(this, prefix, opts, after);
    this.subscribers.add(sub);
    return sub;
  }

  remove(sub: Subscriber): void {
    this.subscribers.delete(sub);
  }

  /** Publishes one committed event; delivery is synchronous unless a publish is already draining. */
  publish(ev: WatchEvent): void {
    this.queue.push(ev);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let i = 0; i < this.queue.length; i++) {
        // Set iteration visits subscribers added during the loop; their `after` filters them.
        for (const sub of this.subscribers) sub.offer(this.queue[i]!);
      }
    } finally {
      this.queue.length = 0;
      this.draining = false;
    }
  }

  /** Fails every subscriber (used on close). */
  failAll(err: Error): void {
    for (const sub of [...this.subscribers]) sub.fail(err);
  }
}
