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
  /** The last snapshot and each node's slot in it; only nodes whose info was dropped are recomputed. */
  private snap: NodeInfo[] = [];
  private slot = new Map<string, number>();
  private readonly stale = new Set<string>();
  /** Nodes with pods that have pod (anti-)affinity / required anti-affinity (upstream's HavePodsWith… lists). */
  private readonly withAffinity = new Set<string>();
  private readonly withAnti = new Set<string>();

  addNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    if (!this.nodes.has(name)) this.sortedNames = undefined;
    this.nodes.set(name, node);
    this.touch(name);
  }
  updateNode(node: Node): void {
    this.addNode(node);
  }
  removeNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    this.nodes.delete(name);
    this.withAffinity.delete(name);
    this.withAnti.delete(name);
    this.touch(name);
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
    if (!this.sortedNames) {
      this.sortedNames = [...this.nodes.keys()].sort();
      this.slot = new Map(this.sortedNames.map((n, i) => [n, i]));
      this.withAffinity.clear();
      this.withAnti.clear();
      this.snap = this.sortedNames.map((n) => this.track(n, this.info(n)));
      this.stale.clear();
      return [...this.snap];
    }
    for (const name of this.stale) {
      const i = this.slot.get(name);
      if (i !== undefined && this.nodes.has(name)) this.snap[i] = this.track(name, this.info(name));
    }
    this.stale.clear();
    // A copy: callers keep it across cycles while the cache moves on.
    return [...this.snap];
  }

  /** The nodes of the last snapshot holding pods with affinity terms (for a pod without terms, only these matter). */
  affinityLists(): { nodesWithAffinity: NodeInfo[]; nodesWithRequiredAntiAffinity: NodeInfo[] } {
    const pick = (names: Set<string>) => [...names].map((n) => this.snap[this.slot.get(n)!]!).filter(Boolean);
    return { nodesWithAffinity: pick(this.withAffinity), nodesWithRequiredAntiAffinity: pick(this.withAnti) };
  }

  private track(name: string, ni: NodeInfo): NodeInfo {
    if (ni.podsWithAffinity?.length) this.withAffinity.add(name);
    else this.withAffinity.delete(name);
    if (ni.podsWithRequiredAntiAffinity?.length) this.withAnti.add(name);
    else this.withAnti.delete(name);
    return ni;
  }

  private info(name: string): NodeInfo {
    let ni = this.infos.get(name);
    if (!ni) {
      ni = newNodeInfo(this.nodes.get(name)!, [...(this.podsByNode.get(name)?.values() ?? [])]);
      this.infos.set(name, ni);
    }
    return ni;
  }

  /** Every change to a node's info goes through here so the next snapshot refreshes its slot. */
  private touch(name: string, ni?: NodeInfo): void {
    if (ni) this.infos.set(name, ni);
    else this.infos.delete(name);
    this.stale.add(name);
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
    if (ni && prev === undefined) this.touch(nodeName, addPod(ni, pod));
    else this.touch(nodeName);
  }

  private unplace(key: string): void {
    const nodeName = this.podNode.get(key);
    if (nodeName === undefined) return;
    this.podNode.delete(key);
    const m = this.podsByNode.get(nodeName);
    m?.delete(key);
    if (m && m.size === 0) this.podsByNode.delete(nodeName);
    this.touch(nodeName);
  }
}
