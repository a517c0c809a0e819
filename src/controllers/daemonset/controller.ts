// The DaemonSet controller (upstream pkg/controller/daemon/daemon_controller.go syncDaemonSet,
// updateDaemonSet, updateDaemonSetStatus): for one DaemonSet key, read the caches, build the revision
// history, then — unless earlier creates/deletes are still unobserved — run the manage plan (a pod on
// every eligible node, none elsewhere, failed pods replaced), then the update strategy (RollingUpdate;
// OnDelete waits for users to delete pods), trim the history, and write the status.
import type { ControllerRevision, DaemonSet, DaemonSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeClient } from '../../client/http-client.js';
import { OWNER_UID_INDEX } from '../../client/informer-factory.js';
import type { SharedInformer } from '../../client/informer.js';
import { NAMESPACE_INDEX } from '../../client/store.js';
import { WorkQueue } from '../../client/workqueue.js';
import { isStatusError } from '../../machinery/errors.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { done, failed, requeueAfter, type Result } from '../runner.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { Expectations } from '../shared/expectations.js';
import { claimObjects } from '../shared/owner-refs.js';
import type { ControllerHistory } from '../shared/controller-history.js';
import { targetNodeName } from './eligibility.js';
import { cleanupHistory, constructHistory } from './history.js';
import { computeStatus, FailedPodsBackoff, planManage } from './manage.js';
import { planRollingUpdate } from './rolling-update.js';
import { syncNodes } from './sync-nodes.js';

const DAEMONSETS = { group: 'apps', version: 'v1', resource: 'daemonsets' } as const;
const PODS = { group: '', version: 'v1', resource: 'pods' } as const;

export interface DaemonSetDeps {
  client: KubeClient;
  daemonSets: SharedInformer<DaemonSet>;
  pods: SharedInformer<Pod>;
  nodes: SharedInformer<Node>;
  revisions: SharedInformer<ControllerRevision>;
  history: ControllerHistory;
  recorder: EventRecorder;
  now(): number;
}

export class DaemonSetsController {
  readonly queue = new WorkQueue();
  readonly expectations: Expectations;
  readonly backoff = new FailedPodsBackoff();

  constructor(readonly d: DaemonSetDeps) {
    this.expectations = new Expectations(d.now);
  }

  enqueue(ds: DaemonSet): void {
    const ns = ds.metadata?.namespace;
    if (ns && ds.metadata?.name) this.queue.add(`${ns}/${ds.metadata.name}`);
  }

