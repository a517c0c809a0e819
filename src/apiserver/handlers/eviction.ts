// The pods/eviction subresource (upstream pkg/registry/core/pod/storage/eviction.go): `kubectl drain`
// POSTs an Eviction; the pod is deleted only if its PodDisruptionBudget allows one more disruption.
// Terminal, pending and already-terminating pods are deleted without looking at budgets. Otherwise the
// one PDB selecting the pod is checked and decremented (disruptionsAllowed-1, the pod recorded in
// status.disruptedPods so the disruption controller does not count it healthy) in one optimistic
// status write, and only then is the pod deleted. No budget left → 429 TooManyRequests, which
// kubectl drain retries.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Condition, DeleteOptions } from 'kubernetes-types/meta/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { storagePrefix } from '../../api/resource-type.js';
import { badRequest, forbidden, isStatusError, StatusError } from '../../machinery/errors.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { isPlainObject, type KubeObject } from '../../machinery/object.js';
import { rfc3339 } from '../../machinery/time.js';
import { StorageError } from '../../storage/interface.js';
import { decodeKV } from '../codec.js';
import type { GenericStore } from '../generic-store.js';
import { writeJson } from '../response.js';
import { deleteObject } from '../store-delete.js';
import { isDryRun, type HandlerContext } from './context.js';
import { readObject } from './write.js';

const SUCCESS = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";
/** Upstream MaxDisruptedPodSize: evictions not yet confirmed by the controller that a PDB may hold. */
const MAX_DISRUPTED_POD_SIZE = 2000;

function tooManyRequests(causeMessage: string, retryAfterSeconds = 0): StatusError {
  return new StatusError({
    status: 'Failure',
    code: 429,
    reason: 'TooManyRequests',
    message: VIOLATION,
    details: { causes: [{ reason: 'DisruptionBudget', message: causeMessage }], ...(retryAfterSeconds ? { retryAfterSeconds } : {}) },
  });
}

/** Upstream createTooManyRequestsError: the budget's status is behind its spec (or raced). */
const stillProcessing = (name: string) => tooManyRequests(`The disruption budget ${name} is still being processed by the server.`, 10);

/** Pods whose eviction cannot disrupt anything more than has already happened (upstream canIgnorePDB). */
function canIgnorePDB(pod: Pod): boolean {
  const phase = pod.status?.phase ?? 'Pending';
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata?.deletionTimestamp;
}

function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** The PDBs in the pod's namespace whose (non-empty, valid) selector matches the pod's labels. */
async function matchingBudgets(pdbStore: GenericStore, pod: Pod): Promise<PodDisruptionBudget[]> {
  const ns = pod.metadata?.namespace ?? '';
  const list = await pdbStore.ctx.storage.list(storagePrefix(pdbStore.rt, ns));
  const out: PodDisruptionBudget[] = [];
  for (const kv of list.items) {
    const pdb = decodeKV(pdbStore.rt, kv) as PodDisruptionBudget;
    let matches = false;
    try {
      const sel = selectorFromLabelSelector(pdb.spec?.selector);
      // A nil or empty selector creeping in matches nothing, not everything (as upstream).
      matches = !sel.empty() && sel.matches(pod.metadata?.labels);
    } catch {
      matches = false; // an invalid selector matches no pod
    }
    if (matches) out.push(pdb);
  }
  return out;
}

/** Upstream pdbhelper.UpdateDisruptionAllowedCondition (apimeta.SetStatusCondition semantics). */
export function setDisruptionAllowedCondition(pdb: PodDisruptionBudget, now: Date): void {
  const status = (pdb.status ??= { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 });
  const allowed = status.disruptionsAllowed > 0;
  const want: Condition = {
    type: 'DisruptionAllowed',
    status: allowed ? 'True' : 'False',
    reason: allowed ? 'SufficientPods' : 'InsufficientPods',
    message: '',
    observedGeneration: status.observedGeneration,
    lastTransitionTime: rfc3339(now),
  };
  const conds = (status.conditions ??= []);
  const i = conds.findIndex((c) => c.type === 'DisruptionAllowed');
  if (i < 0) conds.push(want);
  else {
    const old = conds[i]!;
    conds[i] = { ...want, message: old.message, lastTransitionTime: old.status === want.status ? old.lastTransitionTime : want.lastTransitionTime };
  }
}

