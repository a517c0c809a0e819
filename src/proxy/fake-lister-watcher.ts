// An in-memory ListerWatcher for tests and benchmarks of the proxy: an InformerFactory built over it
// lists what was put in and receives every later put/remove as a watch event, as from an API server.
// Only what informers use is implemented (list without paging, watch from "now").
import type { KubeList, ListOptions, ResourceRef, WatchEvent, WatchHandle, WatchOptions } from '../client/http-client.js';
import type { ListerWatcher } from '../client/informer.js';
import type { MetaObject } from '../client/store.js';

type Watcher = (ev: WatchEvent<MetaObject>) => void;

const resourceKey = (r: Pick<ResourceRef, 'group' | 'resource'>) => `${r.group}/${r.resource}`;
const objectKey = (o: MetaObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export class FakeListerWatcher implements ListerWatcher {
  private rv = 1;
  private readonly objects = new Map<string, Map<string, MetaObject>>();
  private readonly watchers = new Map<string, Set<Watcher>>();

  private bucket(r: Pick<ResourceRef, 'group' | 'resource'>): Map<string, MetaObject> {
    let b = this.objects.get(resourceKey(r));
    if (!b) this.objects.set(resourceKey(r), (b = new Map()));
    return b;
  }

  /** Creates or replaces an object and tells the watchers. */
  put(r: Pick<ResourceRef, 'group' | 'resource'>, obj: MetaObject): void {
    const o = structuredClone(obj);
    o.metadata = { ...o.metadata, resourceVersion: String(++this.rv) };
    const b = this.bucket(r);
    const type = b.has(objectKey(o)) ? 'MODIFIED' : 'ADDED';
    b.set(objectKey(o), o);
    for (const w of this.watchers.get(resourceKey(r)) ?? []) w({ type, object: structuredClone(o) });
  }

  remove(r: Pick<ResourceRef, 'group' | 'resource'>, namespace: string, name: string): void {
    const b = this.bucket(r);
    const o = b.get(`${namespace}/${name}`);
    if (!o) return;
    b.delete(`${namespace}/${name}`);
    o.metadata = { ...o.metadata, resourceVersion: String(++this.rv) };
    for (const w of this.watchers.get(resourceKey(r)) ?? []) w({ type: 'DELETED', object: structuredClone(o) });
  }

  list<T = MetaObject>(r: ResourceRef, _opts?: ListOptions): Promise<KubeList<T>> {
    const items = [...this.bucket(r).values()].map((o) => structuredClone(o) as T);
    return Promise.resolve({ metadata: { resourceVersion: String(this.rv) }, items });
  }

  watch<T = MetaObject>(r: ResourceRef, _opts: WatchOptions, onEvent: (ev: WatchEvent<T>) => void): WatchHandle {
    const key = resourceKey(r);
    const set = this.watchers.get(key) ?? new Set<Watcher>();
    this.watchers.set(key, set);
    const w = onEvent as unknown as Watcher;
    set.add(w);
    let finish!: () => void;
    const done = new Promise<void>((res) => (finish = res));
    return {
      abort: () => {
        set.delete(w);
        finish();
      },
      done,
    };
  }
}
