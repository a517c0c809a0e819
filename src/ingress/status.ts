// Ingress status: every handled Ingress carries the controller's addresses in
// status.loadBalancer.ingress (an IP address as `ip`, anything else as `hostname`), written through
// the ingresses/status subresource only when it differs, so the controller's own write does not
// come back as a change to act on.
import { isIP } from 'node:net';
import type { Ingress, IngressLoadBalancerIngress } from 'kubernetes-types/networking/v1.js';

export function loadBalancerIngress(addresses: readonly string[]): IngressLoadBalancerIngress[] {
  return addresses.map((a) => (isIP(a) ? { ip: a } : { hostname: a }));
}

/** True when the Ingress's status already lists exactly `want` (order included: we write it so). */
export function statusUpToDate(ing: Ingress, want: readonly IngressLoadBalancerIngress[]): boolean {
  const have = ing.status?.loadBalancer?.ingress ?? [];
  return have.length === want.length && have.every((h, i) => (h.ip ?? '') === (want[i]!.ip ?? '') && (h.hostname ?? '') === (want[i]!.hostname ?? '') && !h.ports?.length);
}
