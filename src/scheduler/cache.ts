// The scheduler's view of node usage, after upstream's internal cache: NodeInfo per node from the node
// and pod informers (pods with spec.nodeName count until they terminate), plus ASSUMED pods — placed by
// a scheduling decision whose binding the informer has not shown yet — so the next pod already sees the
// space taken. A failed binding forgets the assumed pod; the informer's copy replaces it once bound.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from './framework/types.js';
import { addPod, newNodeInfo } from './framework/node-info.js';
import { podKey } from './queue.js';

const terminated = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

export class SchedulerCache {
  private readonly nodes = new Map<string, Node>();
  /** node name → pod key → pod (bound or assumed). Node entries may exist before their Node object. */
  private readonly podsByNode = new Map<string, Map<string, Pod>>();
  /** pod key → node name it is counted on. */
  private readonly podNode = new Map<string, string>();
  private readonly assumed = new Set<string>();
  private readonly infos = new Map<string, NodeInfo>();
  /** Node names in order, rebuilt only when the node set changes (snapshot runs once per pod). */
  private sortedNames: string[] | undefined;

  addNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    if (!this.nodes.has(name)) this.sortedNames = undefined;
    this.nodes.set(name, node);
    this.infos.delete(name);
  }
  updateNode(node: Node): void {
    this.addNode(node);
  }
  removeNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    this.nodes.delete(name);
    this.infos.delete(name);
    this.sortedNames = undefined;
  }

  /** A pod from the informer (add or update): counted when bound and running, dropped otherwise. */
  upsertPod(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || terminated(pod)) {
      this.removePod(pod);
      return;
    }
    this.assumed.delete(key);
    this.place(key, nodeName, pod);
  }

  removePod(pod: Pod): void {
    const key = podKey(pod);
    this.assumed.delete(key);
    this.unplace(key);
  }

  /** A scheduling decision: count the pod on `nodeName` until the informer confirms or it is forgotten. */
  assume(pod: Pod, nodeName: string): void {
    const key = podKey(pod);
    const bound: Pod = { ...pod, spec: { ...pod.spec!, nodeName } };
    this.assumed.add(key);
    this.place(key, nodeName, bound);
  }

  /** The binding failed: the assumed pod no longer takes space (unless the informer already saw it bound). */
  forget(pod: Pod): void {
    const key = podKey(pod);
    if (!this.assumed.delete(key)) return;
    this.unplace(key);
  }

  isAssumed(pod: Pod): boolean {
    return this.assumed.has(podKey(pod));
  }

  nodeCount(): number {
    return this.nodes.size;
  }

  /** NodeInfo of every known node, in name order (stable, so sampling and tests are deterministic). */
  snapshot(): NodeInfo[] {
    const out: NodeInfo[] = [];
    this.sortedNames ??= [...this.nodes.keys()].sort();
    for (const name of this.sortedNames) {
      let ni = this.infos.get(name);
      if (!ni) {
        ni = newNodeInfo(this.nodes.get(name)!, [...(this.podsByNode.get(name)?.values() ?? [])]);
        this.infos.set(name, ni);
      }
      out.push(ni);
    }
    return out;
  }

  private place(key: string, nodeName: string, pod: Pod): void {
    const prev = this.podNode.get(key);
    if (prev !== undefined) this.unplace(key);
    let m = this.podsByNode.get(nodeName);
    if (!m) this.podsByNode.set(nodeName, (m = new Map()));
    m.set(key, pod);
    this.podNode.set(key, nodeName);
    // Adding is cheap to apply incrementally; a replacement rebuilds the node on the next snapshot.
    const ni = this.infos.get(nodeName);
    if (ni && prev === undefined) this.infos.set(nodeName, addPod(ni, pod));
    else this.infos.delete(nodeName);
  }

  private unplace(key: string): void {
    const nodeName = this.podNode.get(key);
    if (nodeName === undefined) return;
    this.podNode.delete(key);
    const m = this.podsByNode.get(nodeName);
    m?.delete(key);
    if (m && m.size === 0) this.podsByNode.delete(nodeName);
    this.infos.delete(nodeName);
  }
}
