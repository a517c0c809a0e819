// The one map of in-tree plugins, keyed by upstream's plugin names, plus the default profile's order
// and score weights (upstream pkg/scheduler/apis/config/v1/default_plugins.go: TaintToleration 3,
// NodeAffinity 2, PodTopologySpread 2, InterPodAffinity 2, NodeResourcesFit 1,
// NodeResourcesBalancedAllocation 1). Plugins with preFilter/preScore need them called once per pod
// before filter/score (see PreContext in types.ts). The framework never imports
// a plugin except through this file.
import type { FilterPlugin, ScorePlugin } from './types.js';
import { plugin as nodeName } from '../plugins/node-name/index.js';
import { plugin as nodeUnschedulable } from '../plugins/node-unschedulable/index.js';
import { plugin as taintToleration } from '../plugins/taint-toleration/index.js';
import { plugin as nodeAffinity } from '../plugins/node-affinity/index.js';
import { plugin as nodePorts } from '../plugins/node-ports/index.js';
import { makeNodeResourcesFit, type ScoringStrategy } from '../plugins/node-resources-fit/index.js';
import { plugin as balancedAllocation } from '../plugins/balanced-allocation/index.js';
import { plugin as interPodAffinity } from '../plugins/inter-pod-affinity/index.js';
import { plugin as podTopologySpread } from '../plugins/pod-topology-spread/index.js';

export type Plugin = { name: string } & Partial<FilterPlugin> & Partial<ScorePlugin>;

export interface RegistryOptions {
  /** NodeResourcesFit scoring strategy (upstream scoringStrategy.type). */
  scoringStrategy?: ScoringStrategy;
}

export function newRegistry(opts: RegistryOptions = {}): Map<string, Plugin> {
  const plugins: Plugin[] = [
    nodeUnschedulable,
    nodeName,
    taintToleration,
    nodeAffinity,
    nodePorts,
    makeNodeResourcesFit(opts.scoringStrategy),
    balancedAllocation,
    podTopologySpread,
    interPodAffinity,
  ];
  return new Map(plugins.map((p) => [p.name, p]));
}

/** Filter order of upstream's default profile (cheap, decisive checks first). */
export const DEFAULT_FILTERS = ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity'];

/** Score plugins of the default profile and their weights. */
export const DEFAULT_SCORE_WEIGHTS: Record<string, number> = {
  TaintToleration: 3,
  NodeAffinity: 2,
  NodeResourcesFit: 1,
  PodTopologySpread: 2,
  InterPodAffinity: 2,
  NodeResourcesBalancedAllocation: 1,
};

export function filterPlugins(reg: Map<string, Plugin>, names = DEFAULT_FILTERS): FilterPlugin[] {
  return names.map((n) => reg.get(n)).filter((p): p is Plugin & FilterPlugin => typeof p?.filter === 'function');
}

export function scorePlugins(reg: Map<string, Plugin>, weights = DEFAULT_SCORE_WEIGHTS): { plugin: ScorePlugin; weight: number }[] {
  return Object.entries(weights)
    .map(([n, weight]) => ({ plugin: reg.get(n), weight }))
    .filter((e): e is { plugin: Plugin & ScorePlugin; weight: number } => typeof e.plugin?.score === 'function');
}
