// Pod validation as upstream core ValidatePod / ValidatePodUpdate. Updates may only change container
// images, activeDeadlineSeconds (set or lowered), tolerations (additions, or tolerationSeconds of
// existing ones), terminationGracePeriodSeconds (negative → 1) and remove scheduling gates; anything
// else is the one Forbidden error on `spec` with upstream's text. Upstream appends a cmp.Diff of the two
// specs to that message; we omit the diff.
import type { Container, Pod, PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { forbidden, invalid, path, required, type FieldError } from '../../machinery/field-errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { semanticEqual } from './common.js';
import { inclusiveRangeError } from './names.js';
import { validatePodSpec, validateTolerations } from './pod-spec.js';
import { as, type KindRules } from './rules.js';

const MAX_INT32 = 2147483647;

export const POD_UPDATE_FORBIDDEN_MSG =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function validatePodOnly(pod: Pod): FieldError[] {
  const errs = validatePodSpec(pod.spec, 'spec');
  // Projected service account tokens need a service account (pods only, not templates).
  if (!pod.spec?.serviceAccountName) {
    (pod.spec?.volumes ?? []).forEach((v, vi) =>
      (v.projected?.sources ?? []).forEach((s, si) => {
        if (s.serviceAccountToken) {
          errs.push(forbidden(path('spec', 'volumes', vi, 'projected', 'sources', si, 'serviceAccountToken'), 'must not be specified when serviceAccountName is not set'));
        }
      }),
    );
  }
  return errs;
}

function validateContainerUpdates(next: Container[] | undefined, prev: Container[] | undefined, field: string): { errs: FieldError[]; stop: boolean } {
  const n = next ?? [];
  const p = prev ?? [];
  if (n.length !== p.length) return { errs: [forbidden(field, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  n.forEach((c, i) => {
    if (!c.image) errs.push(required(path(field, i, 'image'), ''));
  });
  return { errs, stop: false };
}

function validateOnlyAddedTolerations(next: Toleration[] | undefined, prev: Toleration[] | undefined, field: string): FieldError[] {
  for (const o of prev ?? []) {
    const found = (next ?? []).some((t) => semanticEqual({ ...o, tolerationSeconds: t.tolerationSeconds }, t));
    if (!found) return [forbidden(field, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(next, field);
}

function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = validatePodOnly(pod);
  const spec = pod.spec ?? ({ containers: [] } as PodSpec);
  const oldSpec = old.spec ?? ({ containers: [] } as PodSpec);
  const c = validateContainerUpdates(spec.containers, oldSpec.containers, 'spec.containers');
  errs.push(...c.errs);
  if (c.stop) return errs;
  const ic = validateContainerUpdates(spec.initContainers, oldSpec.initContainers, 'spec.initContainers');
  errs.push(...ic.errs);
  if (ic.stop) return errs;
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null) {
    if (ads < 0 || ads > MAX_INT32) return [...errs, invalid('spec.activeDeadlineSeconds', ads, inclusiveRangeError(0, MAX_INT32))];
    if (oldSpec.activeDeadlineSeconds !== undefined && oldSpec.activeDeadlineSeconds !== null && oldSpec.activeDeadlineSeconds < ads) {
      return [...errs, invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value')];
    }
  } else if (oldSpec.activeDeadlineSeconds !== undefined && oldSpec.activeDeadlineSeconds !== null) {
    errs.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  errs.push(...validateOnlyAddedTolerations(spec.tolerations, oldSpec.tolerations, 'spec.tolerations'));
  const newGates = spec.schedulingGates ?? [];
  for (const g of newGates) {
    if (!(oldSpec.schedulingGates ?? []).some((o) => o.name === g.name)) {
      errs.push(forbidden('spec.schedulingGates', 'only deletion is allowed, but found new scheduling gate ' + JSON.stringify(g.name)));
      break;
    }
  }
  if (semanticEqual(spec, oldSpec)) return errs;
  // Munge the mutable fields back to their old values; whatever still differs is forbidden.
  const images = (cs: Container[] | undefined, from: Container[] | undefined) =>
    cs?.map((ctr, i) => ({ ...ctr, image: from?.[i]?.image ?? ctr.image }));
  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  const munged: PodSpec = {
    ...spec,
    containers: images(spec.containers, oldSpec.containers) ?? [],
    initContainers: images(spec.initContainers, oldSpec.initContainers),
    activeDeadlineSeconds: oldSpec.activeDeadlineSeconds,
    tolerations: oldSpec.tolerations,
    schedulingGates: oldSpec.schedulingGates,
    terminationGracePeriodSeconds:
      oldGrace !== undefined && oldGrace < 0 && spec.terminationGracePeriodSeconds === 1 ? oldGrace : spec.terminationGracePeriodSeconds,
  };
  if (!semanticEqual(munged, oldSpec)) errs.push(forbidden('spec', POD_UPDATE_FORBIDDEN_MSG));
  return errs;
}

export const podRules: KindRules = {
  validate: (obj: KubeObject) => validatePodOnly(as<Pod>(obj)),
  validateUpdate: (obj: KubeObject, old: KubeObject) => validatePodUpdate(as<Pod>(obj), as<Pod>(old)),
  updateReplacesCreate: true,
};
