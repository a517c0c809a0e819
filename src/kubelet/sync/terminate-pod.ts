// Stops a pod (upstream killPodWithSyncResult): preStop hooks, then every running container is
// stopped in parallel with the pod's grace period (deletionGracePeriodSeconds when deleted, else
// terminationGracePeriodSeconds) — SIGTERM, SIGKILL when it runs out — and the sandbox goes down.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { podRefOf, type KubeletContext } from '../context.js';
import { runHook } from './hooks.js';

export async function killPod(ctx: KubeletContext, pod: Pod, reason: 'delete' | 'terminal'): Promise<void> {
  const uid = pod.metadata?.uid ?? '';
  const graceSeconds = Math.max(0, pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30);
  const deadline = Date.now() + graceSeconds * 1000;
  const sandbox = await ctx.runtime.podSandboxStatus(uid);
  const running = (await ctx.runtime.listContainers({ podUid: uid })).filter((c) => c.state === 'running' || c.state === 'created');
  const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  await Promise.all(
    running.map(async (c) => {
      const spec = specs.find((s) => s.name === c.name);
      if (reason === 'delete') ctx.recorder.event(podRefOf(pod), 'Normal', 'Killing', `Stopping container ${c.name}`);
      const preStop = spec?.lifecycle?.preStop;
      if (preStop && spec && graceSeconds > 0) {
        const failure = await runHook(ctx.runtime, pod, spec, c.id, preStop, sandbox?.ip ?? '', Math.max(0, deadline - Date.now()));
        if (failure) ctx.recorder.event(podRefOf(pod), 'Warning', 'FailedPreStopHook', failure);
      }
      // upstream: at least 2 s for the stop itself, even if the hook used the whole grace period.
      const left = Math.max(graceSeconds > 0 ? 2 : 0, Math.ceil((deadline - Date.now()) / 1000));
      await ctx.runtime.stopContainer(c.id, left);
    }),
  );
  ctx.probes.removePod(uid);
  await ctx.runtime.stopPodSandbox(uid);
}
