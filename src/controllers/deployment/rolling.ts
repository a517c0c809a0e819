// The RollingUpdate strategy (upstream pkg/controller/deployment/rolling.go): each sync first grows
// the new ReplicaSet as far as maxSurge allows, else shrinks old ones as far as maxUnavailable
// allows — unhealthy old pods first, since removing them costs no availability — and reports
// progress. Over successive syncs (each triggered by the pods becoming available) the new RS
// climbs to spec.replicas while the old ones drain to zero.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Result } from '../runner.js';
import { deploymentComplete } from './conditions.js';
import type { SyncContext } from './context.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replica-set.js';
import { syncRolloutStatus } from './progress.js';
import { cleanupDeployment, scaleReplicaSetAndRecordEvent } from './sync.js';
import { activeReplicaSets, availableReplicaCount, byCreation, maxUnavailable, newRSNewReplicas, replicasOf, specReplicaCount } from './util.js';

export async function rolloutRolling(c: SyncContext, d: Deployment, rsList: readonly ReplicaSet[]): Promise<Result> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(c, d, rsList, true);
  let allRSs: ReplicaSet[] = [...oldRSs, ...(newRS ? [newRS] : [])];
  const scaledUp = newRS ? await reconcileNewReplicaSet(c, allRSs, newRS, d) : false;
  if (scaledUp) return syncRolloutStatus(c, allRSs, newRS, d);
  const scaledDown = newRS ? await reconcileOldReplicaSets(c, allRSs, activeReplicaSets(oldRSs), newRS, d) : false;
  if (scaledDown) return syncRolloutStatus(c, allRSs, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(c, oldRSs, d);
  allRSs = [...oldRSs, ...(newRS ? [newRS] : [])];
  return syncRolloutStatus(c, allRSs, newRS, d);
}

/** reconcileNewReplicaSet: grow the new RS by what maxSurge allows (or shrink it to spec.replicas). */
export async function reconcileNewReplicaSet(c: SyncContext, allRSs: readonly ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (replicasOf(newRS) === replicasOf(d)) return false;
  if (replicasOf(newRS) > replicasOf(d)) return (await scaleReplicaSetAndRecordEvent(c, newRS, replicasOf(d), d)).scaled;
  const count = newRSNewReplicas(d, allRSs, newRS);
  return (await scaleReplicaSetAndRecordEvent(c, newRS, count, d)).scaled;
}

/**
 * How many old pods may go now. Concrete example (upstream's): 10 replicas, maxUnavailable 2,
 * maxSurge 3 → minAvailable 8; the new RS was scaled to 3 (13 pods in all), none of its pods is
 * available yet: maxScaledDown = 13 - 8 - 3 = 2 — exactly the unavailable budget, so two old pods
 * go even though no new pod is up, and availability never drops below 8.
 */
export function maxOldScaleDown(allRSs: readonly ReplicaSet[], newRS: ReplicaSet, d: Deployment): number {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newRSUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  return specReplicaCount(allRSs) - minAvailable - newRSUnavailable;
}

export async function reconcileOldReplicaSets(c: SyncContext, allRSs: readonly ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (specReplicaCount(oldRSs) === 0) return false;
  const maxScaledDown = maxOldScaleDown(allRSs, newRS, d);
  if (maxScaledDown <= 0) return false;
  // Unhealthy old pods first: removing them does not lower availability.
  const { oldRSs: cleaned, cleanupCount } = await cleanupUnhealthyReplicas(c, oldRSs, d, maxScaledDown);
  const scaledDownCount = await scaleDownOldReplicaSetsForRollingUpdate(c, [...cleaned, newRS], cleaned, d);
  return cleanupCount + scaledDownCount > 0;
}

/** cleanupUnhealthyReplicas: drop not-available old pods, oldest RS first, up to maxCleanupCount. */
export async function cleanupUnhealthyReplicas(c: SyncContext, oldRSs: ReplicaSet[], d: Deployment, maxCleanupCount: number): Promise<{ oldRSs: ReplicaSet[]; cleanupCount: number }> {
  const sorted = [...oldRSs].sort(byCreation);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (total >= maxCleanupCount) break;
    const rs = sorted[i];
    const available = rs.status?.availableReplicas ?? 0;
    if (replicasOf(rs) === 0 || replicasOf(rs) === available) continue;
    const count = Math.min(maxCleanupCount - total, replicasOf(rs) - available);
    const next = replicasOf(rs) - count;
    if (next > replicasOf(rs)) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata?.namespace}/${rs.metadata?.name} ${replicasOf(rs)} -> ${next}`);
    sorted[i] = (await scaleReplicaSetAndRecordEvent(c, rs, next, d)).rs;
    total += count;
  }
  return { oldRSs: sorted, cleanupCount: total };
}

/** scaleDownOldReplicaSetsForRollingUpdate: remove available old pods while availability stays ≥ minAvailable. */
export async function scaleDownOldReplicaSetsForRollingUpdate(c: SyncContext, allRSs: readonly ReplicaSet[], oldRSs: ReplicaSet[], d: Deployment): Promise<number> {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = availableReplicaCount(allRSs);
  if (available <= minAvailable) return 0;
  const totalScaleDown = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= totalScaleDown) break;
    if (replicasOf(rs) === 0) continue;
    const count = Math.min(replicasOf(rs), totalScaleDown - total);
    await scaleReplicaSetAndRecordEvent(c, rs, replicasOf(rs) - count, d);
    total += count;
  }
  return total;
}
