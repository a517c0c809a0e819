// The pod half of a StatefulSet sync (upstream stateful_set_control.go updateStatefulSet): pods in
// the ordinal range are "replicas", those beyond it are "condemned". Missing replicas are created in
// ordinal order, condemned pods deleted from the highest ordinal down, then pods not at the update
// revision are deleted (and so recreated at it) from the highest ordinal down to the partition.
// Under OrderedReady every step waits until the pods before it are Running and Ready, so with 3
// replicas web-1 is created only after web-0 is Ready, and scale-down to 1 deletes web-2, waits for
// it to be gone, then deletes web-1. Parallel does all creates and deletes of a round at once.
import type { ControllerRevision, StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { StatefulPodControl } from './pod-control.js';
import {
  allowsBurst,
  applyRevision,
  descendingOrdinal,
  getEndOrdinal,
  getOrdinal,
  getPodRevision,
  getStartOrdinal,
  identityMatches,
  isCreated,
  isFailed,
  isHealthy,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  newVersionedStatefulSetPod,
  podInOrdinalRange,
  storageMatches,
} from './utils.js';

/** What a round needs of StatefulPodControl (a fake in unit tests). */
export type PodControl = Pick<
  StatefulPodControl,
  'recorder' | 'createStatefulPod' | 'deleteStatefulPod' | 'updateStatefulPod' | 'createPersistentVolumeClaims' | 'podClaimIsStale' | 'claimsMatchRetentionPolicy' | 'updatePodClaimForRetentionPolicy'
>;

export interface UpdateReplicasInput {
  set: StatefulSet;
  pods: Pod[];
  currentRevision: ControllerRevision;
  updateRevision: ControllerRevision;
  collisionCount: number;
  podControl: PodControl;
  now: number;
}

/** Counts pods the way status reports them (upstream computeReplicaStatus). */
export function computeReplicaStatus(pods: Pod[], minReadySeconds: number, current: string, update: string, now: number) {
  const s = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const pod of pods) {
    if (isCreated(pod)) s.replicas++;
    if (isRunningAndReady(pod)) {
      s.readyReplicas++;
      if (isRunningAndAvailable(pod, minReadySeconds, now)) s.availableReplicas++;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      if (getPodRevision(pod) === current) s.currentReplicas++;
      if (getPodRevision(pod) === update) s.updatedReplicas++;
    }
  }
  return s;
}

/** Does one round of pod work; the status reflects what was done even when a step failed. */
export async function updateReplicas(input: UpdateReplicasInput): Promise<{ status: StatefulSetStatus; error?: unknown }> {
  const { set, pods, currentRevision, updateRevision, podControl, now } = input;
  const current = currentRevision.metadata?.name ?? '';
  const update = updateRevision.metadata?.name ?? '';
  const status: StatefulSetStatus = {
    observedGeneration: set.metadata?.generation,
    currentRevision: current,
    updateRevision: update,
    collisionCount: input.collisionCount,
    ...computeReplicaStatus(pods, set.spec?.minReadySeconds ?? 0, current, update, now),
  };
  try {
    await work(input, status, current, update);
    return { status };
  } catch (error) {
    return { status, error };
  }
}

