// The shape of one kind's validation rules, as the registry in index.ts composes them: the kind's name
// rule (upstream's ValidateXName), its create-time rules on everything but metadata (spec, data, …),
// and its update-only rules (immutability, allowed transitions). Upstream's ValidateXUpdate runs
// metadata-update + the create rules on the new object + the update rules; index.ts does the same.
import type { KubeObject } from '../../machinery/object.js';
import type { FieldError } from '../../machinery/field-errors.js';
import type { NameFn } from './names.js';

export interface KindRules {
  nameFn?: NameFn;
  validate?(obj: KubeObject): FieldError[];
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** When set, the update replaces the create rules entirely (e.g. Pod update checks are different). */
  updateReplacesCreate?: boolean;
}

/** Typed view of an API object (validation reads, never writes). */
export const as = <T>(obj: KubeObject): T => obj as unknown as T;
