// Quantities the way upstream writes them back. Every resource.Quantity is re-encoded in canonical
// form when the API server stores an object (`0.5` → `500m`, `1024Mi` → `1Gi`, a bare YAML number
// `1` → `"1"`), so `kubectl get -o yaml` never shows what the user typed. Unparsable values are left
// alone for validation to reject.
import { parseQuantityJson } from '../../machinery/quantity.js';

export function canonical(v: unknown): unknown {
  if (typeof v !== 'string' && typeof v !== 'number') return v;
  try {
    return parseQuantityJson(v).toString();
  } catch {
    return v;
  }
}

/** Canonicalizes every value of a ResourceList (map of resource name → quantity) in place. */
export function canonicalResourceList(list: Record<string, unknown> | undefined | null): void {
  if (!list || typeof list !== 'object') return;
  for (const k of Object.keys(list)) list[k] = canonical(list[k]);
}
