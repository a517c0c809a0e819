// Pod facts every workload controller asks (upstream pkg/api/v1/pod/util.go and
// pkg/controller/controller_utils.go): is a pod active, ready, available for minReadySeconds; and
// how a pod is made from a template with its owner's controller reference.
import type { Pod, PodCondition, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { deepCopy } from '../../machinery/object.js';

/** Not terminal (Succeeded/Failed) and not being deleted: counts toward replicas. */
export function isPodActive(p: Pod): boolean {
  return p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata?.deletionTimestamp;
}

export function isPodTerminal(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

export function podCondition(p: Pod, type: string): PodCondition | undefined {
  return p.status?.conditions?.find((c) => c.type === type);
}

export function isPodReady(p: Pod): boolean {
  return podCondition(p, 'Ready')?.status === 'True';
}

/** Ready for at least minReadySeconds at `nowMs` (upstream podutil.IsPodAvailable). */
export function isPodAvailable(p: Pod, minReadySeconds: number, nowMs: number): boolean {
  const c = podCondition(p, 'Ready');
  if (c?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= nowMs;
}

/**
 * A new pod from a template (upstream GetPodFromTemplate): labels, annotations and spec copied;
 * named by generateName `<prefix>` unless `name` is given; owned by `controllerRef`.
 */
export function podFromTemplate(template: PodTemplateSpec, namespace: string, controllerRef: OwnerReference | undefined, naming: { generateName?: string; name?: string }): Pod {
  const t = deepCopy(template);
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      namespace,
      labels: t.metadata?.labels,
      annotations: t.metadata?.annotations,
      finalizers: t.metadata?.finalizers,
      ...(naming.name ? { name: naming.name } : { generateName: naming.generateName }),
      ...(controllerRef ? { ownerReferences: [controllerRef] } : {}),
    },
    spec: t.spec,
  };
  return pod;
}

/**
 * Upstream's ActivePods sort for scale-down: the pods deleted first come first — unassigned before
 * assigned, pending before unknown before running, not-ready before ready, more restarts first,
 * newer before older.
 */
export function compareForDeletion(a: Pod, b: Pod): number {
  const assigned = (p: Pod) => (p.spec?.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(a) - assigned(b);
  const phaseRank = (p: Pod) => ({ Pending: 0, Unknown: 1, Running: 2 })[p.status?.phase ?? 'Pending'] ?? 0;
  if (phaseRank(a) !== phaseRank(b)) return phaseRank(a) - phaseRank(b);
  const ready = (p: Pod) => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  const restarts = (p: Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const created = (p: Pod) => Date.parse(p.metadata?.creationTimestamp ?? '') || 0;
  return created(b) - created(a);
}