async function work(input: UpdateReplicasInput, status: StatefulSetStatus, current: string, update: string): Promise<void> {
  const { set, pods, podControl, now } = input;
  const currentSet = applyRevision(set, input.currentRevision);
  const updateSet = applyRevision(set, input.updateRevision);
  const start = getStartOrdinal(set);
  const count = Math.max(0, getEndOrdinal(set) - start + 1);
  const minReady = set.spec?.minReadySeconds ?? 0;
  const replicas: Array<Pod | undefined> = new Array<Pod | undefined>(count).fill(undefined);
  const condemned: Pod[] = [];
  for (const pod of pods) {
    if (podInOrdinalRange(pod, set)) replicas[getOrdinal(pod) - start] = pod;
    else if (getOrdinal(pod) >= 0) condemned.push(pod);
  }
  const fresh = (ord: number) => newVersionedStatefulSetPod(currentSet, updateSet, current, update, ord);
  for (let i = 0; i < count; i++) replicas[i] ??= fresh(start + i);
  condemned.sort(descendingOrdinal);

  // The first unhealthy pod: the one a blocked OrderedReady scale-down may still delete.
  let firstUnhealthy: Pod | undefined;
  for (const p of replicas) if (!isHealthy(p!)) { firstUnhealthy ??= p; }
  for (let i = condemned.length - 1; i >= 0; i--) if (!isHealthy(condemned[i])) firstUnhealthy ??= condemned[i];

  if (set.metadata?.deletionTimestamp) return; // a set being deleted only reports status
  const monotonic = !allowsBurst(set);
  const counted = (pod: Pod, delta: number) => {
    if (getPodRevision(pod) === current) status.currentReplicas = (status.currentReplicas ?? 0) + delta;
    if (getPodRevision(pod) === update) status.updatedReplicas = (status.updatedReplicas ?? 0) + delta;
  };

  // One replica's step; 'stop' ends the round (OrderedReady waits for this pod before going on).
  const processReplica = async (i: number): Promise<'stop' | 'next'> => {
    let pod = replicas[i]!;
    // A pod that ran to an end (evicted, node lost…) is replaced: a StatefulSet's pods never finish.
    if (isFailed(pod) || isSucceeded(pod)) {
      const setRef = { ...set, apiVersion: 'apps/v1', kind: 'StatefulSet' };
      const ns = set.metadata?.namespace ?? '';
      const [name, podName] = [set.metadata?.name ?? '', pod.metadata?.name ?? ''];
      if (isFailed(pod)) podControl.recorder.event(setRef, 'Warning', 'RecreatingFailedPod', `StatefulSet ${ns}/${name} is recreating failed Pod ${podName}`);
      else podControl.recorder.event(setRef, 'Normal', 'RecreatingTerminatedPod', `StatefulSet ${ns}/${name} is recreating terminated Pod ${podName}`);
      await podControl.deleteStatefulPod(set, pod);
      counted(pod, -1);
      status.replicas--;
      // The old pod must be gone before its name can be reused: its DELETED event brings us back.
      return 'stop';
    }
    if (!isCreated(pod)) {
      if (podControl.podClaimIsStale(set, pod)) return 'stop'; // its claim is about to be garbage collected
      await podControl.createStatefulPod(set, pod);
      status.replicas++;
      counted(pod, 1);
      return 'stop'; // OrderedReady: one create per round; the pod's readiness triggers the next
    }
    if (pod.status?.phase === 'Pending') await podControl.createPersistentVolumeClaims(set, pod);
    if (isTerminating(pod) || !isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReady, now)) return 'stop';
    if (identityMatches(set, pod) && storageMatches(set, pod) && podControl.claimsMatchRetentionPolicy(updateSet, pod)) return 'next';
    pod = structuredClone(pod);
    await podControl.updateStatefulPod(updateSet, pod);
    return 'next';
  };
  if (monotonic) {
    for (let i = 0; i < count; i++) if ((await processReplica(i)) === 'stop') return;
  } else {
    await slowStartBatch(count, (i) => processReplica(i));
  }

  // Condemned pods' claims get their scale-down owner before the pod goes (whenScaled=Delete).
  for (const pod of condemned) {
    if (!podControl.claimsMatchRetentionPolicy(updateSet, pod)) await podControl.updatePodClaimForRetentionPolicy(updateSet, pod);
  }

  // Every replica is Running and Ready: scale down, highest ordinal first.
  for (const target of condemned) {
    if (isTerminating(target)) {
      if (monotonic) return;
      continue;
    }
    if (!isRunningAndReady(target) && monotonic && target !== firstUnhealthy) return;
    if (!isRunningAndAvailable(target, minReady, now) && monotonic && target !== firstUnhealthy) return;
    await podControl.deleteStatefulPod(set, target);
    counted(target, -1);
    if (monotonic) return;
  }

  if (set.spec?.updateStrategy?.type === 'OnDelete') return; // pods are updated when a user deletes them

  // Rolling update: delete the highest-ordinal pod not at the update revision, down to the partition,
  // waiting for each recreated pod to be healthy before the next.
  const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  for (let target = count - 1; target >= partition; target--) {
    const pod = replicas[target]!;
    if (getPodRevision(pod) !== update && !isTerminating(pod)) {
      await podControl.deleteStatefulPod(set, pod);
      status.currentReplicas = (status.currentReplicas ?? 0) - 1;
      return;
    }
    if (!isHealthy(pod)) return;
  }
}

/**
 * Runs fn(0..n-1) in batches of 1, 2, 4, … (upstream slowStartBatch): a failing API server sees one
 * request, not 100. Stops after the first batch with a failure and throws its first error.
 */
export async function slowStartBatch(n: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  for (let size = 1; next < n; size *= 2) {
    const batch = Array.from({ length: Math.min(size, n - next) }, (_, k) => next + k);
    next += batch.length;
    const results = await Promise.allSettled(batch.map(fn));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  }
}
