// What exists from the first start (upstream's system namespaces controller and the `kubernetes`
// Service reconciler): the four system namespaces and default/kubernetes (10.43.0.1:443 → our port).
import { networkInterfaces } from 'node:os';
import type { KubeObject } from '../machinery/object.js';
import { isStatusError } from '../machinery/errors.js';
import type { GenericStore } from './generic-store.js';
import { SYSTEM_NAMESPACES } from './namespace-lifecycle.js';
import { KUBERNETES_SERVICE_IP } from './service-ip.js';

async function ensure(store: GenericStore, ns: string, obj: KubeObject): Promise<void> {
  try {
    await store.get(ns, obj.metadata!.name!);
    return;
  } catch (e) {
    if (!isStatusError(e) || e.code !== 404) throw e;
  }
  try {
    await store.create(ns, obj, { dryRun: false });
  } catch (e) {
    if (!isStatusError(e) || e.code !== 409) throw e;
  }
}

/** Creates the object, or brings `fields` of the stored one in line (the address or port may have moved). */
async function reconcile(store: GenericStore, ns: string, obj: KubeObject, fields: string[]): Promise<void> {
  const same = (cur: KubeObject) => fields.every((f) => JSON.stringify(cur[f]) === JSON.stringify(obj[f]));
  try {
    if (same(await store.get(ns, obj.metadata!.name!))) return;
  } catch (e) {
    if (!isStatusError(e) || e.code !== 404) throw e;
    await ensure(store, ns, obj);
    return;
  }
  await store.update(ns, obj.metadata!.name!, (cur) => ({ ...cur, ...Object.fromEntries(fields.map((f) => [f, obj[f]])) }), { dryRun: false });
}

export async function bootstrap(stores: { namespaces: GenericStore; services?: GenericStore; endpoints?: GenericStore; endpointSlices?: GenericStore }, port: number, host: string): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    await ensure(stores.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  if (stores.services) {
    await ensure(stores.services, 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: {
        type: 'ClusterIP',
        clusterIP: KUBERNETES_SERVICE_IP,
        clusterIPs: [KUBERNETES_SERVICE_IP],
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }],
        sessionAffinity: 'None',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
      },
    });
  }
  const ip = advertiseAddress(host);
  if (stores.endpoints && ip) {
    // The API server's own address behind default/kubernetes (upstream's endpoint reconciler). Upstream
    // validation refuses loopback addresses, so a server bound to 127.0.0.1 publishes none.
    try {
      await reconcile(stores.endpoints, 'default', {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
        subsets: [{ addresses: [{ ip }], ports: [{ name: 'https', port, protocol: 'TCP' }] }],
      }, ['subsets']);
    } catch (e) {
      console.error('skiff apiserver: could not publish default/kubernetes endpoints:', (e as Error).message);
    }
  }
  if (stores.endpointSlices && ip) {
    // The same address as an EndpointSlice (upstream's reconciler writes both; the mirroring controller
    // skips this Endpoints object), which is what Service proxies read.
    try {
      await reconcile(stores.endpointSlices, 'default', {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
        addressType: 'IPv4',
        endpoints: [{ addresses: [ip], conditions: { ready: true } }],
        ports: [{ name: 'https', port, protocol: 'TCP' }],
      }, ['endpoints', 'ports']);
    } catch (e) {
      console.error('skiff apiserver: could not publish the default/kubernetes EndpointSlice:', (e as Error).message);
    }
  }
}

/** A non-loopback IPv4 address clients can reach the server at: the bind address, or the first host address for 0.0.0.0. */
function advertiseAddress(host: string): string | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) && host !== '0.0.0.0') return host.startsWith('127.') ? undefined : host;
  if (host !== '0.0.0.0' && host !== '::' && host !== '') return undefined;
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}
