// `npm run bench`: measures Skiff's API server on this machine and prints a table; the same figures
// go to bench/results/<timestamp>.json. Phases (about a minute in total on a typical machine):
//  1. start `skiff server` on a fresh data dir → ms until /readyz answers; idle RSS;
//  2. 4,000 configmap creates from 16 concurrent keep-alive HTTPS clients (client cert auth), after
//     2,000 warm-up creates (so is the floor);
//  3. 10,000 small pods created the same way; RSS with them stored; list latency of all 10,000
//     (one unpaged request, and kubectl-style pages of 500), as plain JSON and as the gzipped
//     server-side Table that `kubectl get pods` asks for;
//  4. watch delivery latency with 100 concurrent watchers;
//  5. restart with 10,000 pods stored → ms until /readyz;
//  6. the floor: the same 4,000-create loop against a minimal Node HTTPS server that parses the body
//     and answers 201 without storing, to show Skiff's overhead ratio.
// Then the control loops (bench/scheduler-bench.ts, in-process cluster with simulated nodes):
//  7. scheduler throughput: 10,000 pods onto 100, 1,000 and 5,000 nodes (pods/s, create → all bound);
//  8. a Deployment of 1,000 replicas on 100 nodes → seconds until fully available;
//  9. control plane RSS and CPU with 5,000 nodes and 50,000 Running pods, over a steady-state window.
// Then the node agent (bench/kubelet-bench.ts; needs root, runc, conmon, docker-registry): a control
// plane with `skiff agent` in its own process, busybox served from a loopback registry and pulled once
// by a warm-up pod, then
// 10. pod start latency p50/p99, create → Ready seen on a watch, 50 pods created one per 200 ms,
//     beside plain `runc run -d` of the same container (50 runs) and the ratio of the medians;
// 11. pods/s with 20 pods created at once (until the last is Ready);
// 12. the agent process's RSS idle and with 100 running pods (conmon processes reported apart).
// Then cluster networking (needs root; every rule lives in throwaway network namespaces):
// 13. proxy (bench/proxy-sync-bench.ts): one full iptables sync (and nftables sync), and one after a single endpoint
//     change, for 100, 1,000 and 5,000 ClusterIP Services with 2 endpoints each;
// 14. proxy (bench/clusterip-bench.ts): HTTP requests/s and p50/p99 from a client pod to a backend pod
//     through a cluster IP programmed by the proxy (one endpoint) versus straight to the pod IP, and
//     the ratio (best of three alternating 3 s rounds per path);
// 15. dns (bench/dns-bench.ts): service-name A queries/s and p50/p99 over UDP, 1,000 Services loaded;
// 16. ingress (bench/ingress-bench.ts): requests/s and p99 through the ingress controller beside the
//     same load sent straight to the backend.
// `npm run bench -- --only=api,scheduler,deployment,footprint,kubelet,proxy,dns,ingress` (or
// BENCH_ONLY=…) runs a subset;
// BENCH_SCHED_NODES=100,1000 and BENCH_FOOTPRINT=nodes:pods:seconds change the control-loop scales.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from './lib/client.js';
import { createLoop, type LoadResult } from './lib/load.js';
import { freePort, rssMiB, sleep, waitExit } from './lib/proc.js';
import { REPO, startSkiff } from './lib/skiff.js';
import { msSince, summarize, type Summary } from './lib/stats.js';
import { watchFanout, type WatchResult } from './lib/watch.js';
import { kubeletBench, kubeletRows, type KubeletResult } from './kubelet-bench.js';
import { clusterIPBench, type ClusterIPBenchResult } from './clusterip-bench.js';
import { dnsBench, type DnsBenchResult } from './dns-bench.js';
import { ingressBench, CONCURRENCY as INGRESS_CONCURRENCY, type IngressBenchResult } from './ingress-bench.js';
import { proxySyncBench, type ProxySyncResult } from './proxy-sync-bench.js';
import { controlPlaneFootprint, deploymentAvailability, schedulerThroughput, type DeploymentResult, type FootprintResult, type ThroughputResult } from './scheduler-bench.js';

