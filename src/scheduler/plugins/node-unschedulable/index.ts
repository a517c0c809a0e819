// NodeUnschedulable filter (upstream plugins/nodeunschedulable): cordoned nodes (spec.unschedulable)
// take only pods tolerating the node.kubernetes.io/unschedulable:NoSchedule taint (DaemonSet pods do).
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { success, unresolvable, type FilterPlugin } from '../../framework/types.js';
import { tolerationsTolerateTaint } from '../taint-toleration/tolerations.js';

export const name = 'NodeUnschedulable';
export const ERR_REASON = 'node(s) were unschedulable';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export function fits(pod: Pod, node: Node): boolean {
  if (!node.spec?.unschedulable) return true;
  return tolerationsTolerateTaint(pod.spec?.tolerations, { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' });
}

export const plugin = {
  name,
  filter: (_state, pod, ni) => (fits(pod, ni.node) ? success(name) : unresolvable(name, ERR_REASON)),
} satisfies FilterPlugin;
