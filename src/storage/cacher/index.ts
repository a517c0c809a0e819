// The watch cache: a Storage decorator the API server puts in front of the backend (upstream's
// cacher), so that lists and watches of a resource are served from memory instead of hitting the
// database for every client. Writes and gets pass straight through. Per resource prefix
// (`/registry/<group>/<resource>/`, the first three key segments) a ResourceCache is built lazily on
// the first list or watch; namespace prefixes are filtered out of their resource's cache.
//
// What is served from memory, and what is delegated to the inner storage:
//   list, current or at revision >= the cache's ........ memory (incl. pages: limit/startAfter)
//   list pinned to an older revision (continue token) ... inner (consistent at that revision)
//   watch from revision >= the window's start ........... memory (replay from the event window)
//   watch from an older revision ........................ inner (replays history, or Compacted)
// Read-your-writes: after a write through the cacher returns revision R, a list of that resource
// waits until the cache has applied R (immediate with SQLite, whose watch notifications are
// synchronous), falling back to the inner storage if that takes longer than `waitMs`.
import type { KeyValue, ListOptions, ListResult, Revision, Storage, WatchHandle, WatchOptions } from '../interface.js';
import { StorageError, compacted } from '../interface.js';
import { ResourceCache } from './resource-cache.js';

export interface CacherOptions {
  /** Events kept per resource for resuming watches (upstream's default capacity is 100–100k). */
  window?: number;
  /** How long a list waits for the cache to catch up with the caller's own write. */
  waitMs?: number;
}

export type Cacher = Storage & {
  /** Resolves once startup reads are done and any cache under construction is built. */
  ready(): Promise<void>;
};

/** `/registry/core/pods/ns/x` → `/registry/core/pods/`; undefined if there are fewer segments. */
export function resourcePrefixOf(keyOrPrefix: string): string | undefined {
  const parts = keyOrPrefix.split('/');
  if (parts.length < 5 || parts[0] !== '' || !parts[1] || !parts[2] || !parts[3]) return undefined;
  return `/${parts[1]}/${parts[2]}/${parts[3]}/`;
}

export function createCacher(inner: Storage, opts: CacherOptions = {}): Cacher {
  return new WatchCacher(inner, opts.window ?? 1000, opts.waitMs ?? 3000);
}

class WatchCacher implements Cacher {
  /** Caches that are built and healthy, by resource prefix (what the synchronous watch uses). */
  private readonly caches = new Map<string, ResourceCache>();
  /** Builds in progress (or done), so concurrent first lists share one build. */
  private readonly building = new Map<string, Promise<ResourceCache | undefined>>();
  /** The revision of the last write through this cacher, per resource prefix. */
  private readonly lastWrite = new Map<string, Revision>();
  private compactRev: Revision = 0;
  private closed = false;
  private readonly started: Promise<void>;

  constructor(private readonly inner: Storage, private readonly windowSize: number, private readonly waitMs: number) {
    this.started = inner.compactedRevision().then((r) => void (this.compactRev = Math.max(this.compactRev, r)));
  }

  async ready(): Promise<void> {
    await this.started;
    await Promise.all(this.building.values());
  }

  private ensureOpen(): void {
    if (this.closed) throw new StorageError('Closed', 'storage is closed');
  }

  /** The cache for a resource prefix, building it on first use; undefined if the build failed. */
  private cacheFor(rp: string): Promise<ResourceCache | undefined> {
    const ready = this.caches.get(rp);
    if (ready) return Promise.resolve(ready);
    let p = this.building.get(rp);
    if (!p) {
      p = ResourceCache.build(this.inner, rp, this.windowSize, (c) => this.drop(rp, c)).then(
        (c) => {
          if (this.closed) return c.close(new StorageError('Closed', 'storage is closed')), undefined;
          this.caches.set(rp, c);
          return c;
        },
        () => {
          this.building.delete(rp); // try again on the next request; meanwhile serve from inner
          return undefined;
        },
      );
      this.building.set(rp, p);
    }
    return p;
  }

  /** The inner watch of a cache ended: forget it, the next list/watch rebuilds it. */
  private drop(rp: string, cache: ResourceCache): void {
    if (this.caches.get(rp) === cache) {
      this.caches.delete(rp);
      this.building.delete(rp);
    }
  }

  private noteWrite(kv: KeyValue): KeyValue {
    const rp = resourcePrefixOf(kv.key);
    if (rp) this.lastWrite.set(rp, kv.modRevision);
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
    const rp = resourcePrefixOf(prefix);
    const requested = opts.revision ?? 0;
    // Compacted revisions go to the inner storage, which answers with the Compacted error.
    if (!rp || (requested && requested < this.compactRev)) return this.inner.list(prefix, opts);
    const cache = await this.cacheFor(rp);
    if (!cache || cache.failed) return this.inner.list(prefix, opts);
    const written = this.lastWrite.get(rp) ?? 0;
    if (cache.revision < written && !(await cache.waitFor(written, this.waitMs))) return this.inner.list(prefix, opts);
    if (requested && requested < cache.revision) return this.inner.list(prefix, opts); // pinned page
    let revision = cache.revision;
    // Asked for a newer revision than this resource's last event: same state, but never report a
    // revision that does not exist yet.
    if (requested > revision) revision = Math.max(revision, Math.min(requested, await this.inner.currentRevision()));
    return cache.list(prefix, opts, revision);
  }

  async count(prefix: string): Promise<number> {
    this.ensureOpen();
    const rp = resourcePrefixOf(prefix);
    const cache = rp ? this.caches.get(rp) : undefined;
    return cache && !cache.failed ? cache.count(prefix) : this.inner.count(prefix);
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
    const cache = rp ? this.caches.get(rp) : undefined;
    if (!cache || cache.failed) {
      // Not built yet (watch is synchronous, building is not): this watcher goes to the inner
      // storage directly, and the cache is built for the ones that follow.
      if (rp) void this.cacheFor(rp);
      return this.inner.watch(prefix, opts);
    }
    return cache.watch(prefix, opts) ?? this.inner.watch(prefix, opts);
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
    const err = new StorageError('Closed', 'storage is closed');
    for (const cache of this.caches.values()) cache.close(err);
    this.caches.clear();
    await this.inner.close();
  }
}
