// The node lifecycle controller (upstream pkg/controller/nodelifecycle/node_lifecycle_controller.go):
// every node monitor period each node is looked at (monitorNodeHealth). A node whose Lease and Ready
// heartbeat are older than the grace period gets Ready/MemoryPressure/DiskPressure/PIDPressure
// Unknown ("Kubelet stopped posting node status."), a NodeNotReady event, its pods marked Ready=False
// (MarkPodsNotReady) and the node.kubernetes.io/unreachable NoExecute taint (not-ready when Ready is
// False); the taints go when it recovers. NoSchedule taints follow the conditions and
// spec.unschedulable on every node change (doNoScheduleTaintingPass). When no node at all is Ready the
// controller assumes its own view is broken and adds no NoExecute taints (upstream's master
// disruption mode), so a control-plane hiccup does not evict every pod.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { NODE_NAME_INDEX } from '../../client/informer-factory.js';
import type { SharedInformer } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { isStatusError } from '../../machinery/errors.js';
import { deepCopy } from '../../machinery/object.js';
import { done, runController, type Result, type RunningController } from '../runner.js';
import type { ControllerContext } from '../shared/context.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { observeHealth, readyCondition, unknownConditions, type NodeHealth } from './health.js';
import { noExecuteKey, noScheduleKeys, reconcileTaints } from './taints.js';

export interface NodeLifecycleOptions {
  /** --node-monitor-period (default 5 s). */
  monitorPeriodMs?: number;
  /** --node-monitor-grace-period (default 40 s). */
  gracePeriodMs?: number;
  /** For a node that never posted Ready (default 60 s, upstream --node-startup-grace-period). */
  startupGracePeriodMs?: number;
  workers?: number;
  onError?(key: string, error: unknown, terminal: boolean): void;
}

const LEASE_NAMESPACE = 'kube-node-lease';
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const nodeRef = (name: string, subresource?: string) => ({ group: '', version: 'v1', resource: 'nodes', name, subresource });

export class NodeLifecycleController {
  readonly queue = new WorkQueue();
  private readonly health = new Map<string, NodeHealth>();
  private readonly nodes: SharedInformer<Node>;
  private readonly leases: SharedInformer<Lease>;
  private readonly pods: SharedInformer<Pod>;
  private readonly recorder: EventRecorder;
  /** No node is Ready: add no NoExecute taints (and take existing ones off). */
  private disrupted = false;

