// Builds NodeInfo (types.ts) from a Node and the pods bound or assumed onto it, computing pod requests as
// upstream's resourcehelper.PodRequests: max(sum of app containers (+ sidecars), the largest init-phase
// requirement) + overhead. Worked example: containers 200m + 300m = 500m, init containers 800m and
// 100m → max(500m, 800m) = 800m; with overhead 50m → 850m. `nonZero` applies upstream's
// NonZeroRequested defaults (100m CPU, 200Mi memory per container lacking a request) used by scoring.
import type { Container, Node, Pod } from 'kubernetes-types/core/v1.js';
import { parseQuantity } from '../../machinery/quantity.js';
import type { HostPort, NodeInfo, Resource } from './types.js';

/** Upstream schedutil.DefaultMilliCPURequest / DefaultMemoryRequest. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

type ResourceList = Record<string, string | number>;

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: {} };
}

function quantity(v: string | number, milli: boolean): number {
  const q = parseQuantity(String(v));
  return milli ? q.milliValue() : q.value();
}

/** Upstream NewResource(ResourceList): cpu → millicores, the rest → integer values. */
export function resourceFromList(list: ResourceList | undefined): Resource {
  const r = emptyResource();
  for (const [name, v] of Object.entries(list ?? {})) {
    if (name === 'cpu') r.milliCPU += quantity(v, true);
    else if (name === 'memory') r.memory += quantity(v, false);
    else if (name === 'ephemeral-storage') r.ephemeralStorage += quantity(v, false);
    else if (name === 'pods') r.allowedPodNumber += quantity(v, false);
    else r.scalar[name] = (r.scalar[name] ?? 0) + quantity(v, false);
  }
  return r;
}

export function addResource(a: Resource, b: Resource, sign = 1): Resource {
  const scalar = { ...a.scalar };
  for (const [k, v] of Object.entries(b.scalar)) scalar[k] = (scalar[k] ?? 0) + sign * v;
  return {
    milliCPU: a.milliCPU + sign * b.milliCPU,
    memory: a.memory + sign * b.memory,
    ephemeralStorage: a.ephemeralStorage + sign * b.ephemeralStorage,
    allowedPodNumber: a.allowedPodNumber + sign * b.allowedPodNumber,
    scalar,
  };
}

function maxResource(a: Resource, b: Resource): Resource {
  const scalar = { ...a.scalar };
  for (const [k, v] of Object.entries(b.scalar)) scalar[k] = Math.max(scalar[k] ?? 0, v);
  return {
    milliCPU: Math.max(a.milliCPU, b.milliCPU),
    memory: Math.max(a.memory, b.memory),
    ephemeralStorage: Math.max(a.ephemeralStorage, b.ephemeralStorage),
    allowedPodNumber: Math.max(a.allowedPodNumber, b.allowedPodNumber),
    scalar,
  };
}

function containerRequests(c: Container, nonZero: boolean): Resource {
  const requests = (c.resources?.requests ?? {}) as ResourceList;
  const r = resourceFromList(requests);
  if (nonZero) {
    if (!('cpu' in requests)) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (!('memory' in requests)) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * Effective pod requests. Sidecars (init containers with restartPolicy Always) keep running, so they add
 * to the app containers and to every later init container's requirement.
 */
export function podRequests(pod: Pod, opts: { nonZero?: boolean } = {}): Resource {
  // Memoized per pod object: every filter and score asks for the same pod's requests on every node, and
  // informer objects are frozen, so a cached result cannot go stale (callers never mutate it).
  const nonZero = opts.nonZero ?? false;
  const memo = nonZero ? nonZeroMemo : requestsMemo;
  let r = memo.get(pod);
  if (!r) memo.set(pod, (r = computePodRequests(pod, nonZero)));
  return r;
}

const requestsMemo = new WeakMap<Pod, Resource>();
const nonZeroMemo = new WeakMap<Pod, Resource>();

function computePodRequests(pod: Pod, nonZero: boolean): Resource {
  let reqs = emptyResource();
  for (const c of pod.spec?.containers ?? []) reqs = addResource(reqs, containerRequests(c, nonZero));
  let sidecars = emptyResource();
  let initMax = emptyResource();
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    let phase: Resource;
    if (c.restartPolicy === 'Always') {
      reqs = addResource(reqs, r);
      sidecars = addResource(sidecars, r);
      phase = sidecars;
    } else {
      phase = addResource(r, sidecars);
    }
    initMax = maxResource(initMax, phase);
  }
  reqs = maxResource(reqs, initMax);
  if (pod.spec?.overhead) reqs = addResource(reqs, resourceFromList(pod.spec.overhead as ResourceList));
  return reqs;
}

/** Host ports the pod asks for (containers with hostPort > 0). */
export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  const containers = [...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(pod.spec?.containers ?? [])];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

/** Upstream's podWithAffinity / podWithRequiredAntiAffinity: the pods InterPodAffinity must look at for a pod without terms of its own. */
export function hasAffinity(p: Pod): boolean {
  const a = p.spec?.affinity;
  return !!(a?.podAffinity || a?.podAntiAffinity);
}
export function hasRequiredAntiAffinity(p: Pod): boolean {
  return (p.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
}

/** Upstream NodeInfo.AddPod (returns a new NodeInfo; cached ones are never mutated). */
export function addPod(ni: NodeInfo, pod: Pod): NodeInfo {
  const withAffinity = ni.podsWithAffinity ?? ni.pods.filter(hasAffinity);
  const withAnti = ni.podsWithRequiredAntiAffinity ?? ni.pods.filter(hasRequiredAntiAffinity);
  return {
    ...ni,
    pods: [...ni.pods, pod],
    requested: addResource(ni.requested, podRequests(pod)),
    nonZeroRequested: addResource(ni.nonZeroRequested, podRequests(pod, { nonZero: true })),
    usedPorts: [...ni.usedPorts, ...podHostPorts(pod)],
    podsWithAffinity: hasAffinity(pod) ? [...withAffinity, pod] : withAffinity,
    podsWithRequiredAntiAffinity: hasRequiredAntiAffinity(pod) ? [...withAnti, pod] : withAnti,
  };
}

/** In place, for a NodeInfo under construction. */
function accumulate(into: Resource, r: Resource): void {
  into.milliCPU += r.milliCPU;
  into.memory += r.memory;
  into.ephemeralStorage += r.ephemeralStorage;
  into.allowedPodNumber += r.allowedPodNumber;
  for (const [k, v] of Object.entries(r.scalar)) into.scalar[k] = (into.scalar[k] ?? 0) + v;
}

/** Linear in the pods (addPod copies its arrays, so folding it would be quadratic on full nodes). */
export function newNodeInfo(node: Node, pods: Pod[] = []): NodeInfo {
  const ni: NodeInfo = {
    node,
    pods: [...pods],
    requested: emptyResource(),
    nonZeroRequested: emptyResource(),
    allocatable: resourceFromList(node.status?.allocatable as ResourceList | undefined),
    usedPorts: [],
    podsWithAffinity: [],
    podsWithRequiredAntiAffinity: [],
  };
  for (const p of pods) {
    accumulate(ni.requested, podRequests(p));
    accumulate(ni.nonZeroRequested, podRequests(p, { nonZero: true }));
    for (const hp of podHostPorts(p)) ni.usedPorts.push(hp);
    if (hasAffinity(p)) ni.podsWithAffinity!.push(p);
    if (hasRequiredAntiAffinity(p)) ni.podsWithRequiredAntiAffinity!.push(p);
  }
  return ni;
}
