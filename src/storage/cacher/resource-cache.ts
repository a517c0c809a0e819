// The watch cache of one resource (one `/registry/<group>/<resource>/` prefix), like upstream's
// watchCache: the current objects (a map plus a sorted key index) and a window of recent events,
// with an in-memory fan-out to any number of watchers. It does not talk to the inner storage
// itself: the cacher feeds it the initial list (`load`) and every event of its resource (`apply`),
// so 100 `kubectl get -w` clients cost no database work, and a list of 10k pods is an array slice.
import type { KeyValue, ListOptions, ListResult, Revision, WatchEvent, WatchHandle, WatchOptions } from '../interface.js';
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
  /** Events that arrived while the initial list was in flight; applied by `load`. */
  private buffered: WatchEvent[] | null = [];
  /** Revision of the last event applied (or of the initial list). */
  private revision: Revision = 0;

  constructor(readonly prefix: string, windowSize: number) {
    this.window = new EventWindow(windowSize, 0);
  }

  /** Installs the initial list, then the events buffered since it was requested. */
  load(initial: ListResult): void {
    for (const kv of initial.items) {
      this.items.set(kv.key, Object.freeze(kv));
      this.keys.push(kv.key); // the inner list is sorted by key already
    }
    this.revision = initial.revision;
    this.window.startRevision = initial.revision;
    const events = this.buffered ?? [];
    this.buffered = null;
    for (const ev of events) this.apply(ev);
  }

  /** Applies one event of this resource: snapshot, window, then fan-out to watchers. */
  apply(ev: WatchEvent): void {
    if (this.buffered) {
      this.buffered.push(ev);
      return;
    }
    const rev = ev.kv.modRevision;
    if (rev <= this.revision) return; // already part of the initial list
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
    this.fanout.publish(ev);
  }

  /** A page of the current state under `prefix` (a namespace prefix filters the resource). */
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
   * `synced` is the revision up to which every event has been delivered to this cache.
   */
  watch(prefix: string, opts: WatchOptions, synced: Revision): WatchHandle | undefined {
    const from = opts.fromRevision;
    if (from !== 0 && from < this.window.startRevision) return undefined;
    const history = from === 0 ? [] : this.window.since(from).filter((ev) => ev.kv.key.startsWith(prefix));
    const sub = this.fanout.subscribe(prefix, opts, Math.max(synced, this.revision, from));
    sub.replay(history);
    return { stop: () => sub.stop() };
  }

  get watcherCount(): number {
    return this.fanout.size;
  }

  /** Ends every watcher with `err` (inner watch lost, or cacher closed). */
  close(err: Error): void {
    this.fanout.failAll(err);
  }
}
