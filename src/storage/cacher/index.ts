// The watch cache: a Storage decorator the API server puts in front of the backend (upstream's
// cacher), so that lists and watches are served from memory instead of hitting the database for
// every client. Writes and gets pass straight through.
//
// One inner watch on the whole key space feeds everything: it advances `synced` (the revision up to
// which the cacher has seen every event — with SQLite, whose notifications are synchronous, always
// the current revision) and routes each event to the cache of its resource. A ResourceCache per
// resource prefix (`/registry/<group>/<resource>/`, the first three key segments) is built lazily on
// the first list or watch, from an inner list pinned at `synced`; namespace prefixes are filtered
// out of their resource's cache. Lists report `synced` as their revision, so resourceVersions are
// global and current, never older than a compaction.
//
// What is served from memory, and what is delegated to the inner storage:
//   list, current or at revision >= synced .............. memory (incl. pages: limit/startAfter)
//   list pinned to an older revision (continue token) ... inner (consistent at that revision)
//   watch from revision >= the resource window's start .. memory (replay from the event window)
//   watch from an older revision ........................ inner (replays history, or Compacted)
// Read-your-writes: after a write through the cacher returns revision R, lists wait until `synced`
// reaches R (immediate with SQLite), falling back to the inner storage after `waitMs`.
import type { KeyValue, ListOptions, ListResult, Revision, Storage, WatchEvent, WatchHandle, WatchOptions } from '../interface.js';
import { StorageError, compacted } from '../interface.js';
import { ResourceCache } from './resource-cache.js';

export interface CacherOptions {
  /** Events kept per resource for resuming watches (default 1000). */
  window?: number;
  /** How long a list waits for the cache to catch up with the caller's own write (default 3 s). */
  waitMs?: number;
}

export type Cacher = Storage & {
  /** Resolves once the cacher follows the inner storage and any cache under construction is built. */
  ready(): Promise<void>;
};

/** `/registry/core/pods/ns/x` → `/registry/core/pods/`; undefined if there are fewer segments. */
export function resourcePrefixOf(keyOrPrefix: string): string | undefined {
  // Runs for every event and list: index arithmetic instead of split (no array per call).
  if (keyOrPrefix.charCodeAt(0) !== 47) return undefined; // '/'
  const a = keyOrPrefix.indexOf('/', 1);
  if (a <= 1) return undefined;
  const b = keyOrPrefix.indexOf('/', a + 1);
  if (b <= a + 1) return undefined;
  const c = keyOrPrefix.indexOf('/', b + 1);
  if (c <= b + 1) return undefined;
  return keyOrPrefix.slice(0, c + 1);
}

export function createCacher(inner: Storage, opts: CacherOptions = {}): Cacher {
  return new WatchCacher(inner, opts.window ?? 1000, opts.waitMs ?? 3000);
}

class WatchCacher implements Cacher {
  /** Built caches by resource prefix (what the synchronous watch() can use). */
  private readonly caches = new Map<string, ResourceCache>();
  /** Caches whose initial list is in flight: they buffer routed events until loaded. */
  private readonly loading = new Map<string, ResourceCache>();
  private readonly builds = new Map<string, Promise<ResourceCache | undefined>>();
  /** Every event up to this revision has been routed to the caches. */
  private synced: Revision = 0;
  /** The revision of the last write through this cacher (read-your-writes target). */
  private lastWrite: Revision = 0;
  private syncWaiters: Array<{ rev: Revision; resolve: (ok: boolean) => void }> = [];
  private root?: WatchHandle;
  /** The root watch ended abnormally: from then on everything is delegated to the inner storage. */
  private broken = false;
  private compactRev: Revision = 0;
  private closed = false;
  private readonly started: Promise<void>;

  constructor(private readonly inner: Storage, private readonly windowSize: number, private readonly waitMs: number) {
    this.started = this.start().catch(() => void (this.broken = true));
  }

  private async start(): Promise<void> {
    this.compactRev = await this.inner.compactedRevision();
    this.synced = await this.inner.currentRevision();
    if (this.closed) return;
    this.root = this.inner.watch('/', {
      fromRevision: this.synced,
      onEvent: (ev) => this.route(ev),
      onError: (err) => this.breakDown(err),
    });
  }

  async ready(): Promise<void> {
    await this.started;
    await Promise.all(this.builds.values());
  }

  /** Root watch callback: advance `synced`, hand the event to its resource's cache. */
  private route(ev: WatchEvent): void {
    this.synced = Math.max(this.synced, ev.kv.modRevision);
    const rp = resourcePrefixOf(ev.kv.key);
    if (rp) (this.caches.get(rp) ?? this.loading.get(rp))?.apply(ev);
    if (this.syncWaiters.length > 0) {
      const still: typeof this.syncWaiters = [];
      for (const w of this.syncWaiters) (w.rev <= this.synced ? w.resolve(true) : still.push(w));
      this.syncWaiters = still;
    }
  }

  private breakDown(err: Error): void {
    this.broken = true;
    for (const c of this.caches.values()) c.close(err);
    this.caches.clear();
    for (const w of this.syncWaiters) w.resolve(false);
    this.syncWaiters = [];
  }

