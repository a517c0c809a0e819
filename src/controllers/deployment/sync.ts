// The parts of a Deployment sync shared by every strategy (upstream pkg/controller/deployment/sync.go):
// scaling ReplicaSets (with the ScalingReplicaSet events), proportional scaling when the Deployment
// is resized mid-rollout, the paused-deployment sync, revision-history clean-up, and computing the
// status (counts from the ReplicaSets, the Available condition).
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { isStatusError } from '../../machinery/errors.js';
import { deepCopy } from '../../machinery/object.js';
import { AVAILABLE, getDeploymentCondition, newDeploymentCondition, PROGRESSING, Reasons, setDeploymentCondition } from './conditions.js';
import { asDeployment, RS_RESOURCE, updateDeploymentStatus, updateReplicaSet, type SyncContext } from './context.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replica-set.js';
import { byRevision, semanticEqual, setReplicasAnnotations } from './revisions.js';
import {
  activeReplicaSets, actualReplicaCount, availableReplicaCount, byCreation, bySizeNewer, bySizeOlder, desiredReplicasAnnotation, getProportion,
  hasProgressDeadline, isRollingUpdate, isSaturated, maxSurge, maxUnavailable, maxReplicasAnnotation, readyReplicaCount, replicasOf, specReplicaCount,
} from './util.js';

