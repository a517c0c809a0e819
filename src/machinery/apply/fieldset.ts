// Sets of field paths, as structured-merge-diff's fieldpath.Set: a tree whose nodes are path elements
// and whose "members" are the paths in the set. Path elements are kept in their FieldsV1 spelling
// (`f:name`, `k:{"name":"nginx"}`, `v:"foo"`, `i:3`), so a set converts to and from the
// `metadata.managedFields[].fieldsV1` JSON directly, and prints as upstream's Path.String()
// (`.spec.template.spec.containers[name="nginx"].image`) in conflict messages.
import { isPlainObject } from '../object.js';

export type Path = readonly string[];

export class FieldSet {
  /** Whether the path leading to this node is itself in the set. */
  member = false;
  readonly children = new Map<string, FieldSet>();

  static fromPaths(paths: Iterable<Path>): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  insert(path: Path): void {
    let node: FieldSet = this;
    for (const pe of path) {
      let next = node.children.get(pe);
      if (!next) node.children.set(pe, (next = new FieldSet()));
      node = next;
    }
    node.member = true;
  }

  has(path: Path): boolean {
    const n = this.node(path);
    return n !== undefined && n.member;
  }

  /** The subtree below `path` (the paths in the set that start with it, with the prefix dropped). */
  node(path: Path): FieldSet | undefined {
    let node: FieldSet | undefined = this;
    for (const pe of path) {
      node = node.children.get(pe);
      if (!node) return undefined;
    }
    return node;
  }

  /** True when no path is a member (members of the root aside, which never occur). */
  empty(): boolean {
    for (const c of this.children.values()) if (c.member || !c.empty()) return false;
    return true;
  }

  copy(): FieldSet {
    const s = new FieldSet();
    s.member = this.member;
    for (const [pe, c] of this.children) s.children.set(pe, c.copy());
    return s;
  }

  union(other: FieldSet): FieldSet {
    const s = this.copy();
    s.addAll(other);
    return s;
  }

  private addAll(other: FieldSet): void {
    if (other.member) this.member = true;
    for (const [pe, oc] of other.children) {
      let c = this.children.get(pe);
      if (!c) this.children.set(pe, (c = new FieldSet()));
      c.addAll(oc);
    }
  }

  /** Members of this set that are not members of `other` (path by path, not by prefix). */
  difference(other: FieldSet | undefined): FieldSet {
    return combine(this, other, (a, b) => a && !b);
  }

  intersection(other: FieldSet | undefined): FieldSet {
    return combine(this, other, (a, b) => a && b);
  }

  /** Removes every path that is in `other` or lies below one of `other`'s members. */
  recursiveDifference(other: FieldSet | undefined): FieldSet {
    const out = new FieldSet();
    if (!other) return this.copy();
    out.member = this.member && !other.member;
    for (const [pe, c] of this.children) {
      const oc = other.children.get(pe);
      if (oc?.member) continue;
      const sub = oc ? c.recursiveDifference(oc) : c.copy();
      if (sub.member || sub.children.size > 0) out.children.set(pe, sub);
    }
    return out;
  }

  /** Every member path, in upstream's iteration order: this level's leaves first, then subtrees. */
  paths(prefix: Path = []): Path[] {
    const out: Path[] = [];
    const keys = sortedElements(this.children.keys());
    for (const pe of keys) if (this.children.get(pe)!.member) out.push([...prefix, pe]);
    for (const pe of keys) {
      const c = this.children.get(pe)!;
      if (c.children.size > 0) out.push(...c.paths([...prefix, pe]));
    }
    return out;
  }

  /** The FieldsV1 JSON of this set. */
  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.member && this.children.size > 0) out['.'] = {};
    for (const pe of sortedElements(this.children.keys())) {
      const c = this.children.get(pe)!;
      if (!c.member && c.empty()) continue;
      out[pe] = c.toFieldsV1();
    }
    return out;
  }

  static fromFieldsV1(json: unknown): FieldSet {
    const s = new FieldSet();
    decodeInto(s, json);
    return s;
  }
}

function decodeInto(node: FieldSet, json: unknown): void {
  if (!isPlainObject(json)) return;
  for (const [k, v] of Object.entries(json)) {
    if (k === '.') {
      node.member = true;
      continue;
    }
    const child = new FieldSet();
    if (isPlainObject(v) && Object.keys(v).length === 0) child.member = true;
    else decodeInto(child, v);
    node.children.set(k, child);
  }
}

function combine(a: FieldSet, b: FieldSet | undefined, keep: (inA: boolean, inB: boolean) => boolean): FieldSet {
  const out = new FieldSet();
  out.member = keep(a.member, b?.member ?? false);
  for (const [pe, c] of a.children) {
    const sub = combine(c, b?.children.get(pe), keep);
    if (sub.member || sub.children.size > 0) out.children.set(pe, sub);
  }
  return out;
}

const RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** Upstream orders path elements field names first, then keys, values and indexes. */
export function sortedElements(pes: Iterable<string>): string[] {
  return [...pes].sort((a, b) => {
    const ra = RANK[a[0]!] ?? 9;
    const rb = RANK[b[0]!] ?? 9;
    if (ra !== rb) return ra - rb;
    if (a[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/** Go's value.ToString for the scalars that appear in keys and set values. */
function valueString(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** One path element as fieldpath.PathElement.String(). */
export function elementString(pe: string): string {
  const body = pe.slice(2);
  switch (pe[0]) {
    case 'f':
      return `.${body}`;
    case 'k': {
      const key = JSON.parse(body) as Record<string, unknown>;
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${valueString(v)}`)
        .join(',')}]`;
    }
    case 'v':
      return `[=${valueString(JSON.parse(body))}]`;
    case 'i':
      return `[${body}]`;
    default:
      return '{{invalid path element}}';
  }
}

/** A path as fieldpath.Path.String(): `.spec.template.spec.containers[name="nginx"].image`. */
export function pathString(path: Path): string {
  return path.map(elementString).join('');
}

/** JSON with object keys sorted, as Go marshals maps (used for key and value path elements). */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
