// Entry point of per-kind validation (upstream pkg/apis/<group>/validation). getValidator always
// returns a validator: kinds without specific rules still get ObjectMeta validation. validate() is
// upstream's ValidateX (metadata + kind rules); validateUpdate() is ValidateXUpdate (metadata update
// rules + the kind's create rules on the new object + immutability), called instead of validate().
import type { KubeObject } from '../../machinery/object.js';
import type { FieldError } from '../../machinery/field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './metadata.js';
import { nameIsDNSSubdomain } from './names.js';
import type { KindRules } from './rules.js';
import { kindRules } from './kinds.js';

export interface Validator {
  validate(obj: KubeObject): FieldError[];
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
}

function validatorFor(rules: KindRules): Validator {
  const nameFn = rules.nameFn ?? nameIsDNSSubdomain;
  return {
    validate: (obj) => [...validateObjectMeta(obj.metadata, nameFn), ...(rules.validate?.(obj) ?? [])],
    validateUpdate: (obj, old) => [
      ...validateObjectMetaUpdate(obj.metadata, old.metadata),
      ...(rules.updateReplacesCreate ? [] : rules.validate?.(obj) ?? []),
      ...(rules.validateUpdate?.(obj, old) ?? []),
    ],
  };
}

const cache = new Map<string, Validator>();

/** The validator of a kind; `group` is '' for core. Unknown kinds get metadata validation only. */
export function getValidator(group: string, kind: string): Validator {
  const key = `${group}/${kind}`;
  let v = cache.get(key);
  if (!v) {
    v = validatorFor(kindRules[key] ?? {});
    cache.set(key, v);
  }
  return v;
}
