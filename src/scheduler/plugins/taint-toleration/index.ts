// TaintToleration (upstream plugins/tainttoleration). Filter: a NoSchedule/NoExecute taint that no
// toleration matches rejects the node, naming the first such taint. Score: count the PreferNoSchedule
// taints the pod does not tolerate, then normalize reversed so the node with fewest scores 100.
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { success, unresolvable, type FilterPlugin, type ScorePlugin } from '../../framework/types.js';
import { defaultNormalizeScore } from '../../framework/normalize.js';
import { MAX_NODE_SCORE } from '../../framework/types.js';
import { findUntoleratedTaint, tolerationsTolerateTaint } from './tolerations.js';

export const name = 'TaintToleration';

/** Upstream 1.31 wording, e.g. `node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }`. */
export const untoleratedReason = (t: Taint) => `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;

const scheduleEffects = (t: Taint) => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

export function untoleratedTaint(pod: Pod, node: Node): Taint | undefined {
  return findUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, scheduleEffects);
}

/** Number of PreferNoSchedule taints not matched by the pod's PreferNoSchedule-or-any-effect tolerations. */
export function countIntolerablePreferNoSchedule(pod: Pod, node: Node): number {
  const tols = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  return (node.spec?.taints ?? []).filter((t) => t.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tols, t)).length;
}

export const plugin = {
  name,
  filter(_state, pod, ni) {
    const t = untoleratedTaint(pod, ni.node);
    return t ? unresolvable(name, untoleratedReason(t)) : success(name);
  },
  score: (_state, pod, ni) => countIntolerablePreferNoSchedule(pod, ni.node),
  normalize: (_state, _pod, scores) => defaultNormalizeScore(MAX_NODE_SCORE, true, scores),
} satisfies FilterPlugin & ScorePlugin;
