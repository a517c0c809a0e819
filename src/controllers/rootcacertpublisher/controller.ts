// The root CA publisher (upstream pkg/controller/certificates/rootcacertpublisher): every namespace
// gets a ConfigMap `kube-root-ca.crt` whose `ca.crt` is the cluster CA, so the projected
// `kube-api-access-*` volume that service-account admission adds to each pod can be mounted. A user
// who edits or deletes the ConfigMap gets it back (level-triggered: the namespace is re-queued).
import type { ConfigMap, Namespace } from 'kubernetes-types/core/v1.js';
import { WorkQueue } from '../../client/workqueue.js';
import { isStatusError } from '../../machinery/errors.js';
import { done, type Result } from '../runner.js';
import { runWhenSynced, type StartController } from '../shared/context.js';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/** The ConfigMap a namespace should hold, or undefined when the existing one is already right. */
export function desiredConfigMap(namespace: string, caCert: string, existing: ConfigMap | undefined): ConfigMap | undefined {
  const data = { 'ca.crt': caCert };
  const annotations = { 'kubernetes.io/description': DESCRIPTION };
  if (!existing) return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations }, data };
  const sameData = existing.data?.['ca.crt'] === caCert && Object.keys(existing.data ?? {}).length === 1 && !existing.binaryData;
  const hasDescription = existing.metadata?.annotations?.['kubernetes.io/description'] === DESCRIPTION;
  if (sameData && hasDescription) return undefined;
  return { ...existing, metadata: { ...existing.metadata, annotations: { ...existing.metadata?.annotations, ...annotations } }, data, binaryData: undefined };
}

export const startRootCACertPublisher: StartController = (ctx) => {
  const caCert = ctx.config.rootCACert;
  const queue = new WorkQueue();
  const namespaces = ctx.informers.for<Namespace>({ group: '', version: 'v1', resource: 'namespaces' });
  const configMaps = ctx.informers.for<ConfigMap>({ group: '', version: 'v1', resource: 'configmaps' });
  const enqueueNs = (ns: Namespace) => ns.metadata?.name && queue.add(ns.metadata.name);
  const enqueueCm = (cm: ConfigMap) => cm.metadata?.name === ROOT_CA_CONFIGMAP && cm.metadata.namespace && queue.add(cm.metadata.namespace);
  namespaces.addEventHandler({ onAdd: enqueueNs, onUpdate: (_o, n) => enqueueNs(n) });
  configMaps.addEventHandler({ onUpdate: (_o, c) => enqueueCm(c), onDelete: enqueueCm });

  async function reconcile(ns: string): Promise<Result> {
    if (!caCert) return done;
    const namespace = namespaces.store.get(ns);
    // A terminating namespace refuses creates; the namespace controller is emptying it.
    if (!namespace || namespace.metadata?.deletionTimestamp || namespace.status?.phase === 'Terminating') return done;
    const want = desiredConfigMap(ns, caCert, configMaps.store.get(`${ns}/${ROOT_CA_CONFIGMAP}`));
    if (!want) return done;
    const ref = { group: '', version: 'v1', resource: 'configmaps', namespace: ns, name: ROOT_CA_CONFIGMAP };
    try {
      if (want.metadata?.resourceVersion) await ctx.client.update<ConfigMap>(ref, want);
      else await ctx.client.create<ConfigMap>({ ...ref, name: undefined }, want);
    } catch (e) {
      // AlreadyExists / Conflict: the cache is behind; the watch event re-queues the namespace.
      if (isStatusError(e) && (e.code === 409 || e.code === 404 || (e.code === 403 && e.reason === 'Forbidden'))) return done;
      throw e;
    }
    return done;
  }

  return runWhenSynced(ctx, { name: 'root-ca-cert-publisher', queue, workers: 2, reconcile });
};
