// ObjectMeta validation as upstream apimachinery/pkg/api/validation/objectmeta.go: name or generateName
// (with the kind's name rule), generation, labels, annotations, ownerReferences and finalizers; and the
// update rules (name, namespace, uid, creationTimestamp immutable). Whether a namespace is required is
// the server's business (it knows the scope), so it is not checked here; resourceVersion neither.
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import { GoValue, invalid, path, required, type FieldError } from '../../machinery/field-errors.js';
import { validateImmutable, validateNonnegative } from './common.js';
import { validateAnnotations, validateFinalizers, validateLabels } from './labels.js';
import { nameIsDNSSubdomain, type NameFn } from './names.js';

/** Upstream ValidateOwnerReferences: reported against the list's path, unindexed, as upstream does. */
export function validateOwnerReferences(refs: OwnerReference[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let controller = '';
  for (const r of refs ?? []) {
    const version = (r.apiVersion ?? '').split('/').pop() ?? '';
    if (!version) errs.push(invalid(path(field, 'apiVersion'), r.apiVersion ?? '', 'version must not be empty'));
    if (!r.kind) errs.push(invalid(path(field, 'kind'), r.kind ?? '', 'kind must not be empty'));
    if (!r.name) errs.push(invalid(path(field, 'name'), r.name ?? '', 'name must not be empty'));
    if (!r.uid) errs.push(invalid(path(field, 'uid'), r.uid ?? '', 'uid must not be empty'));
    if (r.controller) {
      const here = `${r.kind}/${r.name}`;
      if (controller) {
        errs.push(invalid(field, new GoValue('[]v1.OwnerReference{…}'), `Only one reference can have Controller set to true. Found "true" in references for ${controller} and ${here}`));
      } else controller = here;
    }
  }
  return errs;
}

/** Upstream ValidateObjectMeta (minus the namespace scope check). */
export function validateObjectMeta(meta: ObjectMeta | undefined, nameFn: NameFn = nameIsDNSSubdomain, field = 'metadata'): FieldError[] {
  const m = meta ?? {};
  const errs: FieldError[] = [];
  if (m.generateName) {
    for (const msg of nameFn(m.generateName, true)) errs.push(invalid(path(field, 'generateName'), m.generateName, msg));
  }
  if (!m.name) errs.push(required(path(field, 'name'), 'name or generateName is required'));
  else for (const msg of nameFn(m.name, false)) errs.push(invalid(path(field, 'name'), m.name, msg));
  errs.push(...validateNonnegative(m.generation, path(field, 'generation')));
  errs.push(...validateLabels(m.labels, path(field, 'labels')));
  errs.push(...validateAnnotations(m.annotations, path(field, 'annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, path(field, 'ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, path(field, 'finalizers')));
  return errs;
}

/**
 * Upstream ValidateObjectMetaUpdate. The server fills uid and creationTimestamp from the stored
 * object when the client omits them (as upstream's BeforeUpdate does), so only a differing non-empty
 * value is an error.
 */
export function validateObjectMetaUpdate(meta: ObjectMeta | undefined, old: ObjectMeta | undefined, field = 'metadata'): FieldError[] {
  const m = meta ?? {};
  const o = old ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const had = new Set(o.finalizers ?? []);
    for (const f of m.finalizers ?? []) {
      if (!had.has(f)) errs.push({ type: 'FieldValueForbidden', field: path(field, 'finalizers'), detail: `no new finalizers can be added if the object is being deleted, found new finalizer "${f}"` });
    }
  }
  if ((m.generation ?? 0) < (o.generation ?? 0)) errs.push(invalid(path(field, 'generation'), m.generation ?? 0, 'must not be decremented'));
  errs.push(...validateImmutable(m.name ?? '', o.name ?? '', path(field, 'name')));
  errs.push(...validateImmutable(m.namespace ?? '', o.namespace ?? '', path(field, 'namespace')));
  if (m.uid) errs.push(...validateImmutable(m.uid, o.uid ?? '', path(field, 'uid')));
  if (m.creationTimestamp && o.creationTimestamp) {
    errs.push(...validateImmutable(m.creationTimestamp, o.creationTimestamp, path(field, 'creationTimestamp')));
  }
  errs.push(...validateLabels(m.labels, path(field, 'labels')));
  errs.push(...validateAnnotations(m.annotations, path(field, 'annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, path(field, 'ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, path(field, 'finalizers')));
  return errs;
}
