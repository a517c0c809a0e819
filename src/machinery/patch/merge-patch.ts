// JSON merge patch (RFC 7386, `application/merge-patch+json`): objects merge recursively, `null`
// deletes a key, anything else (arrays included) replaces. Used by `kubectl label/annotate/scale`, by
// `kubectl patch --type=merge` and for custom resources. Inputs are never mutated.
import { deepCopy, isPlainObject } from '../object.js';
import { jsonEqual } from './patch-error.js';

/** RFC 7386 MergePatch(target, patch); returns a new value. */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return deepCopy(patch);
  const out: Record<string, unknown> = isPlainObject(doc) ? { ...doc } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  // Values carried over from `doc` are shared with it; copy them so callers may mutate the result.
  for (const k of Object.keys(out)) {
    if (!Object.prototype.hasOwnProperty.call(patch, k)) out[k] = deepCopy(out[k]);
  }
  return out;
}

/**
 * The RFC 7386 patch that turns `original` into `modified` (objects diffed recursively, removed keys
 * become null, everything else replaced). Handy for tests and for clients that compute merge patches.
 */
export function createMergePatch(original: unknown, modified: unknown): unknown {
  if (!isPlainObject(original) || !isPlainObject(modified)) return deepCopy(modified);
  const patch: Record<string, unknown> = {};
  const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  for (const k of Object.keys(original)) if (!has(modified, k)) patch[k] = null;
  for (const [k, v] of Object.entries(modified)) {
    const o = original[k];
    if (!has(original, k)) patch[k] = deepCopy(v);
    else if (isPlainObject(o) && isPlainObject(v)) {
      const sub = createMergePatch(o, v) as Record<string, unknown>;
      if (Object.keys(sub).length) patch[k] = sub;
    } else if (!jsonEqual(o, v)) patch[k] = deepCopy(v);
  }
  return patch;
}
