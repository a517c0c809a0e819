// Pure builders for simulated nodes: the Node object a kubelet would register (capacity, labels,
// podCIDR, addresses, nodeInfo, conditions), its heartbeat Lease, and address arithmetic (per-node
// podCIDR from a base, pod IPs inside it, InternalIPs from a reserved benchmarking range).
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';

export const LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_DURATION_SECONDS = 40; // upstream kubelet default (nodeLeaseDurationSeconds)
export const DEFAULT_ZONES = ['zone-a', 'zone-b', 'zone-c'];

/** Lease renewTime / acquireTime are MicroTime (RFC 3339 with microseconds). */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function ipToInt(ip: string): number {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) throw new Error(`invalid IPv4 address ${JSON.stringify(ip)}`);
  return ((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!;
}
export const intToIp = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/**
 * The i-th /24 after the base: 10.42.0.0 → 10.42.0.0/24, 10.42.1.0/24, … and past 255 it carries
 * into the second octet (i = 256 → 10.43.0.0/24) instead of wrapping onto another node's range.
 */
export function podCIDRFor(i: number, base = '10.42.0.0/16'): string {
  const start = (ipToInt(base.split('/')[0]!) & 0xffffff00) >>> 0;
  const n = start + i * 256;
  if (n > 0xffffff00) throw new Error(`podCIDR base ${base} cannot hold ${i + 1} nodes`);
  return `${intToIp(n >>> 0)}/24`;
}

/** Host `k` (1..253) of a node's /24; .1 is left for the (imaginary) bridge, as on a real node. */
export function podIPFor(cidr: string, k: number): string {
  if (k < 1 || k > 253) throw new Error(`pod IP index ${k} out of range`);
  return intToIp((ipToInt(cidr.split('/')[0]!) + 1 + k) >>> 0);
}

export function ipInCIDR(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const mask = Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0;
  return ((ipToInt(ip) & mask) >>> 0) === ((ipToInt(net!) & mask) >>> 0);
}

/**
 * InternalIP from 198.18.0.0/15 (RFC 2544, reserved for benchmarking): room for 131k nodes, and no
 * traffic is ever sent there — simulated nodes have no network.
 */
export const internalIPFor = (i: number): string => intToIp((ipToInt('198.18.0.0') + 1 + i) >>> 0);

export function nodeConditions(nowMs: number, ready: boolean): NodeCondition[] {
  const t = rfc3339(nowMs);
  const c = (type: string, status: string, reason: string, message: string): NodeCondition => ({ type, status, reason, message, lastHeartbeatTime: t, lastTransitionTime: t });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    ready ? c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status') : c('Ready', 'False', 'KubeletNotReady', 'kubelet stopped posting node status'),
  ];
}

export interface SimNodeParams {
  name: string;
  index: number;
  zone: string;
  podCIDR: string;
  /** InternalIP; default internalIPFor(index). */
  ip?: string;
}

const capacity = { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '500Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' };
// What the kubelet reserves for itself and the system (kube-reserved + system-reserved + eviction threshold).
const allocatable = { cpu: '31800m', memory: '263483392Ki', pods: '110', 'ephemeral-storage': '460Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' };

/** The Node as created (metadata + spec); status goes separately through nodes/status. */
export function nodeObject(p: SimNodeParams): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: p.name,
      labels: {
        'kubernetes.io/hostname': p.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'sim.32x256',
        'topology.kubernetes.io/zone': p.zone,
        'topology.kubernetes.io/region': 'sim',
        type: 'skiff-sim',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'sim.skiff.dev/simulated': 'true' },
    },
    spec: { podCIDR: p.podCIDR, podCIDRs: [p.podCIDR] },
  };
}

export function nodeStatus(p: SimNodeParams, nowMs: number): NonNullable<Node['status']> {
  return {
    capacity: { ...capacity },
    allocatable: { ...allocatable },
    conditions: nodeConditions(nowMs, true),
    addresses: [
      { type: 'InternalIP', address: p.ip ?? internalIPFor(p.index) },
      { type: 'Hostname', address: p.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: `sim-${p.index}`,
      systemUUID: `00000000-0000-4000-8000-${p.index.toString(16).padStart(12, '0')}`,
      bootID: `sim-boot-${p.index}`,
      kernelVersion: '6.1.0-sim',
      osImage: 'Skiff Simulated Linux',
      containerRuntimeVersion: 'skiff-sim://0.1',
      kubeletVersion: 'v1.31.0',
      kubeProxyVersion: 'v1.31.0',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
}

export function leaseObject(nodeName: string, nodeUid: string | undefined, nowMs: number): Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: nodeName,
      namespace: LEASE_NAMESPACE,
      ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid }] } : {}),
    },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(nowMs) },
  };
}
