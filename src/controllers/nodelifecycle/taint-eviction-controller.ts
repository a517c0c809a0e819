// Taint-based eviction (upstream pkg/controller/tainteviction/taint_eviction.go, formerly the node
// lifecycle controller's NoExecuteTaintManager) plus the part of the pod garbage collector
// (pkg/controller/podgc) that unblocks replacements when a kubelet is gone:
// - a pod on a node with NoExecute taints it does not tolerate is deleted at once; one tolerating
//   them for tolerationSeconds is deleted that long after the taints were first seen (the timer is
//   cancelled if the taints go or the pod stops matching) — TaintManagerEviction events as upstream;
// - a terminating pod on an unreachable node (Ready Unknown: no kubelet will confirm the deletion) is
//   force-deleted with grace 0, and so is a pod bound to a node that no longer exists, after a
//   quarantine (upstream gcOrphaned).
// Keys are pod keys; the reconcile is level-triggered, timers are requeueAfter.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { NODE_NAME_INDEX } from '../../client/informer-factory.js';
import type { SharedInformer } from '../../client/informer.js';
import { metaNamespaceKey } from '../../client/store.js';
import { WorkQueue } from '../../client/workqueue.js';
import { isStatusError } from '../../machinery/errors.js';
import { done, requeueAfter, runController, type Result, type RunningController } from '../runner.js';
import type { ControllerContext } from '../shared/context.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { readyCondition } from './health.js';
import { noExecuteTaints, tolerationSeconds } from './taints.js';

export interface TaintEvictionOptions {
  workers?: number;
  /** How long a pod bound to a missing node waits before it is force-deleted (upstream 40 s). */
  orphanQuarantineMs?: number;
  onError?(key: string, error: unknown, terminal: boolean): void;
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const is = (e: unknown, ...codes: number[]) => isStatusError(e) && codes.includes(e.code);
const podRef = (p: Pod, subresource?: string) => ({ group: '', version: 'v1', resource: 'pods', namespace: p.metadata?.namespace, name: p.metadata?.name, subresource });

export class TaintEvictionController {
  readonly queue = new WorkQueue();
  private readonly nodes: SharedInformer<Node>;
  private readonly pods: SharedInformer<Pod>;
  private readonly recorder: EventRecorder;
  /** pod UID → when its eviction timer started (upstream TimedWorker.CreatedAt). */
  private readonly scheduled = new Map<string, number>();
  /** pod UID → when its node was first seen missing. */
  private readonly orphanedSince = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext, private readonly opts: TaintEvictionOptions = {}) {
    this.nodes = ctx.informers.for<Node>({ group: '', version: 'v1', resource: 'nodes' });
    this.pods = ctx.informers.for<Pod>({ group: '', version: 'v1', resource: 'pods' });
    this.recorder = ctx.recorder('taint-eviction-controller');
    this.pods.addEventHandler({
      onAdd: (p) => p.spec?.nodeName && this.queue.add(metaNamespaceKey(p)),
      onUpdate: (_o, p) => p.spec?.nodeName && this.queue.add(metaNamespaceKey(p)),
      onDelete: (p) => {
        this.scheduled.delete(p.metadata?.uid ?? '');
        this.orphanedSince.delete(p.metadata?.uid ?? '');
      },
    });
    const podsOf = (n: Node) => {
      for (const p of this.pods.store.byIndex(NODE_NAME_INDEX, n.metadata?.name ?? '')) this.queue.add(metaNamespaceKey(p));
    };
    this.nodes.addEventHandler({
      onAdd: podsOf,
      onUpdate: (o, n) => {
        const changed =
          JSON.stringify(noExecuteTaints(o)) !== JSON.stringify(noExecuteTaints(n)) || readyCondition(o)?.status !== readyCondition(n)?.status;
        if (changed) podsOf(n);
      },
      onDelete: podsOf,
    });
  }

  run(): RunningController {
    let runner: RunningController | undefined;
    let stopping = false;
    const started = this.ctx.synced.then(() => {
      if (stopping) return;
      runner = runController({ name: 'taint-eviction-controller', queue: this.queue, workers: this.opts.workers ?? 8, reconcile: (k) => this.sync(k), onError: this.opts.onError });
    });
    return {
      stop: async () => {
        stopping = true;
        this.queue.shutDown();
        await Promise.race([started, Promise.resolve()]);
        await runner?.stop();
      },
    };
  }

  async sync(key: string): Promise<Result> {
    const pod = this.pods.store.get(key);
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName) return done;
    const uid = pod.metadata?.uid ?? '';
    const now = this.ctx.now();
    const node = this.nodes.store.get(nodeName);
    if (!node) return this.orphaned(pod, now);
    this.orphanedSince.delete(uid);
    if (pod.metadata?.deletionTimestamp) {
      this.scheduled.delete(uid);
      // Nobody will confirm this deletion: the node's kubelet stopped posting status.
      if (readyCondition(node)?.status === 'Unknown') await this.forceDelete(pod);
      return done;
    }
    const seconds = tolerationSeconds(noExecuteTaints(node), pod.spec?.tolerations);
    if (seconds < 0) {
      if (this.scheduled.delete(uid)) this.recorder.event({ ...pod, apiVersion: 'v1', kind: 'Pod' }, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
      return done;
    }
    const since = this.scheduled.get(uid) ?? now;
    const due = since + seconds * 1000;
    if (due > now) {
      this.scheduled.set(uid, since);
      return requeueAfter(due - now);
    }
    this.scheduled.delete(uid);
    await this.evict(pod, key);
    return done;
  }

  private async evict(pod: Pod, key: string): Promise<void> {
    this.recorder.event({ ...pod, apiVersion: 'v1', kind: 'Pod' }, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    // As upstream (PodDisruptionConditions): say why before deleting; best effort.
    const conditions = [
      ...(pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget'),
      { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: rfc3339(this.ctx.now()) },
    ];
    await this.ctx.client.patch(podRef(pod, 'status'), { metadata: { uid: pod.metadata?.uid }, status: { conditions } }, 'strategic').catch(() => {});
    try {
      await this.ctx.client.delete(podRef(pod), { preconditions: { uid: pod.metadata?.uid } });
    } catch (e) {
      if (!is(e, 404, 409)) throw e;
    }
  }

  private async forceDelete(pod: Pod): Promise<void> {
    try {
      await this.ctx.client.delete(podRef(pod), { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid } });
    } catch (e) {
      if (!is(e, 404, 409)) throw e;
    }
  }

  /** upstream podgc gcOrphaned: the pod's node is gone; after the quarantine (and a live check) it goes too. */
  private async orphaned(pod: Pod, now: number): Promise<Result> {
    const uid = pod.metadata?.uid ?? '';
    const since = this.orphanedSince.get(uid) ?? now;
    this.orphanedSince.set(uid, since);
    const wait = since + (this.opts.orphanQuarantineMs ?? 40_000) - now;
    if (wait > 0) return requeueAfter(wait);
    try {
      await this.ctx.client.get({ group: '', version: 'v1', resource: 'nodes', name: pod.spec?.nodeName });
      this.orphanedSince.delete(uid); // the cache lagged: the node exists
      return done;
    } catch (e) {
      if (!is(e, 404)) throw e;
    }
    this.orphanedSince.delete(uid);
    await this.forceDelete(pod);
    return done;
  }
}
