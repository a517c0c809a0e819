// Empties a Terminating namespace and then finalizes it (upstream
// pkg/controller/namespace/deletion/namespaced_resources_deleter.go). One pass: discover the
// deletable namespaced resources, delete each type's objects (deletecollection when served, else one
// by one), list again to see what remains, record the outcome in status.conditions, and — only when
// nothing remains — remove the `kubernetes` finalizer through namespaces/<name>/finalize, after which
// the server deletes the namespace. Everything is read live from the API server, so a pass is
// idempotent and can be repeated at any time.
import type { Namespace, NamespaceCondition, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeClient, ResourceRef } from '../../client/http-client.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { done, failed, requeueAfter, type Result } from '../runner.js';
import { updateConditions, type DeletionOutcome } from './conditions.js';
import { discoverNamespacedResources, type NamespacedResource } from './discovery.js';

export const FINALIZER_KUBERNETES = 'kubernetes';
/** Upstream's finalizerEstimateSeconds: time allowed for e.g. the garbage collector to clear finalizers. */
const FINALIZER_ESTIMATE_SECONDS = 15;

export type DeleterClient = Pick<KubeClient, 'request' | 'get' | 'list' | 'delete'>;

export interface DeleterOptions {
  /** Resource types to empty; default: discovered from the API server on every pass. */
  resources?: NamespacedResource[];
  /** Upper bound for the "content remaining" re-check delay (upstream waits estimate/2+1 s). Default 5000. */
  maxRecheckMs?: number;
  now?: () => Date;
}

const nsRef = (name: string, subresource?: string): ResourceRef => ({ group: '', version: 'v1', resource: 'namespaces', name, subresource });
const isNotFound = (e: unknown) => isStatusError(e) && e.code === 404;
const isConflict = (e: unknown) => isStatusError(e) && e.code === 409;
const groupResource = (r: NamespacedResource) => (r.group ? `${r.resource}.${r.group}` : r.resource);
const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Longest grace period among the namespace's non-terminal pods (upstream estimateGracefulTerminationForPods). */
export function estimateGracefulTermination(pods: readonly Pod[]): number {
  let estimate = 0;
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const grace = p.spec?.terminationGracePeriodSeconds;
    if (grace !== undefined && grace > estimate) estimate = grace;
  }
  return estimate;
}

export class NamespacedResourcesDeleter {
  constructor(
    private readonly client: DeleterClient,
    private readonly opts: DeleterOptions = {},
  ) {}

