// The built-in service load balancer (k3s' servicelb, simplified: no klipper-lb pods, because every
// node's Service proxy already serves load-balancer addresses): a Service of type LoadBalancer without
// spec.loadBalancerClass gets status.loadBalancer.ingress = the InternalIPs of the Ready nodes, written
// through the services/status subresource. When the type changes away from LoadBalancer the ingress
// is cleared. Services with a loadBalancerClass belong to another implementation and are left alone.
// Node changes re-queue every LoadBalancer Service, since each one's ingress lists the nodes.
import type { Node, Service, LoadBalancerIngress } from 'kubernetes-types/core/v1.js';
import { WorkQueue } from '../../client/workqueue.js';
import { isStatusError } from '../../machinery/errors.js';
import { done, type Result } from '../runner.js';
import { runWhenSynced, type StartController } from '../shared/context.js';

const SERVICES = { group: '', version: 'v1', resource: 'services' };

function isReady(node: Node): boolean {
  return !node.metadata?.deletionTimestamp && !!node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Whether this controller owns the Service's load-balancer status. */
export function isServiceLB(svc: Service): boolean {
  return svc.spec?.type === 'LoadBalancer' && !svc.spec.loadBalancerClass;
}

/**
 * The ingress a Service should have: one entry per distinct InternalIP of a Ready node, sorted so the
 * status does not flap with list order; [] when it is not ours or no node is ready.
 */
export function desiredIngress(svc: Service, nodes: readonly Node[]): LoadBalancerIngress[] {
  if (!isServiceLB(svc)) return [];
  const ips = new Set<string>();
  for (const n of nodes) {
    if (!isReady(n)) continue;
    for (const a of n.status?.addresses ?? []) if (a.type === 'InternalIP' && a.address) ips.add(a.address);
  }
  return [...ips].sort().map((ip) => ({ ip, ipMode: 'VIP' }));
}

const sameIngress = (a: readonly LoadBalancerIngress[], b: readonly LoadBalancerIngress[]) =>
  a.length === b.length && a.every((x, i) => x.ip === b[i]?.ip && x.hostname === b[i]?.hostname && x.ipMode === b[i]?.ipMode);

export const startServiceLBController: StartController = (ctx) => {
  const queue = new WorkQueue();
  const services = ctx.informers.for<Service>(SERVICES);
  const nodes = ctx.informers.for<Node>({ group: '', version: 'v1', resource: 'nodes' });
  const key = (s: Service) => `${s.metadata?.namespace}/${s.metadata?.name}`;
  const enqueue = (s: Service) => {
    // Also non-LB services that still carry an ingress: the type changed and it must be cleared.
    if (!s.spec?.loadBalancerClass && (isServiceLB(s) || (s.status?.loadBalancer?.ingress?.length ?? 0) > 0)) queue.add(key(s));
  };
  services.addEventHandler({ onAdd: enqueue, onUpdate: (_o, s) => enqueue(s) });
  const enqueueAll = () => {
    for (const s of services.store.list()) if (isServiceLB(s)) queue.add(key(s));
  };
  nodes.addEventHandler({ onAdd: enqueueAll, onUpdate: (a, b) => a !== b && enqueueAll(), onDelete: enqueueAll });

  async function reconcile(k: string): Promise<Result> {
    const cached = services.store.get(k);
    if (!cached || cached.metadata?.deletionTimestamp || cached.spec?.loadBalancerClass) return done;
    const want = desiredIngress(cached, nodes.store.list());
    const have = cached.status?.loadBalancer?.ingress ?? [];
    if (sameIngress(want, have)) return done;
    const [namespace, name] = k.split('/');
    const updated: Service = { ...cached, apiVersion: 'v1', kind: 'Service', status: { ...cached.status, loadBalancer: want.length ? { ingress: want } : {} } };
    try {
      // resourceVersion from the cache: a concurrent change gives 409 and a retry from fresh state.
      await ctx.client.update<Service>({ ...SERVICES, namespace, name, subresource: 'status' }, updated);
    } catch (e) {
      if (isStatusError(e) && e.code === 404) return done;
      throw e;
    }
    return done;
  }

  return runWhenSynced(ctx, { name: 'service-lb-controller', queue, workers: 2, reconcile });
};
