// policy/v1 PodDisruptionBudget validation as upstream pkg/apis/policy/validation: at most one of
// minAvailable/maxUnavailable, each a non-negative int or a percent ≤ 100%, a valid selector and a
// supported unhealthyPodEvictionPolicy. The spec is mutable.
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { GoValue, invalid, notSupported, type FieldError } from '../../machinery/field-errors.js';
import { validateLabelSelector } from './labels.js';
import { as, type KindRules } from './rules.js';
import { isNotMoreThan100Percent, validatePositiveIntOrPercent } from './workload-template.js';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

function validatePdb(pdb: PodDisruptionBudget): FieldError[] {
  const spec = pdb.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errs.push(invalid('spec', new GoValue('policy.PodDisruptionBudgetSpec{…}'), 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const f of ['minAvailable', 'maxUnavailable'] as const) {
    if (spec[f] === undefined) continue;
    errs.push(...validatePositiveIntOrPercent(spec[f], `spec.${f}`));
    errs.push(...isNotMoreThan100Percent(spec[f], `spec.${f}`));
  }
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const p = spec.unhealthyPodEvictionPolicy;
  if (p && !EVICTION_POLICIES.includes(p)) errs.push(notSupported('spec.unhealthyPodEvictionPolicy', p, EVICTION_POLICIES));
  return errs;
}

export const policyRules: Record<string, KindRules> = {
  'policy/PodDisruptionBudget': { validate: (o) => validatePdb(as(o)) },
};