const PHASES = ['api', 'scheduler', 'deployment', 'footprint', 'kubelet', 'proxy', 'dns', 'ingress'] as const;
type Phase = (typeof PHASES)[number];
function selectedPhases(): Set<Phase> {
  const arg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? process.env.BENCH_ONLY ?? '';
  const want = arg.split(',').map((s) => s.trim()).filter(Boolean);
  for (const w of want) if (!(PHASES as readonly string[]).includes(w)) throw new Error(`unknown phase ${w} (phases: ${PHASES.join(', ')})`);
  return new Set((want.length ? want : PHASES) as Phase[]);
}
const SCHED_NODES = (process.env.BENCH_SCHED_NODES ?? '100,1000,5000').split(',').map(Number);
const [FP_NODES, FP_PODS, FP_SECONDS] = (process.env.BENCH_FOOTPRINT ?? '5000:50000:30').split(':').map(Number) as [number, number, number];

const CONCURRENCY = 16;
const CREATES = 4_000;
const PODS = 10_000;
const WATCHERS = 100;
const WATCH_WRITES = 200;
const LIST_RUNS = 5;
// Creates before each measured create loop, the same for Skiff and the floor: V8 optimizes a
// function only after many calls, and Skiff has far more code on the create path than the floor, so
// a short warm-up measures the JIT rather than the server (with 200, configmap creates ran at about
// half their steady-state rate).
const WARMUP = 2_000;

const configMap = (i: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { key: `value-${i}` } });
const pod = (i: number) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `pod-${i}`, labels: { app: 'bench' } },
  spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9' }] },
});

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

// What `kubectl get pods` sends (kubectl 1.31): server-side Table, and gzip as Go's transport asks.
const KUBECTL_GET = {
  Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
  'Accept-Encoding': 'gzip',
};

async function timeList(client: Client, path: string, paged: boolean, headers?: Record<string, string>): Promise<{ latency: Summary; items: number }> {
  const samples: number[] = [];
  let items = 0;
  for (let run = 0; run < LIST_RUNS; run++) {
    const t = process.hrtime.bigint();
    items = 0;
    let cont = '';
    do {
      const q = paged ? `?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}` : '';
      const r = await client.mustRequest('GET', path + q, undefined, headers);
      const list = JSON.parse(r.body) as { items?: unknown[]; rows?: unknown[]; metadata: { continue?: string } };
      items += (list.items ?? list.rows ?? []).length;
      cont = paged ? (list.metadata.continue ?? '') : '';
    } while (cont);
    samples.push(msSince(t));
  }
  return { latency: summarize(samples), items };
}

