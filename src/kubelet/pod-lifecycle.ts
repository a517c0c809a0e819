// The kubelet's decision for one pod uid (upstream syncPod / syncTerminatingPod /
// syncTerminatedPod): a pod that should run gets one sync step and a status; a pod the API
// deleted gracefully is stopped within its grace period, reported terminal, cleaned up, and then
// removed from the API for good (the final DELETE with grace 0 is the kubelet's, as upstream); a
// pod that finished (Succeeded/Failed) has its containers and sandbox stopped but kept for logs; a
// pod unknown to the API (force-deleted, or left from before a restart) is torn down completely.
import { readdirSync, rmSync } from 'node:fs';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { StatusError } from '../machinery/errors.js';
import type { KubeletContext } from './context.js';
import { syncRunningPod } from './sync/sync-pod.js';
import { killPod } from './sync/terminate-pod.js';
import { computeStatus, type StatusManager } from './status/status-manager.js';

const terminalPhase = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

export async function cleanupPod(ctx: KubeletContext, uid: string): Promise<void> {
  ctx.probes.removePod(uid);
  await ctx.runtime.stopPodSandbox(uid);
  await ctx.runtime.removePodSandbox(uid);
  await ctx.volumes.tearDown(uid);
  rmSync(`${ctx.config.podsDir}/${uid}`, { recursive: true, force: true });
  try {
    for (const d of readdirSync(ctx.config.logsDir)) if (d.endsWith(`_${uid}`)) rmSync(`${ctx.config.logsDir}/${d}`, { recursive: true, force: true });
  } catch {
    // no logs dir yet
  }
  ctx.waiting.delete(uid);
  ctx.crashBackoff.resetPrefix(`${uid}/`);
  ctx.pullBackoff.resetPrefix(`${uid}/`);
}

async function finalDelete(ctx: KubeletContext, pod: Pod): Promise<void> {
  const ref = { group: '', version: 'v1', resource: 'pods', namespace: pod.metadata?.namespace, name: pod.metadata?.name };
  try {
    await ctx.client.delete(ref, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid } });
  } catch (e) {
    if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
  }
}

export async function syncPodLifecycle(ctx: KubeletContext, status: StatusManager, uid: string, pod: Pod | undefined): Promise<void> {
  if (!pod) {
    await cleanupPod(ctx, uid);
    status.forget(uid);
    return;
  }
  if (pod.metadata?.deletionTimestamp) {
    const sandbox = await ctx.runtime.podSandboxStatus(uid);
    await killPod(ctx, pod, 'delete');
    if (!terminalPhase(pod)) {
      const s = await computeStatus(ctx, pod, { podIP: sandbox?.ip ?? pod.status?.podIP ?? '', sandboxReady: false, terminal: true });
      await status.write(pod, s);
    }
    await cleanupPod(ctx, uid);
    await finalDelete(ctx, pod);
    return;
  }
  if (terminalPhase(pod)) {
    const running = (await ctx.runtime.listContainers({ podUid: uid })).some((c) => c.state === 'running');
    const sandbox = await ctx.runtime.podSandboxStatus(uid);
    if (running || sandbox?.state === 'ready') await killPod(ctx, pod, 'terminal');
    return;
  }
  const r = await syncRunningPod(ctx, pod);
  let s = await computeStatus(ctx, pod, { podIP: r.podIP, sandboxReady: r.sandboxReady, terminal: r.failedInit });
  if (s.phase === 'Succeeded' || s.phase === 'Failed') {
    // Finished: stop what is left (sidecars, the sandbox), then report with the final states.
    await killPod(ctx, pod, 'terminal');
    s = await computeStatus(ctx, pod, { podIP: r.podIP, sandboxReady: false, terminal: true });
  }
  await status.write(pod, s);
}
