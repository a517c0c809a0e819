// NodePorts filter (upstream plugins/nodeports): a wanted host port conflicts with a used one when
// protocol and port match and the IPs overlap — equal, or either side is 0.0.0.0 (bind-all).
import type { Pod } from 'kubernetes-types/core/v1.js';
import { success, unschedulable, type FilterPlugin, type HostPort, type NodeInfo } from '../../framework/types.js';
import { podHostPorts } from '../../framework/node-info.js';

export const name = 'NodePorts';
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";

const ANY = '0.0.0.0';

export function conflicts(a: HostPort, b: HostPort): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === ANY || b.ip === ANY);
}

export function fits(pod: Pod, ni: NodeInfo): boolean {
  return podHostPorts(pod).every((want) => !ni.usedPorts.some((used) => conflicts(want, used)));
}

export const plugin = {
  name,
  filter: (_state, pod, ni) => (fits(pod, ni) ? success(name) : unschedulable(name, ERR_REASON)),
} satisfies FilterPlugin;
