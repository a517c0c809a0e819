// Pods nominated to a node after a preemption, after upstream's nominator (internal/queue
// nominatedPodMap): while the victims terminate, the preemptor's share of the node is reserved so pods
// of lower priority are not placed into the space being freed (filters count nominated pods of equal or
// higher priority). The scheduler's own decision wins over the informer, which may not show the
// status.nominatedNodeName patch yet: an update without the field keeps the nomination.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { podKey } from '../queue.js';
import { podPriority } from './victims.js';

const NONE: Pod[] = [];

export class Nominator {
  private readonly byNode = new Map<string, Map<string, Pod>>();
  private readonly nodeOfKey = new Map<string, string>();

  /** A pod from the informer: bound or deleting pods lose their nomination; a nominatedNodeName sets one. */
  observe(p: Pod): void {
    if (p.spec?.nodeName || p.metadata?.deletionTimestamp) return this.remove(p);
    const nnn = p.status?.nominatedNodeName;
    if (nnn) this.set(p, nnn);
    else {
      const node = this.nodeOfKey.get(podKey(p));
      if (node) this.byNode.get(node)?.set(podKey(p), p); // keep the nomination, refresh the object
    }
  }

  /** Nominate `p` to `node`; '' clears. */
  set(p: Pod, node: string): void {
    this.remove(p);
    if (!node) return;
    const key = podKey(p);
    let m = this.byNode.get(node);
    if (!m) this.byNode.set(node, (m = new Map()));
    m.set(key, p);
    this.nodeOfKey.set(key, node);
  }

  remove(p: Pod): void {
    const key = podKey(p);
    const node = this.nodeOfKey.get(key);
    if (node === undefined) return;
    this.nodeOfKey.delete(key);
    const m = this.byNode.get(node);
    m?.delete(key);
    if (m?.size === 0) this.byNode.delete(node);
  }

  nodeOf(p: Pod): string | undefined {
    return this.nodeOfKey.get(podKey(p));
  }

  /** Nominated pods on `node` that count against `pod`: at least its priority, itself excluded. */
  podsFor(node: string, pod: Pod): Pod[] {
    const m = this.byNode.size === 0 ? undefined : this.byNode.get(node);
    if (!m) return NONE;
    const key = podKey(pod);
    const prio = podPriority(pod);
    const out: Pod[] = [];
    for (const [k, p] of m) if (k !== key && podPriority(p) >= prio) out.push(p);
    return out;
  }

  /** Nominated pods on `node` below `priority` (upstream getLowerPriorityNominatedPods). */
  lowerPriorityOn(node: string, priority: number): Pod[] {
    return [...(this.byNode.get(node)?.values() ?? [])].filter((p) => podPriority(p) < priority);
  }
}
