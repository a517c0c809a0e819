// Label and field selection of objects for list and watch (upstream storage.SelectionPredicate):
// parses `labelSelector` / `fieldSelector`, refuses field labels the type does not support with
// upstream's `field label not supported: x`, and matches objects.
import type { ResourceType } from '../api/resource-type.js';
import type { KubeObject } from '../machinery/object.js';
import { badRequest } from '../machinery/errors.js';
import { parseLabelSelector, type Selector } from '../machinery/labels.js';
import { parseFieldSelector, type FieldSelector } from '../machinery/fields.js';

export interface Predicate {
  label: Selector;
  field: FieldSelector | undefined;
  /** True when no selector restricts the result. */
  everything: boolean;
  matches(obj: KubeObject): boolean;
}

const supportedCache = new WeakMap<ResourceType, Set<string>>();

/** The field labels a type supports: metadata.name/namespace plus whatever its fieldSelectors returns. */
export function supportedFields(rt: ResourceType): Set<string> {
  let s = supportedCache.get(rt);
  if (!s) {
    s = new Set(['metadata.name', 'metadata.namespace']);
    if (rt.fieldSelectors) {
      try {
        const probe = { metadata: {}, spec: {}, status: {} } as KubeObject;
        for (const k of Object.keys(rt.fieldSelectors(probe))) s.add(k);
      } catch {
        // A hook that cannot handle the empty probe still supports its fields; they show up per object.
      }
    }
    supportedCache.set(rt, s);
  }
  return s;
}

export function objectFields(rt: ResourceType, obj: KubeObject): Record<string, string | undefined> {
  const md = obj.metadata ?? {};
  const out: Record<string, string | undefined> = { 'metadata.name': md.name ?? '' };
  if (rt.namespaced) out['metadata.namespace'] = md.namespace ?? '';
  else out['metadata.namespace'] = '';
  if (rt.fieldSelectors) Object.assign(out, rt.fieldSelectors(obj));
  return out;
}

export function buildPredicate(rt: ResourceType, labelSelector: string | null, fieldSelector: string | null): Predicate {
  const label = parseLabelSelector(labelSelector ?? '');
  let field: FieldSelector | undefined;
  if (fieldSelector) {
    field = parseFieldSelector(fieldSelector);
    const supported = supportedFields(rt);
    for (const r of field.requirements) {
      const name = r.field;
      if (!supported.has(name)) throw badRequest(`field label not supported: ${name}`);
    }
    if (field.requirements.length === 0) field = undefined;
  }
  const everything = label.empty() && !field;
  return {
    label,
    field,
    everything,
    matches(obj: KubeObject): boolean {
      if (everything) return true;
      if (!label.matches(obj.metadata?.labels)) return false;
      if (field && !field.matches(objectFields(rt, obj))) return false;
      return true;
    },
  };
}

/** The name a field selector pins (metadata.name=x), used to narrow reads. */
export function pinnedName(p: Predicate): string | undefined {
  for (const r of p.field?.requirements ?? []) {
    if (r.field === 'metadata.name' && r.operator === '=') return r.value;
  }
  return undefined;
}