async function runFloor(tlsDir: string): Promise<LoadResult> {
  const port = await freePort();
  const proc = spawn(process.execPath, [join(REPO, 'dist/bench/lib/floor.js'), String(port), tlsDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((ok, fail) => {
    proc.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && ok());
    proc.once('exit', (c) => fail(new Error(`floor server exited ${c}`)));
  });
  const { readFileSync } = await import('node:fs');
  const read = (f: string) => readFileSync(join(tlsDir, f), 'utf8');
  const client = new Client(`https://127.0.0.1:${port}`, { ca: read('ca.crt'), cert: read('admin.crt'), key: read('admin.key') }, CONCURRENCY);
  try {
    await createLoop(client, WARMUP, CONCURRENCY, () => '/api/v1/namespaces/bench/configmaps', (i) => configMap(1_000_000 + i));
    return await createLoop(client, CREATES, CONCURRENCY, () => '/api/v1/namespaces/bench/configmaps', configMap);
  } finally {
    client.close();
    proc.kill('SIGTERM');
    await waitExit(proc, 5_000);
  }
}

interface ControlLoopResults {
  scheduler?: ThroughputResult[];
  deployment?: DeploymentResult;
  controlPlane?: FootprintResult;
}

interface Results {
  startColdMs: number;
  startWith10kPodsMs: number;
  rssIdleMiB: number;
  rssWith10kPodsMiB: number;
  createConfigMaps: LoadResult;
  createPods: LoadResult;
  listAllPods: Summary;
  listPodsPaged500: Summary;
  listPodsTable: Summary;
  listPodsTablePaged500: Summary;
  watch: WatchResult;
  shutdownMs: number;
  floor: LoadResult;
  overheadRatio: number;
}

async function main(): Promise<void> {
  const started = Date.now();
  const phases = selectedPhases();
  const api = phases.has('api') ? await apiBench() : undefined;
  const loops: ControlLoopResults = {};
  if (phases.has('scheduler')) {
    loops.scheduler = [];
    for (const n of SCHED_NODES) {
      log(`scheduler throughput: 10000 pods onto ${n} nodes`);
      loops.scheduler.push(await schedulerThroughput(n));
    }
  }
  if (phases.has('deployment')) {
    log('Deployment of 1000 replicas on 100 nodes');
    loops.deployment = await deploymentAvailability(1000, 100);
  }
  if (phases.has('footprint')) {
    log(`control plane footprint: ${FP_NODES} nodes, ${FP_PODS} pods, ${FP_SECONDS} s steady state`);
    loops.controlPlane = await controlPlaneFootprint(FP_NODES, FP_PODS, FP_SECONDS * 1000);
  }
  let kubelet: KubeletResult | undefined;
  if (phases.has('kubelet')) {
    log('node agent: pod start latency, throughput, RSS');
    kubelet = await kubeletBench(log);
  }
  const net: NetworkResults = {};
  if (phases.has('proxy')) {
    log('service proxy: iptables and nftables sync time for 100, 1000, 5000 services');
    net.proxySync = await proxySyncBench(log);
    log('service proxy: requests/s through a cluster IP vs direct to the pod');
    net.clusterIP = await clusterIPBench(log);
  }
  if (phases.has('dns')) {
    log('cluster DNS: service-name queries/s');
    net.dns = await dnsBench(log);
  }
  if (phases.has('ingress')) {
    log('ingress: requests/s through the ingress vs direct to the backend');
    net.ingress = await ingressBench(log);
  }
  if (api) printTable(api);
  printLoops(loops);
  if (kubelet) printRows(`Skiff node agent, runc on this machine (${cpus().length} CPUs, node ${process.version})`, kubeletRows(kubelet));
  const netRows = networkRows(net);
  if (netRows.length) printRows(`Skiff cluster networking, in throwaway network namespaces (${cpus().length} CPUs, node ${process.version})`, netRows);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = join(REPO, 'bench/results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${stamp}.json`);
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGiB: totalmem() / 2 ** 30, node: process.version, platform: process.platform };
  const results = { ...(api ?? {}), ...loops, ...(kubelet ? { kubelet } : {}), ...net };
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, phases: [...phases], durationS: (Date.now() - started) / 1000, results }, null, 2) + '\n');
  log(`results written to ${file} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

interface NetworkResults {
  proxySync?: ProxySyncResult[];
  clusterIP?: ClusterIPBenchResult;
  dns?: DnsBenchResult;
  ingress?: IngressBenchResult;
}

function networkRows(r: NetworkResults): Array<[string, string]> {
  const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const rows: Array<[string, string]> = [];
  for (const s of r.proxySync ?? []) {
    rows.push([`proxy: ${s.mode ?? 'iptables'} sync, ${s.services} services × 2 endpoints (${s.ruleLines} ${s.mode === 'nftables' ? 'rules + map elements' : 'nat rules'})`, `${f(s.syncMs, 0)} ms full · ${f(s.changeSyncMs, 0)} ms after one endpoint change`]);
  }
  const c = r.clusterIP;
  if (c) {
    const path = (p: ClusterIPBenchResult['direct']) => `${f(p.rps, 0)} req/s · p50 ${f(p.p50Ms, 2)} ms · p99 ${f(p.p99Ms, 2)} ms`;
    rows.push([`pod → pod IP direct (${c.concurrency} keep-alive connections, best of ${c.rounds.direct.length} × 3 s)`, path(c.direct)]);
    rows.push([`pod → cluster IP → pod (iptables DNAT, ${c.endpoints} endpoint)`, path(c.clusterIP)]);
    rows.push(['ratio cluster IP ÷ direct (req/s)', `${f(c.ratio, 2)}×`]);
  }
  if (r.dns) rows.push(['cluster DNS: service-name A queries (UDP, 1,000 services)', `${f(r.dns.queriesPerSec, 0)} queries/s · p50 ${f(r.dns.p50Ms, 2)} ms · p99 ${f(r.dns.p99Ms, 2)} ms`]);
  const i = r.ingress;
  if (i) {
    rows.push([`ingress: through the ingress (${INGRESS_CONCURRENCY} keep-alive connections)`, `${f(i.ingressRps, 0)} req/s · p99 ${f(i.p99Ms, 2)} ms`]);
    rows.push(['ingress: same load direct to the backend', `${f(i.directRps, 0)} req/s`]);
    rows.push(['ratio ingress ÷ direct (req/s)', `${f(i.ratio, 2)}×`]);
  }
  return rows;
}

function printRows(title: string, rows: Array<[string, string]>): void {
  const w = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\n${title}\n`);
  process.stdout.write(`${'-'.repeat(w + 50)}\n`);
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
  process.stdout.write('\n');
}

