// The running scheduler: node, pod, namespace and PDB informers feed the cache and the queue; one loop pops
// a pod, decides with schedulePod over a cache snapshot, and either runs PostFilter preemption
// (preemption/: nominate a node, evict victims) and records the failure (PodScheduled=False +
// FailedScheduling event, pod parked as unschedulable) or assumes the pod on the chosen node and binds it
// through pods/binding in the background (upstream's binding cycle), so the next decision does not wait
// for the API round trip. A failed binding forgets the assumption and retries the pod after backoff.
import type { Namespace, Node, Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { newEventRecorder, type EventType } from '../client/event-recorder.js';
import { stripManagedFields } from '../client/informer.js';
import { KubeClient, SharedInformer, type MetaObject, type ResourceRef } from '../client/index.js';
import type { InformerFactory, ResourceId } from '../client/informer-factory.js';
import { newRegistry, filterPlugins, scorePlugins, type RegistryOptions } from './framework/registry.js';
import { SchedulerCache } from './cache.js';
import { SchedulingQueue, podKey, type QueueOptions, type QueuedPod } from './queue.js';
import { schedulePod, type Profile } from './schedule-one.js';
import { Nominator } from './preemption/nominator.js';
import { preempt } from './preemption/preempt.js';
import { podPriority } from './preemption/victims.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
/** Longest run of scheduling decisions between yields to the event loop. */
const SLICE_MS = 5;

export interface SchedulerOptions extends QueueOptions, RegistryOptions {
  /** Informers shared with other components in this process (started, and stopped, by their owner). */
  informers?: InformerFactory;
  schedulerName?: string;
  percentageOfNodesToScore?: number;
  random?: () => number;
  /** How often backoff/unschedulable pools are checked (ms). */
  flushIntervalMs?: number;
  onError?(err: unknown): void;
}

export interface RunningScheduler {
  stop(): Promise<void>;
  readonly queue: SchedulingQueue;
  readonly cache: SchedulerCache;
}

/** Heartbeats change node status constantly; only these fields can make a pending pod fit. */
const nodeShape = (n: Node) => JSON.stringify([n.spec, n.metadata?.labels, n.status?.allocatable]);
const nodeRelevantChange = (a: Node, b: Node) => a !== b && nodeShape(a) !== nodeShape(b);
/** metav1.Time: RFC 3339 with whole seconds. */
const rfc3339Now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
/** Upstream podTerminatingByPreemption: being deleted with the DisruptionTarget condition the scheduler set. */
const terminatingByPreemption = (p: Pod) =>
  !!p.metadata?.deletionTimestamp && (p.status?.conditions ?? []).some((c) => c.type === 'DisruptionTarget' && c.reason === 'PreemptionByScheduler');
const podsRef = (namespace?: string, name?: string, subresource?: string): ResourceRef => ({ group: '', version: 'v1', resource: 'pods', namespace, name, subresource });

export function startScheduler(client: KubeClient, opts: SchedulerOptions = {}): RunningScheduler {
  const schedulerName = opts.schedulerName ?? DEFAULT_SCHEDULER_NAME;
  const onError = opts.onError ?? ((e: unknown) => console.error('scheduler:', e));
  const queue = new SchedulingQueue(opts);
  const cache = new SchedulerCache();
  const reg = newRegistry(opts);
  // In `skiff server` the scheduler shares the controller manager's informers: one cached copy of
  // every pod for the whole process, not one per component.
  const shared = opts.informers;
  const informer = <T extends MetaObject>(r: ResourceId) => (shared ? shared.for<T>(r) : new SharedInformer<T>(client, r, { transform: stripManagedFields }));
  const nodes = informer<Node>({ group: '', version: 'v1', resource: 'nodes' });
  const pods = informer<Pod>({ group: '', version: 'v1', resource: 'pods' });
  const namespaces = informer<Namespace>({ group: '', version: 'v1', resource: 'namespaces' });
  const pdbs = informer<PodDisruptionBudget>({ group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' });
  const owned = shared ? [] : [nodes, pods, namespaces, pdbs];
  const nominator = new Nominator();
  /** Victims this scheduler asked to delete, until the informer shows them gone. */
  const preempting = new Set<string>();
  const profile: Profile = {
    filters: filterPlugins(reg),
    scorers: scorePlugins(reg),
    percentageOfNodesToScore: opts.percentageOfNodesToScore,
    random: opts.random,
    namespaceLabels: (ns) => namespaces.store.get(ns)?.metadata?.labels ?? undefined,
    nominated: (node, pod) => nominator.podsFor(node, pod),
  };
  const responsible = (p: Pod) => (p.spec?.schedulerName || DEFAULT_SCHEDULER_NAME) === schedulerName;
  const pending = (p: Pod) => !p.spec?.nodeName && !p.metadata?.deletionTimestamp && responsible(p);
  const pendingWork = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    const q = p.catch(onError).finally(() => pendingWork.delete(q));
    pendingWork.add(q);
  };

  nodes.addEventHandler({
    onAdd: (n) => (cache.addNode(n), queue.moveAllToActiveOrBackoff()),
    onUpdate: (o, n) => {
      cache.updateNode(n);
      if (nodeRelevantChange(o, n)) queue.moveAllToActiveOrBackoff();
    },
    onDelete: (n) => cache.removeNode(n),
  });
  pods.addEventHandler({
    onAdd: (p) => {
      nominator.observe(p);
      if (p.spec?.nodeName) cache.upsertPod(p);
      else if (pending(p)) queue.add(p);
    },
    onUpdate: (_o, p) => {
      nominator.observe(p);
      if (p.spec?.nodeName) {
        queue.delete(p);
        cache.upsertPod(p);
      } else if (pending(p)) queue.update(p);
      else queue.delete(p);
    },
    onDelete: (p) => {
      nominator.remove(p);
      preempting.delete(podKey(p));
      queue.delete(p);
      if (p.spec?.nodeName || cache.isAssumed(p)) {
        cache.removePod(p);
        queue.moveAllToActiveOrBackoff();
      }
    },
  });

  // Through the shared recorder, so a pod that keeps failing gets one FailedScheduling event with a
  // growing count (kubectl describe: "x5 over 2m"), not one event per attempt.
  const recorder = newEventRecorder(client, schedulerName);
  const event = (pod: Pod, type: EventType, reason: string, message: string, related?: Pod): Promise<void> => {
    const action = reason === 'Scheduled' ? 'Binding' : reason === 'Preempted' ? 'Preempting' : 'Scheduling';
    const asPod = (p: Pod): Pod => ({ ...p, apiVersion: 'v1', kind: 'Pod' });
    recorder.event(asPod(pod), type, reason, message, { action, related: related && asPod(related) });
    return Promise.resolve();
  };

  /** Upstream prepareCandidate: DisruptionTarget on each victim, a graceful delete, a Preempted event; lower nominations on the node go. */
  const evict = (preemptor: Pod, node: string, victims: Pod[]) => {
    for (const v of victims) {
      preempting.add(podKey(v));
      const vns = v.metadata?.namespace ?? 'default';
      const vname = v.metadata?.name ?? '';
      const cond = {
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'PreemptionByScheduler',
        message: `${preemptor.spec?.schedulerName || DEFAULT_SCHEDULER_NAME}: preempting to accommodate a higher priority pod`,
        lastProbeTime: null,
        lastTransitionTime: rfc3339Now(),
      };
      const gone = (e: unknown) => {
        if ((e as { code?: number }).code !== 404) throw e;
      };
      track(
        client
          .patch(podsRef(vns, vname, 'status'), { status: { conditions: [cond] } }, 'strategic')
          .then(() => client.delete(podsRef(vns, vname)))
          .then(() => event({ ...v, apiVersion: 'v1', kind: 'Pod' }, 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata?.uid} on node ${node}`, preemptor))
          .catch(gone),
      );
    }
    for (const p of nominator.lowerPriorityOn(node, podPriority(preemptor))) {
      nominator.set(p, '');
      track(client.patch(podsRef(p.metadata?.namespace, p.metadata?.name, 'status'), { status: { nominatedNodeName: null } }, 'strategic').catch(() => {}));
    }
  };

  let nextStart = 0;
  const scheduleOne = (q: QueuedPod) => {
    const pod = pods.store.get(q.key);
    if (!pod || !pending(pod)) return queue.done(q.key);
    q.pod = pod;
    const ns = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    const snapshot = cache.snapshot();
    const lists = cache.affinityLists();
    const res = schedulePod(pod, snapshot, profile, nextStart, lists);
    nextStart = res.nextStart;
    if (!res.ok) {
      queue.addUnschedulable(q);
      let message = res.message;
      // PostFilter (DefaultPreemption): nominate a node and evict victims, or explain why not.
      let nominate: string | undefined;
      if (res.statuses) {
        const pr = preempt({
          pod,
          nodes: snapshot,
          statuses: res.statuses,
          fit: { filters: profile.filters, state: res.state!, pre: { nodes: snapshot, namespaceLabels: profile.namespaceLabels, ...lists }, nominated: profile.nominated },
          pdbs: pdbs.store.list(),
          nominatedNode: nominator.nodeOf(pod),
          terminatingByPreemption: (p) => preempting.has(podKey(p)) || terminatingByPreemption(p),
          random: opts.random,
        });
        if (pr.ok) {
          nominate = pr.node;
          evict(pod, pr.node, pr.victims.pods);
        } else {
          message = `${message} ${pr.message}.`;
          if (pr.clearNomination && nominator.nodeOf(pod)) nominate = '';
        }
      }
      const cond = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: rfc3339Now() };
      const status: Record<string, unknown> = { conditions: [cond] };
      if (nominate !== undefined) {
        status.nominatedNodeName = nominate || null;
        nominator.set(pod, nominate);
      }
      track(client.patch(podsRef(ns, name, 'status'), { status }, 'strategic'));
      track(event(pod, 'Warning', 'FailedScheduling', message));
      return;
    }
    nominator.set(pod, '');
    cache.assume(pod, res.node);
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: ns, uid: pod.metadata?.uid }, target: { apiVersion: 'v1', kind: 'Node', name: res.node } };
    track(
      client.request('POST', `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}/binding`, binding).then(
        () => {
          queue.done(q.key);
          return event(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${res.node}`);
        },
        (err: unknown) => {
          cache.forget(pod);
          queue.addBackoff(q);
          throw err;
        },
      ),
    );
  };

  let running = true;
  let stopped!: () => void;
  const stoppedP = new Promise<void>((r) => (stopped = r));
  const loop = (async () => {
    // Decide only on a complete picture of the cluster; stop() may come before the first sync.
    await Promise.race([Promise.all([nodes.waitForSync(), pods.waitForSync(), namespaces.waitForSync(), pdbs.waitForSync()]), stoppedP]);
    let slice = performance.now();
    while (running) {
      const q = await queue.pop();
      if (!q) break;
      try {
        scheduleOne(q);
      } catch (e) {
        queue.addBackoff(q);
        onError(e);
      }
      // Let informer events and binding responses interleave with decisions, every few ms rather than
      // after each pod: under load one event-loop turn carries many I/O callbacks, and one pod per turn
      // starves the scheduler (assumed pods keep back-to-back decisions consistent).
      if (performance.now() - slice >= SLICE_MS) {
        await new Promise((r) => setImmediate(r));
        slice = performance.now();
      }
    }
  })();
  const flush = setInterval(() => queue.flush(), opts.flushIntervalMs ?? 100);
  flush.unref?.();
  for (const i of owned) i.start();
  shared?.start();

  return {
    queue,
    cache,
    async stop() {
      running = false;
      stopped();
      clearInterval(flush);
      queue.close();
      for (const i of owned) i.stop();
      await loop;
      while (pendingWork.size > 0) await Promise.all([...pendingWork]);
      await recorder.flush();
    },
  };
}
