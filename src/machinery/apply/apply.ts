// Server-side apply (PATCH application/apply-patch+yaml), as upstream's fieldmanager stack: the
// applied configuration is merged over the live object, the fields the manager applied before but
// no longer applies are pruned unless someone else owns them, ownership of changed fields moves to
// the applier (409 on conflicts unless force), and for the "kubectl" manager the client-side-apply
// annotation is honoured (conflicts with fields unchanged since the last client-side apply are
// allowed, and the annotation is kept in sync), as lastAppliedManager / lastAppliedUpdater do.
import { badRequest } from '../errors.js';
import { deepCopy, isPlainObject, type KubeObject } from '../object.js';
import type { SchemaNode } from '../schema-node.js';
import { type Conflict, ConflictList, conflictError } from './conflicts.js';
import { FieldSet } from './fieldset.js';
import { decodeManaged, identity, ignoredFields, type Managers, rfc3339, setManagedFields, stripMeta } from './managed.js';
import { deepEqual, present } from './typed.js';
import { prune, transfer } from './updater.js';
import { compare, merge, toFieldSet } from './walk.js';

export interface ApplyOptions {
  live: KubeObject | undefined;
  applied: KubeObject;
  manager: string;
  force: boolean;
  schema: SchemaNode | undefined;
  apiVersion: string;
  subresource?: string;
  now: Date;
  groupResource: { group: string; resource: string };
}

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Null means "unset" in an applied configuration; upstream's typed conversion drops them too. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (present(x)) out[k] = withoutNulls(x);
    return out;
  }
  return v;
}

function checkApplied(o: ApplyOptions): void {
  const a = o.applied;
  if (!isPlainObject(a)) throw badRequest('error decoding YAML: the applied configuration must be an object');
  if (!a.apiVersion || typeof a.apiVersion !== 'string')
    throw badRequest(`Object 'apiVersion' is missing in '${JSON.stringify(a)}'`);
  if (!a.kind || typeof a.kind !== 'string') throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(a)}'`);
  if (a.apiVersion !== o.apiVersion)
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${a.apiVersion}, expected: ${o.apiVersion}`,
    );
  if (a.metadata?.managedFields !== undefined && a.metadata.managedFields !== null)
    throw badRequest('metadata.managedFields must be nil');
  if (!a.metadata?.name) throw badRequest('metadata.name: Required value: name is required');
}

interface Outcome {
  object: KubeObject;
  managers: Managers;
}

function applyOnce(o: ApplyOptions, liveObj: KubeObject, managers: Managers, config: KubeObject, force: boolean): Outcome {
  const ignored = ignoredFields(o.subresource);
  const self = identity({ manager: o.manager, operation: 'Apply', subresource: o.subresource });
  const previous = managers.get(self);
  const lastSet = previous?.set;
  let merged = merge(liveObj, config, o.schema) as KubeObject;
  managers.set(self, {
    manager: o.manager,
    operation: 'Apply',
    apiVersion: o.apiVersion,
    ...(o.subresource ? { subresource: o.subresource } : {}),
    ...(previous?.time ? { time: previous.time } : {}),
    // Unstripped while pruning: the config's own name/namespace keep `metadata` alive (stripMeta runs after).
    set: toFieldSet(config, o.schema).recursiveDifference(ignored),
  });
  merged = prune(merged, managers, lastSet, o.schema) as KubeObject;
  transfer(liveObj, merged, managers, self, force, ignored, o.schema);
  const entry = managers.get(self);
  if (entry) entry.set = stripMeta(entry.set);
  // The timestamp moves only when the object changed (upstream: a no-op apply keeps the old time).
  if (entry && (!entry.time || !deepEqual(liveObj, merged))) entry.time = rfc3339(o.now);
  return { object: merged, managers };
}

/** lastAppliedManager: fields the client-side-apply annotation set and that still hold those values. */
function allowedFromLastApplied(liveObj: KubeObject, schema: SchemaNode | undefined): FieldSet | undefined {
  const raw = liveObj.metadata?.annotations?.[LAST_APPLIED];
  if (raw === undefined) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isPlainObject(last)) return undefined;
  return toFieldSet(last, schema).difference(compare(last, liveObj, schema).modified);
}

/** upstream buildLastApplied: the applied object without the annotation, as Go marshals it (sorted keys). */
function buildLastApplied(applied: KubeObject): string {
  const copy = deepCopy(applied);
  if (copy.metadata?.annotations) delete copy.metadata.annotations[LAST_APPLIED];
  return `${sortedJson(copy)}\n`;
}

function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (isPlainObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

export function applyServerSide(o: ApplyOptions): KubeObject {
  checkApplied(o);
  const config = withoutNulls(deepCopy(o.applied)) as KubeObject;
  const liveObj: KubeObject = o.live ? deepCopy(o.live) : {};
  const decoded = decodeManaged(liveObj) ?? new Map();
  if (liveObj.metadata) delete liveObj.metadata.managedFields;
  const copyManagers = (): Managers => new Map([...decoded].map(([id, e]) => [id, { ...e }]));

  let outcome: Outcome;
  try {
    outcome = applyOnce(o, liveObj, copyManagers(), config, o.force);
  } catch (e) {
    if (!(e instanceof ConflictList)) throw e;
    let conflicts: Conflict[] = e.conflicts;
    const allowed = o.manager === 'kubectl' ? allowedFromLastApplied(liveObj, o.schema) : undefined;
    if (allowed) conflicts = conflicts.filter((c) => !allowed.has(c.path));
    if (conflicts.length > 0) throw conflictError(conflicts);
    outcome = applyOnce(o, liveObj, copyManagers(), config, true);
  }

  const result = outcome.object;
  if (o.manager === 'kubectl' && result.metadata?.annotations?.[LAST_APPLIED] !== undefined) {
    result.metadata.annotations[LAST_APPLIED] = buildLastApplied(o.applied);
  }
  setManagedFields(result, outcome.managers);
  return result;
}
