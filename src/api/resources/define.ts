// Helpers for declaring built-in resource types compactly. `defineResource` fills the parts that
// are the same for almost every type (listKind, storage identity, verbs, no subresources) and wires
// validation from api/validation, so each group file only states what upstream's discovery and
// registry strategy make special about a type.
import type { KubeObject } from '../../machinery/object.js';
import { ALL_VERBS, type GroupVersionKind, type ResourceType, type Subresource, type Verb } from '../resource-type.js';
import { getValidator } from '../validation/index.js';

export type ResourceSpec = Partial<ResourceType> &
  Pick<ResourceType, 'group' | 'version' | 'kind' | 'plural' | 'namespaced'>;

export function defineResource(spec: ResourceSpec): ResourceType {
  const v = getValidator(spec.group, spec.kind);
  const rt: ResourceType = {
    listKind: `${spec.kind}List`,
    singular: spec.kind.toLowerCase(),
    shortNames: [],
    categories: [],
    verbs: [...ALL_VERBS],
    subresources: [],
    storage: { group: spec.group, resource: spec.plural },
    storageVersion: spec.version,
    hasStatus: (spec.subresources ?? []).some((s) => s.name === 'status'),
    validate: (obj) => v.validate(obj),
    validateUpdate: (obj, old) => v.validateUpdate(obj, old),
    ...spec,
  };
  return rt;
}

const GET_PATCH_UPDATE: Verb[] = ['get', 'patch', 'update'];

/** The `status` subresource: returns the parent kind; get/patch/update. */
export function statusSub(self: GroupVersionKind): Subresource {
  return { name: 'status', kind: self, verbs: GET_PATCH_UPDATE };
}

/** The `scale` subresource: autoscaling/v1 Scale; get/patch/update. */
export function scaleSub(): Subresource {
  return { name: 'scale', kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: GET_PATCH_UPDATE };
}

export function sub(name: string, kind: GroupVersionKind, verbs: Verb[]): Subresource {
  return { name, kind, verbs };
}

export function gvk(group: string, version: string, kind: string): GroupVersionKind {
  return { group, version, kind };
}

/**
 * Adapts a hook written against a concrete kubernetes-types interface to the registry's structural
 * KubeObject (kubernetes-types interfaces lack an index signature, so TypeScript will not relate them
 * directly; the objects are the same JSON).
 */
export function hook<T>(fn: (obj: T) => void): (obj: KubeObject) => void {
  return fn as unknown as (obj: KubeObject) => void;
}

export function hook2<T>(fn: (obj: T, old: T) => void): (obj: KubeObject, old: KubeObject) => void {
  return fn as unknown as (obj: KubeObject, old: KubeObject) => void;
}

/** Resets `status` to what upstream's PrepareForCreate leaves (an empty status, plus Go's non-omitempty zeros). */
export function resetStatus(zero: () => Record<string, unknown> = () => ({})): (obj: KubeObject) => void {
  return (obj) => {
    obj.status = zero();
  };
}
