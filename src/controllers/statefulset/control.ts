// One StatefulSet sync (upstream pkg/controller/statefulset/stateful_set_control.go): resolve the
// current and update revisions, bring the pods to the wanted shape in ordinal order, write status,
// and trim the revision history. The pod work itself is in replicas.ts; this file owns revisions
// and status.
import type { ControllerRevision, StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeClient } from '../../client/http-client.js';
import { isStatusError } from '../../machinery/errors.js';
import { ControllerHistory, equalRevision, findEqualRevisions, nextRevision, sortRevisions } from '../shared/controller-history.js';
import type { StatefulPodControl } from './pod-control.js';
import { updateReplicas } from './replicas.js';
import { API_VERSION, KIND, getPodRevision, newRevision } from './utils.js';

const STATEFULSETS = { group: 'apps', version: 'v1', resource: 'statefulsets' } as const;

export interface SetRevisions {
  currentRevision: ControllerRevision;
  updateRevision: ControllerRevision;
  collisionCount: number;
}

export class StatefulSetControl {
  constructor(
    private readonly client: Pick<KubeClient, 'get' | 'update'>,
    private readonly history: ControllerHistory,
    private readonly podControl: StatefulPodControl,
    private readonly now: () => number,
  ) {}

  /** Syncs pods and status; returns the status written (or that would have been). */
  async updateStatefulSet(set: StatefulSet, pods: Pod[]): Promise<StatefulSetStatus> {
    const revisions = sortRevisions(await this.history.listControllerRevisions(set, API_VERSION, KIND, set.spec?.selector ?? {}));
    const { currentRevision, updateRevision, collisionCount } = await this.getStatefulSetRevisions(set, revisions);
    const { status, error } = await updateReplicas({ set, pods, currentRevision, updateRevision, collisionCount, podControl: this.podControl, now: this.now() });
    // The status is written even when the pod work failed half-way, so it never lags what happened.
    await this.updateStatefulSetStatus(set, status);
    if (error) throw error;
    await this.truncateHistory(set, pods, revisions, currentRevision, updateRevision);
    return status;
  }

  /**
   * The update revision is the set's template now: the newest revision if equal, an older equal one
   * renumbered as newest (a rollback), or a new revision. The current revision is the one status
   * names, or the update revision when the set is new.
   */
  async getStatefulSetRevisions(set: StatefulSet, revisions: ControllerRevision[]): Promise<SetRevisions> {
    const collision = { count: set.status?.collisionCount ?? 0 };
    let updateRevision = newRevision(set, nextRevision(revisions), collision.count);
    const equal = findEqualRevisions(revisions, updateRevision);
    const latest = revisions[revisions.length - 1];
    if (equal.length && equalRevision(latest, equal[equal.length - 1])) {
      updateRevision = latest;
    } else if (equal.length) {
      updateRevision = await this.history.updateControllerRevision(equal[equal.length - 1], updateRevision.revision);
    } else {
      updateRevision = await this.history.createControllerRevision(set, updateRevision, collision);
    }
    const currentRevision = revisions.find((r) => r.metadata?.name === set.status?.currentRevision) ?? updateRevision;
    return { currentRevision, updateRevision, collisionCount: collision.count };
  }

  /** Finishes a rolling update when every pod is updated and ready, then writes status if it changed. */
  async updateStatefulSetStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void> {
    if (set.spec?.updateStrategy?.type === 'RollingUpdate' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
      status.currentReplicas = status.updatedReplicas;
      status.currentRevision = status.updateRevision;
    }
    if (!inconsistentStatus(set, status)) return;
    let latest = set;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.update<StatefulSet>({ ...STATEFULSETS, namespace: set.metadata?.namespace, name: set.metadata?.name, subresource: 'status' }, { ...latest, apiVersion: API_VERSION, kind: KIND, status: wireStatus(status, latest.status) });
        return;
      } catch (e) {
        if (!(isStatusError(e) && e.code === 409) || attempt >= 3) throw e;
        latest = await this.client.get<StatefulSet>({ ...STATEFULSETS, namespace: set.metadata?.namespace, name: set.metadata?.name });
      }
    }
  }

  /** Keeps revisionHistoryLimit old revisions beyond the live ones (current, update, and any a pod runs). */
  async truncateHistory(set: StatefulSet, pods: Pod[], revisions: ControllerRevision[], current: ControllerRevision, update: ControllerRevision): Promise<void> {
    const live = new Set<string>([current.metadata?.name ?? '', update.metadata?.name ?? '']);
    for (const p of pods) live.add(getPodRevision(p));
    await this.history.truncateHistory(revisions, live, set.spec?.revisionHistoryLimit ?? 10);
  }
}

const FIELDS = ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration', 'currentRevision', 'updateRevision', 'collisionCount'] as const;

/** True when the computed status differs from the stored one in a field the controller owns. */
export function inconsistentStatus(set: StatefulSet, status: StatefulSetStatus): boolean {
  const old = set.status ?? { replicas: 0 };
  const norm = (v: string | number | undefined) => (v === undefined || v === 0 || v === '' ? null : v);
  return FIELDS.some((f) => norm(old[f]) !== norm(status[f]));
}

/** As Go serializes it: omitempty counters left out when zero; conditions kept. */
function wireStatus(status: StatefulSetStatus, old: StatefulSetStatus | undefined): StatefulSetStatus {
  const out: StatefulSetStatus = { replicas: status.replicas };
  for (const f of FIELDS) {
    const v = status[f];
    if (f !== 'replicas' && v !== undefined && v !== 0 && v !== '') (out as unknown as Record<string, unknown>)[f] = v;
  }
  if (status.collisionCount !== undefined) out.collisionCount = status.collisionCount;
  if (old?.conditions) out.conditions = old.conditions;
  return out;
}
