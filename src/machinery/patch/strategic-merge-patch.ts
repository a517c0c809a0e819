// Strategic merge patch (`application/strategic-merge-patch+json`), as upstream
// k8s.io/apimachinery/pkg/util/strategicpatch applies it on the server: maps merge recursively and
// `null` deletes; a list whose schema says patchStrategy "merge" merges its elements by patchMergeKey
// (containers by name, ports by containerPort…) or, for scalars (finalizers), is unioned; other lists
// are replaced. Directives: `$patch: replace|delete` on a map or as a list element, `$retainKeys`,
// `$setElementOrder/<field>` and `$deleteFromPrimitiveList/<field>`. Where the schema is unknown or
// free-form the subtree behaves like a JSON merge patch. Directives never reach the output, and inputs
// are never mutated (both are copied first, then merged in place as upstream does).
import { deepCopy, isPlainObject } from '../object.js';
import type { SchemaNode } from '../schema-node.js';
import { PatchError, goFormat } from './patch-error.js';
import {
  DIRECTIVE,
  ERR_BAD_PRIMITIVE_LIST,
  ERR_BAD_RETAIN_KEYS,
  ERR_BAD_SET_ORDER,
  errBadArgType,
  errBadPatchType,
  errNoMergeKey,
  normalizeElementOrder,
  partitionByPresence,
  sliceElementKind,
  validatePatchWithSetOrderList,
} from './smp-order.js';

type JMap = Record<string, unknown>;

const RETAIN_KEYS = '$retainKeys';
const SET_ORDER_PREFIX = '$setElementOrder';
const DELETE_PRIMITIVE_PREFIX = '$deleteFromPrimitiveList';
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Applies `patch` to `original` and returns the result. `schema` describes the object's type (from the
 * OpenAPI-derived SchemaNode); undefined means "no merge information" (JSON-merge-like behaviour).
 * Throws PatchError: BadFormat (400) for malformed directives, Unprocessable (422) for lists of lists,
 * MergeFailed (500 upstream) for everything else, e.g. a merge-list element without its merge key.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: SchemaNode | undefined): unknown {
  if (!isPlainObject(patch)) throw new PatchError('BadFormat', 'invalid JSON document');
  const base = isPlainObject(original) ? deepCopy(original) : {};
  return mergeMap(base, deepCopy(patch), schema);
}

function child(schema: SchemaNode | undefined, key: string): SchemaNode | undefined {
  if (!schema) return undefined;
  return schema.property(key) ?? schema.additionalProperties;
}

/** The field's strategy other than retainKeys ('merge', 'replace' or ''), as extractRetainKeysPatchStrategy. */
function strategyOf(node: SchemaNode | undefined): string {
  const all = node?.patchStrategy ?? [];
  const others = all.filter((s) => s !== 'retainKeys');
  if (others.length > 1 || all.length > 2) throw new PatchError('MergeFailed', `unexpected patch strategy: ${goFormat(all)}`);
  return others[0] ?? '';
}

/** `$setElementOrder/containers` → `containers`; upstream extractKey. */
function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw new PatchError('BadFormat', prefix === SET_ORDER_PREFIX ? ERR_BAD_SET_ORDER : ERR_BAD_PRIMITIVE_LIST);
  }
  return key.slice(slash + 1);
}

function mergeMap(original: JMap | undefined, patch: JMap, schema: SchemaNode | undefined): JMap {
  if (hasOwn(patch, DIRECTIVE)) {
    const directive = patch[DIRECTIVE];
    if (directive === 'replace') {
      // The map is replaced by the patch's own content (itself cleaned of directives and nulls).
      delete patch[DIRECTIVE];
      return mergeMap(undefined, patch, schema);
    }
    if (directive === 'delete') return {};
    throw errBadPatchType(directive, patch);
  }
  const out = original ?? {};
  applyRetainKeysDirective(out, patch);
  mergeSetElementOrder(out, patch, schema);
  const deletionLists: Array<[string, unknown]> = [];
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(DELETE_PRIMITIVE_PREFIX)) deletionLists.push([extractKey(k, DELETE_PRIMITIVE_PREFIX), v]);
    else mergeField(out, k, v, schema, false);
  }
  // Removals from primitive lists run after the additions so the result does not depend on key order.
  for (const [k, v] of deletionLists) mergeField(out, k, v, schema, true);
  return out;
}

