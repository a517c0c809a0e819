// Pure builders for the Node a real kubelet registers and the status it posts (upstream
// pkg/kubelet/kubelet_node_status.go initialNode and the nodestatus setters): default labels,
// podCIDR, taints; addresses, daemon endpoint, nodeInfo, capacity/allocatable, conditions, images.
import type { ContainerImage, Node, NodeCondition, NodeStatus, Taint } from 'kubernetes-types/core/v1.js';
import { allocatableOf, capacityOf, type HostInfo } from './node-info.js';

/** Upstream nodeStatusMaxImages and MaxNamesPerImageInNodeStatus. */
export const MAX_IMAGES = 50;
export const MAX_NAMES_PER_IMAGE = 5;

export interface NodeIdentity {
  nodeName: string;
  nodeIP: string;
  hostname: string;
  podCIDR?: string;
  kubeletPort: number;
  runtimeVersion: string;
  kubeletVersion: string;
  labels?: Record<string, string>;
  taints?: Taint[];
}

/** The labels the kubelet owns (upstream updateDefaultLabels) plus the operator's node labels. */
export function nodeLabels(id: NodeIdentity, info: Pick<HostInfo, 'architecture' | 'operatingSystem'>): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': info.architecture,
    'beta.kubernetes.io/os': info.operatingSystem,
    'kubernetes.io/arch': info.architecture,
    'kubernetes.io/hostname': id.hostname,
    'kubernetes.io/os': info.operatingSystem,
    ...id.labels,
  };
}

export function initialNode(id: NodeIdentity, info: Pick<HostInfo, 'architecture' | 'operatingSystem'>): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: id.nodeName,
      labels: nodeLabels(id, info),
      annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: {
      ...(id.podCIDR ? { podCIDR: id.podCIDR, podCIDRs: [id.podCIDR] } : {}),
      ...(id.taints?.length ? { taints: id.taints } : {}),
    },
  };
}

/**
 * Largest first, at most 50 images and 5 names each (digests before tags, as upstream lists
 * RepoDigests then RepoTags — callers pass names in that order).
 */
export function nodeImages(images: Array<{ names: string[]; sizeBytes: number }>): ContainerImage[] {
  return images
    .filter((i) => i.names.length > 0)
    .map((i, k) => ({ i, k }))
    .sort((a, b) => b.i.sizeBytes - a.i.sizeBytes || a.k - b.k)
    .slice(0, MAX_IMAGES)
    .map(({ i }) => ({ names: i.names.slice(0, MAX_NAMES_PER_IMAGE), sizeBytes: i.sizeBytes }));
}

export function nodeStatusFor(id: NodeIdentity, info: HostInfo, conditions: NodeCondition[], images: ContainerImage[]): NodeStatus {
  return {
    addresses: [
      { type: 'InternalIP', address: id.nodeIP },
      { type: 'Hostname', address: id.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: id.kubeletPort } },
    nodeInfo: {
      machineID: info.machineID,
      systemUUID: info.systemUUID,
      bootID: info.bootID,
      kernelVersion: info.kernelVersion,
      osImage: info.osImage,
      containerRuntimeVersion: id.runtimeVersion,
      kubeletVersion: id.kubeletVersion,
      kubeProxyVersion: id.kubeletVersion,
      operatingSystem: info.operatingSystem,
      architecture: info.architecture,
    },
    capacity: capacityOf(info),
    allocatable: allocatableOf(info),
    conditions,
    images,
  };
}

/** `have` holds everything `want` says (extra keys in `have` — others' fields — are ignored). */
function covers(have: unknown, want: unknown): boolean {
  if (Array.isArray(want)) return Array.isArray(have) && have.length === want.length && want.every((w, k) => covers(have[k], w));
  if (want && typeof want === 'object') {
    if (!have || typeof have !== 'object') return false;
    return Object.entries(want).every(([k, v]) => v === undefined || covers((have as Record<string, unknown>)[k], v));
  }
  return have === want;
}

/**
 * Whether the posted status already says what `next` says, heartbeat times aside (upstream posts
 * only then, or when the report period is up: the Lease is the heartbeat). Conditions are compared
 * by type, so conditions owned by others (NetworkUnavailable) do not count as a difference.
 */
export function sameStatus(posted: NodeStatus | undefined, next: NodeStatus): boolean {
  if (!posted) return false;
  const types = new Set((next.conditions ?? []).map((c) => c.type));
  const norm = (cs: NodeCondition[] | undefined) => (cs ?? []).filter((c) => types.has(c.type)).map((c) => ({ ...c, lastHeartbeatTime: undefined })).sort((a, b) => a.type.localeCompare(b.type));
  return covers({ ...posted, conditions: norm(posted.conditions) }, { ...next, conditions: norm(next.conditions) });
}
