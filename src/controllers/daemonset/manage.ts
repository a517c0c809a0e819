// What the DaemonSet's manage loop should do per node (upstream daemon_controller.go manage,
// podsShouldBeOnNode, getUnscheduledPodsWithoutNode) and its status (updateDaemonSetStatus), as pure
// functions over the caches: create a pod where one should run and none does, delete failed pods
// (with a per-node back-off so a node that keeps failing pods is not hot-looped), delete pods beyond
// one per node, and delete all pods on nodes that no longer qualify.
import type { DaemonSet, DaemonSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { isPodAvailable, isPodReady } from '../shared/pods.js';
import { nodeShouldRunDaemonPod } from './eligibility.js';
import { HASH_LABEL, isPodUpdated, templateGeneration } from './rolling-update.js';

/** Oldest first; among equal times, Running before Pending before others (podByCreationTimestampAndPhase). */
export function byCreationAndPhase(a: Pod, b: Pod): number {
  const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  const rank = (p: Pod) => (p.status?.phase === 'Running' ? 0 : p.status?.phase === 'Pending' ? 1 : 2);
  return rank(a) - rank(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/** flowcontrol.Backoff(1s, 15m) keyed by `<ds uid>/<node>`: how long failed pods on a node wait. */
export class FailedPodsBackoff {
  private readonly entries = new Map<string, { delay: number; last: number }>();
  constructor(private readonly initialMs = 1000, private readonly maxMs = 15 * 60_000) {}

  /** In back-off: the ms still to wait; else undefined. */
  inBackoff(key: string, now: number): number | undefined {
    const e = this.entries.get(key);
    if (!e || now - e.last >= e.delay) return undefined;
    return e.delay - (now - e.last);
  }
  next(key: string, now: number): void {
    const e = this.entries.get(key);
    if (!e || now - e.last > 2 * this.maxMs) this.entries.set(key, { delay: this.initialMs, last: now });
    else this.entries.set(key, { delay: Math.min(e.delay * 2, this.maxMs), last: now });
  }
  /** Drops entries idle for twice the max delay (upstream GC). */
  gc(now: number): void {
    for (const [k, e] of this.entries) if (now - e.last > 2 * this.maxMs) this.entries.delete(k);
  }
}

export interface ManagePlan {
  nodesNeedingPods: string[];
  podsToDelete: string[];
  /** Failed pods about to be deleted, for the FailedDaemonPod warnings. */
  failedPods: { pod: Pod; node: string }[];
  /** Look again after this long (a node's failed pods are in back-off). */
  requeueAfterMs?: number;
}

export function planManage(
  ds: DaemonSet,
  nodes: readonly Node[],
  nodeToDaemonPods: ReadonlyMap<string, readonly Pod[]>,
  hash: string,
  backoff: FailedPodsBackoff,
  now: number,
): ManagePlan {
  const plan: ManagePlan = { nodesNeedingPods: [], podsToDelete: [], failedPods: [] };
  const surge = allowsSurge(ds);
  const names = new Set<string>();
  for (const node of nodes) {
    const name = node.metadata?.name ?? '';
    names.add(name);
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    const pods = nodeToDaemonPods.get(name) ?? [];
    if (shouldRun && pods.length === 0) {
      plan.nodesNeedingPods.push(name);
      continue;
    }
    if (!shouldContinueRunning) {
      for (const p of pods) if (!p.metadata?.deletionTimestamp) plan.podsToDelete.push(p.metadata?.name ?? '');
      continue;
    }
    const running: Pod[] = [];
    for (const p of pods) {
      if (p.metadata?.deletionTimestamp) continue;
      if (p.status?.phase === 'Failed') {
        const key = `${ds.metadata?.uid ?? ''}/${name}`;
        const wait = backoff.inBackoff(key, now);
        if (wait !== undefined) {
          plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, wait);
          continue;
        }
        backoff.next(key, now);
        plan.failedPods.push({ pod: p, node: name });
        plan.podsToDelete.push(p.metadata?.name ?? '');
      } else if (p.status?.phase === 'Succeeded') {
        plan.podsToDelete.push(p.metadata?.name ?? '');
      } else {
        running.push(p);
      }
    }
    if (running.length <= 1) continue;
    running.sort(byCreationAndPhase);
    if (!surge) {
      for (const p of running.slice(1)) plan.podsToDelete.push(p.metadata?.name ?? '');
      continue;
    }
    // With surge, two pods may share a node only while the new one is not ready and the old one is.
    let oldestNew: Pod | undefined;
    let oldestOld: Pod | undefined;
    for (const p of running) {
      if (p.metadata?.labels?.[HASH_LABEL] === hash) {
        if (!oldestNew) {
          oldestNew = p;
          continue;
        }
      } else if (!oldestOld) {
        oldestOld = p;
        continue;
      }
      plan.podsToDelete.push(p.metadata?.name ?? '');
    }
    if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodReady(oldestNew))) plan.podsToDelete.push(oldestOld.metadata?.name ?? '');
  }
  // Pods meant for nodes that no longer exist and never bound (bound ones are pod GC's business).
  for (const [name, pods] of nodeToDaemonPods) {
    if (names.has(name)) continue;
    for (const p of pods) if (!p.spec?.nodeName && !p.metadata?.deletionTimestamp) plan.podsToDelete.push(p.metadata?.name ?? '');
  }
  return plan;
}

export function allowsSurge(ds: DaemonSet): boolean {
  if (ds.spec?.updateStrategy?.type === 'OnDelete') return false;
  const v = ds.spec?.updateStrategy?.rollingUpdate?.maxSurge;
  return v !== undefined && v !== 0 && v !== '0' && v !== '0%';
}

/** Upstream updateDaemonSetStatus's counting (observedGeneration and collisionCount are the caller's). */
export function computeStatus(ds: DaemonSet, nodes: readonly Node[], nodeToDaemonPods: ReadonlyMap<string, readonly Pod[]>, hash: string, now: number): Omit<DaemonSetStatus, 'observedGeneration' | 'collisionCount' | 'conditions'> {
  let desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
  const gen = templateGeneration(ds);
  for (const node of nodes) {
    const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
    const pods = nodeToDaemonPods.get(node.metadata?.name ?? '') ?? [];
    if (!shouldRun) {
      if (pods.length) misscheduled++;
      continue;
    }
    desired++;
    if (!pods.length) continue;
    current++;
    const pod = [...pods].sort(byCreationAndPhase)[0];
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, ds.spec?.minReadySeconds ?? 0, now)) available++;
    }
    if (isPodUpdated(pod, hash, gen)) updated++;
  }
  return {
    desiredNumberScheduled: desired,
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    numberReady: ready,
    numberAvailable: available,
    numberUnavailable: desired - available,
    updatedNumberScheduled: updated,
  };
}