  /** One reconcile of namespace `name`; see the file header. */
  async delete(name: string): Promise<Result> {
    let ns: Namespace;
    try {
      ns = await this.client.get<Namespace>(nsRef(name));
    } catch (e) {
      return isNotFound(e) ? done : failed(e);
    }
    if (!ns.metadata?.deletionTimestamp) return done;
    if (!(ns.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return done; // already finalized by us

    const { outcome, estimateSeconds } = await this.deleteAllContent(name);
    try {
      await this.updateStatus(name, outcome);
    } catch (e) {
      if (isNotFound(e)) return done;
      return failed(e);
    }
    if (outcome.discoveryFailures.size > 0 || outcome.deleteErrors.length > 0) {
      return failed(new Error(`namespace ${name}: ${[...outcome.discoveryFailures.values(), ...outcome.deleteErrors].join('; ')}`));
    }
    if (estimateSeconds > 0) {
      // Content is still going away (graceful pods, finalizers): look again soon, as upstream's
      // ResourcesRemainingError (estimate/2 + 1 s, e.g. 30 s grace → 16 s), bounded by maxRecheckMs.
      return requeueAfter(Math.min((Math.floor(estimateSeconds / 2) + 1) * 1000, this.opts.maxRecheckMs ?? 5000));
    }
    try {
      await this.finalize(name);
    } catch (e) {
      return isNotFound(e) ? done : failed(e);
    }
    return done;
  }

  /** Deletes every namespaced resource type's objects and reports what remains. */
  async deleteAllContent(namespace: string): Promise<{ outcome: DeletionOutcome; estimateSeconds: number }> {
    const outcome: DeletionOutcome = { discoveryFailures: new Map(), deleteErrors: [], remaining: new Map(), finalizersRemaining: new Map() };
    let resources = this.opts.resources;
    if (!resources) {
      const d = await discoverNamespacedResources(this.client);
      resources = d.resources;
      outcome.discoveryFailures = d.failures;
    }
    let estimate = 0;
    for (const r of resources) {
      try {
        estimate = Math.max(estimate, await this.deleteAllOf(r, namespace, outcome));
      } catch (e) {
        outcome.deleteErrors.push(`${groupResource(r)}: ${msg(e)}`);
      }
    }
    return { outcome, estimateSeconds: estimate };
  }

  /** Empties one resource type; returns seconds to wait for what remains (0 = nothing remains). */
  private async deleteAllOf(r: NamespacedResource, namespace: string, outcome: DeletionOutcome): Promise<number> {
    const ref: ResourceRef = { group: r.group, version: r.version, resource: r.resource, namespace };
    const canList = r.verbs.includes('list');
    let estimate = 0;
    if (r.group === '' && r.resource === 'pods' && canList) {
      estimate = estimateGracefulTermination((await this.client.list<Pod>(ref)).items);
    }
    const background = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' };
    if (r.verbs.includes('deletecollection')) {
      const path = (r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`) + `/namespaces/${encodeURIComponent(namespace)}/${r.resource}`;
      await this.client.request('DELETE', path, background);
    } else if (canList) {
      for (const o of (await this.client.list<KubeObject>(ref)).items) {
        await this.client.delete({ ...ref, name: o.metadata?.name }, { propagationPolicy: 'Background' }).catch((e: unknown) => {
          if (!isNotFound(e)) throw e;
        });
      }
    } else {
      return 0; // neither listable nor collection-deletable: nothing we can do (upstream skips it too)
    }
    if (!canList) return 0;
    const left = (await this.client.list<KubeObject>(ref)).items;
    if (left.length === 0) return 0;
    outcome.remaining.set(groupResource(r), left.length);
    let withFinalizers = 0;
    for (const o of left) {
      const fins = o.metadata?.finalizers ?? [];
      if (fins.length) withFinalizers++;
      for (const f of fins) outcome.finalizersRemaining.set(f, (outcome.finalizersRemaining.get(f) ?? 0) + 1);
    }
    if (estimate > 0) return estimate;
    if (withFinalizers > 0) return FINALIZER_ESTIMATE_SECONDS;
    throw new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${r.group}/${r.version}, Resource=${r.resource}`);
  }

  /** Writes the deleter's conditions (status subresource) when they changed; retried on conflict. */
  private async updateStatus(name: string, outcome: DeletionOutcome): Promise<void> {
    const now = (this.opts.now ?? (() => new Date()))().toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (let attempt = 0; ; attempt++) {
      const ns = await this.client.get<Namespace>(nsRef(name));
      const old: NamespaceCondition[] = ns.status?.conditions ?? [];
      const conditions = updateConditions(old, outcome, now);
      if (JSON.stringify(conditions) === JSON.stringify(old)) return;
      try {
        await this.client.request('PUT', `/api/v1/namespaces/${encodeURIComponent(name)}/status`, { ...ns, status: { ...ns.status, conditions } });
        return;
      } catch (e) {
        if (!isConflict(e) || attempt >= 5) throw e;
      }
    }
  }

  /** Removes our finalizer via namespaces/<name>/finalize; the server deletes the namespace once none remain. */
  private async finalize(name: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const ns = await this.client.get<Namespace>(nsRef(name));
      const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES);
      if (finalizers.length === (ns.spec?.finalizers ?? []).length) return;
      try {
        await this.client.request('PUT', `/api/v1/namespaces/${encodeURIComponent(name)}/finalize`, { ...ns, spec: { ...ns.spec, finalizers } });
        return;
      } catch (e) {
        if (!isConflict(e) || attempt >= 5) throw e;
      }
    }
  }
}
