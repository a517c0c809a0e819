// The informer's in-memory cache (client-go tools/cache store.go + thread_safe_store.go): objects keyed
// `namespace/name` (or `name` for cluster-scoped ones) with secondary indices computed by index
// functions, e.g. all pods of a namespace or on a node. Objects are frozen when they enter the store:
// the cache is shared by every consumer, so callers must deepCopy before changing anything.
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

/** Anything with object metadata: KubeObject and every kubernetes-types kind (which lack an index signature). */
export interface MetaObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** Returns the index values an object is filed under (an object may be under several). */
export type IndexFunc<T> = (obj: T) => string[];
export type Indexers<T> = Record<string, IndexFunc<T>>;

/** upstream's MetaNamespaceKeyFunc: `namespace/name`, or `name` for cluster-scoped objects. */
export function metaNamespaceKey(obj: MetaObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

/** Splits a key back into namespace ('' when cluster-scoped) and name. */
export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export const NAMESPACE_INDEX = 'namespace';
export const namespaceIndexFunc: IndexFunc<MetaObject> = (o) => [o.metadata?.namespace ?? ''];

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const c of Object.values(v)) deepFreeze(c);
  }
  return v;
}

export class Store<T extends MetaObject = MetaObject> {
  /** key → frozen object. The single source of truth; indices are derived from it. */
  private readonly items = new Map<string, T>();
  /** index name → index value → keys. Invariant: key ∈ indices[n][v] ⇔ v ∈ indexers[n](items[key]). */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(private readonly indexers: Indexers<T> = {}) {
    for (const name of Object.keys(indexers)) this.indices.set(name, new Map());
  }

  /** Inserts or replaces; returns the previous object, if any. The object is frozen in place. */
  upsert(obj: T): T | undefined {
    const key = metaNamespaceKey(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    deepFreeze(obj);
    this.items.set(key, obj);
    this.index(key, obj);
    return old;
  }

  /** Removes by key; returns the removed object, if any. */
  deleteKey(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }
  list(): T[] {
    return [...this.items.values()];
  }
  listKeys(): string[] {
    return [...this.items.keys()];
  }
  get size(): number {
    return this.items.size;
  }

  /** Objects filed under `value` in the named index (e.g. byIndex('namespace', 'default')). */
  byIndex(indexName: string, value: string): T[] {
    const idx = this.indices.get(indexName);
    if (!idx) throw new Error(`index ${indexName} does not exist`);
    return [...(idx.get(value) ?? [])].map((k) => this.items.get(k)!);
  }
  /** Every value the named index has at least one object under. */
  indexValues(indexName: string): string[] {
    const idx = this.indices.get(indexName);
    if (!idx) throw new Error(`index ${indexName} does not exist`);
    return [...idx.keys()];
  }

  private index(key: string, obj: T): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const idx = this.indices.get(name)!;
      for (const v of fn(obj)) {
        let s = idx.get(v);
        if (!s) idx.set(v, (s = new Set()));
        s.add(key);
      }
    }
  }
  private unindex(key: string, obj: T): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const idx = this.indices.get(name)!;
      for (const v of fn(obj)) {
        const s = idx.get(v);
        if (!s) continue;
        s.delete(key);
        if (s.size === 0) idx.delete(v);
      }
    }
  }
}
