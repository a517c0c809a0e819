// Starts the DaemonSet controller (upstream pkg/controller/daemon NewDaemonSetsController's event
// handlers): DaemonSets, their pods, ControllerRevisions and Nodes only enqueue DaemonSet keys. A pod
// event lowers the owner's expectations; an orphan pod wakes every DaemonSet that could adopt it; a
// node event wakes the DaemonSets for which the node's eligibility changed (all of them on add/delete).
import type { ControllerRevision, DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { runWhenSynced, type StartController } from '../shared/context.js';
import { ControllerHistory } from '../shared/controller-history.js';
import type { RunningController } from '../runner.js';
import { DaemonSetsController } from './controller.js';
import { nodeShouldRunDaemonPod } from './eligibility.js';

export { DaemonSetsController } from './controller.js';
export { nodeShouldRunDaemonPod, daemonPodTolerations, replaceNodeNameAffinity } from './eligibility.js';

export interface DaemonSetControllerOptions {
  workers?: number;
}

export function newDaemonSetController(ctx: Parameters<StartController>[0]): DaemonSetsController {
  const daemonSets = ctx.informers.for<DaemonSet>({ group: 'apps', version: 'v1', resource: 'daemonsets' });
  const pods = ctx.informers.for<Pod>({ group: '', version: 'v1', resource: 'pods' });
  const nodes = ctx.informers.for<Node>({ group: '', version: 'v1', resource: 'nodes' });
  const revisions = ctx.informers.for<ControllerRevision>({ group: 'apps', version: 'v1', resource: 'controllerrevisions' });
  const c = new DaemonSetsController({
    client: ctx.client,
    daemonSets,
    pods,
    nodes,
    revisions,
    history: new ControllerHistory(ctx.client, revisions),
    recorder: ctx.recorder('daemonset-controller'),
    now: () => ctx.now(),
  });
  const enqueueAll = () => daemonSets.store.list().forEach((ds) => c.enqueue(ds));

  daemonSets.addEventHandler({ onAdd: (ds) => c.enqueue(ds), onUpdate: (_o, ds) => c.enqueue(ds), onDelete: (ds) => c.enqueue(ds) });

  const podDeleted = (pod: Pod) => {
    const ds = c.daemonSetForControllerRef(pod);
    if (!ds) return;
    c.expectations.deletionObserved(c.keyOf(ds));
    c.enqueue(ds);
  };
  pods.addEventHandler({
    onAdd: (pod) => {
      if (pod.metadata?.deletionTimestamp) return podDeleted(pod);
      const ds = c.daemonSetForControllerRef(pod);
      if (ds) {
        c.expectations.creationObserved(c.keyOf(ds));
        return c.enqueue(ds);
      }
      if (!pod.metadata?.ownerReferences?.some((r) => r.controller)) c.daemonSetsForPod(pod).forEach((d) => c.enqueue(d));
    },
    onUpdate: (old, pod) => {
      if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return; // resync
      if (pod.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) {
        // A graceful delete is observed when it starts, not when the pod finally goes.
        podDeleted(pod);
        return;
      }
      const oldDs = c.daemonSetForControllerRef(old);
      const ds = c.daemonSetForControllerRef(pod);
      if (oldDs && oldDs !== ds) c.enqueue(oldDs);
      if (ds) return c.enqueue(ds);
      const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(pod.metadata?.labels ?? {});
      if (!pod.metadata?.ownerReferences?.some((r) => r.controller) && (labelsChanged || oldDs)) c.daemonSetsForPod(pod).forEach((d) => c.enqueue(d));
    },
    onDelete: podDeleted, // as upstream, also after a graceful delete was observed: over-counting is harmless
  });

  const revisionOwner = (rev: ControllerRevision) => {
    const ref = rev.metadata?.ownerReferences?.find((r) => r.controller && r.kind === 'DaemonSet');
    const ds = ref && daemonSets.store.get(`${rev.metadata?.namespace ?? ''}/${ref.name}`);
    if (ds && ds.metadata?.uid === ref?.uid) c.enqueue(ds);
  };
  revisions.addEventHandler({ onAdd: revisionOwner, onUpdate: (_o, r) => revisionOwner(r), onDelete: revisionOwner });

  nodes.addEventHandler({
    onAdd: enqueueAll,
    onDelete: enqueueAll,
    onUpdate: (oldNode, node) => {
      if (oldNode.metadata?.resourceVersion === node.metadata?.resourceVersion) return;
      for (const ds of daemonSets.store.list()) {
        const a = nodeShouldRunDaemonPod(oldNode, ds);
        const b = nodeShouldRunDaemonPod(node, ds);
        if (a.shouldRun !== b.shouldRun || a.shouldContinueRunning !== b.shouldContinueRunning) c.enqueue(ds);
      }
    },
  });
  return c;
}

/** Registered as `daemonset` in WORKLOAD_CONTROLLERS. */
export const startDaemonSetController: StartController = (ctx) => startWith(ctx);

export function startWith(ctx: Parameters<StartController>[0], opts: DaemonSetControllerOptions = {}): RunningController {
  const c = newDaemonSetController(ctx);
  return runWhenSynced(ctx, { name: 'daemonset-controller', queue: c.queue, workers: opts.workers ?? 2, reconcile: (key) => c.sync(key) });
}