/** scaleReplicaSet: sets replicas and the desired/max annotations; an event when the size changed. */
export async function scaleReplicaSet(c: SyncContext, rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  const oldScale = replicasOf(rs);
  const sizeNeedsUpdate = oldScale !== newScale;
  const desired = replicasOf(d);
  const max = desired + maxSurge(d);
  const annotationsNeedUpdate = desiredReplicasAnnotation(rs) !== desired || maxReplicasAnnotation(rs) !== max;
  if (!sizeNeedsUpdate && !annotationsNeedUpdate) return { scaled: false, rs };
  const rsCopy = deepCopy(rs);
  rsCopy.spec = { ...rsCopy.spec!, replicas: newScale };
  setReplicasAnnotations(rsCopy, desired, max);
  const updated = await updateReplicaSet(c, rsCopy);
  if (sizeNeedsUpdate) {
    const op = oldScale < newScale ? 'up' : 'down';
    c.recorder.event(asDeployment(d), 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata?.name} from ${oldScale} to ${newScale}`);
  }
  return { scaled: sizeNeedsUpdate, rs: updated };
}

export async function scaleReplicaSetAndRecordEvent(c: SyncContext, rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  if (replicasOf(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(c, rs, newScale, d);
}

/** FindActiveOrLatest: the one RS with pods, or the newest if none has any; undefined if several do. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/**
 * scale: a resize of the Deployment. With one active RS it simply follows; mid-rollout the change is
 * spread proportionally: 10 replicas (surge 3) split 8 old / 5 new, resized to 15 (surge 4): 6 more
 * pods allowed, old gets round(8*19/13)-8 = +4, new the remaining +2 (leftovers go to the largest).
 */
export async function scale(c: SyncContext, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (replicasOf(activeOrLatest) === replicasOf(d)) return;
    await scaleReplicaSetAndRecordEvent(c, activeOrLatest, replicasOf(d), d);
    return;
  }
  // The new RS is saturated: whatever old RSs still have can go.
  if (isSaturated(d, newRS)) {
    for (const old of activeReplicaSets(oldRSs)) await scaleReplicaSetAndRecordEvent(c, old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const allRSs = activeReplicaSets([...oldRSs, newRS]);
  const allRSsReplicas = specReplicaCount(allRSs);
  const allowedSize = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowedSize - allRSsReplicas;
  if (toAdd > 0) allRSs.sort(bySizeNewer);
  else if (toAdd < 0) allRSs.sort(bySizeOlder);
  let added = 0;
  const nameToSize = new Map<string, number>();
  for (const rs of allRSs) {
    const name = rs.metadata?.name ?? '';
    if (toAdd !== 0) {
      const proportion = getProportion(rs, d, toAdd, added);
      nameToSize.set(name, replicasOf(rs) + proportion);
      added += proportion;
    } else {
      nameToSize.set(name, replicasOf(rs));
    }
  }
  if (toAdd !== 0 && allRSs.length > 0) {
    const first = allRSs[0].metadata?.name ?? '';
    nameToSize.set(first, Math.max(0, nameToSize.get(first)! + toAdd - added));
  }
  for (const rs of allRSs) await scaleReplicaSet(c, rs, nameToSize.get(rs.metadata?.name ?? '')!, d);
}

/** sync: for paused Deployments and resizes — scale, clean up history (paused only), status. */
export async function sync(c: SyncContext, d: Deployment, rsList: readonly ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(c, d, rsList, false);
  await scale(c, d, newRS, oldRSs);
  if (d.spec?.paused) await cleanupDeployment(c, oldRSs, d);
  await syncDeploymentStatus(c, [...oldRSs, newRS], newRS, d);
}

/** isScalingEvent: an active RS was sized for a different spec.replicas than the Deployment has now. */
export async function isScalingEvent(c: SyncContext, d: Deployment, rsList: readonly ReplicaSet[]): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(c, d, rsList, false);
  for (const rs of activeReplicaSets([...oldRSs, newRS])) {
    const desired = desiredReplicasAnnotation(rs);
    if (desired !== undefined && desired !== replicasOf(d)) return true;
  }
  return false;
}

/** checkPausedConditions: Progressing=Unknown DeploymentPaused while paused, DeploymentResumed after. */
export async function checkPausedConditions(c: SyncContext, d: Deployment): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const status = (d.status ??= {});
  const cond = getDeploymentCondition(status, PROGRESSING);
  if (cond?.reason === Reasons.timedOut) return; // a timed-out rollout stays so, paused or not
  const pausedCondExists = cond?.reason === Reasons.paused;
  if (d.spec?.paused && !pausedCondExists) {
    setDeploymentCondition(status, newDeploymentCondition(PROGRESSING, 'Unknown', Reasons.paused, 'Deployment is paused', c.now()));
  } else if (!d.spec?.paused && pausedCondExists) {
    setDeploymentCondition(status, newDeploymentCondition(PROGRESSING, 'Unknown', Reasons.resumed, 'Deployment is resumed', c.now()));
  } else {
    return;
  }
  await updateDeploymentStatus(c, d);
}

/** cleanupDeployment: deletes the oldest idle old RSs beyond revisionHistoryLimit. */
export async function cleanupDeployment(c: SyncContext, oldRSs: readonly ReplicaSet[], d: Deployment): Promise<void> {
  const limit = d.spec?.revisionHistoryLimit;
  if (limit === undefined || limit === null) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp).sort(byRevision);
  const diff = cleanable.length - limit;
  for (let i = 0; i < diff; i++) {
    const rs = cleanable[i];
    // Only RSs that have no pods and whose status caught up with their spec.
    if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    try {
      await c.client.delete({ ...RS_RESOURCE, namespace: rs.metadata?.namespace, name: rs.metadata?.name }, { preconditions: { uid: rs.metadata?.uid } });
    } catch (e) {
      if (!isStatusError(e) || (e.code !== 404 && e.code !== 409)) throw e;
    }
  }
}

/** calculateStatus: counts summed over the RSs, observedGeneration, the Available condition. */
export function calculateStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const unavailable = Math.max(0, specReplicaCount(allRSs) - available);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: unavailable,
    collisionCount: d.status?.collisionCount,
    conditions: (d.status?.conditions ?? []).map((x) => ({ ...x })),
  };
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setDeploymentCondition(status, newDeploymentCondition(AVAILABLE, 'True', Reasons.minimumReplicasAvailable, 'Deployment has minimum availability.', nowMs));
  } else {
    setDeploymentCondition(status, newDeploymentCondition(AVAILABLE, 'False', Reasons.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', nowMs));
  }
  return omitZeros(status);
}

/** As Go's omitempty: zero counts are not written, so a stored status compares equal to a computed one. */
export function omitZeros(s: DeploymentStatus): DeploymentStatus {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (v !== undefined && v !== 0 && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  return out as DeploymentStatus;
}

export const statusEqual = (a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean => semanticEqual(omitZeros(a ?? {}), omitZeros(b ?? {}));

/** syncDeploymentStatus: writes the computed status if it differs. */
export async function syncDeploymentStatus(c: SyncContext, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const newStatus = calculateStatus(allRSs, newRS, d, c.now());
  if (statusEqual(d.status, newStatus)) return;
  d.status = newStatus;
  await updateDeploymentStatus(c, d);
}

