// Node conditions from live readings, with upstream's reasons and messages
// (pkg/kubelet/nodestatus/setters.go) and thresholds (the default hard eviction signals):
//   MemoryPressure  MemAvailable < 100Mi
//   DiskPressure    nodefs available < 10% of capacity, or inodes free < 5%
//   PIDPressure     free PIDs < 5% of the PID limit — upstream has no default PID threshold, so it
//                   never reports pressure unless configured; Skiff picks 5% so the condition means
//                   something (with pid_max 32768: pressure once more than 31129 are in use)
//   Ready           True "KubeletReady" unless the kubelet names reasons it is not ready
// lastHeartbeatTime moves on every computation; lastTransitionTime only when the status changes.
// Each transition also yields the event upstream records ("NodeHasSufficientMemory", "NodeReady", …).
import { readFileSync, readdirSync, statfsSync } from 'node:fs';
import type { NodeCondition } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../sim/node-spec.js';
import { EVICTION_MEMORY_AVAILABLE_BYTES, EVICTION_NODEFS_AVAILABLE_FRACTION, EVICTION_NODEFS_INODES_FREE_FRACTION, parseMeminfo } from './node-info.js';

export const PID_AVAILABLE_FRACTION = 0.05;

export interface Readings {
  memAvailableBytes: number;
  nodefsAvailableBytes: number;
  nodefsCapacityBytes: number;
  inodesFree: number;
  inodes: number;
  pidMax: number;
  pidsInUse: number;
}

export interface ReadyState {
  ready: boolean;
  /** Why not ready (upstream joins runtime/network errors with ","), e.g. "container runtime is down". */
  message?: string;
}

interface Spec {
  type: 'MemoryPressure' | 'DiskPressure' | 'PIDPressure';
  pressure(r: Readings): boolean;
  ok: [reason: string, message: string, event: string];
  bad: [reason: string, message: string, event: string];
}

const SPECS: Spec[] = [
  {
    type: 'MemoryPressure',
    pressure: (r) => r.memAvailableBytes < EVICTION_MEMORY_AVAILABLE_BYTES,
    ok: ['KubeletHasSufficientMemory', 'kubelet has sufficient memory available', 'NodeHasSufficientMemory'],
    bad: ['KubeletHasInsufficientMemory', 'kubelet has insufficient memory available', 'NodeHasInsufficientMemory'],
  },
  {
    type: 'DiskPressure',
    pressure: (r) => r.nodefsAvailableBytes < r.nodefsCapacityBytes * EVICTION_NODEFS_AVAILABLE_FRACTION || (r.inodes > 0 && r.inodesFree < r.inodes * EVICTION_NODEFS_INODES_FREE_FRACTION),
    ok: ['KubeletHasNoDiskPressure', 'kubelet has no disk pressure', 'NodeHasNoDiskPressure'],
    bad: ['KubeletHasDiskPressure', 'kubelet has disk pressure', 'NodeHasDiskPressure'],
  },
  {
    type: 'PIDPressure',
    pressure: (r) => r.pidMax > 0 && r.pidMax - r.pidsInUse < r.pidMax * PID_AVAILABLE_FRACTION,
    ok: ['KubeletHasSufficientPID', 'kubelet has sufficient PID available', 'NodeHasSufficientPID'],
    bad: ['KubeletHasInsufficientPID', 'kubelet has insufficient PID available', 'NodeHasInsufficientPID'],
  },
];

export interface ConditionsResult {
  conditions: NodeCondition[];
  /** Event reasons for conditions that changed (upstream: "Node <name> status is now: <reason>"). */
  events: string[];
}

/**
 * The four kubelet-owned conditions, given the node's current ones (for lastTransitionTime).
 * Conditions owned by others (NetworkUnavailable, …) are not returned and must be left alone.
 */
export function computeConditions(prev: NodeCondition[] | undefined, r: Readings, ready: ReadyState, nowMs: number): ConditionsResult {
  const now = rfc3339(nowMs);
  const events: string[] = [];
  const make = (type: string, status: 'True' | 'False', reason: string, message: string, event: string): NodeCondition => {
    const old = prev?.find((c) => c.type === type);
    const same = old?.status === status;
    if (!same) events.push(event);
    return { type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: same && old?.lastTransitionTime ? old.lastTransitionTime : now };
  };
  const conditions = SPECS.map((s) => {
    const p = s.pressure(r);
    const [reason, message, event] = p ? s.bad : s.ok;
    return make(s.type, p ? 'True' : 'False', reason, message, event);
  });
  conditions.push(ready.ready ? make('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', 'NodeReady') : make('Ready', 'False', 'KubeletNotReady', ready.message ?? 'kubelet is not ready', 'NodeNotReady'));
  return { conditions, events };
}

/** Live readings: /proc/meminfo, statfs of the data dir, pid_max/threads-max and /proc/loadavg. */
export function readReadings(dataDir: string): Readings {
  const mem = parseMeminfo(readFileSync('/proc/meminfo', 'utf8'));
  const fs = statfsSync(dataDir);
  const num = (path: string): number => {
    try {
      return Number(readFileSync(path, 'utf8').trim()) || 0;
    } catch {
      return 0;
    }
  };
  // Upstream (stats RlimitStats): the limit is min(pid_max, threads-max); in use is the total task
  // count, the denominator of /proc/loadavg's fourth field ("9/171" → 171).
  const pidMax = Math.min(...[num('/proc/sys/kernel/pid_max'), num('/proc/sys/kernel/threads-max')].filter((n) => n > 0));
  let inUse = 0;
  try {
    inUse = Number(readFileSync('/proc/loadavg', 'utf8').split(/\s+/)[3]?.split('/')[1]) || 0;
  } catch {
    inUse = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).length;
  }
  return {
    memAvailableBytes: mem.get('MemAvailable') ?? mem.get('MemFree') ?? 0,
    nodefsAvailableBytes: Number(fs.bavail) * Number(fs.bsize),
    nodefsCapacityBytes: Number(fs.blocks) * Number(fs.bsize),
    inodesFree: Number(fs.ffree),
    inodes: Number(fs.files),
    pidMax: Number.isFinite(pidMax) ? pidMax : 0,
    pidsInUse: inUse,
  };
}
