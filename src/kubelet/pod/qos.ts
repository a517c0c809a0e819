// A pod's QoS class, as upstream pkg/apis/core/helper/qos ComputePodQOS: cpu and memory summed over
// all containers (init included; zero quantities ignored). BestEffort when nothing is requested or
// limited; Guaranteed when every container limits both cpu and memory and the summed requests equal
// the summed limits; Burstable otherwise. Requests default to limits per container first (the API
// server's defaulting does the same, so a served pod is unaffected; a hand-built one behaves alike).
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { QOSClass } from '../runtime/types.js';
import { parseQuantityJson } from '../../machinery/quantity.js';

const QOS_RESOURCES = ['cpu', 'memory'] as const;

/** Exact value in nano-units (cpu `100m` → 100_000_000n), or 0n when absent. */
function nanos(v: unknown): bigint {
  if (v === undefined || v === null || v === '') return 0n;
  return parseQuantityJson(v).scaledValueBig(-9);
}

export function getPodQOSClass(pod: Pod): QOSClass {
  const status = pod.status?.qosClass;
  if (status === 'Guaranteed' || status === 'Burstable' || status === 'BestEffort') return status;
  return computePodQOS(pod);
}

export function computePodQOS(pod: Pod): QOSClass {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let isGuaranteed = true;
  const all: Container[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const c of all) {
    const lim = c.resources?.limits ?? {};
    const req = { ...lim, ...(c.resources?.requests ?? {}) };
    const limitsFound = new Set<string>();
    for (const r of QOS_RESOURCES) {
      const q = nanos(req[r]);
      if (q > 0n) requests.set(r, (requests.get(r) ?? 0n) + q);
      const l = nanos(lim[r]);
      if (l > 0n) {
        limitsFound.add(r);
        limits.set(r, (limits.get(r) ?? 0n) + l);
      }
    }
    if (!limitsFound.has('cpu') || !limitsFound.has('memory')) isGuaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (isGuaranteed) {
    for (const [r, q] of requests) {
      if (limits.get(r) !== q) {
        isGuaranteed = false;
        break;
      }
    }
  }
  return isGuaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
