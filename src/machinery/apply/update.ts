// Field ownership for ordinary writes (create, update, the three patch types), as upstream's
// FieldManager.Update + managedFieldsUpdater: the writer silently takes every field it added or
// changed (other managers lose them, removed fields leave everyone), its entry's time moves only when
// it took something, managers left owning nothing disappear, and Update entries are capped at 10.
import type { KubeObject } from '../object.js';
import type { SchemaNode } from '../schema-node.js';
import { decodeManaged, capUpdateManagers, identity, ignoredFields, type Managers, rfc3339, setManagedFields, stripMeta } from './managed.js';
import { transfer } from './updater.js';

export interface UpdateOptions {
  old: KubeObject | undefined;
  updated: KubeObject;
  manager: string;
  schema: SchemaNode | undefined;
  apiVersion: string;
  subresource?: string;
  now: Date;
}

/** A manager key no real entry can have, standing for "this write" while ownership is recomputed. */
const CURRENT = '\u0000current-operation';

export function recordUpdate(o: UpdateOptions): void {
  // The walks only read: copying the top level and metadata (to drop managedFields) is enough.
  const oldObj: KubeObject = o.old ? withoutMetaCopy(o.old) : {};
  const newObj: KubeObject = withoutMetaCopy(o.updated);
  // A client may set managedFields itself (e.g. to reset them with [{}]); subresources may not.
  let managers: Managers | undefined;
  const sent = o.updated.metadata?.managedFields;
  if (!o.subresource && Array.isArray(sent) && sent.length > 0) managers = decodeManaged(o.updated);
  if (!managers || managers.size === 0) managers = decodeManaged(o.old) ?? new Map();
  if (oldObj.metadata) delete oldObj.metadata.managedFields;
  if (newObj.metadata) delete newObj.metadata.managedFields;

  const ignored = ignoredFields(o.subresource);
  const cmp = transfer(oldObj, newObj, managers, CURRENT, true, ignored, o.schema);
  const took = stripMeta(cmp.modified.union(cmp.added));
  if (!took.empty()) {
    const self = identity({ manager: o.manager, operation: 'Update', apiVersion: o.apiVersion, subresource: o.subresource });
    const prev = managers.get(self);
    managers.set(self, {
      manager: o.manager,
      operation: 'Update',
      apiVersion: o.apiVersion,
      ...(o.subresource ? { subresource: o.subresource } : {}),
      time: rfc3339(o.now),
      set: prev ? took.union(prev.set) : took,
    });
  }
  capUpdateManagers(managers);
  setManagedFields(o.updated, managers);
}

function withoutMetaCopy(obj: KubeObject): KubeObject {
  return obj.metadata ? { ...obj, metadata: { ...obj.metadata } } : { ...obj };
}

/** Upstream's default manager from a User-Agent: the part before the first '/', printable
 *  characters only, at most 128 bytes ("kubectl/v1.31.0 (linux/amd64) …" → "kubectl"). */
export function managerFromUserAgent(ua: string | undefined): string {
  const head = (ua ?? '').split('/')[0] ?? '';
  let out = '';
  let bytes = 0;
  for (const ch of head) {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) continue;
    const n = Buffer.byteLength(ch);
    if (bytes + n > 128) break;
    out += ch;
    bytes += n;
  }
  return out;
}
