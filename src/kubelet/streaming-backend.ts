// The kubelet side of the streaming server's StreamingBackend: finds a pod of this node by
// namespace/name and its container's current (and previous) instance in the runtime, with
// upstream's messages for containers that have not started (validateContainerLogStatus).
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeletContext } from './context.js';
import { StreamingError, type ResolvedContainer, type StreamingBackend } from './server/backend.js';
import { groupByName } from './sync/containers-of-pod.js';

export class KubeletBackend implements StreamingBackend {
  constructor(
    private readonly ctx: KubeletContext,
    private readonly pods: () => Pod[],
  ) {}

  get runtime() {
    return this.ctx.runtime;
  }

  private find(namespace: string, name: string): Pod {
    const pod = this.pods().find((p) => p.metadata?.namespace === namespace && p.metadata?.name === name);
    if (!pod) throw new StreamingError('NotFound', `pod "${name}" not found`);
    return pod;
  }

  async resolvePod(namespace: string, name: string): Promise<{ podUid: string }> {
    return { podUid: this.find(namespace, name).metadata?.uid ?? '' };
  }

  async resolveContainer(namespace: string, name: string, container?: string): Promise<ResolvedContainer> {
    const pod = this.find(namespace, name);
    const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    const cname = container || pod.spec?.containers?.[0]?.name || '';
    if (!specs.some((c) => c.name === cname)) throw new StreamingError('BadRequest', `container ${cname} is not valid for pod ${name}`);
    const attempts = groupByName(await this.ctx.runtime.listContainers({ podUid: pod.metadata?.uid ?? '' })).get(cname);
    const latest = attempts?.latest;
    if (!latest) {
      const reason = this.ctx.waiting.get(pod.metadata?.uid ?? '')?.get(cname)?.reason ?? 'ContainerCreating';
      throw new StreamingError('BadRequest', `container "${cname}" in pod "${name}" is waiting to start: ${reason}`);
    }
    return { containerId: latest.id, logPath: latest.logPath, previousLogPath: attempts?.previous?.logPath, running: latest.state === 'running' };
  }
}
