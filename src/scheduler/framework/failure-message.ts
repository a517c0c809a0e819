// Upstream FitError.Error() (pkg/scheduler/framework/types.go): the FailedScheduling event text.
// Format: "0/N nodes are available:" + (" <preFilterMsg>." | " <histogram>.") + (" <postFilterMsg>.").
// The histogram counts each reason over nodes and renders "<count> <reason>", sorted as plain strings
// (Go sort.Strings), so "1 node(s) had untolerated taint {...}" sorts before "2 Insufficient cpu" and
// "10 X" before "2 Y". Example for 3 nodes, 1 tainted control plane, 2 full:
// "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: },
// 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.."
// (the PostFilter text is itself a FitError ending in "." and gets the separator's "." too — real
// clusters print "… for incoming pod..").
import type { Status } from './types.js';

export interface FitErrorInput {
  numAllNodes: number;
  /** Filter statuses of rejected nodes, by node name. */
  nodeStatuses: Map<string, Status>;
  /** Set when a PreFilter plugin rejected the pod: replaces the per-node histogram. */
  preFilterMsg?: string;
  /** Upstream's PostFilter (preemption) message, appended after the histogram. */
  postFilterMsg?: string;
}

/** Go's sort.Strings compares bytes; JS default sort compares UTF-16 units — same for our ASCII texts. */
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function reasonHistogram(statuses: Iterable<Status>): string[] {
  const counts = new Map<string, number>();
  for (const s of statuses) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort(byteOrder);
}

export function fitErrorMessage(input: FitErrorInput): string {
  let msg = `0/${input.numAllNodes} nodes are available:`;
  if (input.preFilterMsg) {
    msg += ` ${input.preFilterMsg}.`;
  } else {
    const hist = reasonHistogram(input.nodeStatuses.values());
    if (hist.length > 0) msg += ` ${hist.join(', ')}.`;
  }
  // Upstream SeparatorFormat " %v." applies to the PostFilter text too, so a nested FitError ends in "..".
  if (input.postFilterMsg) msg += ` ${input.postFilterMsg}.`;
  return msg;
}

/** Upstream's preemption PostFilter text when no victim set would help on any node. */
export function preemptionNotHelpfulMsg(numAllNodes: number): string {
  return `preemption: 0/${numAllNodes} nodes are available: ${numAllNodes} Preemption is not helpful for scheduling.`;
}
