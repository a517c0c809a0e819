// Test support for the deployment sync functions (not used by the controller): a SyncContext over an
// in-memory "API" of ReplicaSets and one Deployment, recording every write and event, so tests can
// run sync steps and inspect what the controller would have done.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { ResourceRef } from '../../client/http-client.js';
import { deepCopy } from '../../machinery/object.js';
import type { SyncContext } from './context.js';

/** A Deployment `d` with a RollingUpdate (or Recreate) strategy. */
export function dep(replicas: number, surge: number | string = '25%', unavailable: number | string = '25%', type = 'RollingUpdate'): Deployment {
  return {
    metadata: { name: 'd', namespace: 'ns', uid: 'd-uid', generation: 1 },
    spec: { replicas, progressDeadlineSeconds: 600, revisionHistoryLimit: 10, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } } }, strategy: type === 'Recreate' ? { type } : { type, rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } },
  };
}
/** A ReplicaSet with `available` of its `replicas` available. */
export function rs(name: string, replicas: number, available = replicas, ann: Record<string, string> = {}, created = '2024-01-01T00:00:00Z'): ReplicaSet {
  return { metadata: { name, namespace: 'ns', uid: `${name}-uid`, annotations: ann, creationTimestamp: created }, spec: { replicas, selector: {} }, status: { replicas, availableReplicas: available, readyReplicas: available } };
}

export interface FakeWorld extends SyncContext {
  rss: Map<string, ReplicaSet>;
  deployment?: Deployment;
  events: string[];
  deleted: string[];
  clock: number;
}

export function fakeWorld(start = Date.parse('2024-01-01T00:00:00Z')): FakeWorld {
  let rv = 1;
  let seq = 0;
  const w: FakeWorld = {
    rss: new Map(),
    events: [],
    deleted: [],
    clock: start,
    now: () => w.clock,
    recorder: { event: (_o, type, reason, msg) => void w.events.push(`${type} ${reason} ${msg}`), flush: async () => {} },
    client: {
      async create<T>(_r: ResourceRef, obj: T): Promise<T> {
        const o = deepCopy(obj) as ReplicaSet;
        o.metadata = { ...o.metadata, uid: `uid-${++seq}`, resourceVersion: String(++rv), creationTimestamp: new Date(w.clock + seq * 1000).toISOString() };
        Object.assign(o, { status: { replicas: 0 } });
        w.rss.set(o.metadata.name!, o);
        return deepCopy(o) as T;
      },
      async update<T>(r: ResourceRef, obj: T): Promise<T> {
        const o = deepCopy(obj) as { metadata?: { resourceVersion?: string } };
        o.metadata = { ...o.metadata, resourceVersion: String(++rv) };
        if (r.resource === 'deployments') w.deployment = o as Deployment;
        else w.rss.set(r.name!, o as ReplicaSet);
        return deepCopy(o) as T;
      },
      async patch<T>(_r: ResourceRef, _p: unknown): Promise<T> {
        return { metadata: { resourceVersion: String(++rv) } } as T;
      },
      async delete<T>(r: ResourceRef): Promise<T> {
        w.rss.delete(r.name!);
        w.deleted.push(r.name!);
        return {} as T;
      },
      async get<T>(r: ResourceRef): Promise<T> {
        return deepCopy(w.rss.get(r.name!)) as T;
      },
    } as SyncContext['client'],
  };
  return w;
}