  constructor(private readonly ctx: ControllerContext, private readonly opts: NodeLifecycleOptions = {}) {
    this.nodes = ctx.informers.for<Node>({ group: '', version: 'v1', resource: 'nodes' });
    this.leases = ctx.informers.for<Lease>({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases' });
    this.pods = ctx.informers.for<Pod>({ group: '', version: 'v1', resource: 'pods' });
    this.recorder = ctx.recorder('node-controller');
    this.nodes.addEventHandler({
      onAdd: (n) => this.queue.add(n.metadata?.name ?? ''),
      onUpdate: (_o, n) => this.queue.add(n.metadata?.name ?? ''),
      onDelete: (n) => this.queue.add(n.metadata?.name ?? ''),
    });
  }

  run(): RunningController {
    let timer: NodeJS.Timeout | undefined;
    let runner: RunningController | undefined;
    let stopping = false;
    const started = this.ctx.synced.then(() => {
      if (stopping) return;
      runner = runController({ name: 'node-lifecycle-controller', queue: this.queue, workers: this.opts.workers ?? 4, reconcile: (k) => this.sync(k), onError: this.opts.onError });
      this.monitor();
      timer = setInterval(() => this.monitor(), this.monitorPeriod());
      timer.unref?.();
    });
    return {
      stop: async () => {
        stopping = true;
        clearInterval(timer);
        this.queue.shutDown();
        await Promise.race([started, Promise.resolve()]);
        await runner?.stop();
      },
    };
  }

  private monitorPeriod(): number {
    return this.opts.monitorPeriodMs ?? this.ctx.config?.nodeMonitorPeriodMs ?? 5000;
  }
  private gracePeriod(): number {
    return this.opts.gracePeriodMs ?? this.ctx.config?.nodeMonitorGracePeriodMs ?? 40_000;
  }

  /** One monitor pass: every node is synced; the disruption state is computed once for all. */
  private monitor(): void {
    const all = this.nodes.store.list();
    this.disrupted = all.length > 0 && all.every((n) => readyCondition(n)?.status !== 'True');
    for (const n of all) this.queue.add(n.metadata?.name ?? '');
  }

  async sync(name: string): Promise<Result> {
    let node = this.nodes.store.get(name);
    if (!node) {
      this.health.delete(name);
      return done;
    }
    const now = this.ctx.now();
    const prev = this.health.get(name);
    if (!prev) this.recordNodeEvent(node, 'Normal', 'RegisteredNode', `Registered Node ${name} in Controller`);
    const h = observeHealth(prev, node, this.leases.store.get(`${LEASE_NAMESPACE}/${name}`), now);
    this.health.set(name, h);
    const observedReady = readyCondition(node);
    const grace = observedReady ? this.gracePeriod() : (this.opts.startupGracePeriodMs ?? 60_000);
    try {
      if (now - h.probeTimestamp > grace) {
        const conditions = unknownConditions(node, now);
        if (conditions) {
          const next: Node = { ...deepCopy(node), status: { ...deepCopy(node.status), conditions } };
          node = await this.ctx.client.update<Node>(nodeRef(name, 'status'), next);
        }
      }
      const ready = readyCondition(node)?.status;
      if (observedReady?.status === 'True' && ready !== 'True') this.recordNodeEvent(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      if (ready === 'Unknown') await this.markPodsNotReady(name, now);
      const taints = reconcileTaints(node.spec?.taints, noExecuteKey(ready, this.disrupted), noScheduleKeys(node), now);
      if (taints) await this.ctx.client.patch(nodeRef(name), { metadata: { resourceVersion: node.metadata?.resourceVersion }, spec: { taints } }, 'merge');
    } catch (e) {
      if (isStatusError(e) && e.code === 404) return done;
      throw e; // 409: the node changed meanwhile; the update re-queued it anyway
    }
    return done;
  }

  /** upstream MarkPodsNotReady: Ready=False on every pod of the node, then a NodeNotReady event. */
  private async markPodsNotReady(nodeName: string, now: number): Promise<void> {
    for (const pod of this.pods.store.byIndex(NODE_NAME_INDEX, nodeName)) {
      const i = pod.status?.conditions?.findIndex((c) => c.type === 'Ready') ?? -1;
      if (i < 0 || pod.status!.conditions![i]!.status === 'False') continue;
      const next = deepCopy(pod);
      const c = next.status!.conditions![i]!;
      next.status!.conditions![i] = { ...c, status: 'False', lastTransitionTime: rfc3339(now) };
      try {
        await this.ctx.client.update(
          { group: '', version: 'v1', resource: 'pods', namespace: pod.metadata?.namespace, name: pod.metadata?.name, subresource: 'status' },
          next,
        );
      } catch (e) {
        if (isStatusError(e) && (e.code === 404 || e.code === 409)) continue; // gone, or changed: next pass
        throw e;
      }
      this.recorder.event({ ...pod, apiVersion: 'v1', kind: 'Pod' }, 'Warning', 'NodeNotReady', 'Node is not ready');
    }
  }

  /** upstream RecordNodeEvent / RecordNodeStatusChange: the reference carries the node name as UID. */
  private recordNodeEvent(node: Node, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const name = node.metadata?.name ?? '';
    const ref = { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: name } };
    this.recorder.event(ref, type, reason, reason === 'NodeNotReady' ? message : `Node ${name} event: ${message}`);
  }
}
