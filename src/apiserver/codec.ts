// Converts between stored key/values and served objects for one resource type: the served
// apiVersion/kind, resourceVersion = the storage modRevision, and the storage-version conversion hooks
// (events.k8s.io ↔ core events, autoscaling v1 ↔ v2). Stored JSON never carries a resourceVersion.
import type { KeyValue } from '../storage/interface.js';
import { apiVersionOf, type ResourceType } from '../api/resource-type.js';
import { deepCopy, type KubeObject } from '../machinery/object.js';
import type { MutableMeta } from './store-util.js';

export function decodeKV(rt: ResourceType, kv: KeyValue): KubeObject {
  let obj = JSON.parse(kv.value) as KubeObject;
  if (rt.fromStorage) obj = rt.fromStorage(obj);
  return served(rt, obj, kv.modRevision);
}

// Decoded values shared by read-only consumers (watch fan-out, lists rendered as JSON or Table):
// each stored value is parsed once per type while the cache holds it, not once per watcher or list.
// Callers must not mutate what they get.
const shared = new WeakMap<ResourceType, WeakMap<KeyValue, KubeObject>>();

export function decodeShared(rt: ResourceType, kv: KeyValue): KubeObject {
  let m = shared.get(rt);
  if (!m) shared.set(rt, (m = new WeakMap()));
  let obj = m.get(kv);
  if (!obj) m.set(kv, (obj = decodeKV(rt, kv)));
  return obj;
}

function served(rt: ResourceType, obj: KubeObject, rev: number): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  const out: KubeObject = { apiVersion: apiVersionOf(rt), kind: rt.kind, ...rest };
  out.metadata = { ...(out.metadata ?? {}), resourceVersion: String(rev) };
  return out;
}

/**
 * The served JSON of a stored value without parsing it: stored objects start with
 * `{"apiVersion":…,"kind":…,"metadata":{` (encodeObject writes that order), so the resourceVersion is
 * inserted right after the metadata brace. Falls back to decode + stringify for anything else.
 */
export function splicedJson(rt: ResourceType, kv: KeyValue): string {
  const prefix = prefixOf(rt);
  if (kv.value.startsWith(prefix)) {
    const rest = kv.value.slice(prefix.length);
    const rv = `"resourceVersion":${JSON.stringify(String(kv.modRevision))}`;
    return `${prefix}${rv}${rest.startsWith('}') ? '' : ','}${rest}`;
  }
  return JSON.stringify(decodeKV(rt, kv));
}

const prefixes = new WeakMap<ResourceType, string>();
function prefixOf(rt: ResourceType): string {
  let p = prefixes.get(rt);
  if (!p) prefixes.set(rt, (p = `{"apiVersion":${JSON.stringify(apiVersionOf(rt))},"kind":${JSON.stringify(rt.kind)},"metadata":{`));
  return p;
}

export function encodeObject(rt: ResourceType, obj: KubeObject): string {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = obj;
  // Stringifying reads the object only: a copy of the top level and metadata is enough, unless a
  // conversion hook (which may mutate) runs.
  let o: KubeObject = { apiVersion: apiVersionOf(rt), kind: rt.kind, metadata: { ...(metadata ?? {}) }, ...rest };
  delete (o.metadata as MutableMeta).resourceVersion;
  if (rt.toStorage) o = rt.toStorage(deepCopy(o));
  else if (rt.storageVersion !== rt.version) o.apiVersion = apiVersionOf({ group: rt.group, version: rt.storageVersion });
  if (o.metadata) delete (o.metadata as MutableMeta).resourceVersion;
  return JSON.stringify(o);
}

/** The object with a given resourceVersion, e.g. a create's result before/without storage (dry run). */
export function withResourceVersion(obj: KubeObject, rv: string | undefined): KubeObject {
  const out = { ...obj, metadata: { ...(obj.metadata ?? {}) } };
  if (rv === undefined) delete out.metadata.resourceVersion;
  else out.metadata.resourceVersion = rv;
  return out;
}
