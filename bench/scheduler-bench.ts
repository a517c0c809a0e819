// Control-loop benchmarks on an in-process cluster (bench/lib/cluster.ts):
//  - scheduler throughput: N simulated nodes register, then 10,000 pods are created by 16 concurrent
//    clients; pods/s = pods ÷ (first create → the watch has seen every pod with spec.nodeName);
//  - Deployment availability: one Deployment of R replicas (ReplicaSet + Deployment controllers), time
//    from create until status.availableReplicas = R;
//  - control-plane footprint: N nodes + P pods all Running, then process RSS and CPU (user+system
//    ÷ wall) over a steady-state window in which only heartbeats and controllers' resyncs run.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { KubeClient, WatchEvent } from '../src/client/index.js';
import { startBenchCluster } from './lib/cluster.js';

const NS = 'bench';
const podsRef = { group: '', version: 'v1', resource: 'pods', namespace: NS };

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

const benchPod = (i: number): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `p-${i}`, labels: { app: 'sched-bench' } },
  spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
});

/** Resolves when `want` distinct pods of the namespace have satisfied `pred` (as seen by one watch). */
function waitForPods(client: KubeClient, want: number, pred: (p: Pod) => boolean): { done: Promise<void>; seen: () => number; stop(): void } {
  const hit = new Set<string>();
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const h = client.watch<Pod>(podsRef, { resourceVersion: '0' }, (e: WatchEvent<Pod>) => {
    if (e.type === 'BOOKMARK' || e.type === 'ERROR') return;
    const p = e.object;
    if (e.type !== 'DELETED' && pred(p)) hit.add(p.metadata?.name ?? '');
    if (hit.size >= want) resolve();
  });
  h.done.catch(() => {});
  return { done, seen: () => hit.size, stop: () => h.abort() };
}

async function createPods(client: KubeClient, count: number, concurrency = 16): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await client.create(podsRef, benchPod(next++));
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function withProgress<T>(what: string, seen: () => number, total: number, p: Promise<T>, timeoutMs: number): Promise<T> {
  const t0 = Date.now();
  const timer = setInterval(() => log(`  ${what}: ${seen()}/${total} after ${((Date.now() - t0) / 1000).toFixed(0)} s`), 10_000);
  try {
    return await Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`${what}: only ${seen()}/${total} after ${timeoutMs} ms`)), timeoutMs).unref())]);
  } finally {
    clearInterval(timer);
  }
}

export interface ThroughputResult {
  nodes: number;
  pods: number;
  registerNodesMs: number;
  seconds: number;
  podsPerSecond: number;
}

export async function schedulerThroughput(nodes: number, pods = 10_000): Promise<ThroughputResult> {
  const c = await startBenchCluster({ nodes });
  try {
    log(`${nodes} simulated nodes registered in ${c.registerMs.toFixed(0)} ms; creating ${pods} pods`);
    await c.client.create({ group: '', version: 'v1', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    const bound = waitForPods(c.client, pods, (p) => !!p.spec?.nodeName);
    const t0 = performance.now();
    await createPods(c.client, pods);
    await withProgress('bound', bound.seen, pods, bound.done, 600_000);
    const seconds = (performance.now() - t0) / 1000;
    bound.stop();
    return { nodes, pods, registerNodesMs: c.registerMs, seconds, podsPerSecond: pods / seconds };
  } finally {
    await c.close();
  }
}

export interface DeploymentResult {
  replicas: number;
  nodes: number;
  secondsToAvailable: number;
}

export async function deploymentAvailability(replicas = 1000, nodes = 100): Promise<DeploymentResult> {
  const c = await startBenchCluster({ nodes, controllers: ['replicaset', 'deployment'] });
  try {
    await c.client.create({ group: '', version: 'v1', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    const ref = { group: 'apps', version: 'v1', resource: 'deployments', namespace: NS };
    let available = 0;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const h = c.client.watch<Deployment>(ref, { resourceVersion: '0' }, (e) => {
      if (e.type === 'BOOKMARK' || e.type === 'ERROR') return;
      available = e.object.status?.availableReplicas ?? 0;
      if (available >= replicas) resolve();
    });
    h.done.catch(() => {});
    const t0 = performance.now();
    const tmpl = benchPod(0);
    await c.client.create<Deployment>(ref, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'big' },
      spec: { replicas, selector: { matchLabels: { app: 'big' } }, template: { metadata: { labels: { app: 'big' } }, spec: tmpl.spec! } },
    });
    log(`Deployment of ${replicas} replicas on ${nodes} nodes created`);
    await withProgress('available', () => available, replicas, done, 600_000);
    h.abort();
    return { replicas, nodes, secondsToAvailable: (performance.now() - t0) / 1000 };
  } finally {
    await c.close();
  }
}

export interface FootprintResult {
  nodes: number;
  pods: number;
  registerNodesMs: number;
  secondsToAllRunning: number;
  steadyWindowS: number;
  rssMiB: number;
  heapUsedMiB: number;
  cpuPercent: number;
}

export async function controlPlaneFootprint(nodes = 5000, pods = 50_000, windowMs = 60_000): Promise<FootprintResult> {
  const c = await startBenchCluster({ nodes, controllers: ['replicaset', 'deployment', 'garbagecollector', 'disruption'] });
  try {
    log(`${nodes} simulated nodes registered in ${c.registerMs.toFixed(0)} ms; creating ${pods} pods`);
    await c.client.create({ group: '', version: 'v1', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    const running = waitForPods(c.client, pods, (p) => p.status?.phase === 'Running');
    const t0 = performance.now();
    await createPods(c.client, pods);
    await withProgress('running', running.seen, pods, running.done, 1_800_000);
    const secondsToAllRunning = (performance.now() - t0) / 1000;
    running.stop();
    log(`all ${pods} pods Running after ${secondsToAllRunning.toFixed(1)} s; steady state for ${windowMs / 1000} s`);
    global.gc?.();
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, windowMs));
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - w0;
    const mem = process.memoryUsage();
    return {
      nodes,
      pods,
      registerNodesMs: c.registerMs,
      secondsToAllRunning,
      steadyWindowS: wall / 1000,
      rssMiB: mem.rss / 2 ** 20,
      heapUsedMiB: mem.heapUsed / 2 ** 20,
      cpuPercent: ((cpu.user + cpu.system) / 1000 / wall) * 100,
    };
  } finally {
    await c.close();
  }
}
