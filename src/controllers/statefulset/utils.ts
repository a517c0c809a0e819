// StatefulSet identity and storage rules (upstream pkg/controller/statefulset/stateful_set_utils.go):
// a pod's identity is its ordinal — name `<set>-<ordinal>`, hostname = name, subdomain = the governing
// service, labels naming it — and its storage is one claim per volumeClaimTemplate named
// `<claim>-<set>-<ordinal>`, which outlives the pod so a recreated web-1 gets web-1's data back.
// Pure functions only; the controller decides when to create, update and delete.
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod, Volume } from 'kubernetes-types/core/v1.js';
import { deepCopy, isPlainObject, type JsonObject } from '../../machinery/object.js';
import { newControllerRevision, templatePatch } from '../shared/controller-history.js';
import { newControllerRef } from '../shared/owner-refs.js';
import { isPodAvailable, isPodReady, podFromTemplate } from '../shared/pods.js';

export const STATEFUL_SET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** The pod's revision label (apps.StatefulSetRevisionLabel): the ControllerRevision's name. */
export const STATEFUL_SET_REVISION_LABEL = 'controller-revision-hash';
export const API_VERSION = 'apps/v1';
export const KIND = 'StatefulSet';

const PARENT_AND_ORDINAL = /^(.*)-([0-9]+)$/;

/** `web-2` → {parent: 'web', ordinal: 2}; ordinal -1 when the name has no ordinal suffix. */
export function getParentNameAndOrdinal(pod: Pod): { parent: string; ordinal: number } {
  const m = PARENT_AND_ORDINAL.exec(pod.metadata?.name ?? '');
  if (!m) return { parent: '', ordinal: -1 };
  const ordinal = Number(m[2]);
  return Number.isSafeInteger(ordinal) && ordinal <= 2 ** 31 - 1 ? { parent: m[1], ordinal } : { parent: m[1], ordinal: -1 };
}
export const getOrdinal = (pod: Pod) => getParentNameAndOrdinal(pod).ordinal;

export const getPodName = (set: StatefulSet, ordinal: number) => `${set.metadata?.name ?? ''}-${ordinal}`;
export const getPersistentVolumeClaimName = (set: StatefulSet, claimName: string, ordinal: number) => `${claimName}-${set.metadata?.name ?? ''}-${ordinal}`;

/** First ordinal (spec.ordinals.start, default 0). */
export const getStartOrdinal = (set: StatefulSet) => set.spec?.ordinals?.start ?? 0;
/** Last ordinal in range: start + replicas - 1 (start - 1 when scaled to zero). */
export const getEndOrdinal = (set: StatefulSet) => getStartOrdinal(set) + (set.spec?.replicas ?? 1) - 1;
export function podInOrdinalRange(pod: Pod, set: StatefulSet): boolean {
  const o = getOrdinal(pod);
  return o >= getStartOrdinal(set) && o <= getEndOrdinal(set);
}

export const isMemberOf = (set: StatefulSet, pod: Pod) => getParentNameAndOrdinal(pod).parent === set.metadata?.name;

export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = getParentNameAndOrdinal(pod);
  return (
    ordinal >= 0 &&
    parent === set.metadata?.name &&
    pod.metadata?.name === getPodName(set, ordinal) &&
    pod.metadata?.namespace === set.metadata?.namespace &&
    pod.metadata?.labels?.[STATEFUL_SET_POD_NAME_LABEL] === pod.metadata?.name
  );
}

/** Every claim template is mounted from the pod's own claim. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = getOrdinal(pod);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  return (set.spec?.volumeClaimTemplates ?? []).every((claim) => {
    const v = volumes.get(claim.metadata?.name ?? '');
    return v?.persistentVolumeClaim?.claimName === getPersistentVolumeClaimName(set, claim.metadata?.name ?? '', ordinal);
  });
}

/** The claims a pod of this ordinal uses, keyed by template (volume) name; labelled with the selector. */
export function getPersistentVolumeClaims(set: StatefulSet, ordinal: number): Map<string, PersistentVolumeClaim> {
  const claims = new Map<string, PersistentVolumeClaim>();
  for (const tpl of set.spec?.volumeClaimTemplates ?? []) {
    const claim = deepCopy(tpl);
    const templateName = claim.metadata?.name ?? '';
    delete (claim as { status?: unknown }).status;
    const meta = { ...(claim.metadata ?? {}) } as Record<string, unknown>;
    delete meta.creationTimestamp; // the template's zero timestamp is not ours to send
    claim.metadata = {
      ...meta,
      name: getPersistentVolumeClaimName(set, templateName, ordinal),
      namespace: set.metadata?.namespace,
      labels: { ...(claim.metadata?.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) },
    };
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    claims.set(templateName, claim);
  }
  return claims;
}

/** Sets name, namespace and the identity labels (upstream updateIdentity). */
export function updateIdentity(set: StatefulSet, pod: Pod): void {
  const ordinal = getOrdinal(pod);
  pod.metadata ??= {};
  pod.metadata.name = getPodName(set, ordinal);
  pod.metadata.namespace = set.metadata?.namespace;
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [STATEFUL_SET_POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ordinal) };
}

