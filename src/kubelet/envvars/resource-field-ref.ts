// resourceFieldRef values, as upstream ExtractContainerResourceValue plus the kubelet's
// defaultPodLimitsForDownwardAPI: an unset (or zero) limit reads as the node's allocatable, so a pod
// can size itself to the node. Values are ceil(quantity / divisor): cpu in millis, so `250m` with
// divisor `1` gives 1 and with divisor `1m` gives 250; memory in bytes, so `1Gi` / `1Mi` gives 1024.
import type { Container, Pod, ResourceFieldSelector } from 'kubernetes-types/core/v1.js';
import { parseQuantityJson, type Quantity } from '../../machinery/quantity.js';
import { EnvVarError } from './errors.js';

/** Node allocatable as quantity strings (`{ cpu: '2', memory: '3951Mi' }`). */
export interface NodeAllocatable {
  cpu?: string;
  memory?: string;
  'ephemeral-storage'?: string;
}

const DEFAULTED = ['cpu', 'memory', 'ephemeral-storage'] as const;

export function containerResourceRuntimeValue(
  fs: ResourceFieldSelector,
  pod: Pod,
  container: Container,
  nodeAllocatable?: NodeAllocatable,
): string {
  let target = container;
  if (fs.containerName) {
    const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    const found = all.find((c) => c.name === fs.containerName);
    if (!found) throw new EnvVarError('InvalidResourceField', `container ${fs.containerName} not found`);
    target = found;
  }
  const [kind, resource] = splitResource(fs.resource);
  const list = (kind === 'limits' ? target.resources?.limits : target.resources?.requests) ?? {};
  let q = quantity(list[resource]);
  if (kind === 'limits' && (q === undefined || q.isZero()) && (DEFAULTED as readonly string[]).includes(resource)) {
    q = quantity(nodeAllocatable?.[resource as (typeof DEFAULTED)[number]]);
  }
  const divisor = quantity(fs.divisor);
  const d = divisor === undefined || divisor.isZero() ? undefined : divisor;
  if (resource === 'cpu') {
    const num = q?.milliValue() ?? 0;
    return String(Math.ceil(num / (d?.milliValue() ?? 1000)));
  }
  const num = q?.value() ?? 0;
  return String(Math.ceil(num / (d?.value() ?? 1)));
}

function splitResource(r: string): ['limits' | 'requests', string] {
  const m = /^(limits|requests)\.(.+)$/.exec(r);
  if (m && (['cpu', 'memory', 'ephemeral-storage'].includes(m[2]) || m[2].startsWith('hugepages-'))) {
    return [m[1] as 'limits' | 'requests', m[2]];
  }
  throw new EnvVarError('InvalidResourceField', `unsupported container resource : ${r}`);
}

function quantity(v: unknown): Quantity | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  try {
    return parseQuantityJson(v);
  } catch (err) {
    throw new EnvVarError('InvalidResourceField', `invalid quantity ${String(v)}`, { cause: err });
  }
}
