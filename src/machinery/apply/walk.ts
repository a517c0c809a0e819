// The four value walks server-side apply is built from, after structured-merge-diff's typed package:
// ToFieldSet (which paths a value sets), Compare (added / modified / removed paths between two
// values), Merge (a config laid over a live object, associative lists merged by key) and RemoveItems
// (drop the given paths). Plus EnsureNamedFieldsAreMembers, which pruning needs.
import { isPlainObject } from '../object.js';
import type { SchemaNode } from '../schema-node.js';
import { FieldSet, type Path } from './fieldset.js';
import { type Atom, atomOf, childSchema, deepEqual, indexItems, isEmpty, isNamedField, itemElement, present } from './typed.js';

/** The paths a value sets: leaves, atomic values and associative list elements (not structs or maps). */
export function toFieldSet(value: unknown, schema: SchemaNode | undefined): FieldSet {
  const set = new FieldSet();
  walkSet(value, schema, [], set);
  return set;
}

function walkSet(value: unknown, schema: SchemaNode | undefined, path: string[], set: FieldSet): void {
  const atom = atomOf(schema, value);
  switch (atom.kind) {
    case 'leaf':
      if (path.length > 0) set.insert(path);
      return;
    case 'struct':
    case 'map':
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (!present(v)) continue;
        const p = [...path, `f:${k}`];
        walkSet(v, childSchema(atom, k), p, set);
        // Map entries (anything but a declared struct field) are owned themselves, as upstream.
        if (!declared(atom, k)) set.insert(p);
      }
      return;
    case 'list':
      for (const item of value as unknown[]) {
        const p = [...path, itemElement(atom, item)];
        walkSet(item, atom.elem, p, set);
        set.insert(p);
      }
  }
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** What changed from `lhs` to `rhs`, path by path. */
export function compare(lhs: unknown, rhs: unknown, schema: SchemaNode | undefined): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walkCompare(lhs, rhs, schema, [], c);
  return c;
}

function shapeOf(v: unknown): string {
  return Array.isArray(v) ? 'list' : isPlainObject(v) ? 'map' : 'scalar';
}

function declared(atom: Atom, name: string): boolean {
  return atom.kind === 'struct' && isNamedField(atom.schema, name);
}

function walkCompare(l: unknown, r: unknown, schema: SchemaNode | undefined, path: string[], c: Comparison, field = false): void {
  const lp = present(l);
  const rp = present(r);
  const atom: Atom = lp && rp && shapeOf(l) !== shapeOf(r) ? { kind: 'leaf' } : atomOf(schema, rp ? r : l);
  // Empty or absent on both sides counts as a leaf, keeping the empty/null distinction (upstream).
  if (atom.kind === 'leaf' || (isEmpty(l) && isEmpty(r))) {
    if (path.length === 0) return;
    if (!lp) c.added.insert(path);
    else if (!rp) c.removed.insert(path);
    else if (!deepEqual(l, r)) c.modified.insert(path);
    return;
  }
  if (atom.kind === 'list') {
    const li = indexItems(atom, l);
    const ri = indexItems(atom, r);
    const all = [...li.pes, ...ri.pes.filter((pe) => !li.byPe.has(pe))];
    for (const pe of all) walkCompare(li.byPe.get(pe), ri.byPe.get(pe), atom.elem, [...path, pe], c);
  } else {
    const lm = (lp ? l : {}) as Record<string, unknown>;
    const rm = (rp ? r : {}) as Record<string, unknown>;
    const keys = new Set([...Object.keys(lm), ...Object.keys(rm)]);
    for (const k of keys) {
      if (!present(lm[k]) && !present(rm[k])) continue;
      walkCompare(lm[k], rm[k], childSchema(atom, k), [...path, `f:${k}`], c, declared(atom, k));
    }
  }
  // A map, list, map entry or list element that appears or disappears as a whole is itself added or
  // removed. Declared struct-valued fields are not: upstream's typed objects always carry their
  // (non-pointer) structs, so those never gain a "." entry in Update-owned field sets.
  if (path.length === 0 || (field && atom.kind === 'struct')) return;
  if (!lp) c.added.insert(path);
  else if (!rp) c.removed.insert(path);
}

