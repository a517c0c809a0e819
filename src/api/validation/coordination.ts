// coordination.k8s.io/v1 Lease validation as upstream pkg/apis/coordination/validation: a positive
// leaseDurationSeconds and non-negative leaseTransitions.
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { invalid, type FieldError } from '../../machinery/field-errors.js';
import { IS_NEGATIVE_MSG } from './common.js';
import { as, type KindRules } from './rules.js';

function validateLease(l: Lease): FieldError[] {
  const errs: FieldError[] = [];
  const d = l.spec?.leaseDurationSeconds;
  if (d !== undefined && d !== null && d <= 0) errs.push(invalid('spec.leaseDurationSeconds', d, 'must be greater than 0'));
  const t = l.spec?.leaseTransitions;
  if (t !== undefined && t !== null && t < 0) errs.push(invalid('spec.leaseTransitions', t, IS_NEGATIVE_MSG));
  return errs;
}

export const coordinationRules: Record<string, KindRules> = {
  'coordination.k8s.io/Lease': { validate: (o) => validateLease(as(o)) },
};
