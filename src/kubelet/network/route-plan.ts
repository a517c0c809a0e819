// What the node-routes component wants the kernel to hold, as pure data: the peers (every other
// Node with a podCIDR and an InternalIP), and the commands that turn the routes, neighbours and
// forwarding entries the kernel reports into that wanted state. Kept apart from the code that runs
// `ip`/`bridge` so the diffing is table-tested without root.
//
// VXLAN, flannel style without annotations: each node's VTEP MAC is derived from its node IP
// (0e:5c + the four address bytes — locally administered, unicast), so a node computes every peer's
// MAC itself. Per peer P with podCIDR 10.42.P.0/24 and node IP X:
//   ip neigh replace 10.42.P.0 lladdr <mac(X)> dev DEV nud permanent   (the peer's VTEP, no ARP)
//   bridge fdb append <mac(X)> dev DEV dst X                            (that MAC lives at X)
//   ip route replace 10.42.P.0/24 via 10.42.P.0 dev DEV onlink          (the podCIDR behind it)
// and the local device holds <own podCIDR network>/32 (10.42.0.0/32) so traffic the node itself
// sends to a remote pod has an address the peer routes back.
import type { Node } from 'kubernetes-types/core/v1.js';
import { ipToNumber, numberToIp, parseCidr } from './cidr.js';

/** The route protocol number our routes carry (`ip route … proto 118`), so a restart finds stale ones. */
export const ROUTE_PROTO = '118';

export interface Peer {
  name: string;
  podCIDR: string;
  nodeIP: string;
}

/** The node's pod CIDR (spec.podCIDRs[0], else spec.podCIDR) with host bits masked, or undefined. */
export function podCIDROf(node: Node): string | undefined {
  const c = node.spec?.podCIDRs?.[0] ?? node.spec?.podCIDR;
  if (!c) return undefined;
  try {
    const p = parseCidr(c);
    return `${numberToIp(p.network)}/${p.prefix}`;
  } catch {
    return undefined; // IPv6 or garbage: not routable by this IPv4-only component
  }
}

export function internalIPOf(node: Node): string | undefined {
  const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP' && /^\d+\.\d+\.\d+\.\d+$/.test(a.address))?.address;
  return ip;
}

/**
 * Every other node with a pod CIDR and an IPv4 InternalIP, sorted by name. When two nodes claim the
 * same CIDR (a misconfigured --pod-cidr) the first by name wins, so the choice is stable.
 */
export function desiredPeers(nodes: readonly Node[], self: { nodeName: string; nodeIP: string; podCIDR?: string }): Peer[] {
  const peers: Peer[] = [];
  const taken = new Set<string>(self.podCIDR ? [self.podCIDR] : []);
  for (const n of [...nodes].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))) {
    const name = n.metadata?.name ?? '';
    if (name === self.nodeName || n.metadata?.deletionTimestamp) continue;
    const podCIDR = podCIDROf(n);
    const nodeIP = internalIPOf(n);
    if (!podCIDR || !nodeIP || nodeIP === self.nodeIP || taken.has(podCIDR)) continue;
    taken.add(podCIDR);
    peers.push({ name, podCIDR, nodeIP });
  }
  return peers;
}

