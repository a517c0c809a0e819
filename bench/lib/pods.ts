// Pods for the kubelet benchmark and the clock that times them: a small busybox `sleep 3600` pod
// (no probes, one-second grace period since `sleep` as PID 1 ignores SIGTERM), a watch that stamps
// the moment each pod's Ready condition first turns True, and the helpers that wait for a set of
// pods to be Ready or gone — with the pods' own status in the error when they never are.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Client } from './client.js';
import { sleep } from './proc.js';

export const BENCH_LABEL = 'skiff-bench';

export function sleepPod(name: string, group: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { [BENCH_LABEL]: group } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'sleep', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
    },
  };
}

const isReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** One line per pod that is not Ready: phase and each container's waiting/terminated reason. */
export function describeNotReady(pods: Pod[]): string {
  return pods
    .filter((p) => !isReady(p))
    .map((p) => {
      const cs = (p.status?.containerStatuses ?? []).map((s) => {
        const w = s.state?.waiting ?? s.state?.terminated;
        return w ? `${s.name}: ${w.reason ?? ''} ${w.message ?? ''}`.trim() : `${s.name}: running`;
      });
      const sched = p.spec?.nodeName ? `on ${p.spec.nodeName}` : 'unscheduled';
      return `  ${p.metadata?.name} ${p.status?.phase ?? 'no phase'} ${sched} ${cs.join('; ')}`;
    })
    .join('\n');
}

export async function listPods(client: Client, ns: string, group?: string): Promise<{ items: Pod[]; resourceVersion: string }> {
  const sel = group === undefined ? BENCH_LABEL : `${BENCH_LABEL}=${group}`;
  const r = await client.mustRequest('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(sel)}`);
  const list = JSON.parse(r.body) as { items: Pod[]; metadata: { resourceVersion: string } };
  return { items: list.items, resourceVersion: list.metadata.resourceVersion };
}

/**
 * Watches one group's pods from a listed resourceVersion (so no event is missed even if the watch
 * registers late) and records, per pod name, the hrtime at which a Ready=True event first arrived.
 */
export class ReadyClock {
  readonly readyAt = new Map<string, bigint>();
  private close: () => void = () => {};
  private failure: Error | undefined;

  private constructor(
    private readonly client: Client,
    private readonly ns: string,
    private readonly group: string,
  ) {}

  static async start(client: Client, ns: string, group: string): Promise<ReadyClock> {
    const c = new ReadyClock(client, ns, group);
    const { resourceVersion } = await listPods(client, ns, group);
    const sel = encodeURIComponent(`${BENCH_LABEL}=${group}`);
    c.close = client.watch(
      `/api/v1/namespaces/${ns}/pods?watch=true&labelSelector=${sel}&resourceVersion=${resourceVersion}`,
      (ev) => {
        const now = process.hrtime.bigint();
        const pod = ev.object as Pod;
        const name = pod.metadata?.name;
        if ((ev.type === 'ADDED' || ev.type === 'MODIFIED') && name && !c.readyAt.has(name) && isReady(pod)) c.readyAt.set(name, now);
      },
      (e) => (c.failure ??= e),
    );
    // Let the watch register before the first create, so its events are timed on arrival rather
    // than replayed from the resourceVersion.
    await sleep(300);
    return c;
  }

  /** Resolves once every name has a Ready time; on timeout throws with the pods' status. */
  async waitFor(names: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!names.every((n) => this.readyAt.has(n))) {
      if (this.failure) throw this.failure;
      if (Date.now() > deadline) {
        const { items } = await listPods(this.client, this.ns, this.group);
        throw new Error(`${names.filter((n) => !this.readyAt.has(n)).length} of ${names.length} pods not Ready after ${timeoutMs / 1000} s:\n${describeNotReady(items)}`);
      }
      await sleep(5);
    }
  }

  stop(): void {
    this.close();
  }
}

/** Polls a list until `count` pods of the group are Ready (for runs where no per-pod time is needed). */
export async function waitAllReady(client: Client, ns: string, group: string, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { items } = await listPods(client, ns, group);
    if (items.filter(isReady).length >= count) return;
    if (Date.now() > deadline) throw new Error(`${items.filter(isReady).length} of ${count} pods Ready after ${timeoutMs / 1000} s:\n${describeNotReady(items)}`);
    await sleep(1000);
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Deletes every benchmark pod in `ns` and waits until the API no longer has them. */
export async function deleteAllPods(client: Client, ns: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const { items } = await listPods(client, ns);
  await inParallel(items, 8, async (p) => {
    const r = await client.request('DELETE', `/api/v1/namespaces/${ns}/pods/${p.metadata!.name}`);
    if (r.status !== 200 && r.status !== 202 && r.status !== 404) throw new Error(`delete pod ${p.metadata!.name}: ${r.status} ${r.body.slice(0, 200)}`);
  });
  for (;;) {
    const left = (await listPods(client, ns)).items;
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${left.length} pods still present ${timeoutMs / 1000} s after delete:\n${left.map((p) => `  ${p.metadata?.name} ${p.status?.phase}`).join('\n')}`);
    await sleep(500);
  }
}
