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

export async function bootstrap(stores: { namespaces: GenericStore; services?: GenericStore; endpoints?: GenericStore }, port: number, host: string): Promise<void> {
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
      await ensure(stores.endpoints, 'default', {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
        subsets: [{ addresses: [{ ip }], ports: [{ name: 'https', port, protocol: 'TCP' }] }],
      });
    } catch (e) {
      console.error('skiff apiserver: could not publish default/kubernetes endpoints:', (e as Error).message);
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
