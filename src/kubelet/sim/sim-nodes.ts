// Simulated nodes (the role kwok plays upstream): registers N Nodes, keeps one heartbeat Lease per
// node renewed from a single shared timer (renewals spread over the period in slots), and acts as the
// kubelet for pods bound to those nodes — Pending → Running with a podIP from the node's podCIDR,
// simulated exits from annotations (see README.md), and graceful deletion. No containers run; every
// node shares one pod informer and one work queue so that thousands of nodes stay cheap.
import type { Node, Pod, Namespace } from 'kubernetes-types/core/v1.js';
import type { KubeClient, ResourceRef } from '../../client/http-client.js';
import { SharedInformer, stripManagedFields } from '../../client/informer.js';
import type { InformerFactory } from '../../client/informer-factory.js';
import { WorkQueue } from '../../client/workqueue.js';
import { StatusError } from '../../machinery/errors.js';
import { DEFAULT_ZONES, LEASE_NAMESPACE, ipInCIDR, ipToInt, leaseObject, microTime, nodeConditions, nodeObject, nodeStatus, podCIDRFor, podIPFor, internalIPFor, type SimNodeParams } from './node-spec.js';
import { restartsAfterExit, runningStatus, simExit, stopDelayMs, terminatedStatus, type RunState } from './pod-status.js';

export interface SimNodesOptions {
  count: number;
  namePrefix?: string;
  zones?: string[];
  podCIDRBase?: string;
  heartbeatMs?: number;
  /** Parallel API requests during registration and per heartbeat slot (default 32). */
  concurrency?: number;
  onError?(err: unknown): void;
  /** Informers shared with other components in this process (started, and stopped, by their owner). */
  informers?: InformerFactory;
}

export interface SimNodes {
  /** Node names in registration order. */
  readonly names: string[];
  stop(): Promise<void>;
  /** false: stop renewing the node's Lease (the node lifecycle controller notices); true: resume. */
  setReady(name: string, ready: boolean): void;
}

interface SimNode extends SimNodeParams {
  ip: string;
  ready: boolean;
  usedIPs: Set<number>;
}
interface PodRun extends RunState {
  node: SimNode;
  podIP: string;
  ipIndex: number;
  exitTimer?: NodeJS.Timeout;
}

const SLOTS = 10;
const nodesRef = (name?: string, subresource?: string): ResourceRef => ({ group: '', version: 'v1', resource: 'nodes', name, subresource });
const leasesRef = (name?: string): ResourceRef => ({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: LEASE_NAMESPACE, name });
const podRef = (p: Pod, subresource?: string): ResourceRef => ({ group: '', version: 'v1', resource: 'pods', namespace: p.metadata?.namespace, name: p.metadata?.name, subresource });
const is = (e: unknown, code: number) => e instanceof StatusError && e.code === code;

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

