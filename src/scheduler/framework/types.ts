// Scheduler framework contracts, after upstream pkg/scheduler/framework (interface.go, types.go): the
// per-node aggregate every plugin reads (NodeInfo), the per-cycle scratch space (CycleState), the result
// of a filter (Status) and the plugin shapes. Plugins are plain objects
// (`export const plugin = { name, filter } satisfies FilterPlugin`) so the registry is one map and every
// predicate stays a pure function of (pod, nodeInfo) that a table test can drive.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';

/** Upstream framework.MaxNodeScore / MinNodeScore: every score plugin answers within 0..100. */
export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

/**
 * Requested or allocatable resources in the units upstream keeps them: CPU in millicores, memory and
 * ephemeral storage in bytes, pods as a count, extended ("scalar") resources as integer values.
 */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  allowedPodNumber: number;
  scalar: Record<string, number>;
}

/** A host port in use: `ip` is '0.0.0.0' when the pod did not pin one (upstream DefaultBindAllHostIP). */
export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** Upstream framework.NodeInfo: a node, the pods on it (including assumed ones) and their totals. */
export interface NodeInfo {
  node: Node;
  pods: Pod[];
  /** Sum of pod requests (see podRequests in node-info.ts), assumed pods included. */
  requested: Resource;
  /** As `requested`, but containers without a CPU/memory request count as 100m / 200Mi (for scoring). */
  nonZeroRequested: Resource;
  allocatable: Resource;
  usedPorts: HostPort[];
  /** Pods with any pod (anti-)affinity / with required anti-affinity (absent: derive from `pods`). */
  podsWithAffinity?: Pod[];
  podsWithRequiredAntiAffinity?: Pod[];
}

/** Upstream CycleState: scratch data shared by the plugins within one scheduling attempt of one pod. */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }
  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
}

export type StatusCode = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error';

/** Upstream framework.Status. `reasons` are the short texts the FailedScheduling event counts. */
export interface Status {
  code: StatusCode;
  reasons: string[];
  plugin: string;
}

export const success = (plugin: string): Status => ({ code: 'Success', reasons: [], plugin });
export const unschedulable = (plugin: string, ...reasons: string[]): Status => ({ code: 'Unschedulable', reasons, plugin });
export const unresolvable = (plugin: string, ...reasons: string[]): Status => ({
  code: 'UnschedulableAndUnresolvable',
  reasons,
  plugin,
});
export const isSuccess = (s: Status | undefined): boolean => s === undefined || s.code === 'Success';

/**
 * What PreFilter/PreScore see: all nodes of the snapshot, so plugins that look across nodes
 * (InterPodAffinity, PodTopologySpread) can precompute counts once per cycle into CycleState.
 */
export interface PreContext {
  /** Every node of the snapshot with its pods. */
  nodes: NodeInfo[];
  /** For PreScore: the nodes that passed filtering (defaults to `nodes`). */
  feasible?: NodeInfo[];
  /** Labels of a namespace, for affinity terms with a namespaceSelector (none known → {}). */
  namespaceLabels?: (namespace: string) => Record<string, string> | undefined;
  /**
   * The nodes of `nodes` holding pods with pod (anti-)affinity / required anti-affinity; absent → scan
   * `nodes`. Lets InterPodAffinity skip the cluster for a pod without terms (upstream's snapshot lists).
   */
  nodesWithAffinity?: NodeInfo[];
  nodesWithRequiredAntiAffinity?: NodeInfo[];
}

export interface FilterPlugin {
  name: string;
  /** Optional once-per-pod pass; a non-success status rejects the pod on every node. */
  preFilter?(state: CycleState, pod: Pod, ctx: PreContext): Status;
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
}

export interface NodeScore {
  name: string;
  score: number;
}

export interface ScorePlugin {
  name: string;
  preScore?(state: CycleState, pod: Pod, ctx: PreContext): void;
  /** Raw score for one node; 0..MAX_NODE_SCORE unless `normalize` rescales it. */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number;
  /** Upstream NormalizeScore: rewrites the scores of all feasible nodes in place. */
  normalize?(state: CycleState, pod: Pod, scores: NodeScore[]): void;
}
