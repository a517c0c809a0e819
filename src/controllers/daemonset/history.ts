// A DaemonSet's ControllerRevisions (upstream pkg/controller/daemon/update.go constructHistory,
// snapshot, dedupCurHistories, cleanupHistory): the revision whose data equals the current template
// is "current" (created with the next revision number if missing, renumbered to the newest if an old
// template came back, as `kubectl rollout undo` does); its controller-revision-hash label is the hash
// stamped on new pods. Old revisions beyond revisionHistoryLimit go, except those pods still run.
import type { ControllerRevision, DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeClient } from '../../client/http-client.js';
import { canonicalJson, hashControllerRevision, newControllerRevision, nextRevision, sortRevisions, templatePatch, type ControllerHistory } from '../shared/controller-history.js';
import { HASH_LABEL } from './rolling-update.js';

const PODS = { group: '', version: 'v1', resource: 'pods' } as const;
const DAEMONSETS = { group: 'apps', version: 'v1', resource: 'daemonsets' } as const;

export interface DaemonSetHistory {
  cur: ControllerRevision;
  old: ControllerRevision[];
  hash: string;
}

/** Upstream Match: the revision stores exactly the current template. */
export function matchesTemplate(ds: DaemonSet, rev: ControllerRevision): boolean {
  return canonicalJson(rev.data) === canonicalJson(templatePatch(ds.spec?.template));
}

export async function constructHistory(client: KubeClient, history: ControllerHistory, ds: DaemonSet, podsOf: () => Pod[]): Promise<DaemonSetHistory> {
  const ns = ds.metadata?.namespace;
  const all = await history.listControllerRevisions(ds, 'apps/v1', 'DaemonSet', ds.spec?.selector ?? {});
  const current: ControllerRevision[] = [];
  const old: ControllerRevision[] = [];
  for (let rev of all) {
    if (!rev.metadata?.labels?.[HASH_LABEL]) {
      // Older revisions may lack the label: the name stands in for the hash (as upstream).
      rev = await client.patch<ControllerRevision>({ ...ref(rev), group: 'apps', version: 'v1', resource: 'controllerrevisions' }, { metadata: { labels: { [HASH_LABEL]: rev.metadata?.name ?? '' } } }, 'merge');
    }
    (matchesTemplate(ds, rev) ? current : old).push(rev);
  }
  const next = nextRevision(old);
  let cur: ControllerRevision;
  if (current.length === 0) {
    const collision = { count: ds.status?.collisionCount ?? 0 };
    const data = templatePatch(ds.spec?.template);
    const rev = newControllerRevision({
      owner: ds,
      ownerApiVersion: 'apps/v1',
      ownerKind: 'DaemonSet',
      templateLabels: ds.spec?.template?.metadata?.labels,
      data,
      revision: next,
      hashLabelKey: HASH_LABEL,
      hash: hashControllerRevision(data, ds.status?.collisionCount),
      annotations: ds.metadata?.annotations,
    });
    cur = await history.createControllerRevision(ds, rev, collision, HASH_LABEL);
    if (collision.count !== (ds.status?.collisionCount ?? 0)) {
      // A hash collision: persist the bumped count so the next hash is stable.
      await client.patch({ ...DAEMONSETS, namespace: ns, name: ds.metadata?.name, subresource: 'status' }, { status: { collisionCount: collision.count } }, 'merge');
    }
  } else {
    cur = await dedupCurrent(client, history, current, podsOf);
    if (cur.revision < next) cur = await history.updateControllerRevision(cur, next);
  }
  return { cur, old, hash: cur.metadata?.labels?.[HASH_LABEL] ?? '' };
}

/** Several revisions hold the current template: keep the newest, move pods onto its hash, drop the rest. */
async function dedupCurrent(client: KubeClient, history: ControllerHistory, current: ControllerRevision[], podsOf: () => Pod[]): Promise<ControllerRevision> {
  if (current.length === 1) return current[0];
  const sorted = sortRevisions(current);
  const keep = sorted[sorted.length - 1];
  const keepHash = keep.metadata?.labels?.[HASH_LABEL] ?? '';
  for (const dup of sorted.slice(0, -1)) {
    const dupHash = dup.metadata?.labels?.[HASH_LABEL];
    for (const p of podsOf()) {
      if (p.metadata?.labels?.[HASH_LABEL] !== dupHash) continue;
      await client.patch({ ...PODS, ...ref(p) }, { metadata: { labels: { [HASH_LABEL]: keepHash } } }, 'merge').catch(() => undefined);
    }
    await history.deleteControllerRevision(dup);
  }
  return keep;
}

/** Upstream cleanupHistory: delete the oldest non-live old revisions beyond revisionHistoryLimit. */
export async function cleanupHistory(history: ControllerHistory, ds: DaemonSet, old: readonly ControllerRevision[], pods: readonly Pod[]): Promise<void> {
  const limit = ds.spec?.revisionHistoryLimit ?? 10;
  let toKill = old.length - limit;
  if (toKill <= 0) return;
  const live = new Set(pods.map((p) => p.metadata?.labels?.[HASH_LABEL]).filter((h): h is string => !!h));
  for (const rev of sortRevisions(old)) {
    if (toKill <= 0) break;
    if (live.has(rev.metadata?.labels?.[HASH_LABEL] ?? '')) continue;
    await history.deleteControllerRevision(rev);
    toKill--;
  }
}

function ref(o: { metadata?: { namespace?: string; name?: string } }): { namespace?: string; name?: string } {
  return { namespace: o.metadata?.namespace, name: o.metadata?.name };
}