function printLoops(r: ControlLoopResults): void {
  const rows: Array<[string, string]> = [];
  for (const s of r.scheduler ?? []) {
    rows.push([`scheduler: ${s.pods} pods onto ${s.nodes} nodes`, `${s.podsPerSecond.toFixed(0)} pods/s (${s.seconds.toFixed(1)} s; nodes registered in ${(s.registerNodesMs / 1000).toFixed(1)} s)`]);
  }
  if (r.deployment) rows.push([`Deployment of ${r.deployment.replicas} replicas (${r.deployment.nodes} nodes) → available`, `${r.deployment.secondsToAvailable.toFixed(1)} s`]);
  const f = r.controlPlane;
  if (f) {
    rows.push([`control plane: ${f.nodes} nodes + ${f.pods} pods → all Running`, `${f.secondsToAllRunning.toFixed(1)} s (nodes registered in ${(f.registerNodesMs / 1000).toFixed(1)} s)`]);
    rows.push([`control plane RSS (${f.nodes} nodes, ${f.pods} pods)`, `${f.rssMiB.toFixed(0)} MiB (V8 heap used ${f.heapUsedMiB.toFixed(0)} MiB)`]);
    rows.push([`control plane CPU, steady state (${f.steadyWindowS.toFixed(0)} s)`, `${f.cpuPercent.toFixed(1)} % of one core`]);
  }
  if (rows.length === 0) return;
  const w = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\nSkiff control loops, in-process cluster with simulated nodes (${cpus().length} CPUs, node ${process.version})\n`);
  process.stdout.write(`${'-'.repeat(w + 50)}\n`);
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
  process.stdout.write('\n');
}

async function apiBench(): Promise<Results> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-bench-'));
  try {
    log(`data dir ${dataDir}`);
    let skiff = await startSkiff(dataDir, await freePort());
    const startColdMs = skiff.startMs;
    log(`ready in ${startColdMs.toFixed(0)} ms (fresh data dir)`);
    await sleep(1000);
    const rssIdleMiB = rssMiB(skiff.proc.pid!);
    let client = new Client(skiff.url, skiff.creds, CONCURRENCY);
    for (const ns of ['bench', 'bench-watch']) {
      await client.mustRequest('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    }

    log(`${CREATES} configmap creates, ${CONCURRENCY} clients`);
    await createLoop(client, WARMUP, CONCURRENCY, () => '/api/v1/namespaces/bench/configmaps', (i) => configMap(1_000_000 + i));
    const createConfigMaps = await createLoop(client, CREATES, CONCURRENCY, () => '/api/v1/namespaces/bench/configmaps', configMap);

    log(`${PODS} pod creates`);
    const createPods = await createLoop(client, PODS, CONCURRENCY, () => '/api/v1/namespaces/bench/pods', pod);
    await sleep(1000);
    const rssWith10kPodsMiB = rssMiB(skiff.proc.pid!);

    log('listing pods');
    const all = await timeList(client, '/api/v1/namespaces/bench/pods', false);
    const paged = await timeList(client, '/api/v1/namespaces/bench/pods', true);
    const table = await timeList(client, '/api/v1/namespaces/bench/pods', false, KUBECTL_GET);
    const tablePaged = await timeList(client, '/api/v1/namespaces/bench/pods', true, KUBECTL_GET);
    for (const n of [all.items, paged.items, table.items, tablePaged.items]) if (n !== PODS) log(`warning: listed ${n} pods, expected ${PODS}`);

    log(`watch fan-out: ${WATCHERS} watchers × ${WATCH_WRITES} writes`);
    const watcherClient = new Client(skiff.url, skiff.creds, WATCHERS + 10);
    const watch = await watchFanout(client, watcherClient, 'bench-watch', WATCHERS, WATCH_WRITES);
    watcherClient.close();
    client.close();

    const stopped = await skiff.stop();
    log(`stopped in ${stopped.ms.toFixed(0)} ms (exit ${stopped.code}); restarting with ${PODS} pods stored`);
    skiff = await startSkiff(dataDir, await freePort());
    const startWith10kPodsMs = skiff.startMs;
    await skiff.stop();

    log('floor: minimal HTTPS server');
    const floor = await runFloor(join(dataDir, 'tls'));

    const results: Results = {
      startColdMs,
      startWith10kPodsMs,
      rssIdleMiB,
      rssWith10kPodsMiB,
      createConfigMaps,
      createPods,
      listAllPods: all.latency,
      listPodsPaged500: paged.latency,
      listPodsTable: table.latency,
      listPodsTablePaged500: tablePaged.latency,
      watch,
      shutdownMs: stopped.ms,
      floor,
      overheadRatio: floor.perSecond / createConfigMaps.perSecond,
    };
    return results;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function printTable(r: Results): void {
  const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const lat = (s: Summary) => `p50 ${f(s.p50)} ms · p99 ${f(s.p99)} ms`;
  const rows: Array<[string, string]> = [
    ['server start → /readyz (fresh data dir)', `${f(r.startColdMs, 0)} ms`],
    [`server start → /readyz (${PODS} pods stored)`, `${f(r.startWith10kPodsMs, 0)} ms`],
    [`create configmaps (${CREATES}, ${CONCURRENCY} clients)`, `${f(r.createConfigMaps.perSecond, 0)} obj/s · ${lat(r.createConfigMaps.latency)}`],
    [`create pods (${PODS}, ${CONCURRENCY} clients)`, `${f(r.createPods.perSecond, 0)} obj/s · ${lat(r.createPods.latency)}`],
    [`list ${PODS} pods (one request)`, lat(r.listAllPods)],
    [`list ${PODS} pods (pages of 500)`, lat(r.listPodsPaged500)],
    [`list ${PODS} pods as Table, gzip (kubectl get)`, lat(r.listPodsTable)],
    [`list ${PODS} pods as Table, gzip (pages of 500)`, lat(r.listPodsTablePaged500)],
    [
      `watch delivery (${r.watch.watchers} watchers × ${r.watch.writes} writes)`,
      `${lat(r.watch.latency)} · ${r.watch.delivered}/${r.watch.watchers * r.watch.writes} delivered`,
    ],
    ['RSS idle', `${f(r.rssIdleMiB)} MiB`],
    [`RSS with ${PODS} pods`, `${f(r.rssWith10kPodsMiB)} MiB`],
    ['shutdown on SIGTERM', `${f(r.shutdownMs, 0)} ms`],
    [`floor: minimal HTTPS create (${CREATES}, ${CONCURRENCY} clients)`, `${f(r.floor.perSecond, 0)} obj/s · ${lat(r.floor.latency)}`],
    ['overhead ratio (floor obj/s ÷ skiff obj/s)', `${f(r.overheadRatio, 2)}×`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\nSkiff benchmark (${cpus().length} CPUs, node ${process.version})\n`);
  process.stdout.write(`${'-'.repeat(w + 50)}\n`);
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
  process.stdout.write('\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
