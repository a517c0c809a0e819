// From an Ingress service backend to the pod addresses to proxy to, as ingress-nginx does it (it
// proxies to endpoints directly rather than through the ClusterIP, so retries and balancing see
// individual pods): backend port (number or name) → the Service port → the EndpointSlice port of
// the same name, which carries the resolved targetPort → every endpoint whose `ready` condition is
// not false (nil means ready, as the discovery API documents). Plus the round-robin picker.
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';

export interface Endpoint {
  ip: string;
  port: number;
}

/** `kubernetes.io/service-name`: the label tying an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * Ready endpoints of `svc` for the backend port, sorted (so round-robin order is stable across
 * rebuilds) and de-duplicated (one endpoint may appear in two slices during a slice rebalance).
 * ExternalName Services and unknown ports give none: the proxy answers 503.
 */
export function resolveEndpoints(svc: Service | undefined, slices: readonly EndpointSlice[], port: { number?: number; name?: string }): Endpoint[] {
  if (!svc || svc.spec?.type === 'ExternalName') return [];
  const sp = (svc.spec?.ports ?? []).find((p) => (port.number !== undefined ? p.port === port.number : p.name === port.name));
  if (!sp || (sp.protocol ?? 'TCP') !== 'TCP') return [];
  const portName = sp.name ?? '';
  const seen = new Set<string>();
  const out: Endpoint[] = [];
  for (const s of slices) {
    if (s.addressType !== 'IPv4' && s.addressType !== 'IPv6') continue;
    const slicePort = (s.ports ?? []).find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === 'TCP');
    if (slicePort?.port === undefined) continue;
    for (const e of s.endpoints ?? []) {
      if (e.conditions?.ready === false) continue;
      const ip = e.addresses[0];
      if (!ip) continue;
      const key = `${ip}:${slicePort.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ ip, port: slicePort.port });
    }
  }
  return out.sort((a, b) => (a.ip === b.ip ? a.port - b.port : a.ip < b.ip ? -1 : 1));
}

/** Round-robin over a backend's endpoints; one counter per backend key. */
export class RoundRobin {
  private readonly next = new Map<string, number>();

  pick(key: string, eps: readonly Endpoint[]): Endpoint | undefined {
    if (eps.length === 0) return undefined;
    const i = this.next.get(key) ?? 0;
    this.next.set(key, (i + 1) % eps.length);
    return eps[i % eps.length];
  }
}
