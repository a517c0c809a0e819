// Finding or creating the Deployment's new ReplicaSet (upstream sync.go getAllReplicaSetsAndSyncRevision
// and getNewReplicaSet). The new RS is named `<deployment>-<pod-template-hash>`, so creating it twice
// is impossible: AlreadyExists either means our own RS (the cache was behind) or a hash collision,
// which bumps status.collisionCount so the next sync hashes to another name.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { isStatusError } from '../../machinery/errors.js';
import { deepCopy } from '../../machinery/object.js';
import { getControllerOf, newControllerRef } from '../shared/owner-refs.js';
import { getDeploymentCondition, newDeploymentCondition, PROGRESSING, Reasons, setDeploymentCondition } from './conditions.js';
import { asDeployment, RS_RESOURCE, updateDeploymentStatus, updateReplicaSet, type SyncContext } from './context.js';
import { computeHash } from './hash.js';
import { equalIgnoreHash, findNewReplicaSet, findOldReplicaSets, maxRevision, setDeploymentRevision, setNewReplicaSetAnnotations } from './revisions.js';
import { DEFAULT_UNIQUE_LABEL_KEY, hasProgressDeadline, newRSNewReplicas, REVISION_ANNOTATION } from './util.js';

export interface AllReplicaSets {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

/**
 * Every old RS, and the new RS (created when asked and missing). Syncs the revision: the new RS gets
 * max(old revisions)+1 and the Deployment carries it in its revision annotation.
 */
export async function getAllReplicaSetsAndSyncRevision(c: SyncContext, d: Deployment, rsList: readonly ReplicaSet[], createIfNotExisted: boolean): Promise<AllReplicaSets> {
  const { allOldRSs } = findOldReplicaSets(d, rsList);
  const newRS = await getNewReplicaSet(c, d, rsList, allOldRSs, createIfNotExisted);
  return { newRS, oldRSs: allOldRSs };
}

async function getNewReplicaSet(c: SyncContext, d: Deployment, rsList: readonly ReplicaSet[], oldRSs: ReplicaSet[], createIfNotExisted: boolean): Promise<ReplicaSet | undefined> {
  const existing = findNewReplicaSet(d, rsList);
  const newRevision = String(maxRevision(oldRSs) + 1);
  const status = (d.status ??= {});

  if (existing) {
    const rsCopy = deepCopy(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
    const minReadySecondsNeedsUpdate = (rsCopy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
    if (annotationsUpdated || minReadySecondsNeedsUpdate) {
      rsCopy.spec = { ...rsCopy.spec!, minReadySeconds: d.spec?.minReadySeconds };
      return updateReplicaSet(c, rsCopy);
    }
    let needsUpdate = setDeploymentRevision(d, rsCopy.metadata?.annotations?.[REVISION_ANNOTATION] ?? '');
    if (hasProgressDeadline(d) && !getDeploymentCondition(status, PROGRESSING)) {
      const msg = `Found new replica set "${rsCopy.metadata?.name}"`;
      setDeploymentCondition(status, newDeploymentCondition(PROGRESSING, 'True', Reasons.foundNewRS, msg, c.now()));
      needsUpdate = true;
    }
    if (needsUpdate) await updateDeploymentStatus(c, d);
    return rsCopy;
  }
  if (!createIfNotExisted) return undefined;

  // The new RS: the template with pod-template-hash added to its labels, its selector and its name.
  const template = deepCopy(d.spec!.template);
  const hash = computeHash(template, status.collisionCount);
  const labels = { ...(template.metadata?.labels ?? {}), [DEFAULT_UNIQUE_LABEL_KEY]: hash };
  template.metadata = { ...template.metadata, labels };
  const selector = deepCopy(d.spec!.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [DEFAULT_UNIQUE_LABEL_KEY]: hash };
  const newRS: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata?.name}-${hash}`,
      namespace: d.metadata?.namespace,
      ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
      labels: { ...labels },
    },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds, selector, template },
  };
  const newReplicasCount = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
  newRS.spec!.replicas = newReplicasCount;
  setNewReplicaSetAnnotations(d, newRS, newRevision, false);

  let created: ReplicaSet;
  let alreadyExists = false;
  try {
    created = await c.client.create<ReplicaSet>({ ...RS_RESOURCE, namespace: d.metadata?.namespace }, newRS);
  } catch (e) {
    if (isStatusError(e) && e.code === 409) {
      alreadyExists = true;
      const rs = await c.client.get<ReplicaSet>({ ...RS_RESOURCE, namespace: d.metadata?.namespace, name: newRS.metadata!.name });
      const ref = getControllerOf(rs);
      // Ours after all (the cache had not seen it): carry on with it.
      if (ref?.uid === d.metadata?.uid && equalIgnoreHash(d.spec?.template, rs.spec?.template)) {
        created = rs;
      } else {
        // A hash collision: bump collisionCount so the next sync computes another name.
        status.collisionCount = (status.collisionCount ?? 0) + 1;
        await updateDeploymentStatus(c, d);
        throw e;
      }
    } else if (isStatusError(e) && e.code === 403 && /being terminated/.test(e.message)) {
      throw e;
    } else {
      const msg = `Failed to create new replica set "${newRS.metadata!.name}": ${e instanceof Error ? e.message : String(e)}`;
      if (hasProgressDeadline(d)) {
        setDeploymentCondition(status, newDeploymentCondition(PROGRESSING, 'False', Reasons.failedRSCreate, msg, c.now()));
        await updateDeploymentStatus(c, d).catch(() => undefined);
      }
      c.recorder.event(asDeployment(d), 'Warning', Reasons.failedRSCreate, msg);
      throw e;
    }
  }
  if (!alreadyExists && newReplicasCount > 0) {
    c.recorder.event(asDeployment(d), 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata?.name} from 0 to ${newReplicasCount}`);
  }
  let needsUpdate = setDeploymentRevision(d, newRevision);
  if (!alreadyExists && hasProgressDeadline(d)) {
    const msg = `Created new replica set "${created.metadata?.name}"`;
    setDeploymentCondition(status, newDeploymentCondition(PROGRESSING, 'True', Reasons.newRSNewReplicas, msg, c.now()));
    needsUpdate = true;
  }
  if (needsUpdate) await updateDeploymentStatus(c, d);
  return created;
}
