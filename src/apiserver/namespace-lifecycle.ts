// Namespace lifecycle admission and bootstrap (upstream plugin/pkg/admission/namespace/lifecycle and
// the system namespaces controller): objects may only be created in an existing, non-terminating
// namespace; the system namespaces exist from the start and cannot be deleted.
import type { KubeObject } from '../machinery/object.js';
import { forbidden, notFound, qualifiedResource, StatusError, type ResourceRef } from '../machinery/errors.js';
import { storageKey } from '../api/resource-type.js';
import type { StoreContext } from './generic-store.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
/** Upstream refuses to delete these (immortal namespaces). */
export const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

export function namespaceType(ctx: StoreContext) {
  const rt = ctx.registry.get('', 'v1', 'namespaces');
  if (!rt) throw new Error('namespaces are not registered');
  return rt;
}

export async function checkNamespaceForCreate(ctx: StoreContext, ns: string, r: ResourceRef, name: string): Promise<void> {
  const rt = namespaceType(ctx);
  // A one-key list rather than a get: the watch cache answers it from memory (committed state, as
  // upstream's admission reads namespaces from an informer), where a get would query the database.
  const key = storageKey(rt, undefined, ns);
  const kv = (await ctx.storage.list(key, { limit: 1 })).items[0];
  if (!kv || kv.key !== key) throw notFound({ group: '', resource: 'namespaces' }, ns);
  // Runs on every namespaced create: parse the namespace only when it may be terminating.
  const obj = kv.value.includes('"deletionTimestamp"') ? (JSON.parse(kv.value) as KubeObject) : undefined;
  if (obj?.metadata?.deletionTimestamp) {
    const what = name ? `${qualifiedResource(r)} "${name}"` : qualifiedResource(r);
    throw new StatusError({
      status: 'Failure',
      code: 403,
      reason: 'Forbidden',
      message: `${what} is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
      details: { name, group: r.group, kind: r.resource },
    });
  }
}

export function checkNamespaceDelete(name: string): void {
  if (IMMORTAL_NAMESPACES.has(name)) throw forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`);
}

/** Upstream namespace defaults/strategy: finalizer `kubernetes`, phase Active, name label. */
export function prepareNamespace(obj: KubeObject): void {
  const spec = (obj.spec ??= {}) as { finalizers?: string[] };
  if (!spec.finalizers) spec.finalizers = ['kubernetes'];
  obj.status = { phase: 'Active' };
  const md = (obj.metadata ??= {});
  if (md.name) md.labels = { ...(md.labels ?? {}), 'kubernetes.io/metadata.name': md.name };
}
