// The node IPAM controller, range allocator mode (upstream pkg/controller/nodeipam/ipam/range_allocator.go):
// every Node gets one block of the cluster CIDR as spec.podCIDR/spec.podCIDRs, the kubelet builds its
// pod bridge from it and the node-routes component routes it between nodes. Before the first
// allocation every CIDR nodes already hold is marked used — including one a kubelet set itself from
// its --pod-cidr flag — so no block is handed out twice; a deleted node's block is freed. When the
// cluster CIDR is full the node gets a Warning Event CIDRNotAvailable and is retried when a block
// frees up (and every 30 s).
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeClient } from '../../client/http-client.js';
import type { SharedInformer } from '../../client/informer.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { WorkQueue } from '../../client/workqueue.js';
import { isStatusError } from '../../machinery/errors.js';
import { done, failed, requeueAfter, type Result } from '../runner.js';
import { runWhenSynced, type StartController } from '../shared/context.js';
import { CidrSet, CidrSetExhaustedError } from './cidr-set.js';

export const DEFAULT_CLUSTER_CIDR = '10.42.0.0/16';
export const DEFAULT_NODE_CIDR_MASK_SIZE = 24;
/** How soon a node is looked at again while the cluster CIDR is exhausted. */
const EXHAUSTED_RETRY_MS = 30_000;

export type NodeIpamClient = Pick<KubeClient, 'update'>;

const NODES = { group: '', version: 'v1', resource: 'nodes' } as const;

/** The node's IPv4 pod CIDR as the range allocator reads it: spec.podCIDRs[0], else spec.podCIDR. */
export function nodePodCIDR(node: Node): string | undefined {
  return node.spec?.podCIDRs?.[0] ?? node.spec?.podCIDR ?? undefined;
}

export class NodeIpamController {
  readonly queue = new WorkQueue();
  readonly cidrs: CidrSet;
  /** node name → the block we counted as its own; lets a vanished node's block be freed. */
  private readonly held = new Map<string, string>();
  private initialized = false;

  constructor(
    private readonly client: NodeIpamClient,
    private readonly nodes: SharedInformer<Node>,
    private readonly recorder: EventRecorder,
    config: { clusterCIDR?: string; nodeCIDRMaskSize?: number } = {},
  ) {
    this.cidrs = new CidrSet(config.clusterCIDR ?? DEFAULT_CLUSTER_CIDR, config.nodeCIDRMaskSize ?? DEFAULT_NODE_CIDR_MASK_SIZE);
    const enqueue = (n: Node) => n.metadata?.name && this.queue.add(n.metadata.name);
    nodes.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
  }

  /**
   * Marks every CIDR held by a cached node used (upstream does this in NewCIDRRangeAllocator from a
   * full node list). Runs once, on the first sync after the cache is complete.
   */
  private initialize(): void {
    if (this.initialized) return;
    this.initialized = true;
    for (const n of this.nodes.store.list()) this.track(n.metadata?.name ?? '', nodePodCIDR(n));
  }

  /** Records `cidr` as the node's block (freeing a different one it held before). */
  private track(name: string, cidr: string | undefined): void {
    const prev = this.held.get(name);
    if (prev === cidr) return;
    if (prev !== undefined) this.release(name);
    if (cidr !== undefined && this.cidrs.occupy(cidr)) this.held.set(name, cidr);
  }

  private release(name: string): void {
    const cidr = this.held.get(name);
    if (cidr === undefined) return;
    this.held.delete(name);
    this.cidrs.release(cidr);
    // A node may be waiting for a block: exhaustion is retried when one frees up, not only on the timer.
    for (const n of this.nodes.store.list()) if (!nodePodCIDR(n) && n.metadata?.name) this.queue.add(n.metadata.name);
  }

  async syncNode(name: string): Promise<Result> {
    this.initialize();
    const node = this.nodes.store.get(name);
    if (!node) {
      this.release(name);
      return done;
    }
    const existing = nodePodCIDR(node);
    if (existing !== undefined) {
      this.track(name, existing);
      return done;
    }
    if (node.metadata?.deletionTimestamp) return done;

    let cidr: string;
    try {
      cidr = this.cidrs.allocateNext();
    } catch (e) {
      if (!(e instanceof CidrSetExhaustedError)) throw e;
      this.recorder.event({ apiVersion: 'v1', kind: 'Node', ...node }, 'Warning', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
      return requeueAfter(EXHAUSTED_RETRY_MS);
    }
    // Update (not patch) so the cached resourceVersion is a precondition: a node that changed
    // meanwhile — perhaps it set its own podCIDR — answers 409 and is looked at again.
    const updated: Node = { ...structuredClone(node), spec: { ...structuredClone(node.spec ?? {}), podCIDR: cidr, podCIDRs: [cidr] } };
    try {
      await this.client.update<Node>({ ...NODES, name }, updated);
    } catch (e) {
      this.cidrs.release(cidr);
      // 404: gone. 409: a newer version exists, and the informer delivering it queues the node again.
      if (isStatusError(e) && (e.code === 404 || e.code === 409)) return done;
      this.recorder.event({ apiVersion: 'v1', kind: 'Node', ...node }, 'Warning', 'CIDRAssignmentFailed', `Node ${name} status is now: CIDRAssignmentFailed`);
      return failed(e);
    }
    this.held.set(name, cidr);
    return done;
  }
}

/** Registered by the controller manager as `nodeipam` (upstream's name for this loop). */
export const startNodeIpamController: StartController = (ctx) => {
  const nodes = ctx.informers.for<Node>(NODES);
  const c = new NodeIpamController(ctx.client, nodes, ctx.recorder('node-ipam-controller'), ctx.config);
  // One worker: allocation is cheap, and one at a time keeps "who got which block" easy to follow.
  return runWhenSynced(ctx, { name: 'node-ipam-controller', queue: c.queue, workers: 1, reconcile: (k) => c.syncNode(k) });
};
