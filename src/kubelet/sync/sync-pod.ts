// One level-triggered step for a pod that should be running (upstream kubelet syncPod +
// kuberuntime SyncPod/computePodActions): make sure the sandbox and the volumes exist, run init
// containers one at a time to success, then keep every regular container running as its
// restartPolicy asks — with CrashLoopBackOff between restarts and liveness kills honoured. It
// never waits for a container: the next sync (runtime event, probe change, back-off expiry)
// takes the next step.
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { buildSandboxConfig } from '../pod/sandbox-config.js';
import { formatPod, podRefOf, setWaiting, type KubeletContext } from '../context.js';
import { groupByName, shouldRestart, type Attempts } from './containers-of-pod.js';
import { startContainer } from './start-container.js';
import { VolumeError } from '../volumes/errors.js';

export interface SyncResult {
  podIP: string;
  sandboxReady: boolean;
  /** Init failed with restartPolicy Never: the pod is done (Failed). */
  failedInit: boolean;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function ensureSandbox(ctx: KubeletContext, pod: Pod): Promise<{ ip: string } | undefined> {
  const uid = pod.metadata?.uid ?? '';
  const current = await ctx.runtime.podSandboxStatus(uid);
  if (current?.state === 'ready') return { ip: current.ip };
  if (current) {
    // The sandbox died (host reboot, netns gone): upstream kills every container and starts over.
    ctx.recorder.event(podRefOf(pod), 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
    await ctx.runtime.stopPodSandbox(uid);
    await ctx.runtime.removePodSandbox(uid);
  }
  try {
    const cfg = buildSandboxConfig(pod, { clusterDNS: ctx.config.clusterDNS, clusterDomain: ctx.config.clusterDomain, hostResolvConf: ctx.config.hostResolvConf });
    const sb = await ctx.runtime.runPodSandbox(cfg);
    return { ip: sb.ip };
  } catch (e) {
    ctx.recorder.event(podRefOf(pod), 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${message(e)}`);
    ctx.requeueAfter(uid, 5_000);
    return undefined;
  }
}

/** Decides about one container that is not running; starts it when due. Returns true if it runs now. */
async function reconcileStopped(ctx: KubeletContext, pod: Pod, c: Container, a: Attempts | undefined, podIP: string, volumes: Map<string, { hostPath: string; readOnly?: boolean }>): Promise<boolean> {
  const uid = pod.metadata?.uid ?? '';
  const latest = a?.latest;
  if (latest?.state === 'exited') {
    if (!shouldRestart(pod.spec?.restartPolicy, latest.exitCode)) return false;
    const key = `${uid}/${c.name}`;
    const finished = latest.finishedAt?.getTime() ?? Date.now();
    if (ctx.crashBackoff.inBackoffSince(key, finished)) {
      const delay = ctx.crashBackoff.current(key);
      const msg = `back-off ${delay / 1000}s restarting failed container=${c.name} pod=${formatPod(pod)}`;
      setWaiting(ctx, uid, c.name, { reason: 'CrashLoopBackOff', message: msg });
      ctx.recorder.event(podRefOf(pod), 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${formatPod(pod)}`);
      ctx.requeueAfter(uid, finished + delay - Date.now() + 50);
      return false;
    }
    ctx.crashBackoff.next(key, finished);
  }
  return startContainer(ctx, { pod, container: c, attempt: latest ? latest.attempt + 1 : 0, podIP, volumes });
}

export async function syncRunningPod(ctx: KubeletContext, pod: Pod): Promise<SyncResult> {
  const uid = pod.metadata?.uid ?? '';
  const ref = podRefOf(pod);
  const sandbox = await ensureSandbox(ctx, pod);
  if (!sandbox) return { podIP: '', sandboxReady: false, failedInit: false };
  const podIP = sandbox.ip;
  // Probes without a host dial the pod IP, which the API object may not carry yet.
  ctx.probes.addPod({ ...pod, status: { ...pod.status, podIP } });

  let volumes;
  try {
    volumes = await ctx.volumes.setUp(pod);
  } catch (e) {
    ctx.recorder.event(ref, 'Warning', 'FailedMount', e instanceof VolumeError ? e.eventMessage() : `MountVolume.SetUp failed: ${message(e)}`);
    ctx.requeueAfter(uid, 5_000);
    return { podIP, sandboxReady: true, failedInit: false };
  }

  const attempts = groupByName(await ctx.runtime.listContainers({ podUid: uid }));
  // Garbage: older exited attempts beyond the one kept for `logs --previous`.
  for (const a of attempts.values()) for (const s of a.stale) await ctx.runtime.removeContainer(s.id).catch(() => {});

  // Probing follows the runtime: also for containers a previous kubelet started (re-adopted).
  for (const [name, a] of attempts) {
    if (a.latest?.state === 'running') ctx.probes.onContainerStarted(uid, name, a.latest.id, a.latest.startedAt ?? a.latest.createdAt);
    else if (a.latest?.state === 'exited') ctx.probes.onContainerExited(uid, name);
  }

  // Liveness / startup failures: kill the container; the restart policy decides what follows.
  for (const a of attempts.values()) {
    const id = a.latest?.id;
    const why = id ? ctx.killRequests.get(id) : undefined;
    if (!id || why === undefined) continue;
    ctx.killRequests.delete(id);
    if (a.latest?.state !== 'running') continue;
    ctx.recorder.event(ref, 'Normal', 'Killing', why);
    await ctx.runtime.stopContainer(id, pod.spec?.terminationGracePeriodSeconds ?? 30);
    a.latest = (await ctx.runtime.containerStatus(id)) ?? a.latest;
  }

  // Init containers: one at a time, each to success before the next.
  for (const c of pod.spec?.initContainers ?? []) {
    const a = attempts.get(c.name);
    const latest = a?.latest;
    if (latest?.state === 'exited' && latest.exitCode === 0) continue;
    if (latest?.state === 'running' || latest?.state === 'created') return { podIP, sandboxReady: true, failedInit: false };
    if (latest?.state === 'exited' && pod.spec?.restartPolicy === 'Never') return { podIP, sandboxReady: true, failedInit: true };
    // Init containers restart on failure under both Always and OnFailure.
    await reconcileStopped(ctx, { ...pod, spec: { ...pod.spec!, restartPolicy: 'OnFailure' } }, c, a, podIP, volumes);
    return { podIP, sandboxReady: true, failedInit: false };
  }

  for (const c of pod.spec?.containers ?? []) {
    const a = attempts.get(c.name);
    if (a?.latest?.state === 'running' || a?.latest?.state === 'created') continue;
    await reconcileStopped(ctx, pod, c, a, podIP, volumes);
  }
  return { podIP, sandboxReady: true, failedInit: false };
}
