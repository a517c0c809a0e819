// One informer per resource for the whole process (client-go's SharedInformerFactory): every
// controller asks the factory for the pods informer and gets the same instance, so 50,000 pods are
// listed, watched and cached once, not once per controller. Every informer files objects by
// namespace and by owner UID; pods are also filed by node name. Cached objects carry no managedFields,
// as in kube-controller-manager. Controllers register their
// informers while they are constructed; the caller then starts the factory and waits for sync.
import type { ResourceRef } from './http-client.js';
import { SharedInformer, stripManagedFields, type ListerWatcher } from './informer.js';
import { NAMESPACE_INDEX, namespaceIndexFunc, type Indexers, type MetaObject } from './store.js';

/** Index of objects by the UID of every owner in metadata.ownerReferences. */
export const OWNER_UID_INDEX = 'ownerUid';
/** Index of pods by spec.nodeName ('' for unscheduled pods is not indexed). */
export const NODE_NAME_INDEX = 'nodeName';

const ownerUidIndexFunc = (o: MetaObject): string[] => (o.metadata?.ownerReferences ?? []).map((r) => r.uid);
const nodeNameIndexFunc = (o: MetaObject): string[] => {
  const n = (o as { spec?: { nodeName?: string } }).spec?.nodeName;
  return n ? [n] : [];
};

/** Identifies a resource: group, version and plural name (e.g. apps/v1 deployments). */
export type ResourceId = Pick<ResourceRef, 'group' | 'version' | 'resource'>;

export class InformerFactory {
  private readonly informers = new Map<string, SharedInformer<MetaObject>>();
  private started = false;

  constructor(private readonly client: ListerWatcher, private readonly opts: { resyncPeriodMs?: number } = {}) {}

  /** The process-wide informer for a resource (created on first ask; started by start()). */
  for<T extends MetaObject>(r: ResourceId): SharedInformer<T> {
    const key = `${r.group}/${r.version}/${r.resource}`;
    let inf = this.informers.get(key);
    if (!inf) {
      const indexers: Indexers<MetaObject> = { [NAMESPACE_INDEX]: namespaceIndexFunc, [OWNER_UID_INDEX]: ownerUidIndexFunc };
      if (r.group === '' && r.resource === 'pods') indexers[NODE_NAME_INDEX] = nodeNameIndexFunc;
      inf = new SharedInformer<MetaObject>(this.client, { group: r.group, version: r.version, resource: r.resource }, { indexers, resyncPeriodMs: this.opts.resyncPeriodMs, transform: stripManagedFields });
      this.informers.set(key, inf);
      if (this.started) inf.start();
    }
    return inf as unknown as SharedInformer<T>;
  }

  /** Starts every informer asked for so far (and any asked for later). */
  start(): void {
    this.started = true;
    for (const i of this.informers.values()) i.start();
  }

  /** Resolves once every informer has completed its first list. */
  async waitForSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }

  stop(): void {
    this.started = false;
    for (const i of this.informers.values()) i.stop();
  }
}
