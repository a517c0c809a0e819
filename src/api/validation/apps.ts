// apps/v1 validation as upstream pkg/apis/apps/validation: Deployment, ReplicaSet, DaemonSet,
// StatefulSet and ControllerRevision, with the apps/v1 update rule that selectors are immutable and
// StatefulSet's rule that only some spec fields may change.
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import { GoValue, forbidden, invalid, notSupported, path, required, type FieldError } from '../../machinery/field-errors.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../machinery/object.js';
import { goIntOrString, goLabelSelector, intOrPercentValue, semanticEqual, validateImmutable, validateNonnegative } from './common.js';
import { validatePodTemplateSpec } from './pod-spec.js';
import { validatePvcSpec } from './persistent-volumes.js';
import { as, type KindRules } from './rules.js';
import { isNotMoreThan100Percent, validatePositiveIntOrPercent, validateReplicatedTemplate, validateSelector, validateSelectorMatchesTemplate } from './workload-template.js';

function validateDeploymentStrategy(d: Deployment): FieldError[] {
  const s = d.spec?.strategy ?? {};
  const field = 'spec.strategy';
  switch (s.type) {
    case 'Recreate':
      return s.rollingUpdate ? [forbidden(path(field, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate': {
      const ru = s.rollingUpdate;
      if (!ru) return [required(path(field, 'rollingUpdate'), 'this should be defaulted and never be nil')];
      const p = path(field, 'rollingUpdate');
      const errs = [
        ...validatePositiveIntOrPercent(ru.maxUnavailable, path(p, 'maxUnavailable')),
        ...validatePositiveIntOrPercent(ru.maxSurge, path(p, 'maxSurge')),
      ];
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(invalid(path(p, 'maxUnavailable'), goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, path(p, 'maxUnavailable')));
      return errs;
    }
    default:
      return [notSupported(field, new GoValue(`apps.DeploymentStrategy{Type:${JSON.stringify(s.type ?? '')}}`), ['Recreate', 'RollingUpdate'])];
  }
}

function validateDeployment(d: Deployment): FieldError[] {
  const spec = d.spec ?? ({} as Deployment['spec'] & object);
  const errs = validateNonnegative(spec.replicas, 'spec.replicas');
  const { errs: selErrs, selector } = validateSelector(spec.selector, 'spec.selector', 'deployment');
  errs.push(...selErrs);
  if (selector || !spec.selector) errs.push(...validateReplicatedTemplate(spec.template, selector, 'spec.template', 'ReplicaSet'));
  errs.push(...validateDeploymentStrategy(d));
  errs.push(...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  const pds = spec.progressDeadlineSeconds;
  if (pds !== undefined && pds !== null) {
    errs.push(...validateNonnegative(pds, 'spec.progressDeadlineSeconds'));
    if (pds <= (spec.minReadySeconds ?? 0)) errs.push(invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  const spec = rs.spec ?? ({} as ReplicaSet['spec'] & object);
  const errs = validateNonnegative(spec.replicas, 'spec.replicas');
  errs.push(...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  // Upstream's ReplicaSet check reuses the Deployment wording.
  const { errs: selErrs, selector } = validateSelector(spec.selector, 'spec.selector', 'deployment');
  errs.push(...selErrs);
  if (selector || !spec.selector) errs.push(...validateReplicatedTemplate(spec.template, selector, 'spec.template', 'ReplicaSet'));
  return errs;
}

function validateDaemonSet(ds: DaemonSet): FieldError[] {
  const spec = ds.spec ?? ({} as DaemonSet['spec'] & object);
  const { errs, selector } = validateSelector(spec.selector, 'spec.selector', 'daemonset', false);
  errs.push(...validateReplicatedTemplate(spec.template, selector, 'spec.template', 'DaemonSet'));
  errs.push(...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  const us = spec.updateStrategy ?? {};
  const field = 'spec.updateStrategy';
  if (us.type === 'RollingUpdate') {
    const ru = us.rollingUpdate;
    if (!ru) errs.push(required(path(field, 'rollingUpdate'), ''));
    else {
      const p = path(field, 'rollingUpdate');
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, path(p, 'maxUnavailable')));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, path(p, 'maxSurge')));
      errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, path(p, 'maxUnavailable')));
      errs.push(...isNotMoreThan100Percent(ru.maxSurge, path(p, 'maxSurge')));
      const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
      const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
      if (hasUnavailable && hasSurge) errs.push(invalid(path(p, 'maxSurge'), goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
      if (!hasUnavailable && !hasSurge) errs.push(required(path(p, 'maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
    }
  } else if (us.type !== 'OnDelete') {
    errs.push(notSupported(field, new GoValue(`apps.DaemonSetUpdateStrategy{Type:${JSON.stringify(us.type ?? '')}}`), ['RollingUpdate', 'OnDelete']));
  }
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

function validateStatefulSet(ss: StatefulSet): FieldError[] {
  const spec = ss.spec ?? ({} as StatefulSet['spec'] & object);
  const errs: FieldError[] = [];
  const pmp = spec.podManagementPolicy;
  if (!pmp) errs.push(required('spec.podManagementPolicy', ''));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(invalid('spec.podManagementPolicy', pmp, "must be 'OrderedReady' or 'Parallel'"));
  const us = spec.updateStrategy ?? {};
  if (!us.type) errs.push(required('spec.updateStrategy', ''));
  else if (us.type === 'OnDelete') {
    if (us.rollingUpdate) errs.push(invalid('spec.updateStrategy.rollingUpdate', new GoValue('apps.RollingUpdateStatefulSetStrategy{…}'), "only allowed for updateStrategy 'RollingUpdate'"));
  } else if (us.type === 'RollingUpdate') {
    errs.push(...validateNonnegative(us.rollingUpdate?.partition, 'spec.updateStrategy.rollingUpdate.partition'));
    if (us.rollingUpdate?.maxUnavailable !== undefined) {
      errs.push(...validatePositiveIntOrPercent(us.rollingUpdate.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable'));
      if (intOrPercentValue(us.rollingUpdate.maxUnavailable) === 0) {
        errs.push(invalid('spec.updateStrategy.rollingUpdate.maxUnavailable', goIntOrString(us.rollingUpdate.maxUnavailable), 'must be greater than 0'));
      }
    }
  } else {
    errs.push(invalid('spec.updateStrategy', new GoValue(`apps.StatefulSetUpdateStrategy{Type:${JSON.stringify(us.type)}}`), "must be 'RollingUpdate' or 'OnDelete'"));
  }
  errs.push(...validateNonnegative(spec.ordinals?.start, 'spec.ordinals.start'));
  errs.push(...validateNonnegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  const { errs: selErrs, selector } = validateSelector(spec.selector, 'spec.selector', 'statefulset');
  errs.push(...selErrs);
  errs.push(...validateSelectorMatchesTemplate(selector, spec.template, 'spec.template'));
  // Volume mounts may refer to volumeClaimTemplates, so validate the pod spec with those added.
  const claims = (spec.volumeClaimTemplates ?? []).map((c) => ({ name: c.metadata?.name ?? '', emptyDir: {} }));
  const t = spec.template;
  if (t) errs.push(...validatePodTemplateSpec({ ...t, spec: t.spec && { ...t.spec, volumes: [...(t.spec.volumes ?? []), ...claims] } }, 'spec.template'));
  errs.push(...validateReplicatedTemplate(t, undefined, 'spec.template', 'StatefulSet', false));
  (spec.volumeClaimTemplates ?? []).forEach((c, i) => errs.push(...validatePvcSpec(c.spec, path('spec', 'volumeClaimTemplates', i, 'spec'))));
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

const selectorImmutable = (obj: KubeObject, old: KubeObject): FieldError[] => {
  const sel = (o: KubeObject) => (o.spec as { selector?: LabelSelector } | undefined)?.selector;
  return validateImmutable(sel(obj), sel(old), 'spec.selector', goLabelSelector(sel(obj)));
};

const STS_UPDATE_MSG =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

function validateStatefulSetUpdate(ss: StatefulSet, old: StatefulSet): FieldError[] {
  const strip = (s: StatefulSet['spec']) => ({
    ...s,
    replicas: undefined,
    template: undefined,
    updateStrategy: undefined,
    minReadySeconds: undefined,
    ordinals: undefined,
    revisionHistoryLimit: undefined,
    persistentVolumeClaimRetentionPolicy: undefined,
  });
  return semanticEqual(strip(ss.spec), strip(old.spec)) ? [] : [forbidden('spec', STS_UPDATE_MSG)];
}

function validateControllerRevision(cr: ControllerRevision): FieldError[] {
  const errs: FieldError[] = [];
  if (cr.data === undefined || cr.data === null) errs.push(required('data', 'data is mandatory'));
  errs.push(...validateNonnegative(cr.revision, 'revision'));
  return errs;
}

export const appsRules: Record<string, KindRules> = {
  'apps/Deployment': { validate: (o) => validateDeployment(as(o)), validateUpdate: selectorImmutable },
  'apps/ReplicaSet': { validate: (o) => validateReplicaSet(as(o)), validateUpdate: selectorImmutable },
  'apps/DaemonSet': { validate: (o) => validateDaemonSet(as(o)), validateUpdate: selectorImmutable },
  'apps/StatefulSet': { validate: (o) => validateStatefulSet(as(o)), validateUpdate: (o, old) => validateStatefulSetUpdate(as(o), as(old)) },
  'apps/ControllerRevision': {
    validate: (o) => validateControllerRevision(as(o)),
    validateUpdate: (o, old) => validateImmutable(o.data, old.data, 'data', new GoValue(JSON.stringify(o.data ?? null))),
  },
};
