// Rollout progress (upstream pkg/controller/deployment/progress.go): after each step the Progressing
// condition says what happened — ReplicaSetUpdated while pods move (its lastUpdateTime restarting
// the progress deadline), NewReplicaSetAvailable once complete, ProgressDeadlineExceeded when nothing
// moved for progressDeadlineSeconds — and a Deployment with nothing new to report is looked at again
// when its deadline would pass.
import type { Deployment, DeploymentCondition, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { done, requeueAfter, type Result } from '../runner.js';
import {
  deploymentComplete, deploymentProgressing, deploymentTimedOut, getDeploymentCondition, newDeploymentCondition, PROGRESSING, Reasons,
  removeDeploymentCondition, REPLICA_FAILURE, setDeploymentCondition,
} from './conditions.js';
import { updateDeploymentStatus, type SyncContext } from './context.js';
import { calculateStatus, omitZeros, statusEqual } from './sync.js';
import { hasProgressDeadline } from './util.js';

/** getReplicaFailures: a ReplicaFailure condition of the new RS (else of an old one) surfaces on the Deployment. */
function replicaFailure(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, nowMs: number): DeploymentCondition | undefined {
  const ordered = [newRS, ...allRSs.filter((rs) => rs !== newRS)];
  for (const rs of ordered) {
    const c = rs?.status?.conditions?.find((x) => x.type === REPLICA_FAILURE);
    if (c) return { ...newDeploymentCondition(REPLICA_FAILURE, c.status as 'True' | 'False' | 'Unknown', c.reason ?? '', c.message ?? '', nowMs), lastTransitionTime: c.lastTransitionTime };
  }
  return undefined;
}

/** syncRolloutStatus: status plus the Progressing condition; requeues a stuck Deployment at its deadline. */
export async function syncRolloutStatus(c: SyncContext, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<Result> {
  const now = c.now();
  const newStatus = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeDeploymentCondition(newStatus, PROGRESSING);
  const currentCond = getDeploymentCondition(d.status, PROGRESSING);
  const isComplete = (newStatus.replicas ?? 0) === (newStatus.updatedReplicas ?? 0) && currentCond?.reason === Reasons.newRSAvailable;
  if (hasProgressDeadline(d) && !isComplete) {
    const name = newRS?.metadata?.name;
    if (deploymentComplete(d, newStatus)) {
      const msg = name ? `ReplicaSet "${name}" has successfully progressed.` : '';
      setDeploymentCondition(newStatus, newDeploymentCondition(PROGRESSING, 'True', Reasons.newRSAvailable, msg, now));
    } else if (deploymentProgressing(d, newStatus)) {
      const msg = name ? `ReplicaSet "${name}" is progressing.` : '';
      const cond = newDeploymentCondition(PROGRESSING, 'True', Reasons.rsUpdated, msg, now);
      // Progress refreshes lastUpdateTime (the deadline restarts) but keeps the transition time.
      if (currentCond?.status === 'True') cond.lastTransitionTime = currentCond.lastTransitionTime;
      removeDeploymentCondition(newStatus, PROGRESSING);
      setDeploymentCondition(newStatus, cond);
    } else if (deploymentTimedOut(d, newStatus, now)) {
      const msg = name ? `ReplicaSet "${name}" has timed out progressing.` : '';
      setDeploymentCondition(newStatus, newDeploymentCondition(PROGRESSING, 'False', Reasons.timedOut, msg, now));
    }
  }
  const failure = replicaFailure(allRSs, newRS, now);
  if (failure) setDeploymentCondition(newStatus, failure);
  else removeDeploymentCondition(newStatus, REPLICA_FAILURE);

  if (statusEqual(d.status, newStatus)) return requeueStuckDeployment(d, newStatus, now);
  d.status = omitZeros(newStatus);
  await updateDeploymentStatus(c, d);
  return done;
}

/** requeueStuckDeployment: look again just after the progress deadline of a rollout still under way. */
export function requeueStuckDeployment(d: Deployment, newStatus: Deployment['status'] & object, nowMs: number): Result {
  const cond = getDeploymentCondition(d.status, PROGRESSING);
  if (!hasProgressDeadline(d) || !cond) return done;
  if (deploymentComplete(d, newStatus) || cond.reason === Reasons.timedOut) return done;
  const from = Date.parse(cond.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return done;
  const after = from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - nowMs;
  // Upstream adds a second so the deadline has surely passed when the sync runs; closer than a
  // second it retries rate-limited — here just past the deadline, so the key does not spin.
  return requeueAfter(after < 1000 ? Math.max(after, 0) + 100 : after + 1000);
}
