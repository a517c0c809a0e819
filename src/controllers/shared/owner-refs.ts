// Controller references (upstream pkg/controller/controller_ref_manager.go): a workload controller
// owns the pods (or ReplicaSets, PVCs…) whose ownerReferences name it with controller: true. It adopts
// orphans that match its selector and releases what no longer matches, both by patching
// ownerReferences with the object's UID as precondition, so two controllers never fight over one pod
// and a controller being deleted adopts nothing.
import type { LabelSelector, OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeClient, ResourceRef } from '../../client/http-client.js';
import type { MetaObject } from '../../client/store.js';
import { isStatusError } from '../../machinery/errors.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';

export function getControllerOf(obj: MetaObject): OwnerReference | undefined {
  return (obj.metadata?.ownerReferences ?? []).find((r) => r.controller === true);
}

export function isControlledBy(obj: MetaObject, owner: MetaObject): boolean {
  const ref = getControllerOf(obj);
  return !!ref && ref.uid === owner.metadata?.uid;
}

/** The ownerReference a controller puts on what it creates (blockOwnerDeletion, as upstream). */
export function newControllerRef(owner: MetaObject, apiVersion: string, kind: string): OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export interface ClaimOptions<T extends MetaObject> {
  client: Pick<KubeClient, 'patch'>;
  owner: MetaObject;
  ownerApiVersion: string;
  ownerKind: string;
  selector: LabelSelector;
  /** Resource of the candidates, for the adopt/release patches. */
  resource: Pick<ResourceRef, 'group' | 'version' | 'resource'>;
  /** Candidates: usually every object of the kind in the owner's namespace (from an informer). */
  candidates: readonly T[];
  /** Extra filter for adoption (e.g. pods that are not terminal); default: everything matching. */
  canAdopt?(obj: T): boolean;
}

/**
 * Returns the objects the owner controls after adopting matching orphans and releasing controlled
 * objects that stopped matching. Objects that vanished or changed owner meanwhile are left out.
 */
export async function claimObjects<T extends MetaObject>(o: ClaimOptions<T>): Promise<T[]> {
  const ownerUid = o.owner.metadata?.uid ?? '';
  const owned: T[] = [];
  const ownerDeleting = !!o.owner.metadata?.deletionTimestamp;
  const selector = selectorFromLabelSelector(o.selector);
  for (const obj of o.candidates) {
    const ref = getControllerOf(obj);
    const matches = selector.matches(obj.metadata?.labels);
    const target: ResourceRef = { ...o.resource, namespace: obj.metadata?.namespace, name: obj.metadata?.name };
    if (ref) {
      if (ref.uid !== ownerUid) continue;
      if (matches) {
        owned.push(obj);
        continue;
      }
      if (ownerDeleting) continue;
      // Release: drop our reference (strategic merge delete-by-uid via a JSON-patch-free merge of the list).
      const refs = (obj.metadata?.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
      await ignoreGone(o.client.patch(target, { metadata: { ownerReferences: refs, uid: obj.metadata?.uid } }, 'merge'));
      continue;
    }
    if (!matches || ownerDeleting || obj.metadata?.deletionTimestamp) continue;
    if (o.canAdopt && !o.canAdopt(obj)) continue;
    const refs = [...(obj.metadata?.ownerReferences ?? []), newControllerRef(o.owner, o.ownerApiVersion, o.ownerKind)];
    try {
      const adopted = await o.client.patch<T>(target, { metadata: { ownerReferences: refs, uid: obj.metadata?.uid } }, 'merge');
      owned.push(adopted);
    } catch (e) {
      if (!isGone(e)) throw e;
    }
  }
  return owned;
}

function isGone(e: unknown): boolean {
  return isStatusError(e) && (e.code === 404 || e.code === 409 || e.code === 422);
}
async function ignoreGone(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!isGone(e)) throw e;
  }
}
