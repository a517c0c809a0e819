// Which ReplicaSet is "new" and which revision each carries (upstream deployment_util.go:
// EqualIgnoreHash, FindNewReplicaSet, FindOldReplicaSets, Revision/MaxRevision,
// SetNewReplicaSetAnnotations, SetDeploymentRevision). A ReplicaSet is the Deployment's new one when
// its pod template equals the Deployment's, ignoring the pod-template-hash label; its
// deployment.kubernetes.io/revision annotation orders rollouts, and `kubectl rollout history/undo`
// read exactly these annotations.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { deepCopy } from '../../machinery/object.js';
import { semanticEqual } from '../../machinery/equality.js';
import {
  byCreation, DEFAULT_UNIQUE_LABEL_KEY, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, maxSurge, replicasOf,
  REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION,
} from './util.js';

/** Upstream caps revision-history at 2000 characters, dropping the oldest entries. */
export const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;

/** Annotations of a Deployment that are about the Deployment itself and never copied to its RSs. */
const SKIP_COPY = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

export { semanticEqual };

/** EqualIgnoreHash: templates equal once the pod-template-hash label is dropped from both. */
export function equalIgnoreHash(t1: PodTemplateSpec | undefined, t2: PodTemplateSpec | undefined): boolean {
  const strip = (t: PodTemplateSpec | undefined) => {
    const c = deepCopy(t ?? {});
    if (c.metadata?.labels) delete c.metadata.labels[DEFAULT_UNIQUE_LABEL_KEY];
    return c;
  };
  return semanticEqual(strip(t1), strip(t2));
}

/** FindNewReplicaSet: the oldest RS whose template matches (several can after a hash collision). */
export function findNewReplicaSet(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** FindOldReplicaSets: [old RSs that still want pods, every old RS]. */
export function findOldReplicaSets(d: Deployment, rsList: readonly ReplicaSet[]): { requiredRSs: ReplicaSet[]; allOldRSs: ReplicaSet[] } {
  const newRS = findNewReplicaSet(d, rsList);
  const allOldRSs = rsList.filter((rs) => !newRS || rs.metadata?.uid !== newRS.metadata?.uid);
  return { requiredRSs: allOldRSs.filter((rs) => replicasOf(rs) !== 0), allOldRSs };
}

/** Revision(rs): its revision annotation as a number (0 when absent, NaN when garbled). */
export function revisionOf(obj: { metadata?: { annotations?: Record<string, string> } }): number {
  const v = obj.metadata?.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  return /^\d+$/.test(v) ? Number(v) : NaN;
}

export function maxRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (!Number.isNaN(v) && v > max) max = v;
  }
  return max;
}

/** ReplicaSetsByRevision: lowest revision first (ties by creation), for history clean-up. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revisionOf(a) || 0;
  const rb = revisionOf(b) || 0;
  return ra - rb || byCreation(a, b);
}

function copyDeploymentAnnotationsToReplicaSet(d: Deployment, rs: ReplicaSet): boolean {
  const ann = ((rs.metadata ??= {}).annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    // kubernetes.io/change-cause travels this way, which is what `rollout history` shows per revision.
    if (SKIP_COPY.has(k) || ann[k] === v) continue;
    ann[k] = v;
    changed = true;
  }
  return changed;
}

/** SetReplicasAnnotations: records the Deployment's size (and size+surge) the RS was sized for. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const ann = ((rs.metadata ??= {}).annotations ??= {});
  let updated = false;
  if (ann[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    ann[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    updated = true;
  }
  if (ann[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    ann[MAX_REPLICAS_ANNOTATION] = String(max);
    updated = true;
  }
  return updated;
}

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the RS's revision to
 * `newRevision` (an RS brought back by `rollout undo` goes from 1 to 3 and remembers "1" in
 * revision-history), and for a freshly built RS records desired/max replicas. Returns whether
 * anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: string, exists: boolean, maxHistoryChars = MAX_REV_HISTORY_LENGTH_IN_CHARS): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, rs);
  const ann = rs.metadata!.annotations!;
  const oldRevision = ann[REVISION_ANNOTATION] ?? '';
  let oldRevisionInt = 0;
  if (oldRevision !== '') {
    if (!/^\d+$/.test(oldRevision)) return false;
    oldRevisionInt = Number(oldRevision);
  }
  if (!/^\d+$/.test(newRevision)) return false;
  const newRevisionInt = Number(newRevision);
  if (oldRevisionInt < newRevisionInt) {
    ann[REVISION_ANNOTATION] = newRevision;
    changed = true;
  }
  if (oldRevision !== '' && oldRevisionInt < newRevisionInt) {
    const history = ann[REVISION_HISTORY_ANNOTATION] ?? '';
    let old = history.split(',');
    if (old[0] === '') {
      ann[REVISION_HISTORY_ANNOTATION] = oldRevision;
    } else {
      let total = history.length + oldRevision.length + 1;
      let start = 0;
      while (total > maxHistoryChars && start < old.length) {
        total -= old[start].length + 1;
        start++;
      }
      if (total <= maxHistoryChars) {
        old = [...old.slice(start), oldRevision];
        ann[REVISION_HISTORY_ANNOTATION] = old.join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** SetDeploymentRevision: the Deployment carries the revision of its new RS. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const ann = ((d.metadata ??= {}).annotations ??= {});
  if (ann[REVISION_ANNOTATION] === revision) return false;
  ann[REVISION_ANNOTATION] = revision;
  return true;
}