/** Verifies the budget allows one more disruption and takes it (upstream checkAndDecrement), atomically. */
async function checkAndDecrement(ctx: HandlerContext, pdbStore: GenericStore, pdb: PodDisruptionBudget, podName: string, dryRun: boolean): Promise<void> {
  const ns = pdb.metadata?.namespace ?? '';
  const name = pdb.metadata?.name ?? '';
  // GenericStore.update re-reads and re-runs this on a revision conflict: the check is always made
  // against the budget that the write replaces (the resourceVersion precondition of upstream's UpdateStatus).
  await withRaceRetry(() =>
    pdbStore.update(
      ns,
      name,
      (current) => {
        const cur = current as PodDisruptionBudget;
        const status = cur.status;
        if ((status?.observedGeneration ?? 0) < (cur.metadata?.generation ?? 0)) throw stillProcessing(name);
        const allowed = status?.disruptionsAllowed ?? 0;
        if (allowed < 0) throw forbidden(`poddisruptionbudget.policy "${name}" is forbidden: pdb disruptions allowed is negative`);
        if (Object.keys(status?.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
          throw forbidden(`poddisruptionbudget.policy "${name}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`);
        }
        if (!status || allowed === 0) {
          throw tooManyRequests(`The disruption budget ${name} needs ${status?.desiredHealthy ?? 0} healthy pods and has ${status?.currentHealthy ?? 0} currently`);
        }
        status.disruptionsAllowed = allowed - 1;
        if (status.disruptionsAllowed === 0) setDisruptionAllowedCondition(cur, ctx.now());
        status.disruptedPods = { ...(status.disruptedPods ?? {}), [podName]: rfc3339(ctx.now()) };
        return cur as KubeObject;
      },
      { dryRun, subresource: 'status' },
    ),
  );
}

/**
 * Runs a store write again when it lost a revision race. The store retries internally, but without
 * yielding to the event loop; a write queued in the open storage batch (committed on setImmediate)
 * can outlast all of those retries, so we yield and try again, as upstream's retry.OnError does.
 */
async function withRaceRetry<T>(f: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await f();
    } catch (e) {
      const raced = (e instanceof StorageError && e.code === 'RevisionMismatch') || (isStatusError(e) && e.code === 409 && /the object has been modified/.test(e.message));
      if (!raced || attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 5 * (attempt + 1)));
    }
  }
}

export async function handleEviction(ctx: HandlerContext): Promise<void> {
  const ev = await readObject(ctx, { group: 'policy', version: 'v1', kind: 'Eviction' });
  const name = ctx.info.name;
  if (ev.metadata?.name !== undefined && ev.metadata.name !== name) throw badRequest('name in URL does not match name in Eviction object');
  const original: DeleteOptions = isPlainObject(ev.deleteOptions) ? { ...(ev.deleteOptions as DeleteOptions) } : {};
  const queryDryRun = ctx.query.getAll('dryRun');
  if (!original.dryRun?.length && queryDryRun.length) original.dryRun = queryDryRun;
  const dryRun = isDryRun(original.dryRun);
  const ns = ctx.info.namespace;
  const podStore = ctx.store;
  const rvUnset = !original.preconditions?.resourceVersion;

  // Pods that are terminal, pending or already going away are deleted directly.
  for (let attempt = 0; ; attempt++) {
    const pod = (await podStore.get(ns, name)) as Pod;
    if (!canIgnorePDB(pod)) return evictGuarded(ctx, pod, original, dryRun);
    const enforceRv = pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
    const opts = enforceRv && rvUnset ? { ...original, preconditions: { ...original.preconditions, resourceVersion: pod.metadata?.resourceVersion } } : original;
    try {
      await withRaceRetry(() => deleteObject(podStore, ns, name, opts, dryRun));
    } catch (e) {
      if (isStatusError(e) && e.code === 409 && rvUnset && attempt < 5) continue;
      throw e;
    }
    writeJson(ctx.res, 201, SUCCESS);
    return;
  }
}

async function evictGuarded(ctx: HandlerContext, pod: Pod, original: DeleteOptions, dryRun: boolean): Promise<void> {
  const pdbStore = ctx.storeFor('policy', 'v1', 'poddisruptionbudgets');
  const pdbs = pdbStore ? await matchingBudgets(pdbStore, pod) : [];
  if (pdbs.length > 1) {
    writeJson(ctx.res, 500, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      code: 500,
    });
    return;
  }
  let preconditionRv = false;
  const pdb = pdbs[0];
  if (pdb && pdbStore) {
    const st = pdb.status;
    const policy = pdb.spec?.unhealthyPodEvictionPolicy ?? 'IfHealthyBudget';
    // An unready pod does not count towards healthy: evicting it costs no budget when the policy
    // says so (AlwaysAllow) or the application is not disrupted anyway (IfHealthyBudget).
    const unhealthyFree = !isPodReady(pod) && (policy === 'AlwaysAllow' || ((st?.currentHealthy ?? 0) >= (st?.desiredHealthy ?? 0) && (st?.desiredHealthy ?? 0) > 0));
    if (unhealthyFree) preconditionRv = true;
    else await checkAndDecrement(ctx, pdbStore, pdb, pod.metadata?.name ?? '', dryRun);
  }
  // With the precondition the pod cannot have turned Ready since we decided it costs nothing.
  const opts: DeleteOptions = preconditionRv ? { ...original, preconditions: { ...original.preconditions, resourceVersion: pod.metadata?.resourceVersion } } : original;
  try {
    await withRaceRetry(() => deleteObject(ctx.store, ctx.info.namespace, ctx.info.name, opts, dryRun));
  } catch (e) {
    if (isStatusError(e) && e.code === 409 && preconditionRv && !original.preconditions?.resourceVersion) throw stillProcessing(pdb?.metadata?.name ?? '');
    throw e;
  }
  writeJson(ctx.res, 201, SUCCESS);
}
