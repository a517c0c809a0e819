// What a Service's EndpointSlices should hold and how to get there from what exists, as pure
// functions (upstream pkg/controller/endpointslice/reconciler.go and utils.go, simplified): one
// endpoint per selected pod with an IP — terminating pods included, with ready/serving/terminating
// conditions — grouped by the ports the pod resolves, at most 100 endpoints per slice. Existing slices
// keep the endpoints they already hold (so slices do not churn), new endpoints fill free room before
// new slices are created, and slices left empty are deleted; a Service without endpoints keeps one
// empty placeholder slice, as upstream.
import type { Node, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { findPort, isPodReady, podIPForService, shouldPodBeInEndpoints } from '../endpoints/subsets.js';

export const MAX_ENDPOINTS_PER_SLICE = 100;
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

export function addressTypeOf(svc: Service): 'IPv4' | 'IPv6' {
  return svc.spec?.ipFamilies?.[0] === 'IPv6' ? 'IPv6' : 'IPv4';
}

/** Upstream podToEndpoint. */
export function podToEndpoint(pod: Pod, node: Node | undefined, svc: Service, ip: string): Endpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata?.deletionTimestamp;
  // For compatibility, ready is never true for a terminating pod unless not-ready addresses are published.
  const ready = !!svc.spec?.publishNotReadyAddresses || (serving && !terminating);
  const ep: Endpoint = {
    addresses: [ip],
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
  };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata?.labels?.[ZONE_LABEL];
  if (zone) ep.zone = zone;
  if (pod.spec?.hostname && pod.spec.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace) ep.hostname = pod.spec.hostname;
  return ep;
}

/** Upstream getEndpointPorts: each Service port the pod resolves, named as in the Service. */
export function endpointPorts(svc: Service, pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointPort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
    if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out;
}

export const portsKey = (ports: EndpointPort[] | undefined) =>
  JSON.stringify([...(ports ?? [])].map((p) => [p.name ?? '', p.port ?? 0, p.protocol ?? 'TCP', p.appProtocol ?? '']).sort());
export const endpointKey = (ep: Endpoint) => ep.targetRef?.uid || ep.addresses.join(',');

/** The desired endpoints of a Service, grouped by port set (key → ports and endpoints). */
export function desiredEndpoints(svc: Service, pods: Pod[], nodeOf: (name: string) => Node | undefined): Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }> {
  const groups = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ip = podIPForService(pod, svc);
    if (!ip) continue;
    const ports = endpointPorts(svc, pod);
    const key = portsKey(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, endpoints: [] }));
    g.endpoints.push(podToEndpoint(pod, pod.spec?.nodeName ? nodeOf(pod.spec.nodeName) : undefined, svc, ip));
  }
  for (const g of groups.values()) g.endpoints.sort((a, b) => (a.targetRef?.name ?? '').localeCompare(b.targetRef?.name ?? ''));
  return groups;
}

export interface SlicePlan {
  /** New slices: ports and endpoints (metadata is filled by the controller). */
  create: { ports: EndpointPort[]; endpoints: Endpoint[] }[];
  /** Existing slices with their new endpoints/ports. */
  update: { slice: EndpointSlice; ports: EndpointPort[]; endpoints: Endpoint[] }[];
  delete: EndpointSlice[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Turns existing slices into the desired ones with as few writes as possible. */
export function planSlices(existing: EndpointSlice[], desired: Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>, meta: (s: EndpointSlice) => boolean): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const byPorts = new Map<string, EndpointSlice[]>();
  for (const s of existing) {
    const k = portsKey(s.ports ?? []);
    if (!desired.has(k)) plan.delete.push(s);
    else byPorts.set(k, [...(byPorts.get(k) ?? []), s]);
  }
  if (desired.size === 0) {
    // Upstream's placeholder: a Service without endpoints keeps one empty slice.
    const keep = existing.find((s) => (s.endpoints ?? []).length === 0 && (s.ports ?? []).length === 0);
    plan.delete = existing.filter((s) => s !== keep);
    if (!keep) plan.create.push({ ports: [], endpoints: [] });
    else if (meta(keep)) plan.update.push({ slice: keep, ports: [], endpoints: [] });
    return plan;
  }
  for (const [k, want] of desired) {
    const wanted = new Map(want.endpoints.map((e) => [endpointKey(e), e]));
    const placed = new Set<string>();
    const kept: { slice: EndpointSlice; endpoints: Endpoint[]; changed: boolean }[] = [];
    for (const s of byPorts.get(k) ?? []) {
      const eps: Endpoint[] = [];
      let changed = !same(s.ports ?? [], want.ports) || meta(s);
      for (const e of s.endpoints ?? []) {
        const key = endpointKey(e);
        const w = wanted.get(key);
        if (!w || placed.has(key) || eps.length >= MAX_ENDPOINTS_PER_SLICE) {
          changed = true;
          continue;
        }
        placed.add(key);
        if (!same(e, w)) changed = true;
        eps.push(w);
      }
      kept.push({ slice: s, endpoints: eps, changed });
    }
    let fresh = want.endpoints.filter((e) => !placed.has(endpointKey(e)));
    // Fill slices already being rewritten first, then untouched ones, then create new slices.
    const order = [...kept.filter((x) => x.changed), ...kept.filter((x) => !x.changed)];
    for (const x of order) {
      if (!fresh.length) break;
      const room = MAX_ENDPOINTS_PER_SLICE - x.endpoints.length;
      if (room <= 0) continue;
      x.endpoints.push(...fresh.slice(0, room));
      fresh = fresh.slice(room);
      x.changed = true;
    }
    for (const x of kept) {
      if (x.endpoints.length === 0) plan.delete.push(x.slice);
      else if (x.changed) plan.update.push({ slice: x.slice, ports: want.ports, endpoints: x.endpoints });
    }
    for (let i = 0; i < fresh.length; i += MAX_ENDPOINTS_PER_SLICE) plan.create.push({ ports: want.ports, endpoints: fresh.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
  }
  return plan;
}
