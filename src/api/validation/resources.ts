// Resource names and quantities as upstream core validation: container resource requirements
// (`requests` ≤ `limits`, standard or extended names), quota/limit-range quantity maps. Quantities
// that do not parse are a decode error (400) upstream; here they surface as a field error on the same
// path with the parser's message, since the server hands us already-decoded JSON.
import type { ResourceRequirements } from 'kubernetes-types/core/v1.js';
import { invalid, key, type FieldError } from '../../machinery/field-errors.js';
import { parseQuantityJson, type Quantity } from '../../machinery/quantity.js';
import { entries, IS_NEGATIVE_MSG } from './common.js';
import { isQualifiedName } from './names.js';

/** A quantity from JSON, or the field error for a value that does not parse. */
export function quantityAt(v: unknown, field: string): { q?: Quantity; errs: FieldError[] } {
  try {
    return { q: parseQuantityJson(v), errs: [] };
  } catch (e) {
    return { errs: [invalid(field, typeof v === 'string' ? v : String(v), (e as Error).message)] };
  }
}

const isHugePages = (name: string): boolean => name.startsWith('hugepages-');
const STANDARD_CONTAINER = new Set(['cpu', 'memory', 'ephemeral-storage']);
// Upstream IsNativeResource: unprefixed or in the kubernetes.io domain.
const isNative = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/');
const isExtended = (name: string): boolean => !isNative(name) && !name.startsWith('requests.');
/** Upstream IsIntegerResourceName: extended resources and object counts must be whole numbers. */
const isIntegerResource = (name: string): boolean =>
  isExtended(name) ||
  ['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers'].includes(name);

function validateContainerResourceName(name: string, field: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(field, name, m));
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER.has(name) && !isHugePages(name)) errs.push(invalid(field, name, 'must be a standard resource for containers'));
  } else if (!isNative(name) && !isExtended(name)) {
    errs.push(invalid(field, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** Upstream ValidateResourceQuantityValue: non-negative, whole for integer resources. */
export function validateResourceQuantityValue(resource: string, q: Quantity, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (q.sign() < 0) errs.push(invalid(field, q.toString(), IS_NEGATIVE_MSG));
  if (isIntegerResource(resource) && q.milliValueBig() % 1000n !== 0n) errs.push(invalid(field, q.toString(), 'must be an integer'));
  return errs;
}

/** Validates a `{resource: quantity}` map (quota hard, limit ranges, PV capacity). */
export function validateQuantityMap(m: Record<string, unknown> | undefined, field: string): { errs: FieldError[]; parsed: Map<string, Quantity> } {
  const errs: FieldError[] = [];
  const parsed = new Map<string, Quantity>();
  for (const [name, v] of entries(m)) {
    const p = key(field, name);
    const { q, errs: qe } = quantityAt(v, p);
    errs.push(...qe);
    if (q) {
      parsed.set(name, q);
      errs.push(...validateResourceQuantityValue(name, q, p));
    }
  }
  return { errs, parsed };
}

/** Upstream ValidateResourceRequirements for a container. */
export function validateResourceRequirements(r: ResourceRequirements | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = `${field}.limits`;
  const reqPath = `${field}.requests`;
  const limits = new Map<string, Quantity>();
  for (const [name, v] of entries(r?.limits as Record<string, unknown> | undefined)) {
    const p = key(limPath, name);
    errs.push(...validateContainerResourceName(name, p));
    const { q, errs: qe } = quantityAt(v, p);
    errs.push(...qe);
    if (q) {
      limits.set(name, q);
      errs.push(...validateResourceQuantityValue(name, q, p));
    }
  }
  for (const [name, v] of entries(r?.requests as Record<string, unknown> | undefined)) {
    const p = key(reqPath, name);
    errs.push(...validateContainerResourceName(name, p));
    const { q, errs: qe } = quantityAt(v, p);
    errs.push(...qe);
    if (!q) continue;
    errs.push(...validateResourceQuantityValue(name, q, p));
    const lim = limits.get(name);
    if (!lim) continue;
    // Hugepages and extended resources cannot be overcommitted: request must equal limit.
    const overcommit = !isHugePages(name) && !isExtended(name);
    if (!overcommit && q.cmp(lim) !== 0) {
      errs.push(invalid(reqPath, q.toString(), `must be equal to ${name} limit of ${lim.toString()}`));
    } else if (q.cmp(lim) > 0) {
      errs.push(invalid(reqPath, q.toString(), `must be less than or equal to ${name} limit of ${lim.toString()}`));
    }
  }
  return errs;
}
