// A ring buffer of the most recent watch events of one resource (upstream's watch cache keeps a
// similar cyclic buffer). `startRevision` is the revision after which the window is complete: a
// watch from any revision >= startRevision can be replayed from memory. Example: capacity 3, events
// at 5, 8, 9, 12 → 5 is evicted, startRevision = 5, and a watch from 5, 6, 7 … replays 8, 9, 12.
import type { Revision, WatchEvent } from '../interface.js';
import { eventRevision } from '../fanout.js';

export class EventWindow {
  private readonly buf: WatchEvent[] = [];
  private head = 0; // index of the oldest event once the buffer is full

  constructor(
    private readonly capacity: number,
    /** Initially the revision of the cache's initial list: nothing is missing after it. */
    public startRevision: Revision,
  ) {}

  get size(): number {
    return this.buf.length;
  }

  push(ev: WatchEvent): void {
    if (this.capacity <= 0) {
      this.startRevision = eventRevision(ev);
      return;
    }
    if (this.buf.length < this.capacity) {
      this.buf.push(ev);
      return;
    }
    this.startRevision = eventRevision(this.buf[this.head]!);
    this.buf[this.head] = ev;
    this.head = (this.head + 1) % this.capacity;
  }

  private at(i: number): WatchEvent {
    return this.buf[(this.head + i) % this.buf.length]!;
  }

  /** Events with revision > `rev`, oldest first (binary search: revisions increase along the ring). */
  since(rev: Revision): WatchEvent[] {
    let lo = 0;
    let hi = this.buf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (eventRevision(this.at(mid)) <= rev) lo = mid + 1;
      else hi = mid;
    }
    const out: WatchEvent[] = [];
    for (let i = lo; i < this.buf.length; i++) out.push(this.at(i));
    return out;
  }
}