/** Merges one patch entry into `out` (the body of upstream mergeMap's loop). */
function mergeField(out: JMap, k: string, pv: unknown, schema: SchemaNode | undefined, isDeleteList: boolean): void {
  if (pv === null) {
    delete out[k];
    return;
  }
  const node = child(schema, k);
  const ov = out[k];
  const sameKind = hasOwn(out, k) && (isPlainObject(ov) ? isPlainObject(pv) : Array.isArray(ov) ? Array.isArray(pv) : !isPlainObject(pv) && !Array.isArray(pv));
  if (!sameKind) {
    // Absent (or of another type) in the original: take the patch value, minus directives and nulls.
    if (!isDeleteList) out[k] = fresh(pv, node);
    return;
  }
  if (isPlainObject(ov)) {
    out[k] = strategyOf(node) === 'replace' ? fresh(pv, node) : mergeMap(ov, pv as JMap, node);
  } else if (Array.isArray(ov)) {
    out[k] = mergeSliceHandler(ov, pv as unknown[], node, isDeleteList);
  } else {
    out[k] = pv;
  }
}

/** A patch value landing where the original has nothing: merged against emptiness. */
function fresh(pv: unknown, node: SchemaNode | undefined): unknown {
  if (isPlainObject(pv)) return mergeMap(undefined, pv, node);
  if (Array.isArray(pv) && strategyOf(node) === 'merge' && node?.patchMergeKey) {
    // Upstream takes such a list as sent; we only drop directive elements and clean each element, and
    // leave missing merge keys to validation (as upstream, which would store them and then reject).
    return pv
      .filter((e) => !(isPlainObject(e) && e[DIRECTIVE] === 'delete'))
      .map((e) => {
        if (!isPlainObject(e)) return e;
        const { [DIRECTIVE]: _directive, ...rest } = e;
        return mergeMap(undefined, rest, node.items);
      });
  }
  return pv;
}

function mergeSliceHandler(original: unknown[], patch: unknown[], node: SchemaNode | undefined, isDeleteList: boolean): unknown[] {
  // Deletion lists are applied whatever the field's strategy; other non-merge lists are replaced.
  if (strategyOf(node) === 'merge' || isDeleteList) return mergeSlice(original, patch, node, isDeleteList);
  return patch;
}

function mergeSlice(original: unknown[], patch: unknown[], node: SchemaNode | undefined, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch)!;
  const mergeKey = node?.patchMergeKey ?? '';
  let merged: unknown[];
  let serverOrder = original;
  let patchItems = patch;
  if (kind !== 'map') {
    if (isDeleteList) return original.filter((v) => !patch.includes(v));
    merged = [...new Set([...original, ...patch])];
  } else {
    if (!mergeKey) throw new PatchError('MergeFailed', `cannot merge lists without merge key for ${node?.type ?? 'array'}`);
    [serverOrder, patchItems] = mergeSliceWithSpecialElements(original, patch, mergeKey, node?.items);
    merged = mergeSliceWithoutSpecialElements(serverOrder, patchItems, mergeKey, node?.items);
  }
  const [inPatch, serverOnly] = partitionByPresence(merged, patchItems, kind === 'map' ? mergeKey : '', kind);
  return normalizeElementOrder(inPatch, serverOnly, patchItems, serverOrder, mergeKey, kind);
}

/**
 * Handles `{"$patch":"delete", <key>: v}` (drop matching originals) and `{"$patch":"replace"}` (the
 * list becomes the patch's other elements). Returns the new original and the plain patch elements.
 */
