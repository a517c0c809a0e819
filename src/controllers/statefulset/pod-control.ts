// What the StatefulSet controller does to pods and claims (upstream
// pkg/controller/statefulset/stateful_pod_control.go): claims are created before their pod (a pod
// must never start without its storage), identity labels are repaired in place, and every create,
// update and delete is reported as an event on the set in upstream's words ("create Pod web-0 in
// StatefulSet web successful", "create Claim data-web-0 Pod web-0 in StatefulSet web success").
// It also keeps the claims' ownerReferences in line with persistentVolumeClaimRetentionPolicy, so
// the garbage collector deletes a claim exactly when the policy says (set deleted / pod scaled away).
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeClient } from '../../client/http-client.js';
import type { SharedInformer } from '../../client/informer.js';
import { isStatusError } from '../../machinery/errors.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import {
  API_VERSION,
  KIND,
  getOrdinal,
  getPersistentVolumeClaims,
  identityMatches,
  podInOrdinalRange,
  updateIdentity,
} from './utils.js';

const PODS = { group: '', version: 'v1', resource: 'pods' } as const;
const CLAIMS = { group: '', version: 'v1', resource: 'persistentvolumeclaims' } as const;
const title = (verb: string) => verb[0].toUpperCase() + verb.slice(1);
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export type PodControlClient = Pick<KubeClient, 'create' | 'delete' | 'patch'>;

export class StatefulPodControl {
  constructor(
    private readonly client: PodControlClient,
    private readonly claims: SharedInformer<PersistentVolumeClaim>,
    readonly recorder: EventRecorder,
  ) {}

  private setRef(set: StatefulSet): StatefulSet {
    return { ...set, apiVersion: API_VERSION, kind: KIND };
  }

  recordPodEvent(verb: string, set: StatefulSet, pod: Pod, err?: unknown): void {
    const [podName, setName] = [pod.metadata?.name ?? '', set.metadata?.name ?? ''];
    if (err === undefined) this.recorder.event(this.setRef(set), 'Normal', `Successful${title(verb)}`, `${verb} Pod ${podName} in StatefulSet ${setName} successful`);
    else this.recorder.event(this.setRef(set), 'Warning', `Failed${title(verb)}`, `${verb} Pod ${podName} in StatefulSet ${setName} failed error: ${errText(err)}`);
  }

  recordClaimEvent(verb: string, set: StatefulSet, pod: Pod, claim: PersistentVolumeClaim, err?: unknown): void {
    const [claimName, podName, setName] = [claim.metadata?.name ?? '', pod.metadata?.name ?? '', set.metadata?.name ?? ''];
    if (err === undefined) this.recorder.event(this.setRef(set), 'Normal', `Successful${title(verb)}`, `${verb} Claim ${claimName} Pod ${podName} in StatefulSet ${setName} success`);
    else this.recorder.event(this.setRef(set), 'Warning', `Failed${title(verb)}`, `${verb} Claim ${claimName} for Pod ${podName} in StatefulSet ${setName} failed error: ${errText(err)}`);
  }

  private getClaim(namespace: string, name: string): PersistentVolumeClaim | undefined {
    return this.claims.store.get(`${namespace}/${name}`);
  }

