// Turns the proxy's view of the API (Services and EndpointSlices, as cached by informers) into the
// flat list the rule writer needs: one ServicePort per (Service, port) with its destinations and the
// endpoints chosen for cluster-wide and node-local traffic (upstream pkg/proxy/service.go,
// endpointslicecache.go and topology.go's CategorizeEndpoints, minus topology hints). Pure and
// deterministic: the same input always gives the same list in the same order, so the rendered rules
// only change when something that matters changed.
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';

/** What the proxy knows of the cluster at one instant. */
export interface ProxyState {
  services: readonly Service[];
  endpointSlices: readonly EndpointSlice[];
}

export type Protocol = 'tcp' | 'udp' | 'sctp';

export interface Endpoint {
  ip: string;
  port: number;
  /** The node the endpoint runs on (EndpointSlice endpoints[].nodeName); '' when unknown. */
  nodeName: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

export interface ServicePort {
  namespace: string;
  name: string;
  /** spec.ports[].name ('' for a single unnamed port). */
  portName: string;
  /** Upstream's ServicePortName string, "ns/name:port" or "ns/name": the chain-name hash input. */
  id: string;
  protocol: Protocol;
  clusterIP: string;
  port: number;
  /** 0 when the Service has none (ClusterIP type, or allocateLoadBalancerNodePorts=false). */
  nodePort: number;
  /** status.loadBalancer.ingress[].ip and spec.externalIPs: served like the cluster IP, as external traffic. */
  externalAddresses: string[];
  /** spec.sessionAffinity ClientIP: the stickiness window in seconds, else 0. */
  affinitySeconds: number;
  /** externalTrafficPolicy Local (only meaningful with external destinations). */
  externalPolicyLocal: boolean;
  internalPolicyLocal: boolean;
  /** Every endpoint known for this port, deduplicated across slices and sorted. */
  endpoints: Endpoint[];
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** Upstream's default when sessionAffinityConfig.clientIP.timeoutSeconds is unset: 3 hours. */
export const DEFAULT_AFFINITY_SECONDS = 10800;

/** Whether a Service gets rules at all: ExternalName and headless Services are DNS-only. */
export function isProxiable(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return svc.spec?.type !== 'ExternalName' && !!ip && ip !== 'None' && ip.includes('.');
}

const protocolOf = (p: string | undefined): Protocol | undefined => {
  const l = (p ?? 'TCP').toLowerCase();
  return l === 'tcp' || l === 'udp' || l === 'sctp' ? l : undefined;
};

/** EndpointSlices grouped by "namespace/service" (their kubernetes.io/service-name label). */
function slicesByService(slices: readonly EndpointSlice[]): Map<string, EndpointSlice[]> {
  const out = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!svc || s.addressType !== 'IPv4') continue; // IPv4-only proxy; FQDN slices are never proxied
    const key = `${s.metadata?.namespace ?? ''}/${svc}`;
    const list = out.get(key);
    if (list) list.push(s);
    else out.set(key, [s]);
  }
  return out;
}

/**
 * The endpoints of one service port: a slice port matches by name and protocol (named targetPorts
 * were already resolved per pod by the EndpointSlice controller). API conditions that are unset mean
 * ready/serving = true and terminating = false, as the EndpointSlice API documents.
 */
function endpointsFor(slices: readonly EndpointSlice[], portName: string, protocol: Protocol): Endpoint[] {
  const seen = new Map<string, Endpoint>();
  for (const s of slices) {
    const sp = s.ports?.find((p) => (p.name ?? '') === portName && protocolOf(p.protocol) === protocol);
    if (!sp?.port) continue;
    for (const e of s.endpoints ?? []) {
      const ready = e.conditions?.ready ?? true;
      const ep: Endpoint = {
        ip: e.addresses[0] ?? '',
        port: sp.port,
        nodeName: e.nodeName ?? '',
        ready,
        serving: e.conditions?.serving ?? ready,
        terminating: e.conditions?.terminating ?? false,
      };
      if (!ep.ip) continue;
      const key = `${ep.ip}:${ep.port}`;
      // The same address in two slices (a moment during slice rebalancing): prefer the ready copy.
      const prev = seen.get(key);
      if (!prev || (!prev.ready && ep.ready)) seen.set(key, ep);
    }
  }
  return [...seen.values()].sort((a, b) => compareEndpoints(a, b));
}

