// The disruption controller (upstream pkg/controller/disruption/disruption.go): keeps every
// PodDisruptionBudget's status — currentHealthy, desiredHealthy, expectedPods, disruptionsAllowed,
// disruptedPods and the DisruptionAllowed condition — in step with the pods it selects and the scale
// of their controllers. The eviction subresource reads that status to decide whether a pod may go.
// Pod and PDB changes enqueue the budgets concerned; sync(key) recomputes and writes on change.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Condition } from 'kubernetes-types/meta/v1.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import type { SharedInformer } from '../../client/informer.js';
import { NAMESPACE_INDEX, metaNamespaceKey, type MetaObject } from '../../client/store.js';
import { WorkQueue } from '../../client/workqueue.js';
import { isStatusError } from '../../machinery/errors.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { done, failed, requeueAfter, type Result, type RunningController } from '../runner.js';
import { runWhenSynced, type ControllerContext } from '../shared/context.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { getControllerOf } from '../shared/owner-refs.js';
import { buildDisruptedPodMap, countHealthyPods, disruptionsAllowed, expectedPodCount, statusUnchanged, type ScaleLookup } from './pdb-math.js';

const PDBS = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' } as const;
type Scaled = MetaObject & { spec?: { replicas?: number } };

/** The controllers whose scale upstream knows natively (its finders), by kind. */
const SCALE_KINDS: Record<string, { group: string; resource: string }> = {
  ReplicaSet: { group: 'apps', resource: 'replicasets' },
  Deployment: { group: 'apps', resource: 'deployments' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  ReplicationController: { group: '', resource: 'replicationcontrollers' },
};

const timeNow = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** Upstream pdbhelper.UpdateDisruptionAllowedCondition. */
function setAllowedCondition(status: PodDisruptionBudgetStatus, nowMs: number, failure?: string): void {
  const allowed = status.disruptionsAllowed > 0;
  const want: Condition = failure
    ? { type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: failure, lastTransitionTime: timeNow(nowMs), observedGeneration: status.observedGeneration }
    : { type: 'DisruptionAllowed', status: allowed ? 'True' : 'False', reason: allowed ? 'SufficientPods' : 'InsufficientPods', message: '', lastTransitionTime: timeNow(nowMs), observedGeneration: status.observedGeneration };
  const conds = [...(status.conditions ?? [])];
  const i = conds.findIndex((c) => c.type === 'DisruptionAllowed');
  if (i < 0) conds.push(want);
  else conds[i] = { ...want, lastTransitionTime: conds[i]!.status === want.status ? conds[i]!.lastTransitionTime : want.lastTransitionTime };
  status.conditions = conds;
}

export class DisruptionController {
  readonly queue = new WorkQueue();
  private readonly pdbs: SharedInformer<PodDisruptionBudget>;
  private readonly pods: SharedInformer<Pod>;
  private readonly scales = new Map<string, SharedInformer<Scaled>>();
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.pdbs = ctx.informers.for<PodDisruptionBudget>(PDBS);
    this.pods = ctx.informers.for<Pod>({ group: '', version: 'v1', resource: 'pods' });
    for (const [kind, r] of Object.entries(SCALE_KINDS)) this.scales.set(kind, ctx.informers.for<Scaled>({ group: r.group, version: 'v1', resource: r.resource }));
    this.recorder = ctx.recorder('controllermanager');
    const enqueue = (p: PodDisruptionBudget) => this.queue.add(metaNamespaceKey(p));
    this.pdbs.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    const podChanged = (p: Pod) => this.budgetsFor(p).forEach(enqueue);
    this.pods.addEventHandler({
      onAdd: podChanged,
      onUpdate: (o, n) => {
        podChanged(n);
        if (JSON.stringify(o.metadata?.labels) !== JSON.stringify(n.metadata?.labels)) podChanged(o);
      },
      onDelete: podChanged,
    });
    // A controller's scale decides expectedPods for percentage / maxUnavailable budgets.
    const scaleChanged = (o: Scaled) => this.pdbs.store.byIndex(NAMESPACE_INDEX, o.metadata?.namespace ?? '').forEach(enqueue);
    for (const inf of this.scales.values()) inf.addEventHandler({ onUpdate: (o, n) => o.spec?.replicas !== n.spec?.replicas && scaleChanged(n), onDelete: scaleChanged });
  }

  /** Budgets in the pod's namespace whose selector matches it (upstream getPdbForPod, all of them). */
  private budgetsFor(pod: Pod): PodDisruptionBudget[] {
    return this.pdbs.store.byIndex(NAMESPACE_INDEX, pod.metadata?.namespace ?? '').filter((pdb) => {
      try {
        return selectorFromLabelSelector(pdb.spec?.selector).matches(pod.metadata?.labels);
      } catch {
        return false;
      }
    });
  }

  private podsFor(pdb: PodDisruptionBudget): Pod[] {
    const sel = selectorFromLabelSelector(pdb.spec?.selector);
    return this.pods.store.byIndex(NAMESPACE_INDEX, pdb.metadata?.namespace ?? '').filter((p) => sel.matches(p.metadata?.labels));
  }

  /** Upstream's finders: RC, RS (or its Deployment when the RS has one), StatefulSet. */
  private readonly scaleOf: ScaleLookup = (pod) => {
    const ref = getControllerOf(pod);
    if (!ref) return 'unmanaged';
    const ns = pod.metadata?.namespace ?? '';
    const find = (kind: string, name: string, uid: string): Scaled | undefined => {
      const o = this.scales.get(kind)?.store.get(`${ns}/${name}`);
      return o && o.metadata?.uid === uid ? o : undefined;
    };
    const owner = find(ref.kind, ref.name, ref.uid);
    if (!owner) return undefined;
    if (ref.kind === 'ReplicaSet') {
      const dref = getControllerOf(owner);
      if (dref?.kind === 'Deployment') {
        const d = find('Deployment', dref.name, dref.uid);
        if (d) return { uid: d.metadata?.uid ?? '', replicas: d.spec?.replicas ?? 1 };
      }
    }
    return { uid: owner.metadata?.uid ?? '', replicas: owner.spec?.replicas ?? 1 };
  };

  async sync(key: string): Promise<Result> {
    const pdb = this.pdbs.store.get(key);
    if (!pdb) return done;
    const ref = { ...pdb, apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' };
    const nowMs = this.ctx.now();
    let pods: Pod[];
    let expected;
    try {
      pods = this.podsFor(pdb);
      expected = expectedPodCount(pdb, pods, this.scaleOf);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.recorder.event(ref, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${msg}`);
      return this.failSafe(pdb, msg, nowMs);
    }
    if (pods.length === 0) this.recorder.event(ref, 'Normal', 'NoPods', 'No matching pods found');
    if (expected.unmanagedPods.length > 0) {
      const sel = selectorFromLabelSelector(pdb.spec?.selector).toString();
      this.recorder.event(
        ref,
        'Warning',
        'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${sel}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
      );
    }
    const { disrupted, recheckAtMs, notDeleted } = buildDisruptedPodMap(pods, pdb, nowMs);
    for (const p of notDeleted) {
      this.recorder.event({ ...p, apiVersion: 'v1', kind: 'Pod' }, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata?.namespace}/${pdb.metadata?.name} to be deleted but it wasn't`);
    }
    const currentHealthy = countHealthyPods(pods, disrupted, nowMs);
    const status: PodDisruptionBudgetStatus = {
      currentHealthy,
      desiredHealthy: expected.desiredHealthy,
      expectedPods: expected.expectedCount,
      disruptionsAllowed: disruptionsAllowed(currentHealthy, expected.desiredHealthy, expected.expectedCount),
      observedGeneration: pdb.metadata?.generation,
      conditions: pdb.status?.conditions,
      ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}),
    };
    const r = await this.writeStatus(pdb, status, nowMs);
    if (r.kind !== 'done') return r;
    return recheckAtMs !== undefined ? requeueAfter(Math.max(10, recheckAtMs - nowMs + 10)) : done;
  }

  /** Upstream failSafe: no disruptions while the status cannot be computed. */
  private failSafe(pdb: PodDisruptionBudget, why: string, nowMs: number): Promise<Result> {
    const status: PodDisruptionBudgetStatus = { ...(pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }), disruptionsAllowed: 0 };
    setAllowedCondition(status, nowMs, why);
    return this.write(pdb, status);
  }

  private writeStatus(pdb: PodDisruptionBudget, status: PodDisruptionBudgetStatus, nowMs: number): Promise<Result> {
    if (statusUnchanged(pdb, status)) return Promise.resolve(done);
    setAllowedCondition(status, nowMs);
    return this.write(pdb, status);
  }

  private async write(pdb: PodDisruptionBudget, status: PodDisruptionBudgetStatus): Promise<Result> {
    try {
      // The resourceVersion makes this a compare-and-swap against the eviction handler's decrements.
      await this.ctx.client.update<PodDisruptionBudget>(
        { ...PDBS, namespace: pdb.metadata?.namespace, name: pdb.metadata?.name, subresource: 'status' },
        { ...pdb, apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', status },
      );
      return done;
    } catch (e) {
      if (isStatusError(e) && e.code === 404) return done;
      // 409: the informer will bring the newer budget and enqueue it again; retry anyway.
      return failed(e);
    }
  }

  run(): RunningController {
    return runWhenSynced(this.ctx, { name: 'disruption-controller', queue: this.queue, workers: 2, reconcile: (k) => this.sync(k) });
  }
}

export function startDisruptionController(ctx: ControllerContext): RunningController {
  return new DisruptionController(ctx).run();
}
