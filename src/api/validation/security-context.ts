// Pod and container securityContext validation as upstream core validatePodSpecSecurityContext /
// ValidateSecurityContext: user and group IDs in range, and no privileged container that also
// forbids privilege escalation.
import type { PodSecurityContext, SecurityContext } from 'kubernetes-types/core/v1.js';
import { GoValue, invalid, notSupported, path, type FieldError } from '../../machinery/field-errors.js';
import { inclusiveRangeError } from './names.js';

const MAX_ID = 2147483647;

function validateId(v: number | undefined, field: string): FieldError[] {
  return v !== undefined && v !== null && (v < 0 || v > MAX_ID) ? [invalid(field, v, inclusiveRangeError(0, MAX_ID))] : [];
}

export function validatePodSecurityContext(sc: PodSecurityContext | undefined, field: string): FieldError[] {
  if (!sc) return [];
  const errs = [...validateId(sc.runAsUser, path(field, 'runAsUser')), ...validateId(sc.runAsGroup, path(field, 'runAsGroup')), ...validateId(sc.fsGroup, path(field, 'fsGroup'))];
  (sc.supplementalGroups ?? []).forEach((g, i) => errs.push(...validateId(g, path(field, 'supplementalGroups', i))));
  const fcp = sc.fsGroupChangePolicy;
  if (fcp && fcp !== 'OnRootMismatch' && fcp !== 'Always') errs.push(notSupported(path(field, 'fsGroupChangePolicy'), fcp, ['OnRootMismatch', 'Always']));
  return errs;
}

export function validateSecurityContext(sc: SecurityContext | undefined, field: string): FieldError[] {
  if (!sc) return [];
  const errs = [...validateId(sc.runAsUser, path(field, 'runAsUser')), ...validateId(sc.runAsGroup, path(field, 'runAsGroup'))];
  if (sc.privileged && sc.allowPrivilegeEscalation === false) {
    errs.push(invalid(field, new GoValue('core.SecurityContext{…}'), 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
  }
  if (sc.procMount && sc.procMount !== 'Default' && sc.procMount !== 'Unmasked') {
    errs.push(notSupported(path(field, 'procMount'), sc.procMount, ['Default', 'Unmasked']));
  }
  return errs;
}
