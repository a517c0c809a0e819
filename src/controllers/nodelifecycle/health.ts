// Node health as the node lifecycle controller sees it (upstream node_lifecycle_controller.go
// tryUpdateNodeHealth): a node is alive while its kubelet either renews the node's Lease in
// kube-node-lease or posts a new Ready lastHeartbeatTime; the controller stamps `probeTimestamp` with
// its own clock whenever it sees either, so clock skew between kubelet and controller does not matter.
// When the probe is older than the grace period, Ready and the pressure conditions become Unknown.
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';

export interface NodeHealth {
  /** Controller time of the last heartbeat seen (Lease renewal or new Ready lastHeartbeatTime). */
  probeTimestamp: number;
  readyHeartbeat: string | undefined;
  leaseRenewMs: number | undefined;
}

/** The conditions the controller turns Unknown (upstream remainingNodeConditionTypes + Ready). */
export const MANAGED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function readyCondition(node: Node): NodeCondition | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready');
}

/** Folds what is observed now into the saved health. */
export function observeHealth(prev: NodeHealth | undefined, node: Node, lease: Lease | undefined, now: number): NodeHealth {
  const hb = readyCondition(node)?.lastHeartbeatTime;
  const renew = lease?.spec?.renewTime ? Date.parse(lease.spec.renewTime) : undefined;
  if (!prev) return { probeTimestamp: now, readyHeartbeat: hb, leaseRenewMs: renew };
  let probe = prev.probeTimestamp;
  if (hb !== prev.readyHeartbeat) probe = now;
  const renewed = renew !== undefined && (prev.leaseRenewMs === undefined || renew > prev.leaseRenewMs);
  if (renewed) probe = now;
  return { probeTimestamp: probe, readyHeartbeat: hb, leaseRenewMs: renewed ? renew : prev.leaseRenewMs };
}

/**
 * The conditions after the kubelet went silent: every managed condition Unknown ("Kubelet stopped
 * posting node status.", or "Kubelet never posted node status." for one it never reported), with
 * lastHeartbeatTime kept. Undefined when nothing changes.
 */
export function unknownConditions(node: Node, now: number): NodeCondition[] | undefined {
  const conds = [...(node.status?.conditions ?? [])];
  let changed = false;
  for (const type of MANAGED_CONDITIONS) {
    const i = conds.findIndex((c) => c.type === type);
    if (i < 0) {
      conds.push({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        lastHeartbeatTime: node.metadata?.creationTimestamp,
        lastTransitionTime: rfc3339(now),
      });
      changed = true;
    } else if (conds[i]!.status !== 'Unknown') {
      conds[i] = { ...conds[i]!, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: rfc3339(now) };
      changed = true;
    }
  }
  return changed ? conds : undefined;
}
