// NodeAffinity (upstream plugins/nodeaffinity). Filter: the node's labels must satisfy spec.nodeSelector
// and, when given, requiredDuringSchedulingIgnoredDuringExecution. Score: sum of the weights of the
// matching preferredDuringScheduling terms, normalized so the best node gets 100. Worked example:
// preferred weights 80 (zone=a) and 20 (disk=ssd); node A matches both → 100, node B only ssd → 20,
// after normalizing by max 100 → A 100, B 20.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { MAX_NODE_SCORE, success, unresolvable, type FilterPlugin, type ScorePlugin } from '../../framework/types.js';
import { defaultNormalizeScore } from '../../framework/normalize.js';
import { nodeSelectorTermsMatch, termMatches } from './node-selector.js';

export const name = 'NodeAffinity';
export const ERR_REASON = "node(s) didn't match Pod's node affinity/selector";

/** Upstream GetRequiredNodeAffinity(pod).Match(node). */
export function matchesRequired(pod: Pod, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) return nodeSelectorTermsMatch(required.nodeSelectorTerms ?? [], node);
  return true;
}

export function preferredWeight(pod: Pod, node: Node): number {
  let total = 0;
  for (const t of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (t.weight !== 0 && termMatches(t.preference, node)) total += t.weight;
  }
  return total;
}

export const plugin = {
  name,
  filter: (_state, pod, ni) => (matchesRequired(pod, ni.node) ? success(name) : unresolvable(name, ERR_REASON)),
  score: (_state, pod, ni) => preferredWeight(pod, ni.node),
  normalize: (_state, _pod, scores) => defaultNormalizeScore(MAX_NODE_SCORE, false, scores),
} satisfies FilterPlugin & ScorePlugin;
