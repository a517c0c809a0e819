// The garbage collector's dependency graph (upstream pkg/controller/garbagecollector/graph.go and the
// event processing of graph_builder.go): every object the collector observes, keyed by UID, with its
// ownerReferences, and the reverse edges owner UID → dependent UIDs. Reverse edges are kept by the
// owner's UID whether or not the owner itself was observed (upstream's "virtual" nodes): a dependent
// whose owner is unknown is exactly what the collector must check. `observe`/`forget` return what
// needs attention so the controller can enqueue it; the graph itself never talks to the API server.
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { ResourceId } from '../../client/informer-factory.js';
import type { MetaObject } from '../../client/store.js';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

export interface GraphNode {
  uid: string;
  resource: ResourceId;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  owners: OwnerReference[];
  beingDeleted: boolean;
  /** deletionTimestamp + foregroundDeletion: waiting for its blocking dependents to go. */
  deletingDependents: boolean;
  /** deletionTimestamp + orphan: its dependents must be released before it goes. */
  orphaning: boolean;
  hasOrphanFinalizer: boolean;
  hasForegroundFinalizer: boolean;
}

/** What a change asks of the collector: UIDs for attemptToDelete, UIDs for attemptToOrphan. */
export interface Work {
  attemptToDelete: string[];
  attemptToOrphan: string[];
}

export function nodeFor(obj: MetaObject, resource: ResourceId, kind: string): GraphNode | undefined {
  const md = obj.metadata;
  if (!md?.uid) return undefined;
  const fins = md.finalizers ?? [];
  const beingDeleted = !!md.deletionTimestamp;
  return {
    uid: md.uid,
    resource,
    apiVersion: resource.group ? `${resource.group}/${resource.version}` : resource.version,
    kind: obj.kind ?? kind,
    namespace: md.namespace ?? '',
    name: md.name ?? '',
    owners: md.ownerReferences ?? [],
    beingDeleted,
    deletingDependents: beingDeleted && fins.includes(FOREGROUND_FINALIZER),
    orphaning: beingDeleted && fins.includes(ORPHAN_FINALIZER),
    hasOrphanFinalizer: fins.includes(ORPHAN_FINALIZER),
    hasForegroundFinalizer: fins.includes(FOREGROUND_FINALIZER),
  };
}

export class Graph {
  private readonly nodes = new Map<string, GraphNode>();
  /** owner UID → dependent UIDs (the owner may never have been observed). */
  private readonly dependents = new Map<string, Set<string>>();
  /** False until every informer listed: before that an unknown owner may simply not be listed yet. */
  synced = false;

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }
  get size(): number {
    return this.nodes.size;
  }

  dependentsOf(uid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const d of this.dependents.get(uid) ?? []) {
      const n = this.nodes.get(d);
      if (n) out.push(n);
    }
    return out;
  }

  /** Dependents that reference `uid` with blockOwnerDeletion: true (upstream blockingDependents). */
  blockingDependentsOf(uid: string): GraphNode[] {
    return this.dependentsOf(uid).filter((d) => d.owners.some((r) => r.uid === uid && r.blockOwnerDeletion === true));
  }

  /** Every observed node with an owner never observed or in another namespace (checked once the graph synced). */
  nodesWithUnknownOwners(): string[] {
    const out: string[] = [];
    for (const n of this.nodes.values()) {
      if (n.owners.some((r) => !this.nodes.has(r.uid) || (this.nodes.get(r.uid)!.namespace || n.namespace) !== n.namespace)) out.push(n.uid);
    }
    return out;
  }

  /** An object was added or changed. */
  observe(n: GraphNode): Work {
    const work: Work = { attemptToDelete: [], attemptToOrphan: [] };
    const old = this.nodes.get(n.uid);
    this.nodes.set(n.uid, n);
    const oldOwners = new Set((old?.owners ?? []).map((r) => r.uid));
    const newOwners = new Set(n.owners.map((r) => r.uid));
    for (const u of oldOwners) if (!newOwners.has(u)) this.unlink(u, n.uid);
    for (const u of newOwners) this.link(u, n.uid);

    // An owner this object stopped referencing (or stopped blocking) may be waiting for it.
    for (const r of old?.owners ?? []) {
      const still = n.owners.find((x) => x.uid === r.uid);
      if (r.blockOwnerDeletion && !still?.blockOwnerDeletion && this.nodes.get(r.uid)?.deletingDependents) work.attemptToDelete.push(r.uid);
    }
    // Owners never observed, being deleted in the foreground, or namespaced in another namespace
    // (an ownerReference resolves in the dependent's own namespace): this object needs a look.
    const suspicious = (r: OwnerReference) => {
      const o = this.nodes.get(r.uid);
      return !o || o.deletingDependents || (o.namespace !== '' && o.namespace !== n.namespace);
    };
    if (this.synced && !n.beingDeleted && n.owners.some(suspicious)) {
      work.attemptToDelete.push(n.uid);
    }
    if (n.deletingDependents) {
      // Entering (or still in) foreground deletion: delete every dependent, then itself.
      work.attemptToDelete.push(n.uid);
      if (!old?.deletingDependents) for (const d of this.dependents.get(n.uid) ?? []) work.attemptToDelete.push(d);
    }
    if (n.orphaning) work.attemptToOrphan.push(n.uid);
    // A dependent being deleted in the foreground may be what an owner's foreground deletion waits on.
    if (n.beingDeleted) for (const r of n.owners) if (this.nodes.get(r.uid)?.deletingDependents) work.attemptToDelete.push(r.uid);
    return work;
  }

  /** An object was deleted: its dependents may now be garbage; owners waiting for it may proceed. */
  forget(uid: string): Work {
    const work: Work = { attemptToDelete: [], attemptToOrphan: [] };
    const old = this.nodes.get(uid);
    if (!old) return work;
    this.nodes.delete(uid);
    for (const r of old.owners) {
      this.unlink(r.uid, uid);
      if (this.nodes.get(r.uid)?.deletingDependents) work.attemptToDelete.push(r.uid);
    }
    for (const d of this.dependents.get(uid) ?? []) work.attemptToDelete.push(d);
    return work;
  }

  private link(owner: string, dep: string): void {
    let s = this.dependents.get(owner);
    if (!s) this.dependents.set(owner, (s = new Set()));
    s.add(dep);
  }
  private unlink(owner: string, dep: string): void {
    const s = this.dependents.get(owner);
    if (!s) return;
    s.delete(dep);
    if (s.size === 0) this.dependents.delete(owner);
  }
}
