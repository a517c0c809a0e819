// NodeName filter (upstream plugins/nodename): a pod that names a node in spec.nodeName fits only there.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { success, unresolvable, type FilterPlugin } from '../../framework/types.js';

export const name = 'NodeName';
export const ERR_REASON = "node(s) didn't match the requested node name";

/** True when the pod names no node or names this one. */
export function fits(pod: Pod, node: Node): boolean {
  const want = pod.spec?.nodeName;
  return !want || want === node.metadata?.name;
}

export const plugin = {
  name,
  filter: (_state, pod, ni) => (fits(pod, ni.node) ? success(name) : unresolvable(name, ERR_REASON)),
} satisfies FilterPlugin;
