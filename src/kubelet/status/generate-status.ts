// The pod status the kubelet reports, computed from what the runtime says (upstream
// kubelet_pods.go generateAPIPodStatus + getPhase + status/generate.go): containerStatuses with
// waiting / running / terminated states and lastState, the phase, and the conditions
// PodReadyToStartContainers, Initialized, ContainersReady and Ready. Pure: the caller gathers the
// runtime view, probe results and the waiting reasons its sync decided (ContainerCreating,
// ErrImagePull, CrashLoopBackOff, …).
import type { ContainerState as ApiState, ContainerStatus as ApiContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import type { ContainerStatus } from '../runtime/types.js';

export interface Waiting {
  reason: string;
  message?: string;
}

/** Everything known about one container of the pod spec. */
export interface ContainerView {
  latest?: ContainerStatus; // newest attempt in the runtime
  previous?: ContainerStatus; // the attempt before it (lastState), if still known
  /** Carried over from the last reported status when the runtime no longer has the container. */
  reportedLast?: ApiContainerStatus;
  waiting?: Waiting; // what the sync decided while the container is not running
  ready: boolean;
  started?: boolean;
  terminationMessage?: string;
  previousTerminationMessage?: string;
  image: string; // normalized reference (docker.io/library/busybox:latest)
  imageID: string; // repo@sha256:… or ''
}

export interface StatusInput {
  pod: Pod;
  hostIP: string;
  podIP: string;
  sandboxReady: boolean;
  qosClass: string;
  init: Map<string, ContainerView>;
  containers: Map<string, ContainerView>;
  /** The pod was stopped for good (deleted, or terminal and cleaned up): no restart will follow. */
  terminal: boolean;
  now: Date;
}

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');
export const containerID = (id: string) => `runc://${id}`;

function terminated(c: ContainerStatus, message?: string): ApiState {
  return {
    terminated: {
      exitCode: c.exitCode ?? 137,
      reason: c.reason ?? ((c.exitCode ?? 137) === 0 ? 'Completed' : 'Error'),
      ...(message ? { message } : {}),
      startedAt: c.startedAt ? rfc3339(c.startedAt) : null!,
      finishedAt: c.finishedAt ? rfc3339(c.finishedAt) : null!,
      containerID: containerID(c.id),
    },
  };
}

function stateOf(c: ContainerStatus, message?: string): ApiState {
  if (c.state === 'running') return { running: { startedAt: rfc3339(c.startedAt ?? c.createdAt) } };
  if (c.state === 'exited') return terminated(c, message);
  return { waiting: { reason: 'ContainerCreating' } };
}

export function containerStatus(name: string, v: ContainerView): ApiContainerStatus {
  const latest = v.latest;
  let state: ApiState;
  let lastState: ApiState = {};
  if (latest && !(latest.state === 'exited' && v.waiting)) {
    state = stateOf(latest, v.terminationMessage);
    if (v.previous?.state === 'exited') lastState = terminated(v.previous, v.previousTerminationMessage);
    else if (v.reportedLast?.lastState?.terminated) lastState = v.reportedLast.lastState;
  } else {
    // Not running now: waiting (to be restarted, pulled, created); the exited attempt is lastState.
    state = { waiting: v.waiting ?? { reason: 'ContainerCreating' } };
    if (latest?.state === 'exited') lastState = terminated(latest, v.terminationMessage);
    else if (v.reportedLast?.lastState?.terminated) lastState = v.reportedLast.lastState;
  }
  const restartCount = latest ? latest.attempt : (v.reportedLast?.restartCount ?? 0);
  const running = latest?.state === 'running';
  return {
    name,
    state,
    lastState,
    ready: running && v.ready,
    restartCount,
    image: v.image,
    imageID: v.imageID,
    ...(latest ? { containerID: containerID(latest.id) } : {}),
    started: running ? (v.started ?? true) : false,
  };
}

type Phase = NonNullable<PodStatus['phase']>;

/** upstream getPhase (kubelet_pods.go), without sidecar (restartable init) containers. */
export function podPhase(pod: Pod, init: ApiContainerStatus[], regular: ApiContainerStatus[], terminal: boolean): Phase {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  for (const c of pod.spec?.initContainers ?? []) {
    const s = init.find((x) => x.name === c.name);
    if (!s || s.state?.running) pendingInit++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) {
        if (s.lastState.terminated.exitCode !== 0) failedInit++;
      } else pendingInit++;
    } else pendingInit++;
  }
  let unknown = 0, running = 0, waiting = 0, stopped = 0, succeeded = 0; // prettier-ignore
  for (const c of pod.spec?.containers ?? []) {
    const s = regular.find((x) => x.name === c.name);
    if (!s) unknown++;
    else if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  const anyRegularStarted = regular.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated);
  if ((pendingInit > 0 && !anyRegularStarted) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (terminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function condition(prev: PodCondition[] | undefined, type: string, ok: boolean, now: Date, reason?: string, message?: string): PodCondition {
  const old = prev?.find((c) => c.type === type);
  const status = ok ? 'True' : 'False';
  return {
    type,
    status,
    lastProbeTime: null!,
    lastTransitionTime: old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(now),
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

export function generatePodStatus(input: StatusInput): PodStatus {
  const { pod, now } = input;
  const prev = pod.status?.conditions;
  const init = (pod.spec?.initContainers ?? []).map((c) => containerStatus(c.name, input.init.get(c.name) ?? { ready: false, image: c.image ?? '', imageID: '', waiting: { reason: 'PodInitializing' } }));
  const regular = (pod.spec?.containers ?? []).map((c) => containerStatus(c.name, input.containers.get(c.name) ?? { ready: false, image: c.image ?? '', imageID: '' }));
  const phase = podPhase(pod, init, regular, input.terminal);

  const incompleteInit = init.filter((s) => !(s.state?.terminated?.exitCode === 0)).map((s) => s.name);
  const initialized = incompleteInit.length === 0 || regular.some((s) => s.state?.running || s.lastState?.terminated);
  const unready = regular.filter((s) => !s.ready).map((s) => s.name);
  const done = phase === 'Succeeded' || phase === 'Failed';
  const readyReason = done ? 'PodCompleted' : 'ContainersNotReady';
  const readyMsg = done ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const conditions: PodCondition[] = [
    condition(prev, 'PodReadyToStartContainers', input.sandboxReady, now),
    initialized ? condition(prev, 'Initialized', true, now, done && (pod.spec?.initContainers?.length ?? 0) > 0 ? 'PodCompleted' : undefined) : condition(prev, 'Initialized', false, now, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`),
    unready.length === 0 && !done ? condition(prev, 'Ready', true, now) : condition(prev, 'Ready', false, now, readyReason, readyMsg),
    unready.length === 0 && !done ? condition(prev, 'ContainersReady', true, now) : condition(prev, 'ContainersReady', false, now, readyReason, readyMsg),
  ];
  const scheduled = prev?.find((c) => c.type === 'PodScheduled');
  if (scheduled) conditions.push(scheduled);
  const startTime = pod.status?.startTime ?? rfc3339(now);
  const status: PodStatus = {
    phase,
    conditions,
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    ...(input.podIP ? { podIP: input.podIP, podIPs: [{ ip: input.podIP }] } : {}),
    startTime,
    ...(init.length ? { initContainerStatuses: init } : {}),
    containerStatuses: regular,
    qosClass: input.qosClass,
  };
  return status;
}
