// scheduling.k8s.io/v1 PriorityClass validation as upstream pkg/apis/scheduling/validation: `system-`
// names are reserved for the two built-in classes (with their exact values), user classes are capped
// at one billion, and value and preemptionPolicy never change.
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import { forbidden, notSupported, type FieldError } from '../../machinery/field-errors.js';
import { validateImmutable } from './common.js';
import { as, type KindRules } from './rules.js';

const HIGHEST_USER_DEFINABLE_PRIORITY = 1000000000;
const SYSTEM_CLASSES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };

function knownSystemClassError(pc: PriorityClass): string | undefined {
  const name = pc.metadata?.name ?? '';
  const value = SYSTEM_CLASSES[name];
  if (value === undefined) return `${name} is not a known system priority class`;
  if (pc.value !== value) return `value of ${name} PriorityClass must be ${value}`;
  if (pc.globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

function validatePriorityClass(pc: PriorityClass): FieldError[] {
  const errs: FieldError[] = [];
  if ((pc.metadata?.name ?? '').startsWith('system-')) {
    const err = knownSystemClassError(pc);
    if (err) errs.push(forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${err}`));
  } else if (pc.value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  const pp = pc.preemptionPolicy;
  if (pp && pp !== 'Never' && pp !== 'PreemptLowerPriority') errs.push(notSupported('preemptionPolicy', pp, ['Never', 'PreemptLowerPriority']));
  return errs;
}

function validatePriorityClassUpdate(pc: PriorityClass, old: PriorityClass): FieldError[] {
  const errs: FieldError[] = [];
  if (pc.value !== old.value) errs.push(forbidden('value', 'may not be changed in an update.'));
  errs.push(...validateImmutable(pc.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy'));
  return errs;
}

export const schedulingRules: Record<string, KindRules> = {
  'scheduling.k8s.io/PriorityClass': {
    validate: (o) => validatePriorityClass(as(o)),
    validateUpdate: (o, old) => validatePriorityClassUpdate(as(o), as(old)),
    updateReplacesCreate: true,
  },
};