  /** Creates the pod's missing claims; a claim still being deleted is an error (retry later). */
  async createPersistentVolumeClaims(set: StatefulSet, pod: Pod): Promise<void> {
    const errs: string[] = [];
    for (const claim of getPersistentVolumeClaims(set, getOrdinal(pod)).values()) {
      const existing = this.getClaim(claim.metadata?.namespace ?? '', claim.metadata?.name ?? '');
      if (existing) {
        if (existing.metadata?.deletionTimestamp) errs.push(`pvc ${claim.metadata?.name ?? ''} is being deleted`);
        continue;
      }
      try {
        await this.client.create<PersistentVolumeClaim>({ ...CLAIMS, namespace: claim.metadata?.namespace }, claim);
        this.recordClaimEvent('create', set, pod, claim);
      } catch (e) {
        if (isStatusError(e) && e.code === 409) continue; // the cache was behind: it exists
        errs.push(`failed to create PVC ${claim.metadata?.name ?? ''}: ${errText(e)}`);
        this.recordClaimEvent('create', set, pod, claim, e);
      }
    }
    if (errs.length) throw new Error(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
  }

  /** Claims first, then the pod; AlreadyExists is passed up without an event (the cache was behind). */
  async createStatefulPod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.createPersistentVolumeClaims(set, pod);
    } catch (e) {
      this.recordPodEvent('create', set, pod, e);
      throw e;
    }
    let created: Pod;
    try {
      created = await this.client.create<Pod>({ ...PODS, namespace: pod.metadata?.namespace }, pod);
    } catch (e) {
      if (!(isStatusError(e) && e.code === 409)) this.recordPodEvent('create', set, pod, e);
      throw e;
    }
    try {
      await this.updatePodClaimForRetentionPolicy(set, created);
    } catch (e) {
      this.recordPodEvent('update', set, pod, e);
      throw e;
    }
    this.recordPodEvent('create', set, pod);
  }

  /** Repairs identity labels in place (a pod's volumes cannot change; its claims are created if missing). */
  async updateStatefulPod(set: StatefulSet, pod: Pod): Promise<void> {
    let attempted = false;
    try {
      if (!identityMatches(set, pod)) {
        const fixed: Pod = { metadata: { ...pod.metadata } };
        updateIdentity(set, fixed);
        attempted = true;
        await this.client.patch({ ...PODS, namespace: pod.metadata?.namespace, name: pod.metadata?.name }, { metadata: { labels: fixed.metadata?.labels } }, 'merge');
      }
      await this.createPersistentVolumeClaims(set, pod);
      if (!this.claimsMatchRetentionPolicy(set, pod)) {
        attempted = true;
        await this.updatePodClaimForRetentionPolicy(set, pod);
      }
    } catch (e) {
      if (attempted) this.recordPodEvent('update', set, pod, e);
      throw e;
    }
    if (attempted) this.recordPodEvent('update', set, pod);
  }

  async deleteStatefulPod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.client.delete({ ...PODS, namespace: pod.metadata?.namespace, name: pod.metadata?.name }, { preconditions: { uid: pod.metadata?.uid } });
    } catch (e) {
      if (isStatusError(e) && (e.code === 404 || e.code === 409)) return; // already gone or replaced
      this.recordPodEvent('delete', set, pod, e);
      throw e;
    }
    this.recordPodEvent('delete', set, pod);
  }

  /**
   * The ownerReferences a claim should carry (upstream updateClaimOwnerRefForSetAndPod):
   * whenDeleted=Delete → owned by the set (deleted with it); whenScaled=Delete and the pod's ordinal is
   * out of range → owned by the pod (deleted after it); Retain/Retain (default) → neither.
   */
  private wantedRefs(set: StatefulSet, pod: Pod, claim: PersistentVolumeClaim): OwnerReference[] {
    const policy = set.spec?.persistentVolumeClaimRetentionPolicy ?? {};
    const setUid = set.metadata?.uid ?? '';
    const podUid = pod.metadata?.uid ?? '';
    const scaledDown = !podInOrdinalRange(pod, set);
    const wantSet = policy.whenDeleted === 'Delete' && !(scaledDown && policy.whenScaled === 'Delete');
    const wantPod = policy.whenScaled === 'Delete' && scaledDown && !!podUid;
    const refs = (claim.metadata?.ownerReferences ?? []).filter((r) => r.uid !== setUid && !(r.kind === 'Pod' && r.uid === podUid));
    if (wantSet) refs.push({ apiVersion: API_VERSION, kind: KIND, name: set.metadata?.name ?? '', uid: setUid });
    if (wantPod) refs.push({ apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: podUid });
    return refs;
  }

  private sameRefs(a: OwnerReference[] | undefined, b: OwnerReference[]): boolean {
    const key = (r: OwnerReference[]) => r.map((x) => x.uid).sort().join(',');
    return key(a ?? []) === key(b);
  }

  claimsMatchRetentionPolicy(set: StatefulSet, pod: Pod): boolean {
    for (const claim of getPersistentVolumeClaims(set, getOrdinal(pod)).values()) {
      const existing = this.getClaim(claim.metadata?.namespace ?? '', claim.metadata?.name ?? '');
      if (existing && !this.sameRefs(existing.metadata?.ownerReferences, this.wantedRefs(set, pod, existing))) return false;
    }
    return true;
  }

  async updatePodClaimForRetentionPolicy(set: StatefulSet, pod: Pod): Promise<void> {
    for (const claim of getPersistentVolumeClaims(set, getOrdinal(pod)).values()) {
      const existing = this.getClaim(claim.metadata?.namespace ?? '', claim.metadata?.name ?? '');
      if (!existing) continue; // just created and not cached yet: the next sync fixes its references
      const refs = this.wantedRefs(set, pod, existing);
      if (this.sameRefs(existing.metadata?.ownerReferences, refs)) continue;
      try {
        await this.client.patch({ ...CLAIMS, namespace: existing.metadata?.namespace, name: existing.metadata?.name }, { metadata: { ownerReferences: refs.length ? refs : null, uid: existing.metadata?.uid } }, 'merge');
      } catch (e) {
        if (!(isStatusError(e) && (e.code === 404 || e.code === 409))) throw e;
      }
    }
  }

  /**
   * A claim still owned by an earlier pod of this ordinal (scaled away with whenScaled=Delete) is about
   * to be garbage collected: a new pod must wait for it to go rather than mount it (PodClaimIsStale).
   */
  podClaimIsStale(set: StatefulSet, pod: Pod): boolean {
    for (const claim of getPersistentVolumeClaims(set, getOrdinal(pod)).values()) {
      const existing = this.getClaim(claim.metadata?.namespace ?? '', claim.metadata?.name ?? '');
      if (!existing) continue;
      if ((existing.metadata?.ownerReferences ?? []).some((r) => r.kind === 'Pod' && r.uid !== pod.metadata?.uid)) return true;
    }
    return false;
  }
}