  /** Resolves true once `synced` >= rev, false after waitMs or if the root watch broke. */
  private waitSynced(rev: Revision): Promise<boolean> {
    if (this.synced >= rev) return Promise.resolve(true);
    if (this.broken) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), this.waitMs);
      this.syncWaiters.push({ rev, resolve: (ok) => (clearTimeout(timer), resolve(ok)) });
    });
  }

  private ensureOpen(): void {
    if (this.closed) throw new StorageError('Closed', 'storage is closed');
  }

  /** The cache of a resource prefix, built on first use; undefined when unavailable. */
  private cacheFor(rp: string): Promise<ResourceCache | undefined> {
    const built = this.caches.get(rp);
    if (built) return Promise.resolve(built);
    let p = this.builds.get(rp);
    if (!p) {
      p = this.build(rp).finally(() => this.builds.delete(rp));
      this.builds.set(rp, p);
    }
    return p;
  }

  private async build(rp: string): Promise<ResourceCache | undefined> {
    await this.started;
    if (this.broken || this.closed) return undefined;
    const cache = new ResourceCache(rp, this.windowSize);
    this.loading.set(rp, cache); // from here on, routed events are buffered in the cache
    try {
      const initial = await this.inner.list(rp, { revision: this.synced || undefined });
      if (this.broken || this.closed) return undefined;
      cache.load(initial);
      this.caches.set(rp, cache);
      return cache;
    } catch {
      return undefined; // serve from the inner storage; the next request tries again
    } finally {
      this.loading.delete(rp);
    }
  }

  private noteWrite(kv: KeyValue): KeyValue {
    this.lastWrite = Math.max(this.lastWrite, kv.modRevision);
    return kv;
  }

  async currentRevision(): Promise<Revision> {
    this.ensureOpen();
    return this.inner.currentRevision();
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.ensureOpen();
    return this.inner.get(key);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.ensureOpen();
    await this.started;
    const rp = resourcePrefixOf(prefix);
    const requested = opts.revision ?? 0;
    // Compacted revisions go to the inner storage, which answers with the Compacted error.
    if (!rp || this.broken || (requested && requested < this.compactRev)) return this.inner.list(prefix, opts);
    if (!(await this.waitSynced(this.lastWrite))) return this.inner.list(prefix, opts);
    const cache = await this.cacheFor(rp);
    if (!cache || this.broken) return this.inner.list(prefix, opts);
    if (requested && requested < this.synced) return this.inner.list(prefix, opts); // a pinned page
    let revision = this.synced;
    // A newer revision than we have seen (not yet delivered, or in the future): never report a
    // revision that does not exist yet.
    if (requested > revision) revision = Math.max(revision, Math.min(requested, await this.inner.currentRevision()));
    return cache.list(prefix, opts, revision);
  }

  async count(prefix: string): Promise<number> {
    this.ensureOpen();
    const rp = resourcePrefixOf(prefix);
    const cache = rp && !this.broken && this.synced >= this.lastWrite ? this.caches.get(rp) : undefined;
    return cache ? cache.count(prefix) : this.inner.count(prefix);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    this.ensureOpen();
    return this.noteWrite(await this.inner.create(key, value));
  }

  async update(key: string, value: string, expectedModRevision: Revision): Promise<KeyValue> {
    this.ensureOpen();
    return this.noteWrite(await this.inner.update(key, value, expectedModRevision));
  }

  async delete(key: string, expectedModRevision?: Revision): Promise<KeyValue> {
    this.ensureOpen();
    return this.noteWrite(await this.inner.delete(key, expectedModRevision));
  }

  watch(prefix: string, opts: WatchOptions): WatchHandle {
    this.ensureOpen();
    const from = opts.fromRevision;
    if (from !== 0 && from < this.compactRev) throw compacted(from, this.compactRev);
    const rp = resourcePrefixOf(prefix);
    const cache = rp && !this.broken ? this.caches.get(rp) : undefined;
    if (!cache) {
      // Not built yet (watch is synchronous, building is not): this watcher goes to the inner
      // storage directly, and the cache is built for the ones that follow.
      if (rp && !this.broken) void this.cacheFor(rp);
      return this.inner.watch(prefix, opts);
    }
    return cache.watch(prefix, opts, this.synced) ?? this.inner.watch(prefix, opts);
  }

  async compact(revision: Revision): Promise<void> {
    this.ensureOpen();
    await this.inner.compact(revision);
    this.compactRev = Math.max(this.compactRev, await this.inner.compactedRevision());
  }

  async compactedRevision(): Promise<Revision> {
    this.ensureOpen();
    const r = await this.inner.compactedRevision();
    this.compactRev = Math.max(this.compactRev, r);
    return r;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.root?.stop();
    const err = new StorageError('Closed', 'storage is closed');
    for (const cache of this.caches.values()) cache.close(err);
    this.caches.clear();
    for (const w of this.syncWaiters) w.resolve(false);
    this.syncWaiters = [];
    await this.inner.close();
  }
}
