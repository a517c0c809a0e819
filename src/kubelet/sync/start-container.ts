// Starts one container of a pod (upstream kuberuntime_container.go startContainer): image present,
// environment and config resolved (failures become CreateContainerConfigError), the runtime creates
// and starts it (CreateContainerError / RunContainerError), the Created / Started events, the probe
// workers told, then the postStart hook — whose failure kills the container again.
import { mkdirSync } from 'node:fs';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { makeEnvironment } from '../envvars/make-environment.js';
import { buildContainerConfig } from '../pod/container-config.js';
import { podLogDir, podRefOf, setWaiting, type KubeletContext } from '../context.js';
import { ensureImage, ImagePullError } from './image-puller.js';
import { runHook } from './hooks.js';

export interface StartTarget {
  pod: Pod;
  container: Container;
  attempt: number;
  podIP: string;
  volumes: Map<string, { hostPath: string; readOnly?: boolean }>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Resolves true once started; false when it could not (the waiting reason is recorded). */
export async function startContainer(ctx: KubeletContext, t: StartTarget): Promise<boolean> {
  const { pod, container: c } = t;
  const uid = pod.metadata?.uid ?? '';
  const ref = podRefOf(pod);
  let image;
  try {
    image = await ensureImage(ctx, pod, c);
  } catch (e) {
    if (e instanceof ImagePullError) {
      setWaiting(ctx, uid, c.name, e.waiting);
      return false;
    }
    throw e;
  }
  let config;
  try {
    const env = await makeEnvironment(pod, c, { source: ctx.source, podIP: t.podIP, podIPs: t.podIP ? [t.podIP] : [], hostIP: ctx.config.nodeIP, nodeName: ctx.config.nodeName });
    const logDir = `${podLogDir(ctx.config, pod)}/${c.name}`;
    mkdirSync(logDir, { recursive: true });
    config = buildContainerConfig(pod, c, { image, volumes: t.volumes, env, attempt: t.attempt, logPath: `${logDir}/${t.attempt}.log`, podDir: `${ctx.config.podsDir}/${uid}` });
  } catch (e) {
    const msg = message(e);
    ctx.recorder.event(ref, 'Warning', 'Failed', `Error: ${msg}`);
    setWaiting(ctx, uid, c.name, { reason: 'CreateContainerConfigError', message: msg });
    ctx.requeueAfter(uid, 5_000);
    return false;
  }
  let status;
  try {
    status = await ctx.runtime.createAndStartContainer(config);
  } catch (e) {
    const msg = message(e);
    ctx.recorder.event(ref, 'Warning', 'Failed', `Error: ${msg}`);
    setWaiting(ctx, uid, c.name, { reason: 'CreateContainerError', message: msg });
    ctx.requeueAfter(uid, 5_000);
    return false;
  }
  setWaiting(ctx, uid, c.name, undefined);
  ctx.images.markUsed(image.id);
  ctx.recorder.event(ref, 'Normal', 'Created', `Created container ${c.name}`);
  ctx.recorder.event(ref, 'Normal', 'Started', `Started container ${c.name}`);
  ctx.probes.onContainerStarted(uid, c.name, status.id, status.startedAt ?? new Date());
  const postStart = c.lifecycle?.postStart;
  if (postStart) {
    const failure = await runHook(ctx.runtime, pod, c, status.id, postStart, t.podIP, (pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000);
    if (failure) {
      ctx.recorder.event(ref, 'Warning', 'FailedPostStartHook', failure);
      ctx.recorder.event(ref, 'Normal', 'Killing', `FailedPostStartHook`);
      await ctx.runtime.stopContainer(status.id, pod.spec?.terminationGracePeriodSeconds ?? 30);
    }
  }
  return true;
}
