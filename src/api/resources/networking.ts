// networking.k8s.io/v1: ingresses, ingressclasses, networkpolicies.
import type { ResourceType } from '../resource-type.js';
import { defineResource, gvk, statusSub } from './define.js';
import { networkingHooks } from './small-strategies.js';

const G = 'networking.k8s.io';
const V = 'v1';

export function networkingResources(): ResourceType[] {
  const h = networkingHooks;
  return [
    defineResource({ group: G, version: V, kind: 'IngressClass', plural: 'ingressclasses', namespaced: false, ...h.ingressClass }),
    defineResource({
      group: G, version: V, kind: 'Ingress', plural: 'ingresses', namespaced: true, shortNames: ['ing'],
      subresources: [statusSub(gvk(G, V, 'Ingress'))], ...h.ingress,
    }),
    defineResource({ group: G, version: V, kind: 'NetworkPolicy', plural: 'networkpolicies', singular: 'networkpolicy', namespaced: true, shortNames: ['netpol'], ...h.networkPolicy }),
  ];
}