/** `config` laid over `live`: maps merge per key, associative lists per element, the rest is replaced. */
export function merge(live: unknown, config: unknown, schema: SchemaNode | undefined): unknown {
  if (!present(config)) return live;
  if (!present(live) || shapeOf(live) !== shapeOf(config)) return structuredClone(config);
  const atom = atomOf(schema, config);
  if (atom.kind === 'leaf') return structuredClone(config);
  if (atom.kind === 'list') return mergeList(atom, live as unknown[], config as unknown[]);
  const out: Record<string, unknown> = { ...(live as Record<string, unknown>) };
  for (const [k, v] of Object.entries(config as Record<string, unknown>)) {
    if (present(v)) out[k] = merge(out[k], v, childSchema(atom, k));
  }
  return out;
}

/** structured-merge-diff's list merge: shared elements follow the config's order, live-only
 *  elements keep their place relative to them, config-only elements come in where the config has them. */
function mergeList(atom: Atom & { kind: 'list' }, live: unknown[], config: unknown[]): unknown[] {
  const l = indexItems(atom, live);
  const r = indexItems(atom, config);
  const shared = r.pes.filter((pe) => l.byPe.has(pe));
  let nextShared = 0;
  const merged = new Set<string>();
  const out: unknown[] = [];
  const advance = (pe: string) => {
    if (shared[nextShared] === pe) nextShared++;
  };
  let li = 0;
  let ri = 0;
  while (li < l.pes.length || ri < r.pes.length) {
    if (li < l.pes.length && ri < r.pes.length) {
      const pe = l.pes[li]!;
      if (pe === r.pes[ri]) {
        out.push(merge(l.byPe.get(pe), r.byPe.get(pe), atom.elem));
        merged.add(pe);
        li++;
        ri++;
        advance(pe);
        continue;
      }
      if (r.byPe.has(pe) && nextShared < shared.length && shared[nextShared] !== pe) {
        li++;
        continue;
      }
    }
    if (li < l.pes.length) {
      const pe = l.pes[li]!;
      if (!r.byPe.has(pe)) {
        out.push(l.byPe.get(pe));
        li++;
        continue;
      }
      if (merged.has(pe)) {
        li++;
        continue;
      }
    }
    if (ri < r.pes.length) {
      const pe = r.pes[ri]!;
      merged.add(pe);
      out.push(merge(l.byPe.get(pe), r.byPe.get(pe), atom.elem));
      ri++;
      advance(pe);
    }
  }
  return out;
}

/** `value` without the paths in `set` (a removed path takes its subtree; emptied maps and lists go too). */
export function removeItems(value: unknown, set: FieldSet, schema: SchemaNode | undefined): unknown {
  if (!present(value)) return value;
  const atom = atomOf(schema, value);
  if (atom.kind === 'leaf') return value;
  if (atom.kind === 'list') {
    const list = value as unknown[];
    if (list.length === 0) return value;
    const out: unknown[] = [];
    for (const item of list) {
      const pe = itemElement(atom, item);
      const sub = set.children.get(pe);
      if (sub?.member) continue;
      out.push(sub && sub.children.size > 0 ? removeItems(item, sub, atom.elem) : item);
    }
    return out.length > 0 ? out : undefined;
  }
  const obj = value as Record<string, unknown>;
  if (Object.keys(obj).length === 0) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const sub = set.children.get(`f:${k}`);
    if (sub?.member) continue;
    const nv = sub && sub.children.size > 0 ? removeItems(v, sub, childSchema(atom, k)) : v;
    if (nv !== undefined) out[k] = nv;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Adds, as members, the declared struct fields that only appear as parents of members. */
export function ensureNamedFieldsAreMembers(set: FieldSet, schema: SchemaNode | undefined): FieldSet {
  const out = new FieldSet();
  out.member = set.member;
  for (const [pe, child] of set.children) {
    const name = pe.startsWith('f:') ? pe.slice(2) : undefined;
    const childSch = name !== undefined ? (schema?.property(name) ?? schema?.additionalProperties) : schema?.items;
    const sub = ensureNamedFieldsAreMembers(child, childSch);
    if (name !== undefined && isNamedField(schema, name)) sub.member = true;
    out.children.set(pe, sub);
  }
  return out;
}

export type { Path };
