// What a Service's Endpoints should hold, as pure functions (upstream pkg/controller/endpoint/
// endpoints_controller.go syncService, pkg/api/v1/pod FindPort, pkg/api/v1/endpoints RepackSubsets and
// endpointslice util ShouldPodBeInEndpoints): one address per selected pod with an IP, ready or not
// ready by the pod's Ready condition, on the ports its targetPorts resolve to for that pod — pods whose
// named ports resolve differently land in different subsets, as upstream groups them.
import type { EndpointAddress, EndpointPort, EndpointSubset, Pod, Service, ServicePort } from 'kubernetes-types/core/v1.js';

/** Upstream podutil.FindPort: a numeric targetPort is itself; a name is looked up in the pod's container ports. */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const proto = sp.protocol ?? 'TCP';
  const restartable = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...(pod.spec?.containers ?? []), ...restartable]) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === proto) return p.containerPort;
  }
  return undefined;
}

export function isPodTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Upstream ShouldPodBeInEndpoints: not terminal, has an IP, and not terminating unless those are included. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!pod.status?.podIP && !(pod.status?.podIPs ?? []).length) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  return true;
}

/** A ClusterIP of None (or none at all) makes a Service headless. */
export function isHeadless(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return !ip || ip === 'None';
}

/** The pod's IP of the Service's family (IPv4 unless the Service asks for IPv6 only). */
export function podIPForService(pod: Pod, svc: Service): string | undefined {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => !!ip);
  if (!ips.length && pod.status?.podIP) ips.push(pod.status.podIP);
  const wantV6 = svc.spec?.ipFamilies?.[0] === 'IPv6';
  return ips.find((ip) => ip.includes(':') === wantV6);
}

function address(pod: Pod, svc: Service, ip: string): EndpointAddress {
  const a: EndpointAddress = {
    ip,
    nodeName: pod.spec?.nodeName,
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
  };
  // Upstream ShouldSetHostname: the pod names this Service as its subdomain.
  if (pod.spec?.hostname && pod.spec.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace) a.hostname = pod.spec.hostname;
  if (!a.nodeName) delete a.nodeName;
  return a;
}

/** Subsets for a Service and the pods its selector matched, repacked and sorted. */
export function buildSubsets(svc: Service, pods: Pod[]): EndpointSubset[] {
  const publishNotReady = !!svc.spec?.publishNotReadyAddresses;
  const raw: EndpointSubset[] = [];
  const add = (pod: Pod, addr: EndpointAddress, port: EndpointPort | undefined) => {
    const ports = port ? [port] : [];
    if (publishNotReady || isPodReady(pod)) raw.push({ addresses: [addr], ports });
    else raw.push({ notReadyAddresses: [addr], ports });
  };
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const ip = podIPForService(pod, svc);
    if (!ip) continue;
    const addr = address(pod, svc, ip);
    const ports = svc.spec?.ports ?? [];
    // A headless Service without ports still publishes its pods' addresses (DNS A records).
    if (ports.length === 0) {
      if (svc.spec?.clusterIP === 'None') add(pod, addr, undefined);
      continue;
    }
    for (const sp of ports) {
      const num = findPort(pod, sp);
      if (num === undefined) continue; // the pod has no such named port: not an endpoint for it
      const ep: EndpointPort = { port: num, protocol: sp.protocol ?? 'TCP' };
      if (sp.name) ep.name = sp.name;
      if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
      add(pod, addr, ep);
    }
  }
  return repackSubsets(raw);
}

const portKey = (p: EndpointPort) => JSON.stringify([p.name ?? '', p.port, p.protocol ?? 'TCP', p.appProtocol ?? '']);
const addrKey = (a: EndpointAddress) => `${a.ip}/${a.targetRef?.uid ?? ''}`;
const cmpAddr = (a: EndpointAddress, b: EndpointAddress) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? ''));
const cmpPort = (a: EndpointPort, b: EndpointPort) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port || (a.protocol ?? '').localeCompare(b.protocol ?? '');

/**
 * Upstream RepackSubsets: map each port to the addresses offering it, then group ports that share
 * exactly the same address set (and readiness) into one subset. Address-only subsets use a -1 port
 * sentinel so they are kept. Sorted so equal contents compare equal.
 */
export function repackSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  const addrs = new Map<string, EndpointAddress>();
  const byPort = new Map<string, { port: EndpointPort; ready: Map<string, boolean> }>();
  const note = (a: EndpointAddress, port: EndpointPort, ready: boolean) => {
    const k = addrKey(a);
    if (!addrs.has(k)) addrs.set(k, a);
    const pk = portKey(port);
    let e = byPort.get(pk);
    if (!e) byPort.set(pk, (e = { port, ready: new Map() }));
    const prev = e.ready.get(k);
    if (prev === undefined || !prev) e.ready.set(k, ready);
  };
  for (const s of subsets) {
    const ports = s.ports?.length ? s.ports : [{ port: -1 }];
    for (const port of ports) {
      for (const a of s.addresses ?? []) note(a, port, true);
      for (const a of s.notReadyAddresses ?? []) note(a, port, false);
    }
  }
  const groups = new Map<string, { ready: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const { port, ready } of byPort.values()) {
    const key = [...ready.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, r]) => `${k}=${r}`).join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ready, ports: [] }));
    if (port.port > 0) g.ports.push(port);
  }
  const out: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [k, r] of g.ready) (r ? ready : notReady).push(addrs.get(k)!);
    const s: EndpointSubset = {};
    if (ready.length) s.addresses = ready.sort(cmpAddr);
    if (notReady.length) s.notReadyAddresses = notReady.sort(cmpAddr);
    if (g.ports.length) s.ports = g.ports.sort(cmpPort);
    out.push(s);
  }
  const first = (s: EndpointSubset) => (s.addresses ?? s.notReadyAddresses ?? [])[0]?.ip ?? '';
  return out.sort((a, b) => first(a).localeCompare(first(b)) || JSON.stringify(a.ports ?? []).localeCompare(JSON.stringify(b.ports ?? [])));
}

/** Upstream truncateEndpoints: at most 1000 addresses, ready ones kept first. */
export const MAX_ENDPOINTS_CAPACITY = 1000;
export function truncateSubsets(subsets: EndpointSubset[]): { subsets: EndpointSubset[]; truncated: boolean } {
  const total = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);
  if (total <= MAX_ENDPOINTS_CAPACITY) return { subsets, truncated: false };
  let room = MAX_ENDPOINTS_CAPACITY;
  const take = (list: EndpointAddress[] | undefined) => {
    if (!list?.length) return undefined;
    const kept = list.slice(0, Math.max(0, room));
    room -= kept.length;
    return kept.length ? kept : undefined;
  };
  const withReady = subsets.map((s) => ({ ...s, addresses: take(s.addresses) }));
  const out = withReady.map((s) => ({ ...s, notReadyAddresses: take(s.notReadyAddresses) })).filter((s) => s.addresses || s.notReadyAddresses);
  for (const s of out) {
    if (!s.addresses) delete s.addresses;
    if (!s.notReadyAddresses) delete s.notReadyAddresses;
  }
  return { subsets: out, truncated: true };
}
