// A sorted array of keys with binary-search insert/remove and range lookup: the watch cache's index
// for serving sorted, paged lists from memory. Insert/remove shift the array (memmove), which for
// 10k keys is microseconds — cheaper than re-sorting on every list. Order is JavaScript string
// order (UTF-16 units); it equals SQLite's byte order for the ASCII keys Kubernetes uses.

/** Index of the first key >= `key`. */
export function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first key > `key`. */
export function upperBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function insertKey(keys: string[], key: string): void {
  const i = lowerBound(keys, key);
  if (keys[i] !== key) keys.splice(i, 0, key);
}

export function removeKey(keys: string[], key: string): void {
  const i = lowerBound(keys, key);
  if (keys[i] === key) keys.splice(i, 1);
}

/** [start, end) indexes of the keys starting with `prefix` (they are contiguous in sorted order). */
export function prefixSpan(keys: readonly string[], prefix: string): [number, number] {
  const start = lowerBound(keys, prefix);
  if (prefix === '') return [0, keys.length];
  const last = prefix.charCodeAt(prefix.length - 1);
  // '/ns/' → '/ns0': the smallest string greater than every extension of the prefix.
  const end = last < 0xffff ? lowerBound(keys, prefix.slice(0, -1) + String.fromCharCode(last + 1)) : keys.length;
  return [start, end];
}
