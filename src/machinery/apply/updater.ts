// The ownership bookkeeping shared by Apply and Update, after structured-merge-diff's merge.Updater:
// `transfer` compares the old and new object and takes every added or modified field away from the
// other managers (refusing with conflicts unless forced), and drops removed fields from everyone;
// `prune` removes what an applier applied last time but no longer applies, unless someone owns it.
import type { SchemaNode } from '../schema-node.js';
import { type Conflict, ConflictList } from './conflicts.js';
import type { FieldSet } from './fieldset.js';
import type { Managers } from './managed.js';
import { compare, type Comparison, ensureNamedFieldsAreMembers, removeItems, toFieldSet } from './walk.js';

/** Moves ownership of what changed between `oldObj` and `newObj` to `self` (structured-merge-diff update()).
 *  Mutates `managers`; throws ConflictList when other managers own changed fields and not `force`. */
export function transfer(
  oldObj: unknown,
  newObj: unknown,
  managers: Managers,
  self: string,
  force: boolean,
  ignored: FieldSet,
  schema: SchemaNode | undefined,
): Comparison {
  const raw = compare(oldObj, newObj, schema);
  const cmp: Comparison = {
    added: raw.added.recursiveDifference(ignored),
    modified: raw.modified.recursiveDifference(ignored),
    removed: raw.removed.recursiveDifference(ignored),
  };
  const changed = cmp.modified.union(cmp.added);
  const conflicts: Conflict[] = [];
  const taken = new Map<string, FieldSet>();
  for (const [id, entry] of managers) {
    if (id === self) continue;
    const c = entry.set.intersection(changed);
    if (c.empty()) continue;
    taken.set(id, c);
    for (const path of c.paths()) conflicts.push({ id, entry, path });
  }
  if (!force && conflicts.length > 0) throw new ConflictList(conflicts);
  for (const [id, entry] of managers) {
    if (id === self) continue;
    entry.set = entry.set.difference(taken.get(id)).difference(cmp.removed);
  }
  for (const [id, entry] of managers) if (entry.set.empty()) managers.delete(id);
  return cmp;
}

/** Drops fields in `lastSet` (the applier's previous Apply set) that no manager owns any more
 *  (structured-merge-diff prune + addBackOwnedItems + addBackDanglingItems). */
export function prune(merged: unknown, managers: Managers, lastSet: FieldSet | undefined, schema: SchemaNode | undefined): unknown {
  if (!lastSet || lastSet.empty()) return merged;
  const ensure = (s: FieldSet) => ensureNamedFieldsAreMembers(s, schema);
  const last = ensure(lastSet);
  const mergedSet = ensure(toFieldSet(merged, schema));
  const pruned1 = removeItems(merged, last, schema);
  let managed: FieldSet | undefined;
  for (const e of managers.values()) managed = managed ? managed.union(e.set) : e.set;
  const owned = managed ? ensure(managed) : undefined;
  const kept = ensure(toFieldSet(pruned1, schema));
  const pruned2 = removeItems(merged, mergedSet.difference(owned ? kept.union(owned) : kept), schema);
  const kept2 = ensure(toFieldSet(pruned2, schema));
  return removeItems(merged, mergedSet.difference(kept2).intersection(last), schema);
}