/** Points the claim-template volumes at this ordinal's claims; other volumes are kept. */
export function updateStorage(set: StatefulSet, pod: Pod): void {
  const claims = getPersistentVolumeClaims(set, getOrdinal(pod));
  const volumes: Volume[] = [...claims].map(([name, claim]) => ({ name, persistentVolumeClaim: { claimName: claim.metadata?.name ?? '' } }));
  for (const v of pod.spec?.volumes ?? []) if (!claims.has(v.name)) volumes.push(v);
  pod.spec = { containers: [], ...pod.spec, volumes };
}

/** A new pod for `ordinal` from the set's template (upstream newStatefulSetPod). */
export function newStatefulSetPod(set: StatefulSet, ordinal: number): Pod {
  const name = getPodName(set, ordinal);
  const pod = podFromTemplate(set.spec?.template ?? {}, set.metadata?.namespace ?? '', newControllerRef(set, API_VERSION, KIND), { name });
  pod.metadata = { ...pod.metadata, generateName: `${set.metadata?.name ?? ''}-` };
  updateIdentity(set, pod);
  pod.spec = { containers: [], ...pod.spec, hostname: name, subdomain: set.spec?.serviceName || undefined };
  if (!pod.spec.subdomain) delete pod.spec.subdomain;
  updateStorage(set, pod);
  return pod;
}

export const getPodRevision = (pod: Pod) => pod.metadata?.labels?.[STATEFUL_SET_REVISION_LABEL] ?? '';
export function setPodRevision(pod: Pod, revision: string): void {
  pod.metadata = { ...pod.metadata, labels: { ...(pod.metadata?.labels ?? {}), [STATEFUL_SET_REVISION_LABEL]: revision } };
}

/**
 * A pod at the current revision when it is below the partition (RollingUpdate), else at the update
 * revision (upstream newVersionedStatefulSetPod). With partition 2 and 5 replicas, a recreated web-1
 * keeps the old template while a recreated web-3 gets the new one.
 */
export function newVersionedStatefulSetPod(currentSet: StatefulSet, updateSet: StatefulSet, currentRevision: string, updateRevision: string, ordinal: number): Pod {
  const us = currentSet.spec?.updateStrategy;
  const start = getStartOrdinal(currentSet);
  const belowPartition =
    us?.type === 'RollingUpdate' &&
    ((!us.rollingUpdate && ordinal < start + (currentSet.status?.currentReplicas ?? 0)) || (!!us.rollingUpdate && ordinal < start + (us.rollingUpdate.partition ?? 0)));
  const pod = newStatefulSetPod(belowPartition ? currentSet : updateSet, ordinal);
  setPodRevision(pod, belowPartition ? currentRevision : updateRevision);
  return pod;
}

/** The revision snapshot of a set's template (upstream newRevision); annotations copied from the set. */
export function newRevision(set: StatefulSet, revision: number, collisionCount: number): ControllerRevision {
  const cr = newControllerRevision({
    owner: set,
    ownerApiVersion: API_VERSION,
    ownerKind: KIND,
    templateLabels: set.spec?.template?.metadata?.labels,
    data: templatePatch(set.spec?.template),
    revision,
    collisionCount,
    annotations: set.metadata?.annotations,
  });
  return cr;
}

/** The set with its template restored from a revision (upstream ApplyRevision: the patch replaces spec.template). */
export function applyRevision(set: StatefulSet, revision: ControllerRevision): StatefulSet {
  const clone = deepCopy(set);
  const data = revision.data as JsonObject | undefined;
  const spec = data && isPlainObject(data.spec) ? data.spec : undefined;
  if (spec && isPlainObject(spec.template)) {
    const template = deepCopy(spec.template) as Record<string, unknown>;
    delete template.$patch;
    clone.spec = { ...clone.spec!, template };
  }
  return clone;
}

// Pod states as the StatefulSet sees them.
export const isCreated = (pod: Pod) => !!pod.status?.phase;
export const isPending = (pod: Pod) => pod.status?.phase === 'Pending';
export const isFailed = (pod: Pod) => pod.status?.phase === 'Failed';
export const isSucceeded = (pod: Pod) => pod.status?.phase === 'Succeeded';
export const isTerminating = (pod: Pod) => !!pod.metadata?.deletionTimestamp;
export const isRunningAndReady = (pod: Pod) => pod.status?.phase === 'Running' && isPodReady(pod);
export const isRunningAndAvailable = (pod: Pod, minReadySeconds: number, now: number) => pod.status?.phase === 'Running' && isPodAvailable(pod, minReadySeconds, now);
export const isHealthy = (pod: Pod) => isRunningAndReady(pod) && !isTerminating(pod);

/** OrderedReady creates and deletes one pod at a time; Parallel bursts. */
export const allowsBurst = (set: StatefulSet) => set.spec?.podManagementPolicy === 'Parallel';

/** Descending ordinal: scale-down order. */
export const descendingOrdinal = (a: Pod, b: Pod) => getOrdinal(b) - getOrdinal(a);
