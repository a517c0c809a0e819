// List ordering for strategic merge patch, as upstream strategicpatch's normalizeElementOrder: after a
// merge, the items named by the patch (or by its `$setElementOrder/<field>` list) take the patch's
// order, the items only the server had keep their live order, and the two sequences are interleaved
// using the live list as the reference. Worked example: live [a,b,c], patch [b', d] →
// patch items [b', d], server-only [a, c] → a (before b in live), b', d (new: not in live, so it goes
// before the remaining server items), c → [a, b', d, c]. Also the shared SMP error constructors.
import { isPlainObject } from '../object.js';
import { PatchError, goFormat } from './patch-error.js';

export const DIRECTIVE = '$patch';
export type ElementKind = 'map' | 'string' | 'number' | 'boolean' | 'null';

// ---- upstream mergepatch errors ----
const goType = (v: unknown) =>
  v === null || v === undefined
    ? '<nil>'
    : Array.isArray(v)
      ? '[]interface {}'
      : typeof v === 'object'
        ? 'map[string]interface {}'
        : typeof v === 'number'
          ? 'float64'
          : typeof v === 'boolean'
            ? 'bool'
            : 'string';
export const errBadArgType = (expected: 'map' | 'list', actual: unknown) =>
  new PatchError('MergeFailed', `expected a ${expected === 'map' ? 'map[string]interface {}' : '[]interface {}'}, but received a ${goType(actual)}`);
export const errNoMergeKey = (m: unknown, key: string) => new PatchError('MergeFailed', `map: ${goFormat(m)} does not contain declared merge key: ${key}`);
export const errBadPatchType = (t: unknown, m: unknown) => new PatchError('MergeFailed', `unknown patch type: ${goFormat(t)} in map: ${goFormat(m)}`);
export const ERR_NO_LIST_OF_LISTS = 'lists of lists are not supported';
export const ERR_BAD_RETAIN_KEYS = 'invalid patch format of retainKeys';
export const ERR_BAD_PRIMITIVE_LIST = 'invalid patch format of primitive list';
export const ERR_BAD_SET_ORDER = 'invalid patch format of setElementOrder list';

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** The common element kind of the given lists (upstream sliceElementType); lists of lists are rejected. */
export function sliceElementKind(...lists: unknown[][]): ElementKind | undefined {
  let kind: ElementKind | undefined;
  for (const l of lists) {
    for (const v of l) {
      if (Array.isArray(v)) throw new PatchError('Unprocessable', ERR_NO_LIST_OF_LISTS);
      const k: ElementKind = v === null ? 'null' : isPlainObject(v) ? 'map' : (typeof v as ElementKind);
      if (kind === undefined) kind = k;
      else if (kind !== k) throw new PatchError('MergeFailed', `list element types are not identical: ${lists.map(goFormat).join(' ')}`);
    }
  }
  return kind;
}

/** The value an item is identified by: its merge key for maps, itself for scalars. */
function identity(item: unknown, mergeKey: string, kind: ElementKind): unknown {
  if (kind !== 'map') return item;
  return isPlainObject(item) ? item[mergeKey] : undefined;
}

/** Position of `val` in `list` by identity, or -1 (upstream index()). */
export function indexOf(list: unknown[], val: unknown, mergeKey: string, kind: ElementKind): number {
  const id = identity(val, mergeKey, kind);
  return list.findIndex((v) => identity(v, mergeKey, kind) === id);
}

/** Splits `items` into those present in `by` (by identity) and the rest, each keeping its order. */
export function partitionByPresence(items: unknown[], by: unknown[], mergeKey: string, kind: ElementKind): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of items) {
    if (kind === 'map') {
      if (!isPlainObject(v)) throw errBadArgType('map', v);
      if (!hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    }
    (indexOf(by, v, mergeKey, kind) >= 0 ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}

function validateMergeKeyInLists(mergeKey: string, ...lists: unknown[][]): void {
  for (const l of lists) {
    for (const item of l) {
      if (!isPlainObject(item)) throw errBadArgType('map', item);
      if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

const isDeleteElement = (v: unknown) => isPlainObject(v) && v[DIRECTIVE] === 'delete';

/** Stable sort of `toSort` by position in `order` (upstream normalizeSliceOrder). */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  let keep = toSort;
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, toSort, order);
    keep = toSort.filter((v) => !isDeleteElement(v));
    toDelete = toSort.filter(isDeleteElement);
  }
  const sorted = keep
    .map((v, i) => ({ v, i, pos: indexOf(order, v, mergeKey, kind) }))
    .sort((a, b) => a.pos - b.pos || a.i - b.i)
    .map((e) => e.v);
  return [...sorted, ...toDelete];
}

/**
 * Interleaves server-only items (`left`) into patch items (`right`): a server item goes first only
 * when both are in the live list and it comes before the patch item there (upstream mergeSortedSlice).
 */
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexOf(serverOrder, left[i], mergeKey, kind);
      const ri = indexOf(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

export function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const p = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isPlainObject(left)) throw errBadArgType('map', left);
  if (!isPlainObject(right)) throw errBadArgType('map', right);
  if (!hasOwn(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

/**
 * The patch list's items (deletions aside) must appear in `$setElementOrder` in the same relative order
 * (upstream validatePatchWithSetOrderList).
 */
export function validatePatchWithSetOrderList(patchList: unknown[], setOrder: unknown[], mergeKey: string): void {
  if (setOrder.length === 0 || patchList.length === 0) return;
  let nonDelete = patchList;
  if (mergeKey) {
    for (const v of patchList) if (!isPlainObject(v)) throw errBadArgType('map', v);
    nonDelete = patchList.filter((v) => !isDeleteElement(v));
  }
  let pi = 0;
  let si = 0;
  while (pi < nonDelete.length && si < setOrder.length) {
    if (isPlainObject(nonDelete[pi]) && hasOwn(nonDelete[pi] as object, DIRECTIVE)) {
      pi++;
      continue;
    }
    if (mergeKeyValueEqual(nonDelete[pi], setOrder[si], mergeKey)) pi++;
    si++;
  }
  if (pi < nonDelete.length && si >= setOrder.length) {
    throw new PatchError(
      'MergeFailed',
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match $setElementOrder list:\n${goFormat(setOrder)}\n`,
    );
  }
}
