// Pure pod-status arithmetic for simulated nodes: the status a kubelet reports for a started pod,
// the simulated-exit annotations (see README.md), and what an exit means under the pod's
// restartPolicy (upstream semantics: Never → Succeeded/Failed, OnFailure restarts on a non-zero code,
// Always restarts every time, counting restarts).
import type { Pod, PodStatus, ContainerStatus, PodCondition, Container } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from './node-spec.js';

export const EXIT_AFTER_ANNOTATION = 'sim.skiff.dev/exit-after';
export const EXIT_CODE_ANNOTATION = 'sim.skiff.dev/exit-code';
export const STOP_AFTER_ANNOTATION = 'sim.skiff.dev/stop-after';
/** How long a simulated container takes to exit after SIGTERM unless the pod says otherwise. */
export const DEFAULT_STOP_MS = 1000;

/** "1500ms", "2s", "1m30s", "1h", or a bare number of seconds; undefined when absent or malformed. */
export function parseDuration(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const t = s.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let ms = 0;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(t))) {
    ms += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    consumed = re.lastIndex;
  }
  return consumed === t.length && t.length > 0 ? ms : undefined;
}

export interface SimExit {
  afterMs: number;
  code: number;
}

/** The pod's simulated exit, if it declares one; the code defaults to 0 (a clean finish). */
export function simExit(pod: Pod): SimExit | undefined {
  const a = pod.metadata?.annotations ?? {};
  const afterMs = parseDuration(a[EXIT_AFTER_ANNOTATION]);
  if (afterMs === undefined) return undefined;
  const code = Number(a[EXIT_CODE_ANNOTATION] ?? '0');
  return { afterMs, code: Number.isInteger(code) ? code : 1 };
}

/**
 * How long after its deletion a pod is gone: its containers stop `stop-after` (default 1 s) after
 * SIGTERM, and never later than the grace period (when the kubelet would SIGKILL them).
 */
export function stopDelayMs(pod: Pod): number {
  const graceMs = (pod.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
  const stopMs = parseDuration(pod.metadata?.annotations?.[STOP_AFTER_ANNOTATION]) ?? DEFAULT_STOP_MS;
  return Math.min(graceMs, stopMs);
}

const imageID = (image: string | undefined) => `sim://${image ?? 'unknown'}@sha256:${'0'.repeat(64)}`;
const containerID = (uid: string, name: string, restarts: number) => `sim://${uid}-${name}-${restarts}`;

function conds(pod: Pod, nowMs: number, ready: boolean, reason?: string): PodCondition[] {
  const t = rfc3339(nowMs);
  const prev = new Map((pod.status?.conditions ?? []).map((c) => [c.type, c]));
  const c = (type: string, status: boolean, why?: string): PodCondition => {
    const s = status ? 'True' : 'False';
    const old = prev.get(type);
    // lastTransitionTime only moves when the status does.
    const lastTransitionTime = old && old.status === s && old.lastTransitionTime ? old.lastTransitionTime : t;
    return { type, status: s, lastTransitionTime, ...(why && !status ? { reason: why } : {}) };
  };
  return [c('PodReadyToStartContainers', true), c('Initialized', true), c('Ready', ready, reason), c('ContainersReady', ready, reason), c('PodScheduled', true)];
}

export interface RunState {
  startedMs: number;
  restartCount: number;
  /** The previous run's end, reported as lastState.terminated after a restart. */
  last?: { code: number; startedMs: number; finishedMs: number };
}

function initStatuses(pod: Pod, startMs: number): ContainerStatus[] | undefined {
  const inits = pod.spec?.initContainers ?? [];
  if (inits.length === 0) return undefined;
  return inits.map((c) => ({
    name: c.name,
    image: c.image ?? '',
    imageID: imageID(c.image),
    containerID: containerID(pod.metadata?.uid ?? '', c.name, 0),
    ready: true,
    started: false,
    restartCount: 0,
    state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: rfc3339(startMs), finishedAt: rfc3339(startMs) } },
  }));
}

const exitReason = (code: number) => (code === 0 ? 'Completed' : 'Error');

/** Status of a pod whose containers are all running (first start or after a restart). */
export function runningStatus(pod: Pod, nodeIP: string, podIP: string, st: RunState, nowMs: number): PodStatus {
  const uid = pod.metadata?.uid ?? '';
  const startTime = pod.status?.startTime ?? rfc3339(st.startedMs);
  const cs = (c: Container): ContainerStatus => ({
    name: c.name,
    image: c.image ?? '',
    imageID: imageID(c.image),
    containerID: containerID(uid, c.name, st.restartCount),
    ready: true,
    started: true,
    restartCount: st.restartCount,
    state: { running: { startedAt: rfc3339(st.startedMs) } },
    ...(st.last
      ? { lastState: { terminated: { exitCode: st.last.code, reason: exitReason(st.last.code), startedAt: rfc3339(st.last.startedMs), finishedAt: rfc3339(st.last.finishedMs), containerID: containerID(uid, c.name, st.restartCount - 1) } } }
      : {}),
  });
  const init = initStatuses(pod, st.startedMs);
  return {
    phase: 'Running',
    conditions: conds(pod, nowMs, true),
    hostIP: nodeIP,
    hostIPs: [{ ip: nodeIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime,
    qosClass: pod.status?.qosClass,
    ...(init ? { initContainerStatuses: init } : {}),
    containerStatuses: (pod.spec?.containers ?? []).map(cs),
  };
}

/** Whether an exit with `code` restarts the containers under the pod's restartPolicy. */
export function restartsAfterExit(restartPolicy: string | undefined, code: number): boolean {
  const p = restartPolicy ?? 'Always';
  return p === 'Always' || (p === 'OnFailure' && code !== 0);
}

/** Terminal status after every container exited with `code` and the policy does not restart it. */
export function terminatedStatus(pod: Pod, nodeIP: string, podIP: string, st: RunState, code: number, nowMs: number): PodStatus {
  const uid = pod.metadata?.uid ?? '';
  const init = initStatuses(pod, st.startedMs);
  return {
    phase: code === 0 ? 'Succeeded' : 'Failed',
    conditions: conds(pod, nowMs, false, 'PodCompleted').map((c) => (c.type === 'PodReadyToStartContainers' ? { ...c, status: 'False' } : c)),
    hostIP: nodeIP,
    hostIPs: [{ ip: nodeIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: pod.status?.startTime ?? rfc3339(st.startedMs),
    qosClass: pod.status?.qosClass,
    ...(init ? { initContainerStatuses: init } : {}),
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: imageID(c.image),
      containerID: containerID(uid, c.name, st.restartCount),
      ready: false,
      started: false,
      restartCount: st.restartCount,
      state: { terminated: { exitCode: code, reason: exitReason(code), startedAt: rfc3339(st.startedMs), finishedAt: rfc3339(nowMs), containerID: containerID(uid, c.name, st.restartCount) } },
    })),
  };
}
