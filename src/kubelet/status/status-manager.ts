// Reports pod status to the API server (upstream status_manager.go): builds the runtime view of each
// container (latest and previous attempt, waiting reason, probe results, termination message),
// generates the status, and writes it through the pods/status subresource only when it changed.
// A phase the API already holds as Succeeded or Failed is never moved back.
import { LineAssembler, parseCriLine, renderLine } from '../logs/cri-log.js';
import { readFileSync } from 'node:fs';
import type { Container, Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { StatusError } from '../../machinery/errors.js';
import type { KubeletContext } from '../context.js';
import { normalizeReference } from '../images/reference.js';
import { getPodQOSClass } from '../pod/qos.js';
import { groupByName } from '../sync/containers-of-pod.js';
import type { ContainerStatus } from '../runtime/types.js';
import { generatePodStatus, type ContainerView } from './generate-status.js';
import { terminationMessageHostPath as terminationMessagePath } from '../pod/mounts.js';

const MAX_MESSAGE = 4096;

function terminationMessage(ctx: KubeletContext, pod: Pod, spec: Container, c: ContainerStatus | undefined): string | undefined {
  if (!c || c.state !== 'exited') return undefined;
  let msg = '';
  try {
    msg = readFileSync(terminationMessagePath(`${ctx.config.podsDir}/${pod.metadata?.uid}`, spec.name, c.attempt), 'utf8').slice(0, MAX_MESSAGE);
  } catch {
    // no file: no message
  }
  if (!msg && spec.terminationMessagePolicy === 'FallbackToLogsOnError' && (c.exitCode ?? 0) !== 0) {
    try {
      // As upstream: the last 80 lines of the log as `kubectl logs` prints them, at most 2048 bytes.
      const asm = new LineAssembler();
      const lines: string[] = [];
      for (const raw of readFileSync(c.logPath, 'utf8').split('\n')) {
        const rec = parseCriLine(raw);
        const line = rec && asm.push(rec);
        if (line) lines.push(renderLine(line, false));
      }
      for (const line of asm.flush()) lines.push(renderLine(line, false));
      msg = lines.slice(-80).join('').slice(0, 2048);
    } catch {
      // no log either
    }
  }
  return msg || c.message || undefined;
}

function safeNormalize(image: string): string {
  try {
    return normalizeReference(image);
  } catch {
    return image;
  }
}

export async function computeStatus(ctx: KubeletContext, pod: Pod, s: { podIP: string; sandboxReady: boolean; terminal: boolean }): Promise<PodStatus> {
  const uid = pod.metadata?.uid ?? '';
  const attempts = groupByName(await ctx.runtime.listContainers({ podUid: uid }));
  const waiting = ctx.waiting.get(uid);
  const view = (c: Container, isInit: boolean): ContainerView => {
    const a = attempts.get(c.name);
    const rec = (() => {
      try {
        return ctx.images.get(c.image ?? '');
      } catch {
        return undefined;
      }
    })();
    const reported = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((x) => x.name === c.name);
    const id = a?.latest?.id;
    const w = a?.latest?.state === 'running' ? undefined : waiting?.get(c.name);
    return {
      latest: a?.latest,
      previous: a?.previous,
      reportedLast: reported,
      waiting: w ?? (isInit && !a?.latest ? { reason: 'PodInitializing' } : undefined),
      ready: id ? ctx.probes.readiness(id) : false,
      started: id ? ctx.probes.started(id) : undefined,
      terminationMessage: terminationMessage(ctx, pod, c, a?.latest),
      previousTerminationMessage: terminationMessage(ctx, pod, c, a?.previous),
      image: safeNormalize(c.image ?? ''),
      imageID: rec?.repoDigests[0] ?? '',
    };
  };
  const init = new Map((pod.spec?.initContainers ?? []).map((c) => [c.name, view(c, true)]));
  const initDone = (pod.spec?.initContainers ?? []).every((c) => init.get(c.name)?.latest?.state === 'exited' && init.get(c.name)?.latest?.exitCode === 0);
  const containers = new Map(
    (pod.spec?.containers ?? []).map((c) => {
      const v = view(c, false);
      if (!v.latest && !v.waiting) v.waiting = { reason: initDone ? 'ContainerCreating' : 'PodInitializing' };
      return [c.name, v];
    }),
  );
  return generatePodStatus({ pod, hostIP: ctx.config.nodeIP, podIP: s.podIP, sandboxReady: s.sandboxReady, qosClass: getPodQOSClass(pod), init, containers, terminal: s.terminal, now: ctx.now() });
}

/** Strips the transition times so that two statuses that only differ there compare equal. */
const comparable = (s: PodStatus | undefined) => JSON.stringify({ ...s, conditions: s?.conditions?.map((c) => ({ ...c, lastTransitionTime: undefined })) });

export class StatusManager {
  private readonly sent = new Map<string, string>();
  constructor(private readonly ctx: KubeletContext) {}

  async write(pod: Pod, status: PodStatus): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const prevPhase = pod.status?.phase;
    if ((prevPhase === 'Succeeded' || prevPhase === 'Failed') && status.phase !== prevPhase) status = { ...status, phase: prevPhase };
    const key = comparable(status);
    if (this.sent.get(uid) === key || comparable(pod.status) === key) return;
    try {
      // A merge patch of the whole status: arrays (conditions, containerStatuses) are replaced, and
      // no resourceVersion is sent, so a newer pod in the API never makes this write conflict.
      await this.ctx.client.patch({ group: '', version: 'v1', resource: 'pods', namespace: pod.metadata?.namespace, name: pod.metadata?.name, subresource: 'status' }, { metadata: { uid }, status }, 'merge');
      this.sent.set(uid, key);
    } catch (e) {
      if (e instanceof StatusError && (e.code === 404 || e.code === 409 || e.code === 422)) return; // gone, or replaced by a new pod of the same name (uid differs)
      throw e;
    }
  }

  forget(uid: string): void {
    this.sent.delete(uid);
  }
}
