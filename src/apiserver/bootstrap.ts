// What exists from the first start (upstream's system namespaces controller and the `kubernetes`
// Service reconciler): the four system namespaces and default/kubernetes (10.43.0.1:443 → our port).
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

export async function bootstrap(stores: { namespaces: GenericStore; services?: GenericStore }, port: number): Promise<void> {
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
}