  /** Pods the DaemonSet controls after adoption/release, grouped by target node (getNodesToDaemonPods). */
  async nodesToDaemonPods(ds: DaemonSet, includeDeletedTerminal = false): Promise<Map<string, Pod[]>> {
    const candidates = this.d.pods.store.byIndex(NAMESPACE_INDEX, ds.metadata?.namespace ?? '');
    // Adopt only while the DaemonSet still exists and is not being deleted (upstream's recheck).
    const fresh = async () => {
      const cur = await this.d.client.get<DaemonSet>({ ...DAEMONSETS, namespace: ds.metadata?.namespace, name: ds.metadata?.name });
      return cur.metadata?.uid === ds.metadata?.uid && !cur.metadata?.deletionTimestamp;
    };
    let checked: boolean | undefined;
    const selector = selectorFromLabelSelector(ds.spec?.selector);
    const orphansMatch = candidates.some((p) => !p.metadata?.ownerReferences?.some((r) => r.controller) && selector.matches(p.metadata?.labels));
    if (orphansMatch) checked = await fresh().catch(() => false);
    const owned = await claimObjects<Pod>({
      client: this.d.client,
      owner: ds,
      ownerApiVersion: 'apps/v1',
      ownerKind: 'DaemonSet',
      selector: ds.spec?.selector ?? {},
      resource: PODS,
      candidates,
      canAdopt: () => checked !== false,
    });
    const m = new Map<string, Pod[]>();
    for (const p of owned) {
      if (!includeDeletedTerminal && p.metadata?.deletionTimestamp && (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed')) continue;
      const node = targetNodeName(p);
      if (node === undefined) continue;
      const list = m.get(node);
      if (list) list.push(p);
      else m.set(node, [p]);
    }
    return m;
  }

  async sync(key: string): Promise<Result> {
    const ds = this.d.daemonSets.store.get(key);
    if (!ds) {
      this.expectations.delete(key);
      return done;
    }
    const sel = ds.spec?.selector;
    if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)) {
      this.d.recorder.event({ ...ds, apiVersion: 'apps/v1', kind: 'DaemonSet' }, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return done;
    }
    // Being deleted: the history may be half gone, so neither act nor report (as upstream).
    if (ds.metadata?.deletionTimestamp) return done;
    const nodes = this.d.nodes.store.list();
    const podsOf = () => this.d.pods.store.byIndex(OWNER_UID_INDEX, ds.metadata?.uid ?? '');
    const { old, hash } = await constructHistory(this.d.client, this.d.history, ds, podsOf);
    if (!this.expectations.satisfied(key)) {
      return this.updateStatus(ds, nodes, hash, false, undefined);
    }
    let err: unknown;
    let requeueMs: number | undefined;
    try {
      requeueMs = await this.updateDaemonSet(ds, key, nodes, hash, old);
    } catch (e) {
      err = e;
    }
    const statusResult = await this.updateStatus(ds, nodes, hash, true, requeueMs);
    if (err !== undefined) return failed(err);
    return statusResult;
  }

  /** manage + rolling update + history clean-up; returns a requeue delay if one is needed. */
  private async updateDaemonSet(ds: DaemonSet, key: string, nodes: Node[], hash: string, old: ControllerRevision[]): Promise<number | undefined> {
    const now = this.d.now();
    const plan = planManage(ds, nodes, await this.nodesToDaemonPods(ds), hash, this.backoff, now);
    const dsRef = { ...ds, apiVersion: 'apps/v1', kind: 'DaemonSet' };
    for (const f of plan.failedPods) {
      this.d.recorder.event(dsRef, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${f.pod.metadata?.namespace ?? ''}/${f.pod.metadata?.name ?? ''} on node ${f.node}, will try to kill it`);
    }
    const deps = { client: this.d.client, recorder: this.d.recorder, expectations: this.expectations };
    const errors = await syncNodes(deps, ds, key, plan.podsToDelete, plan.nodesNeedingPods, hash);
    if (errors.length) throw errors[0];
    if (plan.failedPods.length) throw new Error(`deleted ${plan.failedPods.length} failed pods of DaemonSet ${key}`);

    if (this.expectations.satisfied(key) && (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const roll = planRollingUpdate(ds, nodes, await this.nodesToDaemonPods(ds), hash, this.d.now());
      const rollErrors = await syncNodes(deps, ds, key, roll.podsToDelete, roll.nodesToCreate, hash);
      if (rollErrors.length) throw rollErrors[0];
    }
    await cleanupHistory(this.d.history, ds, old, [...(await this.nodesToDaemonPods(ds, true)).values()].flat());
    return plan.requeueAfterMs;
  }

  private async updateStatus(ds: DaemonSet, nodes: Node[], hash: string, updateObservedGen: boolean, requeueMs: number | undefined): Promise<Result> {
    const now = this.d.now();
    const counts = computeStatus(ds, nodes, await this.nodesToDaemonPods(ds), hash, now);
    const observedGeneration = updateObservedGen ? ds.metadata?.generation : ds.status?.observedGeneration;
    const want: DaemonSetStatus = { ...counts, observedGeneration };
    const cur = ds.status ?? ({} as DaemonSetStatus);
    const same = (Object.keys(want) as (keyof DaemonSetStatus)[]).every((k) => (want[k] ?? 0) === (cur[k] ?? 0));
    if (!same) {
      try {
        await this.d.client.patch({ ...DAEMONSETS, namespace: ds.metadata?.namespace, name: ds.metadata?.name, subresource: 'status' }, { status: want }, 'merge');
      } catch (e) {
        if (isStatusError(e) && e.code === 404) return done;
        return failed(e);
      }
    }
    // Pods ready but not yet available for minReadySeconds: look again when they will be.
    const minReady = ds.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && counts.numberReady !== counts.numberAvailable) requeueMs = Math.min(requeueMs ?? Infinity, minReady * 1000);
    return requeueMs !== undefined ? requeueAfter(requeueMs) : done;
  }

  /** The DaemonSets whose selector matches an orphan pod's labels (getDaemonSetsForPod). */
  daemonSetsForPod(pod: Pod): DaemonSet[] {
    return this.d.daemonSets.store.byIndex(NAMESPACE_INDEX, pod.metadata?.namespace ?? '').filter((ds) => selectorMatches(ds, pod));
  }

  daemonSetForControllerRef(pod: Pod): DaemonSet | undefined {
    const ref = pod.metadata?.ownerReferences?.find((r) => r.controller);
    if (!ref || ref.kind !== 'DaemonSet') return undefined;
    const ds = this.d.daemonSets.store.get(`${pod.metadata?.namespace ?? ''}/${ref.name}`);
    return ds && ds.metadata?.uid === ref.uid ? ds : undefined;
  }

  keyOf(ds: DaemonSet): string {
    return `${ds.metadata?.namespace ?? ''}/${ds.metadata?.name ?? ''}`;
  }
}

function selectorMatches(ds: DaemonSet, pod: Pod): boolean {
  const sel = ds.spec?.selector;
  if (!sel) return false;
  return selectorFromLabelSelector(sel).matches(pod.metadata?.labels);
}
