// DNS benchmark: queries/s and latency of service-name A queries over UDP against the cluster DNS
// server with 1,000 Services loaded. The Services come from a fake list/watch source (no API server:
// this measures the DNS path, not informers). The server runs on the main thread; the load runs in a
// worker thread so client and server do not share one event loop: 8 concurrent clients, each with its
// own UDP socket and one query in flight, 2,000 warm-up queries then 20,000 measured.
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import dnsPacket from 'dns-packet';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { ListerWatcher } from '../src/client/informer.js';
import { InformerFactory } from '../src/client/informer-factory.js';
import { startClusterDNS } from '../src/dns/index.js';
import { summarize } from './lib/stats.js';

export interface DnsBenchResult {
  queriesPerSec: number;
  p99Ms: number;
  p50Ms: number;
}

const SERVICES = 1_000;
const CLIENTS = 8;
const WARMUP = 2_000;
const QUERIES = 20_000;

interface LoadJob {
  dnsBench: true;
  port: number;
  names: string[];
  clients: number;
  warmup: number;
  queries: number;
}
interface LoadResult {
  latenciesMs: number[];
  elapsedMs: number;
  errors: number;
}

/** A list/watch source holding `n` ClusterIP Services in 10 namespaces, and no EndpointSlices. */
function fakeSource(n: number): ListerWatcher {
  const services: Service[] = Array.from({ length: n }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `svc-${i}`, namespace: `ns-${i % 10}`, resourceVersion: '1' },
    spec: { clusterIP: `10.43.${(i >> 8) & 255}.${i & 255}`, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  }));
  return {
    list: (async (r: { resource: string }) => ({ metadata: { resourceVersion: '1' }, items: r.resource === 'services' ? structuredClone(services) : [] })) as unknown as ListerWatcher['list'],
    watch: (() => ({ abort() {}, done: new Promise<void>(() => {}) })) as unknown as ListerWatcher['watch'],
  };
}

export async function dnsBench(log: (msg: string) => void): Promise<DnsBenchResult> {
  const informers = new InformerFactory(fakeSource(SERVICES));
  const dns = await startClusterDNS(informers, { listen: [{ address: '127.0.0.1', port: 0 }], clusterDomain: 'cluster.local', upstreams: [] });
  try {
    informers.start();
    await informers.waitForSync();
    await new Promise((r) => setImmediate(r)); // the index is filled on the next macrotask
    log(`dns: ${dns.index.size} services loaded; ${WARMUP} warm-up + ${QUERIES} A queries from ${CLIENTS} UDP clients`);
    const names = Array.from({ length: SERVICES }, (_, i) => `svc-${i}.ns-${i % 10}.svc.cluster.local`);
    const job: LoadJob = { dnsBench: true, port: dns.addresses[0]!.port, names, clients: CLIENTS, warmup: WARMUP, queries: QUERIES };
    const res = await new Promise<LoadResult>((resolve, reject) => {
      const w = new Worker(fileURLToPath(import.meta.url), { workerData: job });
      w.once('message', resolve);
      w.once('error', reject);
    });
    const s = summarize(res.latenciesMs);
    const out = { queriesPerSec: Math.round((res.latenciesMs.length / res.elapsedMs) * 1000), p50Ms: round(s.p50), p99Ms: round(s.p99) };
    log(`dns: ${out.queriesPerSec} queries/s, p50 ${out.p50Ms} ms, p99 ${out.p99Ms} ms, ${res.errors} errors`);
    return out;
  } finally {
    await dns.stop();
    informers.stop();
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The worker side: `clients` sockets, each looping query → reply; latencies of the measured part. */
async function runLoad(job: LoadJob): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let errors = 0;
  let issued = 0;
  const total = job.warmup + job.queries;
  let measureStart = 0n;
  const client = async () => {
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    let pending: ((m: Buffer | undefined) => void) | undefined;
    sock.on('message', (m) => pending?.(m));
    for (let id = 1; issued < total; id = (id + 1) & 0xffff) {
      const n = issued++;
      if (n === job.warmup) measureStart = process.hrtime.bigint();
      const q = dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: job.names[n % job.names.length]!, type: 'A', class: 'IN' }] });
      const t0 = process.hrtime.bigint();
      const reply = await new Promise<Buffer | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), 1000);
        pending = (m) => {
          clearTimeout(timer);
          resolve(m);
        };
        sock.send(q, job.port, '127.0.0.1');
      });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (!reply || reply.readUInt16BE(0) !== id || (reply.readUInt16BE(6) === 0)) errors++;
      else if (n >= job.warmup) latenciesMs.push(ms);
    }
    sock.close();
  };
  await Promise.all(Array.from({ length: job.clients }, client));
  return { latenciesMs, elapsedMs: Number(process.hrtime.bigint() - measureStart) / 1e6, errors };
}

if (!isMainThread && (workerData as Partial<LoadJob> | undefined)?.dnsBench) {
  void runLoad(workerData as LoadJob).then((r) => parentPort!.postMessage(r));
}
