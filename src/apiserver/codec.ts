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

function served(rt: ResourceType, obj: KubeObject, rev: number): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  const out: KubeObject = { apiVersion: apiVersionOf(rt), kind: rt.kind, ...rest };
  out.metadata = { ...(out.metadata ?? {}), resourceVersion: String(rev) };
  return out;
}

export function encodeObject(rt: ResourceType, obj: KubeObject): string {
  let o = deepCopy(obj);
  o.apiVersion = apiVersionOf(rt);
  o.kind = rt.kind;
  if (o.metadata) delete (o.metadata as MutableMeta).resourceVersion;
  if (rt.toStorage) o = rt.toStorage(o);
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
