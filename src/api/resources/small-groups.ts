// The small API groups: storage.k8s.io, rbac.authorization.k8s.io, coordination.k8s.io, policy,
// discovery.k8s.io and scheduling.k8s.io (one or a few types each, mostly without subresources).
import type { ResourceType } from '../resource-type.js';
import { defineResource, gvk, statusSub } from './define.js';
import { smallHooks as h } from './small-strategies.js';

export function storageResources(): ResourceType[] {
  const G = 'storage.k8s.io';
  return [
    defineResource({ group: G, version: 'v1', kind: 'StorageClass', plural: 'storageclasses', singular: 'storageclass', namespaced: false, shortNames: ['sc'], ...h.storageClass }),
  ];
}

export function rbacResources(): ResourceType[] {
  const G = 'rbac.authorization.k8s.io';
  return [
    defineResource({ group: G, version: 'v1', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false, ...h.clusterRoleBinding }),
    defineResource({ group: G, version: 'v1', kind: 'ClusterRole', plural: 'clusterroles', namespaced: false, ...h.clusterRole }),
    defineResource({ group: G, version: 'v1', kind: 'RoleBinding', plural: 'rolebindings', namespaced: true, ...h.roleBinding }),
    defineResource({ group: G, version: 'v1', kind: 'Role', plural: 'roles', namespaced: true, ...h.role }),
  ];
}

export function coordinationResources(): ResourceType[] {
  return [defineResource({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true, ...h.lease })];
}

export function policyResources(): ResourceType[] {
  const G = 'policy';
  return [
    defineResource({
      group: G, version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: true, shortNames: ['pdb'],
      subresources: [statusSub(gvk(G, 'v1', 'PodDisruptionBudget'))], ...h.podDisruptionBudget,
    }),
  ];
}

export function discoveryResources(): ResourceType[] {
  return [defineResource({ group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true, ...h.endpointSlice })];
}

export function schedulingResources(): ResourceType[] {
  return [
    defineResource({ group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass', plural: 'priorityclasses', namespaced: false, shortNames: ['pc'], ...h.priorityClass }),
  ];
}
