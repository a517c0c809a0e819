// Small pure helpers of the generic store: the resource reference used in error messages, which
// types track metadata.generation (as upstream strategies do), whether a write changed the spec, and
// whether a write changed anything at all (upstream skips no-op updates: no new resourceVersion).
import type { ResourceType } from '../api/resource-type.js';
import type { ResourceRef } from '../machinery/errors.js';
import type { KubeObject } from '../machinery/object.js';

export function ref(rt: ResourceType): ResourceRef {
  return { group: rt.group, resource: rt.plural, kind: rt.kind };
}

// Kinds whose upstream strategy sets generation = 1 on create and bumps it on spec changes.
const GENERATION_KINDS = new Set([
  'apps/Deployment',
  'apps/ReplicaSet',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'batch/Job',
  'batch/CronJob',
  '/ReplicationController',
  'policy/PodDisruptionBudget',
  'networking.k8s.io/NetworkPolicy',
  'networking.k8s.io/Ingress',
  'networking.k8s.io/IngressClass',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'resource.k8s.io/ResourceClaim',
]);

export function usesGeneration(rt: ResourceType): boolean {
  return rt.generationFields !== undefined || GENERATION_KINDS.has(`${rt.group}/${rt.kind}`);
}

function specPart(rt: ResourceType, obj: KubeObject): string {
  if (rt.generationFields) {
    const o: Record<string, unknown> = {};
    for (const f of rt.generationFields) o[f] = obj[f];
    return stableStringify(o);
  }
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return stableStringify(rest);
}

export function specChanged(rt: ResourceType, obj: KubeObject, old: KubeObject): boolean {
  return specPart(rt, obj) !== specPart(rt, old);
}

/** Equal apart from resourceVersion and managedFields timestamps. */
export function sameIgnoringVolatile(a: KubeObject, b: KubeObject): boolean {
  return stableStringify(strip(a)) === stableStringify(strip(b));
}

function strip(o: KubeObject): unknown {
  const md = { ...(o.metadata ?? {}) };
  delete md.resourceVersion;
  if (md.managedFields) md.managedFields = md.managedFields.map(({ time: _t, ...rest }) => rest);
  return { ...o, metadata: md };
}

export function stableStringify(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`;
}

/** ObjectMeta without kubernetes-types' readonly markers: the store is what sets system fields. */
export type MutableMeta = { -readonly [K in keyof import('kubernetes-types/meta/v1.js').ObjectMeta]: import('kubernetes-types/meta/v1.js').ObjectMeta[K] };

export function metaOf(obj: KubeObject): MutableMeta {
  return (obj.metadata ??= {}) as MutableMeta;
}
