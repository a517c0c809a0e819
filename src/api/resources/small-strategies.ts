// Strategy hooks (defaults, tables, create-time status) for networking.k8s.io and the small groups.
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import {
  defaultEndpointSlice,
  defaultNetworkPolicy,
  defaultPriorityClass,
  defaultRoleBinding,
  defaultStorageClass,
} from '../defaults/networking-and-more.js';
import * as t from '../tables/networking-and-more.js';
import type { ResourceSpec } from './define.js';
import { hook, resetStatus } from './define.js';

export const networkingHooks: Record<string, Partial<ResourceSpec>> = {
  ingressClass: { table: t.ingressClassTable },
  ingress: { prepareForCreate: resetStatus(() => ({ loadBalancer: {} })), table: t.ingressTable },
  networkPolicy: { defaults: hook(defaultNetworkPolicy), table: t.networkPolicyTable },
};

export const smallHooks: Record<string, Partial<ResourceSpec>> = {
  storageClass: { defaults: hook(defaultStorageClass), table: t.storageClassTable },
  clusterRoleBinding: { defaults: hook(defaultRoleBinding), table: t.roleBindingTable },
  clusterRole: { table: t.roleTable },
  roleBinding: { defaults: hook(defaultRoleBinding), table: t.roleBindingTable },
  role: { table: t.roleTable },
  lease: { table: t.leaseTable },
  podDisruptionBudget: {
    // PodDisruptionBudgetStatus's counters are not omitempty in Go.
    prepareForCreate: hook<PodDisruptionBudget>((pdb) => {
      (pdb as { status?: unknown }).status = { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 };
    }),
    table: t.podDisruptionBudgetTable,
  },
  endpointSlice: { defaults: hook(defaultEndpointSlice), table: t.endpointSliceTable },
  priorityClass: { defaults: hook(defaultPriorityClass), table: t.priorityClassTable },
};
