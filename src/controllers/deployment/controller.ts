// The Deployment controller (upstream pkg/controller/deployment/deployment_controller.go): informer
// handlers turn Deployment, ReplicaSet and pod events into Deployment keys; syncDeployment claims the
// Deployment's ReplicaSets (adopting matching orphans, releasing what stopped matching), then either
// only updates status (being deleted), syncs a paused or resized Deployment, or runs a step of its
// strategy (rolling.ts / recreate.ts). Everything is recomputed from the caches on every sync.
// Upstream's rollback.go serves extensions/v1beta1 spec.rollbackTo, which apps/v1 dropped: `kubectl
// rollout undo` is client-side (it copies an old RS's template back), so it has no counterpart here.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { OWNER_UID_INDEX } from '../../client/informer-factory.js';
import type { SharedInformer } from '../../client/informer.js';
import { NAMESPACE_INDEX, splitMetaNamespaceKey, metaNamespaceKey } from '../../client/store.js';
import { WorkQueue } from '../../client/workqueue.js';
import { isStatusError } from '../../machinery/errors.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { deepCopy } from '../../machinery/object.js';
import { done, failed, type Result, type RunningController } from '../runner.js';
import { runWhenSynced, type ControllerContext } from '../shared/context.js';
import { claimObjects, getControllerOf } from '../shared/owner-refs.js';
import { asDeployment, RS_RESOURCE, updateDeploymentStatus, type SyncContext } from './context.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replica-set.js';
import { rolloutRecreate, type PodMap } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import { checkPausedConditions, isScalingEvent, sync, syncDeploymentStatus } from './sync.js';
import { REVISION_ANNOTATION } from './util.js';

export interface DeploymentControllerOptions {
  workers?: number;
}

