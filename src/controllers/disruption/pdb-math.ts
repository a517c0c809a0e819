// The arithmetic of a PodDisruptionBudget's status (upstream pkg/controller/disruption/disruption.go:
// getExpectedPodCount, buildDisruptedPodMap, countHealthyPods, updatePdbStatus) as pure functions, so
// the controller only gathers pods and controller scales and writes what these return.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';

/** How long an eviction's entry in status.disruptedPods is trusted (upstream DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60_000;

/**
 * Upstream intstr.GetScaledValueFromIntOrPercent: an int is itself; "N%" is N% of total, rounded up
 * or down. Anything else is an error.
 */
export function scaledValue(v: number | string, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** The scale of each controller owning selected pods, by controller UID (undefined = not found). */
export type ScaleLookup = (pod: Pod) => { uid: string; replicas: number } | undefined | 'unmanaged';

export interface Expected {
  expectedCount: number;
  desiredHealthy: number;
  /** Names of selected pods without a controller (only reported when the scale was needed). */
  unmanagedPods: string[];
}

/**
 * Upstream getExpectedScale: the sum of the scales of the pods' controllers, each counted once.
 * Pods without a controller are unmanaged and not counted. A controller whose scale cannot be
 * found (upstream fails the sync with "found no controllers for pod") counts its selected pods.
 */
export function expectedScale(pods: Pod[], lookup: ScaleLookup): { expectedCount: number; unmanagedPods: string[] } {
  const scales = new Map<string, number>();
  const unmanagedPods: string[] = [];
  let fallback = 0;
  for (const pod of pods) {
    const s = lookup(pod);
    if (s === 'unmanaged') unmanagedPods.push(pod.metadata?.name ?? '');
    else if (s === undefined) fallback++;
    else if (!scales.has(s.uid)) scales.set(s.uid, s.replicas);
  }
  let expectedCount = fallback;
  for (const n of scales.values()) expectedCount += n;
  return { expectedCount, unmanagedPods };
}

/** Upstream getExpectedPodCount: expectedPods and desiredHealthy from minAvailable / maxUnavailable. */
export function expectedPodCount(pdb: PodDisruptionBudget, pods: Pod[], lookup: ScaleLookup): Expected {
  const spec = pdb.spec ?? {};
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const { expectedCount, unmanagedPods } = expectedScale(pods, lookup);
    const maxUnavailable = scaledValue(spec.maxUnavailable, expectedCount, true);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - maxUnavailable), unmanagedPods };
  }
  if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanagedPods: [] };
    const { expectedCount, unmanagedPods } = expectedScale(pods, lookup);
    return { expectedCount, desiredHealthy: scaledValue(spec.minAvailable, expectedCount, true), unmanagedPods };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}

/**
 * Upstream buildDisruptedPodMap: entries of status.disruptedPods for pods that still exist, are not
 * yet being deleted and whose eviction is younger than DELETION_TIMEOUT. Returns when to look again
 * (the earliest expiry) and the pods whose deletion never came.
 */
export function buildDisruptedPodMap(pods: Pod[], pdb: PodDisruptionBudget, nowMs: number): { disrupted: Record<string, string>; recheckAtMs?: number; notDeleted: Pod[] } {
  const prev = pdb.status?.disruptedPods ?? {};
  const disrupted: Record<string, string> = {};
  const notDeleted: Pod[] = [];
  let recheckAtMs: number | undefined;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const name = pod.metadata?.name ?? '';
    const at = prev[name];
    if (at === undefined) continue;
    const expected = Date.parse(at) + DELETION_TIMEOUT_MS;
    if (expected < nowMs) notDeleted.push(pod);
    else {
      if (recheckAtMs === undefined || expected < recheckAtMs) recheckAtMs = expected;
      disrupted[name] = at;
    }
  }
  return { disrupted, recheckAtMs, notDeleted };
}

const isReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Upstream countHealthyPods: Ready pods not being deleted and not about to be (a recent eviction). */
export function countHealthyPods(pods: Pod[], disrupted: Record<string, string>, nowMs: number): number {
  let n = 0;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const at = disrupted[pod.metadata?.name ?? ''];
    if (at !== undefined && Date.parse(at) + DELETION_TIMEOUT_MS > nowMs) continue;
    if (isReady(pod)) n++;
  }
  return n;
}

/**
 * Upstream updatePdbStatus's numbers: disruptionsAllowed = currentHealthy - desiredHealthy, but 0
 * while no pods are expected (a budget that matched nothing is safe when its first pods appear).
 */
export function disruptionsAllowed(currentHealthy: number, desiredHealthy: number, expectedCount: number): number {
  const d = currentHealthy - desiredHealthy;
  return expectedCount <= 0 || d <= 0 ? 0 : d;
}

/** True when `next` would change nothing upstream compares (so no write is made). */
export function statusUnchanged(pdb: PodDisruptionBudget, next: PodDisruptionBudgetStatus): boolean {
  const s = pdb.status;
  if (!s) return false;
  const same = (a: Record<string, string> | undefined, b: Record<string, string> | undefined) => JSON.stringify(sortKeys(a ?? {})) === JSON.stringify(sortKeys(b ?? {}));
  return (
    s.currentHealthy === next.currentHealthy &&
    s.desiredHealthy === next.desiredHealthy &&
    s.expectedPods === next.expectedPods &&
    s.disruptionsAllowed === next.disruptionsAllowed &&
    (s.observedGeneration ?? 0) === (next.observedGeneration ?? 0) &&
    same(s.disruptedPods, next.disruptedPods) &&
    (s.conditions ?? []).some((c) => c.type === 'DisruptionAllowed')
  );
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