function mergeSliceWithSpecialElements(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
  itemSchema: SchemaNode | undefined,
): [unknown[], unknown[]] {
  const plain: unknown[] = [];
  let replace = false;
  let orig = original;
  for (const v of patch) {
    const m = v as JMap;
    if (!hasOwn(m, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    switch (m[DIRECTIVE]) {
      case 'delete':
        if (!hasOwn(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
        orig = orig.filter((e) => !(isPlainObject(e) && hasOwn(e, mergeKey) && e[mergeKey] === m[mergeKey]));
        break;
      case 'replace':
        replace = true;
        break;
      case 'merge':
        throw new PatchError('MergeFailed', 'merging lists cannot yet be specified in the patch');
      default:
        throw errBadPatchType(m[DIRECTIVE], m);
    }
  }
  if (replace) return [plain.map((v) => mergeMap(undefined, v as JMap, itemSchema)), []];
  return [orig, plain];
}

function mergeSliceWithoutSpecialElements(original: unknown[], patch: unknown[], mergeKey: string, itemSchema: SchemaNode | undefined): unknown[] {
  const out = [...original];
  for (const v of patch) {
    const m = v as JMap;
    if (!hasOwn(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
    const idx = out.findIndex((e) => {
      if (!isPlainObject(e)) throw new PatchError('MergeFailed', `value for key ${out.indexOf(e)} is not a map.`);
      return hasOwn(e, mergeKey) && e[mergeKey] === m[mergeKey];
    });
    if (idx >= 0) out[idx] = mergeMap(out[idx] as JMap, m, itemSchema);
    else out.push(mergeMap(undefined, m, itemSchema));
  }
  return out;
}

/** `$retainKeys`: drop every original key not listed (the patch may only set listed keys). */
function applyRetainKeysDirective(out: JMap, patch: JMap): void {
  if (!hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw new PatchError('BadFormat', ERR_BAD_RETAIN_KEYS);
  const keep = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_PRIMITIVE_PREFIX) || k.startsWith(SET_ORDER_PREFIX)) continue;
    if (!keep.has(k)) throw new PatchError('BadFormat', ERR_BAD_RETAIN_KEYS);
  }
  for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
}

/**
 * `$setElementOrder/<field>`: merge the field's list now and order the result — items named in the
 * directive in its order, items only the server has in their live order (upstream
 * mergePatchIntoOriginal). The merged list is removed from the patch so it is not merged again.
 */
function mergeSetElementOrder(out: JMap, patch: JMap, schema: SchemaNode | undefined): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER_PREFIX)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw errBadArgType('list', order);
    const field = extractKey(key, SET_ORDER_PREFIX);
    const foundOriginal = hasOwn(out, field);
    const foundPatch = hasOwn(patch, field);
    const origList = out[field];
    const patchList = patch[field];
    if (foundOriginal && !Array.isArray(origList)) throw errBadArgType('list', origList);
    if (foundPatch && !Array.isArray(patchList)) throw errBadArgType('list', patchList);
    const node = child(schema, field);
    const mergeKey = node?.patchMergeKey ?? '';
    const serverOrder = (origList as unknown[] | undefined) ?? [];
    const kind = sliceElementKind(serverOrder, (patchList as unknown[] | undefined) ?? []);
    // Maps without a merge key cannot be matched to the order list (upstream would panic comparing maps).
    const orderable = kind !== undefined && !(kind === 'map' && !mergeKey);
    if (orderable) validatePatchWithSetOrderList((patchList as unknown[] | undefined) ?? [], order, mergeKey);
    let merged: unknown[];
    if (foundOriginal && foundPatch) merged = mergeSliceHandler(origList as unknown[], patchList as unknown[], node, false);
    else if (foundOriginal) merged = origList as unknown[];
    else if (foundPatch) merged = fresh(patchList, node) as unknown[];
    else continue;
    if (!orderable) {
      out[field] = merged;
    } else {
      const [inOrder, serverOnly] = partitionByPresence(merged, order, mergeKey, kind!);
      out[field] = normalizeElementOrder(inOrder, serverOnly, order, serverOrder, mergeKey, kind!);
    }
    delete patch[field];
  }
}
