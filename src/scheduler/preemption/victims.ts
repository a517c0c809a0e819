// Victim selection on one node, after upstream DefaultPreemption.SelectVictimsOnNode
// (pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go): remove every pod of lower
// priority; if the preemptor still does not fit, the node is no candidate. Otherwise add the removed
// pods back one by one, most important first (higher priority, then earlier start), PDB-violating ones
// before the rest, and keep each that still leaves room: whatever cannot come back is a victim.
// Worked example: a 4-CPU node with pods of priority 0 (1 CPU, 2 CPU) and 10 (1 CPU); a priority-100
// pod asking 2 CPU → all three removed (fits), priority 10 back (3 free → fits), 2-CPU back (1 free →
// no: victim), 1-CPU back (fits) → one victim, the 2-CPU pod.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { newNodeInfo } from '../framework/node-info.js';
import { CycleState, isSuccess, unresolvable, type FilterPlugin, type NodeInfo, type PreContext, type Status } from '../framework/types.js';

export const NO_VICTIMS_MSG = 'No preemption victims found for incoming pod';
const PLUGIN = 'DefaultPreemption';

export const podPriority = (p: Pod) => p.spec?.priority ?? 0;
const startTime = (p: Pod) => Date.parse(p.status?.startTime ?? p.metadata?.creationTimestamp ?? '') || 0;

/** Upstream MoreImportantPod: higher priority first, then the pod that started earlier. */
export function moreImportant(a: Pod, b: Pod): number {
  const d = podPriority(b) - podPriority(a);
  return d !== 0 ? d : startTime(a) - startTime(b);
}

export interface Victims {
  /** Most important first (the first is the highest-priority victim). */
  pods: Pod[];
  numPDBViolations: number;
}

/** Everything filtering needs: the plugins, the cycle's PreFilter state and the snapshot it came from. */
export interface FitContext {
  filters: FilterPlugin[];
  state: CycleState;
  pre: PreContext;
  /** Pods nominated to a node (by a preemption still in progress) that count there. */
  nominated?: (nodeName: string, pod: Pod) => Pod[];
}

/** Plugins whose PreFilter state counts pods: it must be rebuilt when pods leave a node, unless nothing it counts moved. */
function stateDependsOnPods(pod: Pod, removed: Pod[]): boolean {
  const a = pod.spec?.affinity;
  if (a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length) return true;
  if (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length) return true;
  if ((pod.spec?.topologySpreadConstraints ?? []).some((c) => c.whenUnsatisfiable !== 'ScheduleAnyway')) return true;
  return removed.some((p) => (p.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0);
}

/** Runs the filters for `pod` on `ni` (a modified copy of a snapshot node); the first failure, or success. */
export function runFilters(pod: Pod, ni: NodeInfo, fc: FitContext, removed: Pod[] = []): Status | undefined {
  let info = ni;
  const nominated = fc.nominated?.(ni.node.metadata?.name ?? '', pod) ?? [];
  if (nominated.length > 0) info = newNodeInfo(ni.node, [...ni.pods, ...nominated]);
  let state = fc.state;
  if (removed.length > 0 && stateDependsOnPods(pod, removed)) {
    const name = ni.node.metadata?.name;
    state = new CycleState();
    // The affinity lists describe the unmodified snapshot: scan every node instead.
    const pre: PreContext = { nodes: fc.pre.nodes.map((n) => (n.node.metadata?.name === name ? info : n)), namespaceLabels: fc.pre.namespaceLabels };
    for (const f of fc.filters) {
      const s = f.preFilter?.(state, pod, pre);
      if (s && !isSuccess(s)) return s;
    }
  }
  for (const f of fc.filters) {
    const s = f.filter(state, pod, info);
    if (!isSuccess(s)) return s;
  }
  return undefined;
}

/** Upstream filterPodsWithPDBViolation: split pods into those whose eviction would exceed a budget and the rest. */
export function splitByPDB(pods: Pod[], pdbs: PodDisruptionBudget[]): { violating: Pod[]; nonViolating: Pod[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const selectors = pdbs.map((p) => selectorFromLabelSelector(p.spec?.selector));
  const violating: Pod[] = [];
  const nonViolating: Pod[] = [];
  for (const pod of pods) {
    let violated = false;
    const labels = pod.metadata?.labels ?? {};
    if (Object.keys(labels).length > 0) {
      pdbs.forEach((pdb, i) => {
        if (pdb.metadata?.namespace !== pod.metadata?.namespace) return;
        const sel = selectors[i]!;
        // A PDB with an empty selector matches nothing here, as upstream.
        if (sel.empty() || sel.isNothing() || !sel.matches(labels)) return;
        if (pdb.status?.disruptedPods && pod.metadata?.name! in pdb.status.disruptedPods) return;
        allowed[i]!--;
        if (allowed[i]! < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pod);
  }
  return { violating, nonViolating };
}

export function selectVictimsOnNode(pod: Pod, ni: NodeInfo, fc: FitContext, pdbs: PodDisruptionBudget[] = []): { ok: true; victims: Victims } | { ok: false; status: Status } {
  const prio = podPriority(pod);
  const uid = pod.metadata?.uid;
  const potential = ni.pods.filter((p) => podPriority(p) < prio && p.metadata?.uid !== uid);
  if (potential.length === 0) return { ok: false, status: unresolvable(PLUGIN, NO_VICTIMS_MSG) };
  const removedSet = new Set(potential);
  const kept = ni.pods.filter((p) => !removedSet.has(p));
  const fits = (pods: Pod[], removed: Pod[]) => runFilters(pod, newNodeInfo(ni.node, pods), fc, removed);
  const failed = fits(kept, potential);
  if (failed) return { ok: false, status: failed };
  potential.sort(moreImportant);
  const { violating, nonViolating } = splitByPDB(potential, pdbs);
  const victims: Pod[] = [];
  let numPDBViolations = 0;
  const out = new Set(potential);
  const reprieve = (p: Pod): boolean => {
    out.delete(p);
    kept.push(p);
    if (!fits(kept, [...out])) return true;
    kept.pop();
    out.add(p);
    victims.push(p);
    return false;
  };
  for (const p of violating) if (!reprieve(p)) numPDBViolations++;
  for (const p of nonViolating) reprieve(p);
  victims.sort(moreImportant);
  return { ok: true, victims: { pods: victims, numPDBViolations } };
}
