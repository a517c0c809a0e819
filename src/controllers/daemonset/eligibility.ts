// Which nodes a DaemonSet runs on (upstream pkg/controller/daemon/daemon_controller.go
// NodeShouldRunDaemonPod/predicates and pkg/controller/daemon/util/daemonset_util.go): a node is
// eligible when the pod template's nodeName (if any), nodeSelector and required node affinity match
// it and every NoSchedule/NoExecute taint is tolerated — counting the tolerations every daemon pod
// gets automatically, so daemons keep running on not-ready, unreachable, pressured or cordoned nodes.
// A node whose only untolerated taints are NoSchedule keeps the daemon pod it already has.
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Affinity, Node, Pod, PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { deepCopy } from '../../machinery/object.js';
import { matchesRequired } from '../../scheduler/plugins/node-affinity/index.js';
import { findUntoleratedTaint } from '../../scheduler/plugins/taint-toleration/tolerations.js';

/** Upstream AddOrUpdateDaemonPodTolerations: these make a daemon survive node trouble. */
export function daemonPodTolerations(spec: PodSpec): Toleration[] {
  const auto: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (spec.hostNetwork) auto.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return addOrUpdateTolerations(spec.tolerations ?? [], auto);
}

/**
 * Upstream AddOrUpdateTolerationInPodSpec: a toleration with the same key, operator, value and
 * effect as an added one is replaced by it (dropping e.g. a user's tolerationSeconds); others stay.
 */
function addOrUpdateTolerations(existing: Toleration[], add: Toleration[]): Toleration[] {
  const out = existing.map((t) => ({ ...t }));
  for (const a of add) {
    const i = out.findIndex((t) => t.key === a.key && (t.operator ?? 'Equal') === a.operator && (t.value ?? '') === (a.value ?? '') && t.effect === a.effect);
    if (i >= 0) out[i] = { ...a };
    else out.push({ ...a });
  }
  return out;
}

/** Upstream NewPod: the template as a pod on `nodeName`, with the daemon tolerations (for predicates). */
export function newPodForNode(ds: DaemonSet, nodeName: string): Pod {
  const spec = deepCopy(ds.spec?.template?.spec ?? { containers: [] });
  spec.nodeName = nodeName;
  spec.tolerations = daemonPodTolerations(spec);
  return { metadata: { ...deepCopy(ds.spec?.template?.metadata ?? {}), namespace: ds.metadata?.namespace }, spec };
}

// Cached objects are frozen and replaced on every change, so one predicate pod per DaemonSet object
// serves every node of a sync (5,000 nodes would otherwise mean 5,000 template copies per pass).
const predicatePods = new WeakMap<DaemonSet, Pod>();
function predicatePod(ds: DaemonSet): Pod {
  let p = predicatePods.get(ds);
  if (!p) predicatePods.set(ds, (p = newPodForNode(ds, '')));
  return p;
}

export interface ShouldRun {
  /** A daemon pod should be created on the node if missing. */
  shouldRun: boolean;
  /** An existing daemon pod may stay (false → delete it). */
  shouldContinueRunning: boolean;
}

const NO: ShouldRun = { shouldRun: false, shouldContinueRunning: false };

/** Upstream NodeShouldRunDaemonPod. */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): ShouldRun {
  const name = node.metadata?.name ?? '';
  const templateNodeName = ds.spec?.template?.spec?.nodeName;
  if (templateNodeName && templateNodeName !== name) return NO;
  const pod = predicatePod(ds);
  if (!matchesRequired(pod, node)) return NO;
  const taints = node.spec?.taints;
  const untolerated = findUntoleratedTaint(taints, pod.spec?.tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  if (!untolerated) return { shouldRun: true, shouldContinueRunning: true };
  // Scheduled daemon pods keep running unless a NoExecute taint evicts them.
  const noExecute = findUntoleratedTaint(taints, pod.spec?.tolerations, (t) => t.effect === 'NoExecute');
  return { shouldRun: false, shouldContinueRunning: !noExecute };
}

/**
 * Upstream ReplaceDaemonSetPodNodeNameNodeAffinity: the pod's required node affinity becomes the
 * single term `metadata.name In [node]` so the default scheduler places it on exactly that node;
 * preferred terms and pod (anti-)affinity are kept.
 */
export function replaceNodeNameAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const a = deepCopy(affinity ?? {});
  a.nodeAffinity = {
    ...(a.nodeAffinity ?? {}),
    requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] },
  };
  return a;
}

/**
 * Upstream GetTargetNodeName: the node a daemon pod is for — spec.nodeName once bound, before that
 * the single node named by its `metadata.name In [...]` affinity; undefined if neither says.
 */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) {
    for (const f of t.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}
