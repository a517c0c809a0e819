// Entry point of per-kind validation (upstream pkg/apis/<group>/validation). getValidator always
// returns a validator: kinds without specific rules still get ObjectMeta validation.
import type { KubeObject } from '../../machinery/object.js';
import type { FieldError } from '../../machinery/field-errors.js';

export interface Validator {
  validate(obj: KubeObject): FieldError[];
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
}

// Placeholder until the validation rules land: accepts everything.
export function getValidator(_group: string, _kind: string): Validator {
  return { validate: () => [], validateUpdate: () => [] };
}
