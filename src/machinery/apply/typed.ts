// How apply sees a value through its schema (structured-merge-diff's "atoms"): a scalar or atomic
// leaf, a struct of declared fields, a granular map, or an associative list (`map` keyed by
// listMapKeys / patchMergeKey, or `set` of primitives). Unknown or free-form parts are "deduced" as
// upstream does: objects are granular maps, lists are atomic.
import { isPlainObject } from '../object.js';
import type { SchemaNode } from '../schema-node.js';
import { stableJson } from './fieldset.js';

export type Atom =
  | { kind: 'leaf' }
  | { kind: 'struct'; schema: SchemaNode }
  | { kind: 'map'; elem: SchemaNode | undefined }
  | { kind: 'list'; rel: 'set' | 'map'; keys: string[]; elem: SchemaNode | undefined };

/** The list semantics upstream derives from x-kubernetes-list-type or the strategic-merge extensions. */
export function listSemantics(schema: SchemaNode): { rel: 'atomic' | 'set' | 'map'; keys: string[] } {
  const merge = schema.patchStrategy?.includes('merge') ?? false;
  const rel = schema.listType ?? (merge ? (schema.patchMergeKey ? 'map' : 'set') : 'atomic');
  if (rel !== 'map') return { rel, keys: [] };
  const keys = schema.listMapKeys ?? (schema.patchMergeKey ? [schema.patchMergeKey] : []);
  return keys.length > 0 ? { rel, keys } : { rel: 'atomic', keys };
}

/** Classifies `value` (the side that is present) under `schema`. */
export function atomOf(schema: SchemaNode | undefined, value: unknown): Atom {
  if (Array.isArray(value)) {
    if (!schema) return { kind: 'leaf' };
    const { rel, keys } = listSemantics(schema);
    if (rel === 'atomic') return { kind: 'leaf' };
    return { kind: 'list', rel, keys, elem: schema.items };
  }
  if (isPlainObject(value)) {
    if (!schema) return { kind: 'map', elem: undefined };
    if (schema.mapType === 'atomic') return { kind: 'leaf' };
    if (schema.propertyNames().length > 0) return { kind: 'struct', schema };
    if (schema.type === 'array' || (schema.type && schema.type !== 'object')) return { kind: 'leaf' };
    return { kind: 'map', elem: schema.additionalProperties };
  }
  return { kind: 'leaf' };
}

/** Schema of a named child of a struct or map. */
export function childSchema(atom: Atom, name: string): SchemaNode | undefined {
  if (atom.kind === 'struct') return atom.schema.property(name) ?? atom.schema.additionalProperties;
  if (atom.kind === 'map') return atom.elem;
  return undefined;
}

/** True when `name` is a declared field of the struct `schema` (upstream's "named field"). */
export function isNamedField(schema: SchemaNode | undefined, name: string): boolean {
  return !!schema && schema.mapType !== 'atomic' && schema.property(name) !== undefined;
}

/** Upstream fills omitted key fields from their defaults; `protocol` (TCP) is the one built-ins use. */
const KEY_DEFAULTS: Record<string, unknown> = { protocol: 'TCP' };

/** The path element naming one element of an associative list. */
export function itemElement(atom: Atom & { kind: 'list' }, item: unknown): string {
  if (atom.rel === 'map' && isPlainObject(item)) {
    const key: Record<string, unknown> = {};
    for (const k of atom.keys) {
      const v = item[k] ?? KEY_DEFAULTS[k];
      if (v !== undefined && v !== null) key[k] = v;
    }
    return `k:${stableJson(key)}`;
  }
  return `v:${stableJson(item)}`;
}

export function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

export function isEmpty(v: unknown): boolean {
  if (!present(v)) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isPlainObject(v)) return Object.keys(v).length === 0;
  return false;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => present(a[k]));
    const kb = Object.keys(b).filter((k) => present(b[k]));
    if (ka.length !== kb.length) return false;
    return ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** Elements of an associative list indexed by path element; the first of duplicates wins. */
export function indexItems(atom: Atom & { kind: 'list' }, list: unknown): { pes: string[]; byPe: Map<string, unknown> } {
  const pes: string[] = [];
  const byPe = new Map<string, unknown>();
  for (const item of Array.isArray(list) ? list : []) {
    const pe = itemElement(atom, item);
    if (byPe.has(pe)) continue;
    byPe.set(pe, item);
    pes.push(pe);
  }
  return { pes, byPe };
}

