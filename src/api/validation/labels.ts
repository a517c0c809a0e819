// Label, annotation, finalizer and label-selector validation as upstream
// (apimachinery/pkg/apis/meta/v1/validation and api/validation/objectmeta.go). Note upstream reports
// bad label keys and values against the map's path (`metadata.labels`), not `metadata.labels[key]`.
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1.js';
import { forbidden, invalid, path, required, type FieldError } from '../../machinery/field-errors.js';
import { entries, goStrings } from './common.js';
import { isQualifiedName, isValidLabelValue } from './names.js';

/** Upstream TotalAnnotationSizeLimitB: 256 KiB over all keys and values. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** field.TooLong with the detail text of upstream 1.31 (`must have at most N bytes`). */
export function tooLongBytes(field: string, max: number): FieldError {
  return { type: 'FieldValueTooLong', field, detail: `must have at most ${max} bytes` };
}

export function validateLabelName(name: string, field: string): FieldError[] {
  return isQualifiedName(name).map((m) => invalid(field, name, m));
}

export function validateLabels(labels: Record<string, string> | undefined | null, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of entries(labels)) {
    errs.push(...validateLabelName(k, field));
    for (const m of isValidLabelValue(String(v))) errs.push(invalid(field, v, m));
  }
  return errs;
}

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

export function validateAnnotations(annotations: Record<string, string> | undefined | null, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of entries(annotations)) {
    // Upstream lower-cases the key first: annotation keys may contain upper case in the prefix.
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid(field, k, m));
    total += byteLength(k) + byteLength(String(v));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLongBytes(field, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

/**
 * Upstream ValidateFinalizers: each a qualified name (reported against the list's path, unindexed);
 * `orphan` and `foregroundDeletion` are mutually exclusive.
 */
export function validateFinalizers(finalizers: string[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = finalizers ?? [];
  for (const f of list) for (const m of isQualifiedName(f)) errs.push(invalid(field, f, m));
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(invalid(field, goStrings(list), 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

export function validateLabelSelectorRequirement(r: LabelSelectorRequirement, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(required(path(field, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(forbidden(path(field, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    default:
      errs.push(invalid(path(field, 'operator'), r.operator, 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(r.key ?? '', path(field, 'key')));
  values.forEach((v, i) => {
    for (const m of isValidLabelValue(v)) errs.push(invalid(path(field, 'values', i), v, m));
  });
  return errs;
}

export function validateLabelSelector(ls: LabelSelector | undefined | null, field: string): FieldError[] {
  if (!ls) return [];
  const errs = validateLabels(ls.matchLabels, path(field, 'matchLabels'));
  (ls.matchExpressions ?? []).forEach((r, i) => errs.push(...validateLabelSelectorRequirement(r, path(field, 'matchExpressions', i))));
  return errs;
}
