// Deletion semantics of the generic store (upstream store.Delete + BeforeDelete + rest.DeleteOptions):
// preconditions, propagationPolicy finalizers (Foreground → foregroundDeletion, Orphan → orphan),
// objects with finalizers get a deletionTimestamp and stay, bound pods are deleted gracefully,
// namespaces go Terminating while their spec finalizers remain, the rest is removed at once.
import type { DeleteOptions } from 'kubernetes-types/meta/v1.js';
import { StorageError } from '../storage/interface.js';
import { conflict, notFound } from '../machinery/errors.js';
import { deepCopy, isPlainObject, type KubeObject } from '../machinery/object.js';
import { rfc3339 } from '../machinery/time.js';
import { decodeKV, encodeObject, withResourceVersion } from './codec.js';
import type { GenericStore } from './generic-store.js';
import { checkNamespaceDelete } from './namespace-lifecycle.js';
import { metaOf, ref } from './store-util.js';

export interface DeleteResult {
  object: KubeObject;
  /** True when the object is gone from storage; false when it remains (finalizers, graceful). */
  deleted: boolean;
}

const FG = 'foregroundDeletion';
const ORPHAN = 'orphan';

function isPods(s: GenericStore): boolean {
  return s.rt.group === '' && s.rt.storage.resource === 'pods';
}
function isNamespaces(s: GenericStore): boolean {
  return s.rt.group === '' && s.rt.storage.resource === 'namespaces';
}

/** Pod grace period (upstream pod strategy CheckGracefulDelete). 0 = delete now. */
function podGrace(pod: KubeObject, requested: number | undefined): number {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const status = isPlainObject(pod.status) ? pod.status : {};
  let grace = requested ?? (typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30);
  if (!spec.nodeName) grace = 0;
  if (status.phase === 'Failed' || status.phase === 'Succeeded') grace = 0;
  return Math.max(0, grace);
}

function applyPolicyFinalizers(obj: KubeObject, opts: DeleteOptions, defaultOrphan: boolean): boolean {
  const md = metaOf(obj);
  const before = JSON.stringify(md.finalizers ?? []);
  let fins = [...(md.finalizers ?? [])];
  let policy = opts.propagationPolicy;
  if (!policy && opts.orphanDependents !== undefined) policy = opts.orphanDependents ? 'Orphan' : 'Background';
  // Upstream's DefaultGarbageCollectionPolicy: core/v1 ReplicationControllers orphan by default.
  if (!policy && defaultOrphan && (md.finalizers ?? []).length === 0) policy = 'Orphan';
  if (policy === 'Foreground') {
    fins = fins.filter((f) => f !== ORPHAN);
    if (!fins.includes(FG)) fins.push(FG);
  } else if (policy === 'Orphan') {
    fins = fins.filter((f) => f !== FG);
    if (!fins.includes(ORPHAN)) fins.push(ORPHAN);
  } else if (policy === 'Background') {
    fins = fins.filter((f) => f !== FG && f !== ORPHAN);
  }
  if (fins.length) md.finalizers = fins;
  else delete md.finalizers;
  return JSON.stringify(md.finalizers ?? []) !== before;
}

export async function deleteObject(store: GenericStore, ns: string, name: string, opts: DeleteOptions, dryRun: boolean): Promise<DeleteResult> {
  const key = store.key(ns, name);
  const storage = store.ctx.storage;
  if (isNamespaces(store)) checkNamespaceDelete(name);
  for (let attempt = 0; ; attempt++) {
    const kv = await storage.get(key);
    if (!kv) throw notFound(ref(store.rt), name);
    const current = decodeKV(store.rt, kv);
    const md = current.metadata ?? {};
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== md.uid) {
      throw conflict(ref(store.rt), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${md.uid ?? ''}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== md.resourceVersion) {
      throw conflict(
        ref(store.rt),
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${md.resourceVersion ?? ''}`,
      );
    }
    const next = deepCopy(current);
    const nmd = metaOf(next);
    const now = store.ctx.now();
    let keep = false;

    if (isNamespaces(store)) {
      if ((store.rt.extraFinalizers?.(next) ?? []).length > 0 || (nmd.finalizers ?? []).length > 0) {
        keep = true;
        // upstream namespace REST Delete sets only the timestamp and the phase
        nmd.deletionTimestamp ??= rfc3339(now);
        next.status = { ...(isPlainObject(next.status) ? next.status : {}), phase: 'Terminating' };
      }
    } else {
      const defaultOrphan = store.rt.group === '' && store.rt.plural === 'replicationcontrollers';
      const finalizersChanged = applyPolicyFinalizers(next, opts, defaultOrphan);
      const hasFinalizers = (nmd.finalizers ?? []).length > 0;
      let grace = 0;
      if (isPods(store)) grace = podGrace(current, opts.gracePeriodSeconds ?? undefined);
      if (grace > 0) {
        // Graceful: the kubelet stops the pod and then deletes it with grace 0. A later delete may
        // only shorten the deadline.
        const deadline = new Date(now.getTime() + grace * 1000);
        const existing = nmd.deletionTimestamp ? Date.parse(nmd.deletionTimestamp) : Infinity;
        if (deadline.getTime() < existing) {
          nmd.deletionTimestamp = rfc3339(deadline);
          nmd.deletionGracePeriodSeconds = grace;
        }
        keep = true;
      } else if (hasFinalizers) {
        keep = true;
        if (!nmd.deletionTimestamp) nmd.deletionTimestamp = rfc3339(now);
        nmd.deletionGracePeriodSeconds = 0;
      }
      if (!keep && !finalizersChanged && md.deletionTimestamp && (md.finalizers ?? []).length > 0) keep = true;
    }

    if (keep) {
      if (dryRun) return { object: next, deleted: false };
      if (JSON.stringify(next) === JSON.stringify(current)) return { object: current, deleted: false };
      try {
        const w = await storage.update(key, encodeObject(store.rt, next), kv.modRevision);
        return { object: withResourceVersion(next, String(w.modRevision)), deleted: false };
      } catch (e) {
        // Another request changed or deleted the object meanwhile: start over (→ 404 if it is gone).
        if (e instanceof StorageError && (e.code === 'RevisionMismatch' || e.code === 'KeyNotFound') && attempt < 16) continue;
        throw e;
      }
    }
    if (dryRun) return { object: current, deleted: true };
    try {
      const del = await storage.delete(key, kv.modRevision);
      return { object: withResourceVersion(current, String(del.modRevision)), deleted: true };
    } catch (e) {
      if (e instanceof StorageError && (e.code === 'RevisionMismatch' || e.code === 'KeyNotFound') && attempt < 16) continue;
      throw e;
    }
  }
}
