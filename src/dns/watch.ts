// Keeps the DnsIndex in step with the API: Service and EndpointSlice (discovery.k8s.io/v1) informers
// from the caller's InformerFactory. Handlers only note the key of the Service concerned (an
// EndpointSlice names its Service in the kubernetes.io/service-name label); syncService(key) then
// reads the Service and its slices from the caches and replaces that Service's records — level
// triggered, so a burst of slice updates costs one recompute. Keys are flushed on the next
// macrotask, which also keeps handlers cheap during the initial list of thousands of objects.
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { metaNamespaceKey } from '../client/store.js';
import type { DnsIndex } from './records.js';
import { serviceRecords, SERVICE_NAME_LABEL } from './service-records.js';

export interface ServiceWatch {
  /** True once both informers have listed and the index reflects that list. */
  synced(): boolean;
  stop(): void;
}

export function watchServices(informers: InformerFactory, index: DnsIndex, log?: (msg: string) => void): ServiceWatch {
  const services = informers.for<Service>({ group: '', version: 'v1', resource: 'services' });
  const slices = informers.for<EndpointSlice>({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' });
  const dirty = new Set<string>();
  let timer: NodeJS.Immediate | undefined;
  let stopped = false;
  let flushedAfterSync = false;

  const flush = () => {
    timer = undefined;
    for (const key of dirty) syncService(key);
    dirty.clear();
    if (services.hasSynced() && slices.hasSynced()) flushedAfterSync = true;
  };
  const enqueue = (key: string | undefined) => {
    if (!key || stopped) return;
    dirty.add(key);
    timer ??= setImmediate(flush);
  };

  const syncService = (key: string) => {
    const svc = services.store.get(key);
    if (!svc) {
      index.remove(key);
      return;
    }
    const own = [...(slicesByService.get(key) ?? [])].flatMap((k) => slices.store.get(k) ?? []);
    index.set(key, serviceRecords(svc, own, index.zone));
  };

  // Service key → keys of its EndpointSlices, so a sync does not scan every slice of the namespace.
  const slicesByService = new Map<string, Set<string>>();
  const fileSlice = (s: EndpointSlice, add: boolean) => {
    const svcKey = sliceKey(s);
    if (!svcKey) return;
    let set = slicesByService.get(svcKey);
    if (add) {
      if (!set) slicesByService.set(svcKey, (set = new Set()));
      set.add(metaNamespaceKey(s));
    } else if (set) {
      set.delete(metaNamespaceKey(s));
      if (set.size === 0) slicesByService.delete(svcKey);
    }
    enqueue(svcKey);
  };

  const sliceKey = (s: EndpointSlice) => {
    const name = s.metadata?.labels?.[SERVICE_NAME_LABEL];
    return name ? `${s.metadata?.namespace ?? ''}/${name}` : undefined;
  };
  services.addEventHandler({
    onAdd: (s) => enqueue(metaNamespaceKey(s)),
    onUpdate: (_o, s) => enqueue(metaNamespaceKey(s)),
    onDelete: (s) => enqueue(metaNamespaceKey(s)),
  });
  slices.addEventHandler({
    onAdd: (s) => fileSlice(s, true),
    onUpdate: (o, s) => {
      // A slice relabelled to another Service changes both.
      fileSlice(o, false);
      fileSlice(s, true);
    },
    onDelete: (s) => fileSlice(s, false),
  });
  log?.('dns: watching services and endpointslices');

  return {
    synced: () => {
      if (flushedAfterSync) return true;
      // Synced informers with nothing pending: the index already reflects the list.
      if (services.hasSynced() && slices.hasSynced() && dirty.size === 0) flushedAfterSync = true;
      return flushedAfterSync;
    },
    stop: () => {
      stopped = true;
      if (timer) clearImmediate(timer);
      dirty.clear();
    },
  };
}
