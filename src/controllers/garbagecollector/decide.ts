// What attemptToDeleteItem does with an object once its owners are classified (upstream
// garbagecollector.go attemptToDeleteItem + classifyReferences): an owner is `solid` (exists and is
// not being deleted in the foreground), `dangling` (absent, or a different object by UID now holds
// the name) or `waiting` (being deleted in the foreground, i.e. waiting for its dependents). Pure, so
// the rules are unit-tested apart from the API calls.
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';

export type OwnerState = 'solid' | 'dangling' | 'waiting';
export type Policy = 'Background' | 'Foreground' | 'Orphan';

export type Decision =
  | { kind: 'keep' }
  /** Some owner remains: only drop the references to absent owners and to owners deleting in the foreground. */
  | { kind: 'removeRefs'; uids: string[] }
  | { kind: 'delete'; policy: Policy };

export interface ItemFacts {
  hasOrphanFinalizer: boolean;
  hasForegroundFinalizer: boolean;
  /** Whether the item itself owns anything (then it is deleted in the foreground for a waiting owner). */
  hasDependents: boolean;
}

export function decide(item: ItemFacts, owners: Array<{ ref: OwnerReference; state: OwnerState }>): Decision {
  if (owners.length === 0) return { kind: 'keep' };
  const solid = owners.filter((o) => o.state === 'solid');
  const dangling = owners.filter((o) => o.state === 'dangling');
  const waiting = owners.filter((o) => o.state === 'waiting');
  if (solid.length > 0) {
    if (dangling.length === 0 && waiting.length === 0) return { kind: 'keep' };
    return { kind: 'removeRefs', uids: [...dangling, ...waiting].map((o) => o.ref.uid) };
  }
  // No owner remains. An owner waiting for us makes us go in the foreground too when we own
  // something, so its blocking wait covers our own dependents.
  if (waiting.length > 0 && item.hasDependents) return { kind: 'delete', policy: 'Foreground' };
  if (item.hasOrphanFinalizer) return { kind: 'delete', policy: 'Orphan' };
  if (item.hasForegroundFinalizer) return { kind: 'delete', policy: 'Foreground' };
  return { kind: 'delete', policy: 'Background' };
}

/** upstream's OwnerRefInvalidNamespace message ("ownerRef [v1/ConfigMap, namespace: a, name: x, uid: …] does not exist in namespace \"b\""). */
export function invalidNamespaceMessage(ref: OwnerReference, ownerNamespace: string, dependentNamespace: string): string {
  return `ownerRef [${ref.apiVersion}/${ref.kind}, namespace: ${ownerNamespace}, name: ${ref.name}, uid: ${ref.uid}] does not exist in namespace "${dependentNamespace}"`;
}
