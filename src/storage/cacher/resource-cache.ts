// The watch cache of one resource (one `/registry/<group>/<resource>/` prefix), like upstream's
// cacher + watchCache pair: built from one list of the inner storage plus one inner watch from
// that list's revision, it keeps the current objects (a map plus a sorted key index) and a window
// of recent events, and fans events out in memory to any number of watchers. So 100 `kubectl get
// -w` clients cost one inner watch, and a list of 10k pods is an array slice, not a SQL query.
import type { KeyValue, ListOptions, ListResult, Revision, Storage, WatchEvent, WatchHandle, WatchOptions } from '../interface.js';
import { StorageError } from '../interface.js';
import { Fanout } from '../fanout.js';
import { EventWindow } from './event-window.js';
import { insertKey, prefixSpan, removeKey, upperBound } from './sorted-keys.js';

/** Cached values are shared by every reader and watcher: freeze them so no one can corrupt them. */
function freeze(ev: WatchEvent): WatchEvent {
  Object.freeze(ev.kv);
  if (ev.prevKv) Object.freeze(ev.prevKv);
  return Object.freeze(ev);
}

export class ResourceCache {
  private readonly items = new Map<string, KeyValue>();
  private readonly keys: string[] = [];
  private readonly window: EventWindow;
  private readonly fanout = new Fanout();
  private waiters: Array<{ rev: Revision; resolve: (ok: boolean) => void }> = [];
  private handle?: WatchHandle;
  /** The revision the snapshot reflects: the initial list's, then that of each applied event. */
  revision: Revision;
  /** Set when the inner watch ended; the cacher then drops this cache and rebuilds on next use. */
  failed = false;

  private constructor(readonly prefix: string, initial: ListResult, windowSize: number) {
    for (const kv of initial.items) {
      this.items.set(kv.key, Object.freeze(kv));
      this.keys.push(kv.key); // already sorted by the inner list
    }
    this.revision = initial.revision;
    this.window = new EventWindow(windowSize, initial.revision);
  }

  /**
   * Lists the prefix from `inner` and watches it from the list's revision (the inner watch replays
   * anything written in between, so nothing is lost). `onFail` runs if the inner watch ends.
   */
  static async build(inner: Storage, prefix: string, windowSize: number, onFail: (c: ResourceCache) => void): Promise<ResourceCache> {
    for (let attempt = 1; ; attempt++) {
      const cache = new ResourceCache(prefix, await inner.list(prefix), windowSize);
      try {
        cache.handle = inner.watch(prefix, {
          fromRevision: cache.revision,
          onEvent: (ev) => cache.apply(ev),
          onError: (err) => {
            cache.fail(err);
            onFail(cache);
          },
        });
        return cache;
      } catch (err) {
        // Compacted between our list and watch (a very narrow race): list again.
        if (!(err instanceof StorageError && err.code === 'Compacted') || attempt >= 3) throw err;
      }
    }
  }

  /** Applies one inner event: snapshot, window, waiters, then fan-out to watchers. */
  private apply(ev: WatchEvent): void {
    const rev = ev.kv.modRevision;
    if (rev <= this.revision) return; // never apply twice (defensive; the inner watch is exact)
    freeze(ev);
    const { key } = ev.kv;
    if (ev.type === 'PUT') {
      if (!this.items.has(key)) insertKey(this.keys, key);
      this.items.set(key, ev.kv);
    } else if (this.items.delete(key)) {
      removeKey(this.keys, key);
    }
    this.revision = rev;
    this.window.push(ev);
    if (this.waiters.length > 0) this.wake();
    this.fanout.publish(ev);
  }

  /** Lists from memory at the cache's revision (or `opts.revision` when newer: same state). */
  list(prefix: string, opts: ListOptions, revision: Revision): ListResult {
    const [start, end] = prefixSpan(this.keys, prefix);
    const from = opts.startAfter !== undefined ? Math.max(start, upperBound(this.keys, opts.startAfter)) : start;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const stop = limit ? Math.min(end, from + limit) : end;
    const items: KeyValue[] = new Array(Math.max(0, stop - from));
    for (let i = from; i < stop; i++) items[i - from] = this.items.get(this.keys[i]!)!;
    return { items, revision, more: stop < end, remaining: Math.max(0, end - stop) };
  }

  count(prefix: string): number {
    const [start, end] = prefixSpan(this.keys, prefix);
    return end - start;
  }

  /**
   * Watches from memory, or returns undefined when `fromRevision` is older than the window (the
   * caller then asks the inner storage, which has the full history or answers Compacted).
   */
  watch(prefix: string, opts: WatchOptions): WatchHandle | undefined {
    const from = opts.fromRevision;
    if (from !== 0 && from < this.window.startRevision) return undefined;
    const history = from === 0 ? [] : this.window.since(from).filter((ev) => ev.kv.key.startsWith(prefix));
    const sub = this.fanout.subscribe(prefix, opts, Math.max(this.revision, from));
    sub.replay(history);
    return sub;
  }

  get watcherCount(): number {
    return this.fanout.size;
  }

  /** Resolves true once the cache has applied revision `rev`, false after `timeoutMs`. */
  waitFor(rev: Revision, timeoutMs: number): Promise<boolean> {
    if (this.revision >= rev) return Promise.resolve(true);
    if (this.failed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push({ rev, resolve: (ok) => (clearTimeout(timer), resolve(ok)) });
    });
  }

  private wake(): void {
    const still: typeof this.waiters = [];
    for (const w of this.waiters) (w.rev <= this.revision ? w.resolve(true) : still.push(w));
    this.waiters = still;
  }

  /** The inner watch ended: end every watcher with the same error. */
  private fail(err: Error): void {
    this.failed = true;
    for (const w of this.waiters) w.resolve(false);
    this.waiters = [];
    this.fanout.failAll(err);
  }

  /** Stops the inner watch and ends our watchers with `err` (cacher close). */
  close(err: Error): void {
    this.handle?.stop();
    this.fail(err);
  }
}
