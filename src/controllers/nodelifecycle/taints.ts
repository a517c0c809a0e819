// Which taints the node lifecycle controller keeps on a node (upstream node_lifecycle_controller.go
// doNoScheduleTaintingPass + processTaintBaseEviction) and when a pod on a NoExecute-tainted node
// must go (upstream tainteviction/taint_eviction.go getMatchingTolerations + getMinTolerationTime).
import type { Node, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { toleratesTaint } from '../../scheduler/plugins/taint-toleration/tolerations.js';

export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** upstream nodeConditionToTaintKeyStatusMap: condition type → status → NoSchedule taint key. */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};
const NO_SCHEDULE_KEYS = new Set([...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)), TAINT_UNSCHEDULABLE]);
const NO_EXECUTE_KEYS = new Set([TAINT_UNREACHABLE, TAINT_NOT_READY]);

/** The NoSchedule taint keys a node's conditions (and spec.unschedulable) call for. */
export function noScheduleKeys(node: Node): string[] {
  const keys: string[] = [];
  for (const c of node.status?.conditions ?? []) {
    const k = CONDITION_TAINTS[c.type]?.[c.status];
    if (k) keys.push(k);
  }
  if (node.spec?.unschedulable) keys.push(TAINT_UNSCHEDULABLE);
  return keys;
}

/** The NoExecute taint key for a Ready status (none while Ready, or while every node is down). */
export function noExecuteKey(readyStatus: string | undefined, disrupted: boolean): string | undefined {
  if (disrupted) return undefined;
  if (readyStatus === 'False') return TAINT_NOT_READY;
  if (readyStatus === 'Unknown') return TAINT_UNREACHABLE;
  return undefined;
}

/**
 * The node's taints with the controller-managed ones made to match; other taints are untouched.
 * Undefined when nothing changes. New NoExecute taints carry timeAdded (upstream does the same).
 */
export function reconcileTaints(current: Taint[] | undefined, noExecute: string | undefined, noSchedule: string[], now: number): Taint[] | undefined {
  const cur = current ?? [];
  const want = new Set(noSchedule);
  const keep = cur.filter((t) => {
    if (t.effect === 'NoSchedule' && NO_SCHEDULE_KEYS.has(t.key)) return want.has(t.key);
    if (t.effect === 'NoExecute' && NO_EXECUTE_KEYS.has(t.key)) return t.key === noExecute;
    return true;
  });
  const add: Taint[] = [];
  for (const k of want) if (!keep.some((t) => t.key === k && t.effect === 'NoSchedule')) add.push({ key: k, effect: 'NoSchedule' });
  if (noExecute && !keep.some((t) => t.key === noExecute && t.effect === 'NoExecute')) {
    add.push({ key: noExecute, effect: 'NoExecute', timeAdded: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z') });
  }
  if (add.length === 0 && keep.length === cur.length) return undefined;
  return [...keep, ...add];
}

/**
 * How long a pod may stay on a node with these NoExecute taints: 0 = evict now (some taint is not
 * tolerated, or a matching toleration has tolerationSeconds ≤ 0), -1 = forever, else seconds — the
 * smallest tolerationSeconds among the first toleration matching each taint.
 */
export function tolerationSeconds(taints: Taint[], tolerations: Toleration[] | undefined): number {
  if (taints.length === 0) return -1;
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = (tolerations ?? []).find((x) => toleratesTaint(x, taint));
    if (!t) return 0;
    used.push(t);
  }
  let min = Infinity;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min;
}

export function noExecuteTaints(node: Node | undefined): Taint[] {
  return (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
}

