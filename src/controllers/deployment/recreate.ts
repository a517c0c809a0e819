// The Recreate strategy (upstream pkg/controller/deployment/recreate.go): scale every old
// ReplicaSet to zero, wait until none of their pods is left running (terminating pods count), and
// only then create and scale up the new ReplicaSet — old and new pods never run together.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Result } from '../runner.js';
import { deploymentComplete } from './conditions.js';
import type { SyncContext } from './context.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replica-set.js';
import { syncRolloutStatus } from './progress.js';
import { cleanupDeployment, scaleReplicaSetAndRecordEvent } from './sync.js';
import { activeReplicaSets, actualReplicaCount, replicasOf } from './util.js';

/** Pods of the Deployment grouped by the UID of the ReplicaSet controlling them. */
export type PodMap = Map<string, Pod[]>;

export async function rolloutRecreate(c: SyncContext, d: Deployment, rsList: readonly ReplicaSet[], podMap: PodMap): Promise<Result> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(c, d, rsList, false);
  let allRSs = [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs)) {
    if ((await scaleReplicaSetAndRecordEvent(c, rs, 0, d)).scaled) scaledDown = true;
  }
  if (scaledDown) return syncRolloutStatus(c, allRSs, newRS, d);
  // Wait for every old pod to be gone; the pod-deletion handler brings us back.
  if (oldPodsRunning(newRS, oldRSs, podMap)) return syncRolloutStatus(c, allRSs, newRS, d);
  if (!newRS) {
    ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(c, d, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  if (newRS) await scaleReplicaSetAndRecordEvent(c, newRS, replicasOf(d), d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(c, oldRSs, d);
  return syncRolloutStatus(c, allRSs, newRS, d);
}

/** oldPodsRunning: an old RS still reports pods, or one of its pods is not terminal yet. */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], podMap: PodMap): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata?.uid === uid) continue;
    for (const p of pods) {
      if (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}
