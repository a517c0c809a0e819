// Which Ingresses this controller serves (upstream networking.k8s.io/v1 class semantics, as
// ingress-nginx applies them): the legacy `kubernetes.io/ingress.class` annotation wins when present;
// otherwise spec.ingressClassName must name our class; an Ingress with neither is ours only while our
// IngressClass is marked `ingressclass.kubernetes.io/is-default-class: "true"`. An IngressClass of our
// name that belongs to another controller means the class is not ours at all.
import type { Ingress, IngressClass } from 'kubernetes-types/networking/v1.js';

/** IngressClass spec.controller of Skiff's built-in ingress controller. */
export const INGRESS_CONTROLLER_NAME = 'skiff.dev/ingress';
export const DEFAULT_CLASS_NAME = 'skiff';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/**
 * True when `ing` belongs to `className`. `ourClass` is the IngressClass object of that name if it
 * exists: a missing object still lets explicitly classed Ingresses through (the class may be created
 * after them), but only an existing default-marked class adopts class-less ones.
 */
export function isHandledIngress(ing: Ingress, className: string, ourClass: IngressClass | undefined): boolean {
  if (ourClass && ourClass.spec?.controller !== INGRESS_CONTROLLER_NAME) return false;
  const legacy = ing.metadata?.annotations?.[LEGACY_CLASS_ANNOTATION];
  if (legacy !== undefined) return legacy === className;
  const named = ing.spec?.ingressClassName;
  if (named) return named === className;
  return ourClass?.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true';
}

/** The IngressClass this controller creates when none of its name exists. */
export function ingressClassFor(className: string, isDefault: boolean): IngressClass {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: className, ...(isDefault ? { annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } } : {}) },
    spec: { controller: INGRESS_CONTROLLER_NAME },
  };
}
