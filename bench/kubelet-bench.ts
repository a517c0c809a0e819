// The kubelet benchmark (`npm run bench -- --only=kubelet`; root, runc, conmon and docker-registry
// needed). A control plane (`skiff server --disable-agent`, with scheduler and controllers) and a
// node agent in a process of its own (`skiff agent`), pulling busybox through a registries.yaml
// mirror from Debian's docker-registry on loopback; one warm-up pod pulls the image first, so every
// measured start has it present. Measured:
//  - pod start latency: 50 pods created one every 200 ms, each timed from just before its POST to
//    the arrival of the watch event that shows it Ready (scheduling, sandbox with network, container,
//    status write included) — beside the same container started by plain `runc run -d` (50 times,
//    same pace; bench/lib/runc-direct.ts) and the ratio of the two medians;
//  - throughput: 20 pods created at once → pods/s until the last is Ready;
//  - the agent process's RSS idle (node Ready, no pods, 3 s settle) and with 100 running pods
//    (5 s after the last is Ready); conmon supervisors are separate processes, reported apart.
// Pods are deleted between steps so each starts from an empty node. Everything — pods, agent state
// (containers, bridge, netns, cgroups), server, registry, temp dirs — is removed even on failure.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Node } from 'kubernetes-types/core/v1.js';
import { startRegistry, type TestRegistry } from '../test/support/registry.js';
import { buildBusyboxImage, pushImage } from '../test/support/images.js';
import { conmonRss, startAgentProc, type AgentProc } from './lib/agent-proc.js';
import { Client } from './lib/client.js';
import { deleteAllPods, inParallel, ReadyClock, sleepPod, waitAllReady } from './lib/pods.js';
import { freePort, rssMiB, sleep } from './lib/proc.js';
import { prepareRuncDirect } from './lib/runc-direct.js';
import { startSkiff, type RunningSkiff } from './lib/skiff.js';
import { msSince, summarize, type Summary } from './lib/stats.js';

export const LATENCY_PODS = 50;
export const PACE_MS = 200;
export const BURST_PODS = 20;
export const RSS_PODS = 100;
const NS = 'kubelet-bench';
const NODE = 'bench-node';

export interface KubeletResult {
  agentStartMs: number;
  podStart: { pods: number; paceMs: number; latency: Summary };
  runcRun: { runs: number; paceMs: number; latency: Summary };
  /** p50(skiff create → Ready) ÷ p50(runc run → running). */
  ratioP50: number;
  burst: { pods: number; seconds: number; podsPerSecond: number; latency: Summary };
  rss: {
    idleMiB: number;
    withPodsMiB: number;
    pods: number;
    /** conmon processes of this agent and their total RSS, with the pods running. */
    conmonCount: number;
    conmonTotalMiB: number;
  };
}

type Log = (msg: string) => void;

/** Waits `ms` between creates of a paced run, measured from the run's start (no drift). */
async function paced(count: number, paceMs: number, fn: (i: number) => Promise<void>): Promise<void> {
  const start = Date.now();
  for (let i = 0; i < count; i++) {
    const wait = start + i * paceMs - Date.now();
    if (wait > 0) await sleep(wait);
    await fn(i);
  }
}

async function runcBaseline(log: Log): Promise<KubeletResult['runcRun']> {
  log(`runc baseline: ${LATENCY_PODS} × runc run -d busybox sleep 3600, one per ${PACE_MS} ms`);
  const runc = await prepareRuncDirect();
  try {
    await runc.runOnce(); // warm-up: page cache, runc binary
    const samples: number[] = [];
    await paced(LATENCY_PODS, PACE_MS, async () => {
      samples.push(await runc.runOnce());
    });
    return { runs: samples.length, paceMs: PACE_MS, latency: summarize(samples) };
  } finally {
    await runc.clean();
  }
}

