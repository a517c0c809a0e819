// rbac.authorization.k8s.io/v1 validation as upstream pkg/apis/rbac/validation: names are path
// segments (so `system:admin` is fine), rules need verbs and either resources+apiGroups or
// nonResourceURLs (the latter only in ClusterRoles), bindings reference a Role/ClusterRole in the RBAC
// group with valid subjects, and a binding's roleRef can never change.
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject } from 'kubernetes-types/rbac/v1.js';
import { GoValue, invalid, notSupported, path, required, type FieldError } from '../../machinery/field-errors.js';
import { semanticEqual } from './common.js';
import { validateLabelSelector } from './labels.js';
import { isDNS1123Subdomain, isValidPathSegmentName, nameIsPathSegment } from './names.js';
import { as, type KindRules } from './rules.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function validatePolicyRule(r: PolicyRule, namespaced: boolean, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if ((r.verbs ?? []).length === 0) errs.push(required(path(field, 'verbs'), 'verbs must contain at least one value'));
  const urls = r.nonResourceURLs ?? [];
  const shownUrls = new GoValue(`[]string{${urls.map((u) => JSON.stringify(u)).join(', ')}}`);
  if (urls.length > 0) {
    if (namespaced) errs.push(invalid(path(field, 'nonResourceURLs'), shownUrls, 'namespaced rules cannot apply to non-resource URLs'));
    if ((r.apiGroups ?? []).length > 0 || (r.resources ?? []).length > 0 || (r.resourceNames ?? []).length > 0) {
      errs.push(invalid(path(field, 'nonResourceURLs'), shownUrls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if ((r.apiGroups ?? []).length === 0) errs.push(required(path(field, 'apiGroups'), 'resource rules must supply at least one api group'));
  if ((r.resources ?? []).length === 0) errs.push(required(path(field, 'resources'), 'resource rules must supply at least one resource'));
  return errs;
}

const validateRules = (rules: PolicyRule[] | undefined, namespaced: boolean): FieldError[] =>
  (rules ?? []).flatMap((r, i) => validatePolicyRule(r, namespaced, path('rules', i)));

function validateClusterRole(cr: ClusterRole): FieldError[] {
  const errs = validateRules(cr.rules, false);
  if (cr.aggregationRule) {
    const sels = cr.aggregationRule.clusterRoleSelectors ?? [];
    if (sels.length === 0) errs.push(required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    sels.forEach((s, i) => errs.push(...validateLabelSelector(s, path('aggregationRule', 'clusterRoleSelectors', i))));
  }
  return errs;
}

function validateSubject(s: Subject, namespaced: boolean, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.name) errs.push(required(path(field, 'name'), ''));
  switch (s.kind) {
    case 'ServiceAccount':
      if (s.name) errs.push(...isDNS1123Subdomain(s.name).map((m) => invalid(path(field, 'name'), s.name, m)));
      if (s.apiGroup) errs.push(notSupported(path(field, 'apiGroup'), s.apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(required(path(field, 'namespace'), ''));
      break;
    case 'User':
    case 'Group':
      if (s.apiGroup !== RBAC_GROUP) errs.push(notSupported(path(field, 'apiGroup'), s.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(path(field, 'kind'), s.kind, ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBinding(roleRef: RoleRef | undefined, subjects: Subject[] | undefined, kinds: string[], namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const r = roleRef ?? ({ apiGroup: '', kind: '', name: '' } as RoleRef);
  if (r.apiGroup !== RBAC_GROUP) errs.push(notSupported('roleRef.apiGroup', r.apiGroup ?? '', [RBAC_GROUP]));
  if (!kinds.includes(r.kind)) errs.push(notSupported('roleRef.kind', r.kind ?? '', kinds));
  if (!r.name) errs.push(required('roleRef.name', ''));
  else errs.push(...isValidPathSegmentName(r.name).map((m) => invalid('roleRef.name', r.name, m)));
  (subjects ?? []).forEach((s, i) => errs.push(...validateSubject(s, namespaced, path('subjects', i))));
  return errs;
}

function validateRoleRefUpdate(n: RoleRef | undefined, o: RoleRef | undefined): FieldError[] {
  if (semanticEqual(n, o)) return [];
  const r = n ?? ({} as RoleRef);
  const shown = new GoValue(`rbac.RoleRef{APIGroup:${JSON.stringify(r.apiGroup ?? '')}, Kind:${JSON.stringify(r.kind ?? '')}, Name:${JSON.stringify(r.name ?? '')}}`);
  return [invalid('roleRef', shown, 'cannot change roleRef')];
}

export const rbacRules: Record<string, KindRules> = {
  'rbac.authorization.k8s.io/Role': { nameFn: nameIsPathSegment, validate: (o) => validateRules(as<Role>(o).rules, true) },
  'rbac.authorization.k8s.io/ClusterRole': { nameFn: nameIsPathSegment, validate: (o) => validateClusterRole(as(o)) },
  'rbac.authorization.k8s.io/RoleBinding': {
    nameFn: nameIsPathSegment,
    validate: (o) => validateBinding(as<RoleBinding>(o).roleRef, as<RoleBinding>(o).subjects, ['Role', 'ClusterRole'], true),
    validateUpdate: (o, old) => validateRoleRefUpdate(as<RoleBinding>(o).roleRef, as<RoleBinding>(old).roleRef),
  },
  'rbac.authorization.k8s.io/ClusterRoleBinding': {
    nameFn: nameIsPathSegment,
    validate: (o) => validateBinding(as<ClusterRoleBinding>(o).roleRef, as<ClusterRoleBinding>(o).subjects, ['ClusterRole'], false),
    validateUpdate: (o, old) => validateRoleRefUpdate(as<ClusterRoleBinding>(o).roleRef, as<ClusterRoleBinding>(old).roleRef),
  },
};
