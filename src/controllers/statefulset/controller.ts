// The StatefulSet controller (upstream pkg/controller/statefulset/stateful_set.go): informer handlers
// turn set and pod events into set keys; sync(key) reads the set and its pods from the caches, adopts
// orphaned pods and revisions that belong to it, and hands them to StatefulSetControl, which does one
// round of ordered work and writes status. Pod readiness changes re-trigger the set, which is how
// OrderedReady moves from web-0 to web-1.
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { SharedInformer } from '../../client/informer.js';
import { NAMESPACE_INDEX, metaNamespaceKey } from '../../client/store.js';
import { WorkQueue } from '../../client/workqueue.js';
import { isStatusError } from '../../machinery/errors.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { done, requeueAfter, terminal, type Result, type RunningController } from '../runner.js';
import type { ControllerContext } from '../shared/context.js';
import { runWhenSynced } from '../shared/context.js';
import { ControllerHistory } from '../shared/controller-history.js';
import { claimObjects, getControllerOf } from '../shared/owner-refs.js';
import { StatefulSetControl } from './control.js';
import { StatefulPodControl } from './pod-control.js';
import { API_VERSION, KIND, isMemberOf } from './utils.js';

const PODS = { group: '', version: 'v1', resource: 'pods' } as const;

export interface StatefulSetControllerOptions {
  workers?: number;
  onError?(key: string, error: unknown, terminal: boolean): void;
}

export class StatefulSetController {
  readonly queue = new WorkQueue();
  private readonly control: StatefulSetControl;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly sets: SharedInformer<StatefulSet>,
    private readonly pods: SharedInformer<Pod>,
    revisions: SharedInformer<ControllerRevision>,
    claims: SharedInformer<PersistentVolumeClaim>,
    private readonly opts: StatefulSetControllerOptions = {},
  ) {
    const podControl = new StatefulPodControl(ctx.client, claims, ctx.recorder('statefulset-controller'));
    this.control = new StatefulSetControl(ctx.client, new ControllerHistory(ctx.client, revisions), podControl, ctx.now);
    sets.addEventHandler({
      onAdd: (s) => this.enqueue(s),
      onUpdate: (_o, s) => this.enqueue(s),
      onDelete: (s) => this.enqueue(s),
    });
    pods.addEventHandler({
      onAdd: (p) => this.enqueueForPod(p),
      onUpdate: (old, p) => {
        const oldRef = getControllerOf(old);
        if (oldRef && oldRef.uid !== getControllerOf(p)?.uid) this.enqueueForPod(old);
        this.enqueueForPod(p);
      },
      onDelete: (p) => this.enqueueForPod(p),
    });
    // A claim that goes away may unblock a pod waiting on a stale claim.
    claims.addEventHandler({ onDelete: (c) => this.enqueueForOwnersOf(c.metadata?.namespace ?? '', c.metadata?.labels) });
  }

  private enqueue(set: StatefulSet): void {
    this.queue.add(metaNamespaceKey(set));
  }

  /** The owning set, or for an orphan every set whose selector matches it (it may be adopted). */
  private enqueueForPod(pod: Pod): void {
    const ref = getControllerOf(pod);
    const ns = pod.metadata?.namespace ?? '';
    if (ref) {
      if (ref.kind !== KIND) return;
      const set = this.sets.store.get(`${ns}/${ref.name}`);
      if (set && set.metadata?.uid === ref.uid) this.enqueue(set);
      return;
    }
    if (pod.metadata?.deletionTimestamp) return;
    this.enqueueForOwnersOf(ns, pod.metadata?.labels);
  }

  private enqueueForOwnersOf(ns: string, labels: Record<string, string> | undefined): void {
    for (const set of this.sets.store.byIndex(NAMESPACE_INDEX, ns)) {
      const sel = selectorFromLabelSelector(set.spec?.selector);
      if (!sel.empty() && sel.matches(labels)) this.enqueue(set);
    }
  }

  /** The set's pods: controlled members, plus matching orphan members it adopts. */
  private async getPodsForStatefulSet(set: StatefulSet): Promise<Pod[]> {
    const candidates = this.pods.store.byIndex(NAMESPACE_INDEX, set.metadata?.namespace ?? '');
    const owned = await claimObjects<Pod>({
      client: this.ctx.client,
      owner: set,
      ownerApiVersion: API_VERSION,
      ownerKind: KIND,
      selector: set.spec?.selector ?? {},
      resource: PODS,
      candidates,
      canAdopt: (p) => isMemberOf(set, p),
    });
    return owned.filter((p) => isMemberOf(set, p));
  }

  async sync(key: string): Promise<Result> {
    const set = this.sets.store.get(key);
    if (!set) return done; // deleted: the garbage collector removes its pods
    const selector = selectorFromLabelSelector(set.spec?.selector);
    if (selector.empty() || selector.isNothing()) return terminal(new Error(`StatefulSet ${key} has an empty or invalid selector`));
    try {
      const pods = await this.getPodsForStatefulSet(set);
      const status = await this.control.updateStatefulSet(set, pods);
      // Pods become available minReadySeconds after Ready, with no event: look again then.
      const minReady = set.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && status.availableReplicas !== (set.spec?.replicas ?? 1)) return requeueAfter(minReady * 1000);
      return done;
    } catch (e) {
      // AlreadyExists / Conflict: our cache was behind the server; the watch event brings us back.
      if (isStatusError(e) && e.code === 409) return requeueAfter(250);
      throw e;
    }
  }

  run(): RunningController {
    return runWhenSynced(this.ctx, {
      name: 'statefulset-controller',
      queue: this.queue,
      workers: this.opts.workers ?? 5,
      reconcile: (key) => this.sync(key),
      onError: this.opts.onError,
    });
  }
}

/** Starts the StatefulSet controller on the shared context (registered as 'statefulset'). */
export function startStatefulSetController(ctx: ControllerContext, opts: StatefulSetControllerOptions = {}): RunningController {
  const c = new StatefulSetController(
    ctx,
    ctx.informers.for<StatefulSet>({ group: 'apps', version: 'v1', resource: 'statefulsets' }),
    ctx.informers.for<Pod>(PODS),
    ctx.informers.for<ControllerRevision>({ group: 'apps', version: 'v1', resource: 'controllerrevisions' }),
    ctx.informers.for<PersistentVolumeClaim>({ group: '', version: 'v1', resource: 'persistentvolumeclaims' }),
    opts,
  );
  return c.run();
}
