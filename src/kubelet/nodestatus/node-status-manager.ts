// Node registration, status and heartbeat for a real kubelet (upstream kubelet_node_status.go and
// pkg/kubelet/nodelease): registers the Node (adopting an existing one, whose podCIDR wins), posts
// status through nodes/status with a strategic merge patch — conditions merge by type, so conditions
// written by others survive — and renews the Lease kube-node-lease/<node>. Like upstream, status is
// computed every statusPeriodMs but only posted when something other than heartbeat times changed or
// the report period (5 min) is up; the Lease, renewed every leasePeriodMs, is the heartbeat.
// Nothing thrown in a timer escapes: failures are reported and retried on the next tick (registration
// and the Lease retry sooner, after 1 s).
import type { Namespace, Node } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { KubeClient, ResourceRef } from '../../client/http-client.js';
import { newEventRecorder } from '../../client/event-recorder.js';
import { StatusError } from '../../machinery/errors.js';
import { LEASE_DURATION_SECONDS, LEASE_NAMESPACE, leaseObject, microTime } from '../sim/node-spec.js';
import { readHostInfo } from './node-info.js';
import { computeConditions, readReadings, type ReadyState } from './conditions.js';
import { initialNode, nodeImages, nodeLabels, nodeStatusFor, sameStatus, type NodeIdentity } from './node-object.js';

export interface NodeStatusOptions extends NodeIdentity {
  /** The kubelet's data dir: ephemeral-storage and DiskPressure come from its filesystem. */
  dataDir: string;
  /** Images on the node, digests before tags in `names` (upstream RepoDigests then RepoTags). */
  images?: () => Array<{ names: string[]; sizeBytes: number }>;
  /** Whether the kubelet is ready (runtime and network up); default always ready. */
  readiness?: () => ReadyState;
  statusPeriodMs?: number;
  /** Post an unchanged status at least this often (upstream nodeStatusReportFrequency, 5 min). */
  statusReportPeriodMs?: number;
  leasePeriodMs?: number;
  onError?(err: unknown): void;
}

export interface NodeStatusHandle {
  /** The Node as last read or written; undefined until registered. */
  node(): Node | undefined;
  /** Registers if needed, posts status (even if unchanged) and renews the Lease, now. */
  updateNow(): Promise<void>;
  stop(): Promise<void>;
}

const RETRY_MS = 1000;
const is = (e: unknown, code: number) => e instanceof StatusError && e.code === code;

export async function startNodeStatus(client: KubeClient, opts: NodeStatusOptions): Promise<NodeStatusHandle> {
  const name = opts.nodeName;
  const statusPeriodMs = opts.statusPeriodMs ?? 10_000;
  const reportPeriodMs = opts.statusReportPeriodMs ?? 5 * 60_000;
  const leasePeriodMs = opts.leasePeriodMs ?? 10_000;
  const onError = opts.onError ?? ((e: unknown) => console.error(`kubelet: node ${name}:`, e instanceof Error ? e.message : e));
  const nodeRef = (subresource?: string): ResourceRef => ({ group: '', version: 'v1', resource: 'nodes', name, subresource });
  const leaseRef = (n?: string): ResourceRef => ({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: LEASE_NAMESPACE, name: n });
  const recorder = newEventRecorder(client, 'kubelet');
  // Upstream's nodeRef: the UID is the node name, so events about the node survive its re-creation.
  const eventRef = { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: name } };
  let node: Node | undefined;
  let lastPostMs = 0;
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const inflight = new Set<Promise<void>>();

  const register = async (): Promise<Node> => {
    const info = readHostInfo(opts.dataDir);
    try {
      return await client.create<Node>(nodeRef(), initialNode(opts, info));
    } catch (e) {
      if (!is(e, 409)) throw e;
    }
    // Adopt the existing Node: our labels are reconciled, its podCIDR (allocated earlier) is kept.
    const existing = await client.get<Node>(nodeRef());
    const spec = !existing.spec?.podCIDR && opts.podCIDR ? { spec: { podCIDR: opts.podCIDR, podCIDRs: [opts.podCIDR] } } : {};
    return client.patch<Node>(nodeRef(), { metadata: { labels: nodeLabels(opts, info) }, ...spec }, 'merge');
  };

  const updateStatus = async (force: boolean): Promise<void> => {
    if (!node) node = await register();
    else {
      try {
        node = await client.get<Node>(nodeRef());
      } catch (e) {
        if (!is(e, 404)) throw e;
        node = await register(); // deleted under us: register again
      }
    }
    const now = Date.now();
    const info = readHostInfo(opts.dataDir);
    const ready = opts.readiness?.() ?? { ready: true };
    const { conditions, events } = computeConditions(node.status?.conditions, readReadings(opts.dataDir), ready, now);
    const status = nodeStatusFor(opts, info, conditions, nodeImages(opts.images?.() ?? []));
    if (!force && now - lastPostMs < reportPeriodMs && sameStatus(node.status, status)) return;
    node = await client.patch<Node>(nodeRef('status'), { status }, 'strategic');
    lastPostMs = now;
    for (const reason of events) recorder.event(eventRef, 'Normal', reason, `Node ${name} status is now: ${reason}`);
  };

  const renewLease = async (): Promise<void> => {
    const now = Date.now();
    try {
      await client.patch<Lease>(leaseRef(name), { spec: { holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(now) } }, 'merge');
      return;
    } catch (e) {
      if (!is(e, 404)) throw e;
    }
    const lease = leaseObject(name, node?.metadata?.uid, now);
    try {
      await client.create<Lease>(leaseRef(), lease);
    } catch (e) {
      if (!is(e, 404)) throw e;
      // The namespace is missing (a bare API server): create it, as the API server's bootstrap would.
      await client.create<Namespace>({ group: '', version: 'v1', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: LEASE_NAMESPACE } }).catch((err: unknown) => {
        if (!is(err, 409)) throw err;
      });
      await client.create<Lease>(leaseRef(), lease);
    }
  };

  /** A self-rescheduling loop; one run at a time, the next `periodMs` later (or RETRY_MS after a failure). */
  const loop = (periodMs: number, retryMs: number, fn: () => Promise<void>) => {
    const tick = () => {
      if (stopped) return;
      const p = fn().then(
        () => periodMs,
        (e: unknown) => (onError(e), retryMs),
      ).then((next) => {
        inflight.delete(p);
        if (stopped) return;
        const t = setTimeout(() => (timers.delete(t), tick()), next);
        t.unref();
        timers.add(t);
      });
      inflight.add(p);
    };
    return tick;
  };

  recorder.event(eventRef, 'Normal', 'Starting', 'Starting kubelet.');
  try {
    await updateStatus(true);
  } catch (e) {
    onError(e); // the status loop below keeps trying
  }
  const statusLoop = loop(statusPeriodMs, Math.min(statusPeriodMs, RETRY_MS), () => updateStatus(false));
  const leaseLoop = loop(leasePeriodMs, Math.min(leasePeriodMs, RETRY_MS), renewLease);
  // Status was just posted: the status loop's first run is one period from now; the Lease starts now.
  const first = setTimeout(() => (timers.delete(first), statusLoop()), node ? statusPeriodMs : RETRY_MS);
  first.unref();
  timers.add(first);
  leaseLoop();

  return {
    node: () => node,
    async updateNow() {
      await updateStatus(true);
      await renewLease();
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      while (inflight.size) await Promise.all([...inflight]);
      await recorder.flush();
    },
  };
}
