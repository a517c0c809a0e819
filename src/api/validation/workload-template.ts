// What the replicated workloads (Deployment, ReplicaSet, DaemonSet, StatefulSet, ReplicationController,
// Job) share: the selector must be present and non-empty and must select the template's labels, and
// the template is a valid pod template whose restart policy the controller supports. Upstream
// ValidatePodTemplateSpecForReplicaSet and the selector part of each ValidateXSpec.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { forbidden, invalid, notSupported, path, required, type FieldError } from '../../machinery/field-errors.js';
import { selectorFromLabelSelector, type Selector } from '../../machinery/labels.js';
import { goIntOrString, goLabelSelector, goStringMap, IS_NEGATIVE_MSG, validateNonnegative } from './common.js';
import { validateLabelSelector } from './labels.js';
import { isValidPercent } from './names.js';
import { validatePodTemplateSpec } from './pod-spec.js';

export const SELECTOR_MISMATCH_MSG = '`selector` does not match template `labels`';

/**
 * Validates `spec.selector` (required, non-empty, well-formed) and returns the parsed selector, or
 * undefined when it cannot be parsed. `kind` is upstream's word in "empty selector is invalid for …".
 */
export function validateSelector(
  sel: LabelSelector | undefined,
  field: string,
  kind: string,
  requireIt = true,
): { errs: FieldError[]; selector?: Selector } {
  const errs: FieldError[] = [];
  if (!sel) {
    if (requireIt) errs.push(required(field, ''));
  } else {
    errs.push(...validateLabelSelector(sel, field));
    if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
      errs.push(invalid(field, goLabelSelector(sel), `empty selector is invalid for ${kind}`));
    }
  }
  try {
    return { errs, selector: selectorFromLabelSelector(sel) };
  } catch {
    return { errs: [...errs, invalid(field, goLabelSelector(sel), 'invalid label selector')] };
  }
}

/** The selector must select the template's labels (skipped for an empty, match-everything selector). */
export function validateSelectorMatchesTemplate(selector: Selector | undefined, template: PodTemplateSpec | undefined, templatePath: string): FieldError[] {
  if (!selector || selector.empty()) return [];
  const labels = template?.metadata?.labels;
  return selector.matches(labels) ? [] : [invalid(path(templatePath, 'metadata', 'labels'), goStringMap(labels), SELECTOR_MISMATCH_MSG)];
}

/**
 * Upstream ValidatePodTemplateSpecForReplicaSet (also used for DaemonSet/StatefulSet/RC): the template
 * must be valid, match the selector, restart Always and have no activeDeadlineSeconds.
 */
export function validateReplicatedTemplate(
  template: PodTemplateSpec | undefined,
  selector: Selector | undefined,
  templatePath: string,
  kindWord: string,
  validateSpec = true,
): FieldError[] {
  if (!template) return [required(templatePath, '')];
  const errs = validateSelectorMatchesTemplate(selector, template, templatePath);
  if (validateSpec) errs.push(...validatePodTemplateSpec(template, templatePath));
  const rp = template.spec?.restartPolicy;
  if (rp !== 'Always') errs.push(notSupported(path(templatePath, 'spec', 'restartPolicy'), rp ?? '', ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined && template.spec.activeDeadlineSeconds !== null) {
    errs.push(forbidden(path(templatePath, 'spec', 'activeDeadlineSeconds'), `activeDeadlineSeconds in ${kindWord} is not Supported`));
  }
  return errs;
}

/** Upstream ValidatePositiveIntOrPercent: a non-negative int or a `N%` string. */
export function validatePositiveIntOrPercent(v: number | string | undefined, field: string): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => invalid(field, goIntOrString(v), m));
  if (typeof v === 'number') return v < 0 ? [invalid(field, v, IS_NEGATIVE_MSG)] : [];
  return [];
}

/** Upstream IsNotMoreThan100Percent. */
export function isNotMoreThan100Percent(v: number | string | undefined, field: string): FieldError[] {
  if (typeof v !== 'string') return [];
  const m = /^(\d+)%$/.exec(v);
  return m && Number(m[1]) > 100 ? [invalid(field, goIntOrString(v), 'must not be greater than 100%')] : [];
}

export { validateNonnegative };
