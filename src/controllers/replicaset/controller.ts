// The ReplicaSet / ReplicationController controller (upstream pkg/controller/replicaset/replica_set.go):
// keeps spec.replicas active pods matching the selector. Informer handlers only enqueue owner keys
// and settle expectations; sync(key) claims pods (adopt orphans, release mismatches), creates the
// missing ones in slow-start batches or deletes the surplus in upstream's ranking order (at most 500
// per sync), then writes status when it changed. A terminating owner only gets its status updated.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { SharedInformer } from '../../client/informer.js';
import { OWNER_UID_INDEX } from '../../client/informer-factory.js';
import { NAMESPACE_INDEX, metaNamespaceKey, splitMetaNamespaceKey } from '../../client/store.js';
import { WorkQueue } from '../../client/workqueue.js';
import { isStatusError } from '../../machinery/errors.js';
import { selectorFromLabelSelector, type Selector } from '../../machinery/labels.js';
import { done, failed, requeueAfter, type Result } from '../runner.js';
import type { ControllerContext } from '../shared/context.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { Expectations } from '../shared/expectations.js';
import { claimObjects, getControllerOf, newControllerRef } from '../shared/owner-refs.js';
import { isPodActive, podFromTemplate } from '../shared/pods.js';
import { replicaDiff, slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from './batch.js';
import { desiredReplicas, minReadySeconds, type ReplicaKind, type ReplicaOwner } from './kinds.js';
import { podsToDelete } from './rank.js';
import { registerHandlers } from './handlers.js';
import { calculateStatus, statusUnchanged } from './status.js';

const PODS = { group: '', version: 'v1', resource: 'pods' } as const;

/** Upstream's NamespaceTerminatingCause: creating into a terminating namespace is not a failure. */
const isNamespaceTerminating = (e: unknown) => isStatusError(e) && e.code === 403 && /because it is being terminated/.test(e.message);
const errMessage = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class ReplicaController {
  readonly queue = new WorkQueue();
  readonly owners: SharedInformer<ReplicaOwner>;
  readonly pods: SharedInformer<Pod>;
  readonly expectations: Expectations;
  /** Pod keys each owner is waiting to see deleted (upstream UIDTrackingControllerExpectations). */
  private readonly pendingDeletes = new Map<string, Set<string>>();
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext, readonly kind: ReplicaKind) {
    this.owners = ctx.informers.for<ReplicaOwner>(kind.resource);
    this.pods = ctx.informers.for<Pod>(PODS);
    this.recorder = ctx.recorder(kind.component);
    this.expectations = new Expectations(ctx.now);
    registerHandlers(this);
  }

  // ---- lookups used by the handlers ----

  selectorOf(o: ReplicaOwner): Selector | undefined {
    try {
      return selectorFromLabelSelector(this.kind.selector(o));
    } catch {
      return undefined; // invalid selector: validation should have refused it; act on nothing
    }
  }

  /** The owner a pod's controllerRef names, if it is of our kind and still the same object. */
  resolveControllerRef(namespace: string | undefined, pod: Pod): ReplicaOwner | undefined {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== this.kind.kind || ref.apiVersion.split('/')[0] !== this.kind.apiVersion.split('/')[0]) return undefined;
    const o = this.owners.store.get(`${namespace}/${ref.name}`);
    return o && o.metadata?.uid === ref.uid ? o : undefined;
  }

  /** Owners in the pod's namespace whose (non-empty) selector matches its labels (orphan adoption). */
  ownersSelecting(pod: Pod): ReplicaOwner[] {
    return this.owners.store.byIndex(NAMESPACE_INDEX, pod.metadata?.namespace ?? '').filter((o) => {
      const s = this.selectorOf(o);
      return !!s && !s.empty() && s.matches(pod.metadata?.labels);
    });
  }

  enqueue(o: ReplicaOwner, afterMs = 0): void {
    const key = metaNamespaceKey(o);
    if (afterMs > 0) this.queue.addAfter(key, afterMs);
    else this.queue.add(key);
  }

  /** A pod we deleted went away (or got its deletionTimestamp): lower the expectation once. */
  deletionObserved(ownerKey: string, podKey: string): void {
    if (this.pendingDeletes.get(ownerKey)?.delete(podKey)) this.expectations.deletionObserved(ownerKey);
  }

  forget(ownerKey: string): void {
    this.expectations.delete(ownerKey);
    this.pendingDeletes.delete(ownerKey);
  }

  private withKind(o: ReplicaOwner): ReplicaOwner {
    return { ...o, apiVersion: this.kind.apiVersion, kind: this.kind.kind } as ReplicaOwner;
  }

  // ---- reconcile (upstream syncReplicaSet) ----

  async syncReplicaSet(key: string): Promise<Result> {
    const owner = this.owners.store.get(key);
    if (!owner) {
      this.forget(key);
      return done;
    }
    const needsSync = this.expectations.satisfied(key);
    // Validation refuses empty selectors; acting on one would adopt everything or create forever.
    const selector = this.selectorOf(owner);
    if (!selector || selector.empty() || selector.isNothing()) return done;
    const { namespace } = splitMetaNamespaceKey(key);
    const active = this.pods.store.byIndex(NAMESPACE_INDEX, namespace).filter(isPodActive);
    let owned: Pod[];
    try {
      owned = await this.claimPods(owner, active);
    } catch (e) {
      return failed(e);
    }
    let manageError: unknown;
    if (needsSync && !owner.metadata?.deletionTimestamp) {
      try {
        manageError = await this.manageReplicas(key, owner, owned);
      } catch (e) {
        manageError = e;
      }
    }
    const status = calculateStatus(
      { replicas: desiredReplicas(owner), minReadySeconds: minReadySeconds(owner), generation: owner.metadata?.generation, templateLabels: owner.spec?.template?.metadata?.labels, status: owner.status },
      owned,
      manageError,
      this.ctx.now(),
    );
    status.observedGeneration = owner.metadata?.generation ?? status.observedGeneration;
    if (!statusUnchanged(owner.status, status, owner.metadata?.generation)) {
      try {
        await this.ctx.client.patch({ ...this.kind.resource, namespace, name: owner.metadata?.name, subresource: 'status' }, { status: { ...status, conditions: status.conditions ?? null } }, 'merge');
      } catch (e) {
        if (isStatusError(e) && e.code === 404) return done;
        return failed(e);
      }
    }
    if (manageError) return failed(manageError);
    const want = desiredReplicas(owner);
    const minReady = minReadySeconds(owner);
    // Pods become available minReadySeconds after they became ready; no event marks that moment.
    if (minReady > 0 && status.readyReplicas === want && status.availableReplicas !== want) return requeueAfter(minReady * 1000);
    return done;
  }

  /** Adopts matching orphans and releases owned pods that stopped matching (upstream claimPods). */
  private async claimPods(owner: ReplicaOwner, active: Pod[]): Promise<Pod[]> {
    const selector = this.selectorOf(owner);
    const uid = owner.metadata?.uid;
    const wantsAdoption = active.some((p) => !getControllerOf(p) && selector?.matches(p.metadata?.labels));
    let mayAdopt = true;
    if (wantsAdoption) {
      // Upstream RecheckDeletionTimestamp: never adopt for an owner that was just deleted or replaced.
      try {
        const fresh = await this.ctx.client.get<ReplicaOwner>({ ...this.kind.resource, namespace: owner.metadata?.namespace, name: owner.metadata?.name });
        mayAdopt = fresh.metadata?.uid === uid && !fresh.metadata?.deletionTimestamp;
      } catch (e) {
        if (!(isStatusError(e) && e.code === 404)) throw e;
        mayAdopt = false;
      }
    }
    const candidates = active.filter((p) => getControllerOf(p)?.uid === uid || (!getControllerOf(p) && wantsAdoption));
    return claimObjects<Pod>({
      client: this.ctx.client,
      owner,
      ownerApiVersion: this.kind.apiVersion,
      ownerKind: this.kind.kind,
      selector: this.kind.selector(owner) ?? {},
      resource: PODS,
      candidates,
      canAdopt: () => mayAdopt,
    });
  }

  /** Creates or deletes pods toward spec.replicas; returns the first error (upstream manageReplicas). */
  private async manageReplicas(key: string, owner: ReplicaOwner, owned: Pod[]): Promise<unknown> {
    const diff = replicaDiff(owned.length, desiredReplicas(owner));
    const namespace = owner.metadata?.namespace ?? '';
    const subject = this.withKind(owner);
    if (diff > 0) {
      const template = owner.spec?.template ?? {};
      const ref = newControllerRef(owner, this.kind.apiVersion, this.kind.kind);
      this.expectations.expect(key, diff, 0);
      let ignored = 0;
      const { successes, error } = await slowStartBatch(diff, SLOW_START_INITIAL_BATCH_SIZE, async () => {
        const pod = podFromTemplate(template, namespace, ref, { generateName: `${owner.metadata?.name}-` });
        try {
          const created = await this.ctx.client.create<Pod>({ ...PODS, namespace }, pod);
          this.recorder.event(subject, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
        } catch (e) {
          if (isNamespaceTerminating(e)) {
            ignored++; // any creation fails there; the namespace controller deletes the owner anyway
            return;
          }
          this.recorder.event(subject, 'Warning', 'FailedCreate', `Error creating: ${errMessage(e)}`);
          throw e;
        }
      });
      // Pods never created will never be observed: stop waiting for them.
      for (let i = 0; i < diff - successes + ignored; i++) this.expectations.creationObserved(key);
      return error;
    }
    if (diff < 0) {
      const victims = podsToDelete(owned, this.relatedPods(owner), -diff, this.ctx.now());
      this.pendingDeletes.set(key, new Set(victims.map((p) => metaNamespaceKey(p))));
      this.expectations.expect(key, 0, victims.length);
      const errors: unknown[] = [];
      await Promise.all(
        victims.map(async (p) => {
          try {
            await this.ctx.client.delete({ ...PODS, namespace, name: p.metadata?.name });
            this.recorder.event(subject, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata?.name}`);
          } catch (e) {
            this.deletionObserved(key, metaNamespaceKey(p));
            if (isStatusError(e) && e.code === 404) return;
            this.recorder.event(subject, 'Warning', 'FailedDelete', `Error deleting: ${errMessage(e)}`);
            errors.push(new Error(`unable to delete pods: ${errMessage(e)}`));
          }
        }),
      );
      return errors[0];
    }
    return undefined;
  }

  /**
   * Pods of every owner under the same controller as `owner` (a Deployment's ReplicaSets), for the
   * doubled-up-on-a-node ranking; none for an owner without a controller (upstream getIndirectlyRelatedPods).
   */
  private relatedPods(owner: ReplicaOwner): Pod[] {
    const ctrl = getControllerOf(owner);
    if (!ctrl) return [];
    const seen = new Map<string, Pod>();
    for (const sibling of this.owners.store.byIndex(OWNER_UID_INDEX, ctrl.uid)) {
      if (getControllerOf(sibling)?.uid !== ctrl.uid || sibling.metadata?.namespace !== owner.metadata?.namespace) continue;
      const sel = this.selectorOf(sibling);
      if (!sel) continue;
      for (const p of this.pods.store.byIndex(NAMESPACE_INDEX, owner.metadata?.namespace ?? '')) {
        if (sel.matches(p.metadata?.labels)) seen.set(p.metadata?.uid ?? metaNamespaceKey(p), p);
      }
    }
    return [...seen.values()];
  }
}
