// ReplicaSet / ReplicationController status (upstream pkg/controller/replicaset/replica_set_utils.go):
// counts over the pods the controller owns — replicas (active pods), fullyLabeledReplicas (pods
// carrying every template label), readyReplicas, availableReplicas (ready for minReadySeconds) —
// observedGeneration, and the ReplicaFailure condition while creating or deleting pods fails.
// Both kinds share the status shape, so one calculation serves both.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import { selectorFromSet } from '../../machinery/labels.js';
import { isPodAvailable, isPodReady } from '../shared/pods.js';

export const REPLICA_FAILURE = 'ReplicaFailure';

export interface StatusInput {
  replicas: number;
  minReadySeconds: number;
  generation: number | undefined;
  templateLabels: Record<string, string> | undefined;
  status: ReplicaSetStatus | undefined;
}

/** Upstream calculateStatus; `manageError` is what manageReplicas returned this sync. */
export function calculateStatus(o: StatusInput, pods: readonly Pod[], manageError: unknown, nowMs: number): ReplicaSetStatus {
  const templateSel = selectorFromSet(o.templateLabels);
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    if (templateSel.matches(p.metadata?.labels)) fullyLabeled++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, o.minReadySeconds, nowMs)) available++;
    }
  }
  let conditions: ReplicaSetCondition[] = [...(o.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === REPLICA_FAILURE);
  if (manageError && !failure) {
    const diff = pods.length - o.replicas;
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : undefined;
    conditions.push({
      type: REPLICA_FAILURE,
      status: 'True',
      lastTransitionTime: new Date(nowMs).toISOString().replace(/\.\d+Z$/, 'Z'),
      ...(reason ? { reason } : {}),
      message: manageError instanceof Error ? manageError.message : String(manageError),
    });
  } else if (!manageError && failure) {
    conditions = conditions.filter((c) => c.type !== REPLICA_FAILURE);
  }
  return {
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: o.status?.observedGeneration,
    ...(conditions.length ? { conditions } : {}),
  };
}

/** True when writing `next` would change nothing (upstream's early return in updateReplicaSetStatus). */
export function statusUnchanged(cur: ReplicaSetStatus | undefined, next: ReplicaSetStatus, generation: number | undefined): boolean {
  const c = cur ?? { replicas: 0 };
  return (
    (c.replicas ?? 0) === next.replicas &&
    (c.fullyLabeledReplicas ?? 0) === (next.fullyLabeledReplicas ?? 0) &&
    (c.readyReplicas ?? 0) === (next.readyReplicas ?? 0) &&
    (c.availableReplicas ?? 0) === (next.availableReplicas ?? 0) &&
    (generation === undefined || c.observedGeneration === generation) &&
    JSON.stringify(c.conditions ?? []) === JSON.stringify(next.conditions ?? [])
  );
}