/** The VTEP MAC of the node at `nodeIP`: 172.30.5.10 → 0e:5c:ac:1e:05:0a. */
export function vtepMac(nodeIP: string): string {
  const n = ipToNumber(nodeIP);
  return ['0e', '5c', ...[n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** The VTEP address for a podCIDR: its network address (10.42.1.0/24 → 10.42.1.0). */
export function vtepAddress(podCIDR: string): string {
  return numberToIp(parseCidr(podCIDR).network);
}

/** A route as `ip -j route show` reports it. */
export interface KernelRoute {
  dst: string;
  gateway?: string;
  dev?: string;
}
export interface KernelNeigh {
  dst: string;
  lladdr?: string;
}
export interface KernelFdb {
  mac: string;
  dst?: string;
}

/** Argument lists for `ip` (or `bridge`), deletions first. */
export interface Plan {
  del: string[][];
  add: string[][];
}

const routeKey = (dst: string, gateway: string | undefined) => `${dst} via ${gateway ?? ''}`;

/** host-gw: `<podCIDR> via <nodeIP>` per peer; any other route of ours goes. */
export function planHostGw(current: readonly KernelRoute[], peers: readonly Peer[]): Plan {
  const have = new Set(current.map((r) => routeKey(r.dst, r.gateway)));
  const want = new Set(peers.map((p) => routeKey(p.podCIDR, p.nodeIP)));
  const wantDst = new Set(peers.map((p) => p.podCIDR));
  return {
    // A route whose destination is still wanted is replaced in place, not deleted first (no gap).
    del: current.filter((r) => !want.has(routeKey(r.dst, r.gateway)) && !wantDst.has(r.dst)).map((r) => ['route', 'del', r.dst, ...(r.gateway ? ['via', r.gateway] : []), 'proto', ROUTE_PROTO]),
    add: peers.filter((p) => !have.has(routeKey(p.podCIDR, p.nodeIP))).map((p) => ['route', 'replace', p.podCIDR, 'via', p.nodeIP, 'proto', ROUTE_PROTO]),
  };
}

/** vxlan: the neighbour, fdb and route per peer on `dev`, as three plans (ip neigh/route, bridge fdb). */
export function planVxlan(dev: string, current: { routes: readonly KernelRoute[]; neighs: readonly KernelNeigh[]; fdb: readonly KernelFdb[] }, peers: readonly Peer[]): { ip: Plan; bridge: Plan } {
  const wantNeigh = new Map(peers.map((p) => [vtepAddress(p.podCIDR), vtepMac(p.nodeIP)]));
  const wantFdb = new Set(peers.map((p) => `${vtepMac(p.nodeIP)} ${p.nodeIP}`));
  const wantRoute = new Map(peers.map((p) => [p.podCIDR, vtepAddress(p.podCIDR)]));
  const ip: Plan = { del: [], add: [] };
  const bridge: Plan = { del: [], add: [] };
  for (const r of current.routes) if (!wantRoute.has(r.dst)) ip.del.push(['route', 'del', r.dst, 'dev', dev, 'proto', ROUTE_PROTO]);
  for (const n of current.neighs) if (!wantNeigh.has(n.dst)) ip.del.push(['neigh', 'del', n.dst, 'dev', dev]);
  for (const f of current.fdb) if (f.dst && !wantFdb.has(`${f.mac} ${f.dst}`)) bridge.del.push(['fdb', 'del', f.mac, 'dev', dev, 'dst', f.dst]);
  const haveNeigh = new Map(current.neighs.map((n) => [n.dst, n.lladdr]));
  const haveFdb = new Set(current.fdb.map((f) => `${f.mac} ${f.dst ?? ''}`));
  const haveRoute = new Map(current.routes.map((r) => [r.dst, r.gateway]));
  for (const p of peers) {
    const vtep = vtepAddress(p.podCIDR);
    const mac = vtepMac(p.nodeIP);
    if (haveNeigh.get(vtep) !== mac) ip.add.push(['neigh', 'replace', vtep, 'lladdr', mac, 'dev', dev, 'nud', 'permanent']);
    if (!haveFdb.has(`${mac} ${p.nodeIP}`)) bridge.add.push(['fdb', 'append', mac, 'dev', dev, 'dst', p.nodeIP]);
    if (haveRoute.get(p.podCIDR) !== vtep) ip.add.push(['route', 'replace', p.podCIDR, 'via', vtep, 'dev', dev, 'onlink', 'proto', ROUTE_PROTO]);
  }
  // Neighbours before routes: a route through a VTEP whose MAC is unknown would ARP (nolearning: unanswered).
  ip.add.sort((a, b) => (a[0] === b[0] ? 0 : a[0] === 'neigh' ? -1 : 1));
  return { ip, bridge };
}
