// metadata.managedFields in and out: decoding the entries into field sets keyed by manager identity
// (upstream's BuildManagerIdentifier: manager + operation + subresource, plus apiVersion for Update
// entries only, so an applier keeps one entry across versions), encoding them back sorted as upstream
// does, the meta fields nobody owns (stripMeta), and the cap of 10 Update entries (capManagers).
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1.js';
import { isPlainObject, type KubeObject } from '../object.js';
import { FieldSet } from './fieldset.js';

export type Operation = 'Apply' | 'Update';

export interface ManagerEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string;
  /** RFC 3339 (seconds) time of the manager's last change, when known. */
  time?: string;
  set: FieldSet;
}

export type Managers = Map<string, ManagerEntry>;

/** The JSON identity upstream keys managers by (Go field order, empty fields omitted). */
export function identity(e: { manager: string; operation: string; apiVersion?: string; subresource?: string }): string {
  const id: Record<string, string> = { manager: e.manager, operation: e.operation };
  if (!id.manager) delete id.manager;
  if (e.operation === 'Update' && e.apiVersion) id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  return JSON.stringify(id);
}

/** Parses an object's managedFields; undefined when they are malformed (upstream then ignores them). */
export function decodeManaged(obj: KubeObject | undefined): Managers | undefined {
  const out: Managers = new Map();
  const raw: unknown = obj?.metadata?.managedFields;
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) return undefined;
  for (const item of raw) {
    if (!isPlainObject(item)) return undefined;
    const e = item as ManagedFieldsEntry;
    if (e.fieldsType !== undefined && e.fieldsType !== 'FieldsV1') return undefined;
    const operation = e.operation === 'Apply' ? 'Apply' : 'Update';
    const entry: ManagerEntry = {
      manager: e.manager ?? '',
      operation,
      apiVersion: e.apiVersion ?? '',
      ...(e.subresource ? { subresource: e.subresource } : {}),
      ...(e.time ? { time: e.time } : {}),
      set: FieldSet.fromFieldsV1(e.fieldsV1),
    };
    const id = identity(entry);
    const prev = out.get(id);
    if (prev) prev.set = prev.set.union(entry.set);
    else out.set(id, entry);
  }
  return out;
}

function seconds(t: string | undefined): number {
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Entries in upstream's order: operation, time, manager, apiVersion, subresource. Empty sets are dropped. */
export function encodeManaged(managers: Managers): ManagedFieldsEntry[] {
  const entries = [...managers.values()].filter((e) => !e.set.empty());
  entries.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource ?? '', q.subresource ?? ''),
  );
  return entries.map((e) => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    ...(e.time ? { time: e.time } : {}),
    fieldsType: 'FieldsV1',
    fieldsV1: e.set.toFieldsV1() as ManagedFieldsEntry['fieldsV1'],
    ...(e.subresource ? { subresource: e.subresource } : {}),
  }));
}

/** Sets (or clears) metadata.managedFields on `obj`. */
export function setManagedFields(obj: KubeObject, managers: Managers): void {
  const encoded = encodeManaged(managers);
  obj.metadata ??= {};
  if (encoded.length > 0) obj.metadata.managedFields = encoded;
  else delete obj.metadata.managedFields;
}

export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Fields upstream never tracks (stripMetaManager), plus the server-set deletion fields. */
const STRIPPED: string[][] = [
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ...[
    'name',
    'namespace',
    'creationTimestamp',
    'selfLink',
    'uid',
    'clusterName',
    'generation',
    'managedFields',
    'resourceVersion',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
  ].map((f) => ['f:metadata', `f:${f}`]),
];
const STRIP_SET = FieldSet.fromPaths(STRIPPED);

export function stripMeta(set: FieldSet): FieldSet {
  return set.difference(STRIP_SET);
}

/** Fields a write through the main resource or a subresource does not own (resetFields). */
export function ignoredFields(subresource: string | undefined): FieldSet {
  if (subresource === 'status') return FieldSet.fromPaths([['f:spec']]);
  if (subresource) return new FieldSet();
  return FieldSet.fromPaths([['f:status']]);
}

export const MAX_UPDATE_MANAGERS = 10;
const ANCIENT = 'ancient-changes';

/** Folds the oldest Update entries into per-version "ancient-changes" buckets once there are more than 10. */
export function capUpdateManagers(managers: Managers): void {
  const updaters = [...managers.entries()].filter(([, e]) => e.operation === 'Update');
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  updaters.sort(([ia, a], [ib, b]) => seconds(a.time) - seconds(b.time) || cmp(ia, ib));
  const firstByVersion = new Map<string, string>();
  let length = updaters.length;
  for (const [id, e] of updaters) {
    if (length <= MAX_UPDATE_MANAGERS) break;
    const bucket = identity({ manager: ANCIENT, operation: 'Update', apiVersion: e.apiVersion });
    const first = firstByVersion.get(e.apiVersion);
    if (first === undefined) {
      firstByVersion.set(e.apiVersion, id);
      continue;
    }
    if (!managers.has(bucket)) {
      const f = managers.get(first)!;
      managers.delete(first);
      managers.set(bucket, { ...f, manager: ANCIENT, operation: 'Update', subresource: undefined });
    }
    const b = managers.get(bucket)!;
    managers.set(bucket, { ...b, set: b.set.union(e.set), ...(e.time ? { time: e.time } : {}) });
    managers.delete(id);
    length--;
  }
}