export class DeploymentController {
  readonly queue = new WorkQueue();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly deployments: SharedInformer<Deployment>,
    private readonly replicaSets: SharedInformer<ReplicaSet>,
    private readonly pods: SharedInformer<Pod>,
  ) {
    const enqueue = (d: Deployment) => this.queue.add(metaNamespaceKey(d));
    deployments.addEventHandler({ onAdd: enqueue, onUpdate: (_o, d) => enqueue(d), onDelete: enqueue });
    replicaSets.addEventHandler({
      onAdd: (rs) => this.enqueueForReplicaSet(rs),
      onUpdate: (old, rs) => {
        const oldRef = getControllerOf(old);
        if (oldRef && oldRef.uid !== getControllerOf(rs)?.uid) this.enqueueForReplicaSet(old);
        this.enqueueForReplicaSet(rs);
      },
      onDelete: (rs) => this.enqueueForReplicaSet(rs),
    });
    // Recreate waits for old pods to be gone; their deletion is what lets it go on.
    pods.addEventHandler({
      onDelete: (pod) => {
        const ref = getControllerOf(pod);
        if (ref?.kind !== 'ReplicaSet') return;
        const rs = replicaSets.store.get(`${pod.metadata?.namespace}/${ref.name}`);
        const d = rs && this.resolveControllerRef(rs);
        if (d && d.spec?.strategy?.type === 'Recreate') enqueue(d);
      },
    });
  }

  private resolveControllerRef(rs: ReplicaSet): Deployment | undefined {
    const ref = getControllerOf(rs);
    if (ref?.kind !== 'Deployment') return undefined;
    const d = this.deployments.store.get(`${rs.metadata?.namespace}/${ref.name}`);
    return d?.metadata?.uid === ref.uid ? d : undefined;
  }

  /** The owner of a controlled RS, or for an orphan every Deployment whose selector matches it. */
  private enqueueForReplicaSet(rs: ReplicaSet): void {
    if (getControllerOf(rs)) {
      const d = this.resolveControllerRef(rs);
      if (d) this.queue.add(metaNamespaceKey(d));
      return;
    }
    for (const d of this.deployments.store.byIndex(NAMESPACE_INDEX, rs.metadata?.namespace ?? '')) {
      const sel = d.spec?.selector;
      if (!sel || (!sel.matchLabels && !sel.matchExpressions)) continue;
      if (selectorFromLabelSelector(sel).matches(rs.metadata?.labels)) this.queue.add(metaNamespaceKey(d));
    }
  }

  /** getReplicaSetsForDeployment: adopt and release through controller references. */
  private getReplicaSetsForDeployment(d: Deployment): Promise<ReplicaSet[]> {
    return claimObjects<ReplicaSet>({
      client: this.ctx.client,
      owner: d,
      ownerApiVersion: 'apps/v1',
      ownerKind: 'Deployment',
      selector: d.spec!.selector,
      resource: RS_RESOURCE,
      candidates: this.replicaSets.store.byIndex(NAMESPACE_INDEX, d.metadata?.namespace ?? ''),
    });
  }

  /** getPodMapForDeployment: the pods of each of the Deployment's RSs (by controller UID). */
  private getPodMap(rsList: readonly ReplicaSet[]): PodMap {
    const m: PodMap = new Map();
    for (const rs of rsList) {
      const uid = rs.metadata?.uid ?? '';
      m.set(uid, this.pods.store.byIndex(OWNER_UID_INDEX, uid).filter((p) => getControllerOf(p)?.uid === uid));
    }
    return m;
  }

  async syncDeployment(key: string): Promise<Result> {
    const cached = this.deployments.store.get(key);
    if (!cached) return done; // deleted: the garbage collector removes its ReplicaSets
    const d = deepCopy(cached);
    const c: SyncContext = {
      client: this.ctx.client,
      recorder: this.ctx.recorder('deployment-controller'),
      now: () => this.ctx.now(),
      persistedRevision: cached.metadata?.annotations?.[REVISION_ANNOTATION],
    };
    const sel = d.spec?.selector;
    if (!sel || (!sel.matchLabels && !sel.matchExpressions) || (Object.keys(sel.matchLabels ?? {}).length === 0 && !(sel.matchExpressions ?? []).length)) {
      c.recorder.event(asDeployment(d), 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if (d.metadata?.generation !== d.status?.observedGeneration) {
        d.status = { ...d.status, observedGeneration: d.metadata?.generation };
        await updateDeploymentStatus(c, d);
      }
      return done;
    }
    const rsList = await this.getReplicaSetsForDeployment(d);
    const podMap = this.getPodMap(rsList);
    if (d.metadata?.deletionTimestamp) {
      const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(c, d, rsList, false);
      await syncDeploymentStatus(c, [...oldRSs, newRS], newRS, d);
      return done;
    }
    await checkPausedConditions(c, d);
    if (d.spec?.paused) {
      await sync(c, d, rsList);
      return done;
    }
    if (await isScalingEvent(c, d, rsList)) {
      await sync(c, d, rsList);
      return done;
    }
    if (d.spec?.strategy?.type === 'Recreate') return rolloutRecreate(c, d, rsList, podMap);
    return rolloutRolling(c, d, rsList);
  }

  run(workers = 5): RunningController {
    return runWhenSynced(this.ctx, {
      name: 'deployment-controller',
      queue: this.queue,
      workers,
      reconcile: async (key) => {
        try {
          return await this.syncDeployment(key);
        } catch (e) {
          return failed(e);
        }
      },
      onError: (key, e, terminal) => {
        // A conflict means the cache was behind a write: the retry sees the newer object.
        if (isStatusError(e) && e.code === 409) return;
        const { namespace, name } = splitMetaNamespaceKey(key);
        console.error(`deployment-controller: ${terminal ? 'terminal error' : 'error'} syncing deployment ${namespace}/${name}: ${e instanceof Error ? e.message : String(e)}`);
      },
    });
  }
}

/** Starts the Deployment controller on the shared informers (deployments, replicasets, pods). */
export function startDeploymentController(ctx: ControllerContext, opts: DeploymentControllerOptions = {}): RunningController {
  const deployments = ctx.informers.for<Deployment>({ group: 'apps', version: 'v1', resource: 'deployments' });
  const replicaSets = ctx.informers.for<ReplicaSet>({ group: 'apps', version: 'v1', resource: 'replicasets' });
  const pods = ctx.informers.for<Pod>({ group: '', version: 'v1', resource: 'pods' });
  return new DeploymentController(ctx, deployments, replicaSets, pods).run(opts.workers);
}