function compareEndpoints(a: Endpoint, b: Endpoint): number {
  const ka = a.ip.split('.').map((n) => n.padStart(3, '0')).join('.');
  const kb = b.ip.split('.').map((n) => n.padStart(3, '0')).join('.');
  return ka < kb ? -1 : ka > kb ? 1 : a.port - b.port;
}

/** Every proxiable service port of the state, sorted by namespace/name and then spec order. */
export function buildServicePorts(state: ProxyState): ServicePort[] {
  const slices = slicesByService(state.endpointSlices);
  const services = [...state.services].filter(isProxiable).sort((a, b) => {
    const ka = `${a.metadata?.namespace}/${a.metadata?.name}`;
    const kb = `${b.metadata?.namespace}/${b.metadata?.name}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  const out: ServicePort[] = [];
  for (const svc of services) {
    const namespace = svc.metadata?.namespace ?? '';
    const name = svc.metadata?.name ?? '';
    const spec = svc.spec!;
    const hasExternal = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
    const lbIPs = spec.type === 'LoadBalancer' ? (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter((ip): ip is string => !!ip) : [];
    const externalAddresses = [...new Set([...(spec.externalIPs ?? []), ...lbIPs])].sort();
    const affinitySeconds = spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) : 0;
    for (const p of spec.ports ?? []) {
      const protocol = protocolOf(p.protocol);
      if (!protocol) continue;
      const portName = p.name ?? '';
      out.push({
        namespace,
        name,
        portName,
        id: `${namespace}/${name}${portName ? `:${portName}` : ''}`,
        protocol,
        clusterIP: spec.clusterIP!,
        port: p.port,
        nodePort: hasExternal ? (p.nodePort ?? 0) : 0,
        externalAddresses,
        affinitySeconds,
        // externalTrafficPolicy applies only to traffic from outside (NodePort, LB, external IPs).
        externalPolicyLocal: spec.externalTrafficPolicy === 'Local' && (hasExternal || externalAddresses.length > 0),
        internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
        endpoints: endpointsFor(slices.get(`${namespace}/${name}`) ?? [], portName, protocol),
      });
    }
  }
  return out;
}

/**
 * Upstream's endpoint choice: the ready endpoints; when none is ready, those still serving while
 * terminating (so a rolling restart's last pods keep answering until they really stop).
 */
export function usableEndpoints(eps: readonly Endpoint[]): Endpoint[] {
  const ready = eps.filter((e) => e.ready);
  return ready.length ? ready : eps.filter((e) => e.serving && e.terminating);
}

/** The endpoints for cluster-wide traffic and those on this node, each with the fallback above. */
export function categorizeEndpoints(sp: ServicePort, nodeName: string): { cluster: Endpoint[]; local: Endpoint[] } {
  return {
    cluster: usableEndpoints(sp.endpoints),
    local: usableEndpoints(sp.endpoints.filter((e) => e.nodeName === nodeName)),
  };
}

/**
 * What one service port needs on this node, whatever the backend renders it as (upstream's
 * iptables and nftables proxiers take the same decisions): which endpoints serve cluster-wide and
 * node-local traffic, whether internal/external traffic has anywhere to go under its traffic policy,
 * and which of the cluster and local dispatch chains exist.
 */
export interface TrafficPlan {
  cluster: Endpoint[];
  local: Endpoint[];
  hasEndpoints: boolean;
  /** It has a NodePort, external IPs or LoadBalancer addresses. */
  externallyAccessible: boolean;
  hasInternalEndpoints: boolean;
  hasExternalEndpoints: boolean;
  /** ETP Local still needs the cluster chain: pods and the node itself short-circuit to it. */
  usesClusterChain: boolean;
  usesLocalChain: boolean;
}

export function trafficPlan(sp: ServicePort, nodeName: string): TrafficPlan {
  const { cluster, local } = categorizeEndpoints(sp, nodeName);
  const hasEndpoints = cluster.length > 0;
  const externallyAccessible = sp.nodePort > 0 || sp.externalAddresses.length > 0;
  return {
    cluster,
    local,
    hasEndpoints,
    externallyAccessible,
    hasInternalEndpoints: sp.internalPolicyLocal ? local.length > 0 : hasEndpoints,
    hasExternalEndpoints: sp.externalPolicyLocal ? local.length > 0 : hasEndpoints,
    usesClusterChain: hasEndpoints && (!sp.internalPolicyLocal || externallyAccessible),
    usesLocalChain: local.length > 0 && (sp.internalPolicyLocal || sp.externalPolicyLocal),
  };
}