export async function startSimNodes(client: KubeClient, opts: SimNodesOptions): Promise<SimNodes> {
  const prefix = opts.namePrefix ?? 'sim-node-';
  const zones = opts.zones?.length ? opts.zones : DEFAULT_ZONES;
  const heartbeatMs = opts.heartbeatMs ?? 10_000;
  const conc = opts.concurrency ?? 32;
  const onError = opts.onError ?? ((e: unknown) => console.error('sim-nodes:', e instanceof Error ? e.message : e));
  const nodes = new Map<string, SimNode>();
  const runs = new Map<string, PodRun>(); // by pod uid
  const deleting = new Map<string, NodeJS.Timeout>(); // by pod uid
  let stopped = false;

  await client.create<Namespace>({ group: '', version: 'v1', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: LEASE_NAMESPACE } }).catch((e) => {
    if (!is(e, 409)) throw e;
  });

  // Pod CIDRs and addresses must not collide with other nodes of the cluster (another `skiff sim`,
  // real nodes): new nodes take the first slots that no other node uses.
  const names = new Set(Array.from({ length: opts.count }, (_, i) => `${prefix}${i}`));
  const others = (await client.list<Node>(nodesRef())).items.filter((n) => !names.has(n.metadata?.name ?? ''));
  const takenCIDRs = new Set(others.map((n) => n.spec?.podCIDR).filter(Boolean));
  const takenIPs = new Set(others.flatMap((n) => (n.status?.addresses ?? []).map((a) => a.address)));
  let slot = 0;
  const nextSlot = () => {
    while (takenCIDRs.has(podCIDRFor(slot, opts.podCIDRBase)) || takenIPs.has(internalIPFor(slot))) slot++;
    return slot++;
  };
  const specs: SimNode[] = Array.from({ length: opts.count }, (_, i) => {
    const name = `${prefix}${i}`;
    const k = nextSlot();
    return { name, index: i, zone: zones[i % zones.length]!, podCIDR: podCIDRFor(k, opts.podCIDRBase), ip: internalIPFor(k), ready: true, usedIPs: new Set() };
  });
  await pool(specs, conc, async (n) => {
    let node: Node;
    try {
      node = await client.create<Node>(nodesRef(), nodeObject(n));
    } catch (e) {
      if (!is(e, 409)) throw e;
      node = await client.get<Node>(nodesRef(n.name)); // adopt: keep the CIDR it already has
      if (node.spec?.podCIDR) n.podCIDR = node.spec.podCIDR;
      const addr = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
      if (addr) n.ip = addr;
    }
    await client.patch(nodesRef(n.name, 'status'), { status: nodeStatus(n, Date.now()) }, 'merge');
    await client.create(leasesRef(), leaseObject(n.name, node.metadata?.uid, Date.now())).catch(async (e) => {
      if (!is(e, 409)) throw e;
      await client.patch(leasesRef(n.name), { spec: { holderIdentity: n.name, renewTime: microTime(Date.now()) } }, 'merge');
    });
    nodes.set(n.name, n);
  });

  // Heartbeats: one timer; tick k renews the nodes with index % SLOTS === k % SLOTS.
  let tick = 0;
  const inflight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    const q = p.catch(onError).finally(() => inflight.delete(q));
    inflight.add(q);
  };
  const renew = async (n: SimNode) => {
    try {
      await client.patch(leasesRef(n.name), { spec: { renewTime: microTime(Date.now()) } }, 'merge');
    } catch (e) {
      if (!is(e, 404)) throw e;
      await client.create(leasesRef(), leaseObject(n.name, undefined, Date.now()));
    }
  };
  const heartbeat = setInterval(() => {
    const slot = tick++ % SLOTS;
    const due = specs.filter((n) => n.index % SLOTS === slot && n.ready);
    if (due.length) track(pool(due, conc, renew));
  }, Math.max(1, Math.floor(heartbeatMs / SLOTS)));
  heartbeat.unref?.();

  // Pods: one informer for every bound pod; our nodes are picked out by name.
  // With `informers` (skiff server) the process-wide pod informer is shared with the scheduler and
  // controllers; otherwise a private one that lists only bound pods.
  const shared = opts.informers;
  const informer = shared
    ? shared.for<Pod>({ group: '', version: 'v1', resource: 'pods' })
    : new SharedInformer<Pod>(client, { group: '', version: 'v1', resource: 'pods' }, { fieldSelector: 'spec.nodeName!=', onHandlerError: onError, transform: stripManagedFields });
  const queue = new WorkQueue();
  const keyOf = (p: Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`;
  const mine = (p: Pod) => nodes.get(p.spec?.nodeName ?? '');
  const release = (uid: string) => {
    const r = runs.get(uid);
    if (!r) return;
    clearTimeout(r.exitTimer);
    r.node.usedIPs.delete(r.ipIndex);
    runs.delete(uid);
  };
  // IPs of pods a previous run started are claimed synchronously, before any new pod is given one.
  const adopt = (p: Pod) => {
    const node = mine(p);
    const uid = p.metadata?.uid ?? '';
    const ip = p.status?.podIP;
    if (!node || runs.has(uid) || !ip || p.status?.phase !== 'Running' || !ipInCIDR(ip, node.podCIDR)) return;
    const ipIndex = ipToInt(ip) - ipToInt(node.podCIDR.split('/')[0]!) - 1;
    const cs = p.status?.containerStatuses?.[0];
    const startedMs = Date.parse(cs?.state?.running?.startedAt ?? p.status?.startTime ?? '') || Date.now();
    node.usedIPs.add(ipIndex);
    runs.set(uid, { node, podIP: ip, ipIndex, startedMs, restartCount: cs?.restartCount ?? 0 });
  };
  informer.addEventHandler({
    onAdd: (p) => mine(p) && (adopt(p), queue.add(keyOf(p))),
    onUpdate: (_, p) => mine(p) && queue.add(keyOf(p)),
    onDelete: (p) => {
      const uid = p.metadata?.uid ?? '';
      release(uid);
      clearTimeout(deleting.get(uid));
      deleting.delete(uid);
    },
  });

  /** PUT pods/status with a status computed from the newest pod; retried on conflicts. */
  const writeStatus = async (pod: Pod, status: (p: Pod) => Pod['status']) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await client.update(podRef(pod, 'status'), { ...pod, status: status(pod) });
      } catch (e) {
        if (!is(e, 409) || attempt >= 5) throw e;
        pod = await client.get<Pod>(podRef(pod));
        if (pod.metadata?.deletionTimestamp) return;
      }
    }
  };

  const armExit = (pod: Pod, run: PodRun) => {
    const exit = simExit(pod);
    if (!exit || run.exitTimer) return;
    const uid = pod.metadata?.uid ?? '';
    run.exitTimer = setTimeout(() => {
      const cur = informer.store.get(keyOf(pod));
      if (stopped || !cur || cur.metadata?.uid !== uid || cur.metadata?.deletionTimestamp || runs.get(uid) !== run) return;
      const now = Date.now();
      if (restartsAfterExit(cur.spec?.restartPolicy, exit.code)) {
        run.last = { code: exit.code, startedMs: run.startedMs, finishedMs: now };
        run.restartCount++;
        run.startedMs = now;
        run.exitTimer = undefined;
        track(writeStatus(cur, (p) => runningStatus(p, run.node.ip, run.podIP, run, now)).then(() => armExit(cur, run)));
      } else {
        runs.delete(uid);
        run.node.usedIPs.delete(run.ipIndex); // the sandbox is gone; status keeps the IP it had
        track(writeStatus(cur, (p) => terminatedStatus(p, run.node.ip, run.podIP, run, exit.code, now)));
      }
    }, Math.max(0, run.startedMs + exit.afterMs - Date.now()));
  };

  const sync = async (key: string) => {
    const pod = informer.store.get(key);
    const node = pod && mine(pod);
    if (!pod || !node) return;
    const uid = pod.metadata?.uid ?? '';
    const phase = pod.status?.phase;
    if (pod.metadata?.deletionTimestamp) {
      if (deleting.has(uid)) return;
      clearTimeout(runs.get(uid)?.exitTimer);
      // The kubelet stops the containers (SIGTERM, SIGKILL at the end of the grace period), then
      // removes the pod for good.
      const graceMs = phase === 'Succeeded' || phase === 'Failed' ? 0 : stopDelayMs(pod);
      const t = setTimeout(() => {
        track(
          client.delete(podRef(pod), { gracePeriodSeconds: 0, preconditions: { uid } }).catch((e) => {
            if (!is(e, 404) && !is(e, 409)) throw e;
          }),
        );
      }, graceMs);
      deleting.set(uid, t);
      return;
    }
    if (phase === 'Succeeded' || phase === 'Failed') return;
    let run = runs.get(uid);
    if (!run) {
      let k = 1;
      while (node.usedIPs.has(k)) k++;
      if (k > 253) throw new Error(`node ${node.name}: no free pod IP in ${node.podCIDR}`);
      node.usedIPs.add(k);
      run = { node, podIP: podIPFor(node.podCIDR, k), ipIndex: k, startedMs: Date.now(), restartCount: 0 };
      runs.set(uid, run);
      const r = run;
      await writeStatus(pod, (p) => runningStatus(p, node.ip, r.podIP, r, Date.now()));
    }
    armExit(pod, run);
  };

  const workers = Array.from({ length: 8 }, async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await sync(key);
        queue.forget(key);
      } catch (e) {
        onError(e);
        if (!stopped) queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  });
  if (shared) shared.start();
  else informer.start();
  await informer.waitForSync();

  return {
    names: specs.map((n) => n.name),
    setReady(name, ready) {
      const n = nodes.get(name);
      if (!n || n.ready === ready) return;
      n.ready = ready;
      if (ready) {
        track(renew(n));
        track(client.patch(nodesRef(name, 'status'), { status: { conditions: nodeConditions(Date.now(), true) } }, 'merge'));
      }
    },
    async stop() {
      stopped = true;
      clearInterval(heartbeat);
      if (!shared) informer.stop();
      queue.shutDown();
      for (const r of runs.values()) clearTimeout(r.exitTimer);
      for (const t of deleting.values()) clearTimeout(t);
      await Promise.all(workers);
      while (inflight.size) await Promise.all([...inflight]);
    },
  };
}