async function nodeReady(client: Client, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await client.request('GET', `/api/v1/nodes/${NODE}`);
    if (r.status === 200) {
      const node = JSON.parse(r.body) as Node;
      if (node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return;
    }
    if (Date.now() > deadline) throw new Error(`node ${NODE} not Ready after ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

const createPod = (client: Client, name: string, group: string) => client.mustRequest('POST', `/api/v1/namespaces/${NS}/pods`, sleepPod(name, group));

/** Creates `count` pods at `paceMs` apart (0 = all at once) and times each create → Ready. */
async function timedStarts(client: Client, group: string, count: number, paceMs: number, timeoutMs: number): Promise<{ latencies: number[]; totalMs: number }> {
  const clock = await ReadyClock.start(client, NS, group);
  try {
    const names = Array.from({ length: count }, (_, i) => `${group}-${i}`);
    const sent = new Map<string, bigint>();
    const t0 = process.hrtime.bigint();
    const create = async (name: string) => {
      sent.set(name, process.hrtime.bigint());
      await createPod(client, name, group);
    };
    if (paceMs > 0) await paced(count, paceMs, (i) => create(names[i]!));
    else await Promise.all(names.map(create));
    await clock.waitFor(names, timeoutMs);
    const latencies = names.map((n) => Number(clock.readyAt.get(n)! - sent.get(n)!) / 1e6);
    const last = names.reduce((m, n) => (clock.readyAt.get(n)! > m ? clock.readyAt.get(n)! : m), t0);
    return { latencies, totalMs: Number(last - t0) / 1e6 };
  } finally {
    clock.stop();
  }
}

async function skiffKubelet(log: Log): Promise<Omit<KubeletResult, 'runcRun' | 'ratioP50'>> {
  const serverDir = mkdtempSync(join(tmpdir(), 'skiff-bench-cp-'));
  const agentDir = mkdtempSync(join(tmpdir(), 'skiff-bench-agent-'));
  const podCIDR = `10.42.${100 + Math.floor(Math.random() * 151)}.0/24`;
  let registry: TestRegistry | undefined;
  let server: RunningSkiff | undefined;
  let agent: AgentProc | undefined;
  let client: Client | undefined;
  try {
    registry = await startRegistry();
    await pushImage(registry.url, 'library/busybox', 'latest', buildBusyboxImage());
    writeFileSync(join(agentDir, 'registries.yaml'), `mirrors:\n  docker.io:\n    endpoint:\n      - ${registry.url}\n`);
    server = await startSkiff(serverDir, await freePort(), 60_000, { controlLoops: true });
    client = new Client(server.url, server.creds, 16);
    log(`control plane ready; starting skiff agent (pods ${podCIDR}, data dir ${agentDir})`);
    agent = await startAgentProc({ kubeconfig: join(serverDir, 'kubeconfig.yaml'), dataDir: agentDir, nodeName: NODE, podCIDR });
    await nodeReady(client, 60_000);
    await sleep(3000);
    const idleMiB = rssMiB(agent.pid);
    log(`agent ready in ${agent.startMs.toFixed(0)} ms; RSS idle ${idleMiB.toFixed(1)} MiB`);

    const ns = await client.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    if (ns.status !== 201 && ns.status !== 409) throw new Error(`create namespace ${NS}: ${ns.status} ${ns.body.slice(0, 200)}`);
    log('warm-up pod (pulls busybox)');
    await timedStarts(client, 'warmup', 1, 0, 120_000);
    await deleteAllPods(client, NS, 60_000);

    log(`pod start latency: ${LATENCY_PODS} pods, one per ${PACE_MS} ms`);
    const lat = await timedStarts(client, 'lat', LATENCY_PODS, PACE_MS, 180_000);
    await deleteAllPods(client, NS, 120_000);

    log(`throughput: ${BURST_PODS} pods created at once`);
    const burst = await timedStarts(client, 'burst', BURST_PODS, 0, 180_000);
    await deleteAllPods(client, NS, 120_000);

    log(`RSS with ${RSS_PODS} running pods`);
    const names = Array.from({ length: RSS_PODS }, (_, i) => `rss-${i}`);
    await inParallel(names, 4, (n) => createPod(client!, n, 'rss'));
    await waitAllReady(client, NS, 'rss', RSS_PODS, 600_000);
    await sleep(5000);
    const withPodsMiB = rssMiB(agent.pid);
    const conmon = conmonRss(agentDir);
    log(`RSS with ${RSS_PODS} pods: agent ${withPodsMiB.toFixed(1)} MiB, ${conmon.count} conmon ${conmon.mib.toFixed(1)} MiB`);

    return {
      agentStartMs: agent.startMs,
      podStart: { pods: LATENCY_PODS, paceMs: PACE_MS, latency: summarize(lat.latencies) },
      burst: { pods: BURST_PODS, seconds: burst.totalMs / 1000, podsPerSecond: BURST_PODS / (burst.totalMs / 1000), latency: summarize(burst.latencies) },
      rss: { idleMiB, withPodsMiB, pods: RSS_PODS, conmonCount: conmon.count, conmonTotalMiB: conmon.mib },
    };
  } catch (e) {
    if (agent) log(`agent output (tail):\n${agent.output().split('\n').slice(-40).join('\n')}`);
    throw e;
  } finally {
    log('cleaning up: pods, agent, agent state, server, registry');
    if (client && server && agent && agent.proc.exitCode === null) await deleteAllPods(client, NS, 180_000).catch((e: unknown) => log(`pod cleanup: ${String(e)}`));
    client?.close();
    await agent?.stop();
    // Loaded here, not at the top: other phases must not depend on the kubelet's modules loading.
    await import('../src/kubelet/agent.js')
      .then(({ removeAgentState }) => removeAgentState(agentDir, podCIDR))
      .catch((e: unknown) => log(`agent state cleanup: ${e instanceof Error ? e.message : String(e)}`));
    await server?.stop();
    await registry?.stop();
    rmSync(agentDir, { recursive: true, force: true });
    rmSync(serverDir, { recursive: true, force: true });
  }
}

export async function kubeletBench(log: Log): Promise<KubeletResult> {
  const runcRun = await runcBaseline(log);
  const skiff = await skiffKubelet(log);
  return { ...skiff, runcRun, ratioP50: skiff.podStart.latency.p50 / runcRun.latency.p50 };
}

/** Rows for the printed table. */
export function kubeletRows(r: KubeletResult): Array<[string, string]> {
  const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : 'n/a');
  const mib = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
  return [
    ['kubelet: agent start → ready', `${ms(r.agentStartMs)} ms`],
    [`kubelet: pod start p50/p99 (create → Ready, ${r.podStart.pods} pods, 1 per ${r.podStart.paceMs} ms)`, `${ms(r.podStart.latency.p50)} / ${ms(r.podStart.latency.p99)} ms`],
    [`runc run -d, same container, p50/p99 (${r.runcRun.runs} runs)`, `${ms(r.runcRun.latency.p50)} / ${ms(r.runcRun.latency.p99)} ms`],
    ['ratio skiff/runc p50', `${r.ratioP50.toFixed(1)}×`],
    [`kubelet: pods/s with ${r.burst.pods} created at once`, `${r.burst.podsPerSecond.toFixed(1)} pods/s (all Ready in ${r.burst.seconds.toFixed(1)} s; p50/p99 ${ms(r.burst.latency.p50)} / ${ms(r.burst.latency.p99)} ms)`],
    [`kubelet RSS idle / with ${r.rss.pods} pods (agent process)`, `${mib(r.rss.idleMiB)} / ${mib(r.rss.withPodsMiB)} MiB`],
    [`conmon processes with ${r.rss.pods} pods (not in the above)`, `${r.rss.conmonCount}, ${mib(r.rss.conmonTotalMiB)} MiB in total`],
  ];
}
