// The ingress benchmark: requests/s and p99 latency through Skiff's ingress controller beside the
// same requests sent straight to the backend (the ratio is the figure). An in-process API server
// (test harness) holds a Service, a hand-made EndpointSlice pointing at the backend on 127.0.0.1, and
// an Ingress routing host bench.test to it. The backend and the load generator each run in a worker
// thread of their own, so neither shares an event loop with the ingress: in the direct run the same
// load worker talks to the backend, in the ingress run it talks to the ingress's HTTP port. Closed
// loop, 32 keep-alive connections, 0.5 s warm-up then 3 s measured per run. Loopback only; the run
// stops by itself.
import http from 'node:http';
import { Worker } from 'node:worker_threads';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Ingress } from 'kubernetes-types/networking/v1.js';
import { startTestServer } from '../test/integration/harness.js';
import { KubeClient } from '../src/client/http-client.js';
import { InformerFactory } from '../src/client/informer-factory.js';
import { startIngressController } from '../src/ingress/index.js';

export const CONCURRENCY = 32;
export const WARMUP_MS = 500;
export const MEASURE_MS = 3000;

export interface IngressBenchResult {
  ingressRps: number;
  directRps: number;
  /** ingressRps ÷ directRps. */
  ratio: number;
  /** p99 latency through the ingress, ms. */
  p99Ms: number;
}

type Log = (msg: string) => void;

// CommonJS source for eval'd workers (they cannot be ES modules).
const BACKEND = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
const s = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 3 }); res.end('ok\\n'); });
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => parentPort.postMessage(s.address().port));
parentPort.on('message', () => s.close(() => process.exit(0)));
`;

const LOAD = `
const http = require('node:http');
const { parentPort, workerData: w } = require('node:worker_threads');
const agent = new http.Agent({ keepAlive: true, maxSockets: w.concurrency });
const once = () => new Promise((resolve) => {
  const r = http.request({ host: '127.0.0.1', port: w.port, path: '/', headers: { host: w.host }, agent }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode === 200));
  });
  r.on('error', () => resolve(false));
  r.end();
});
async function run(ms, record) {
  const end = Date.now() + ms;
  const lat = [];
  let errors = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: w.concurrency }, async () => {
    while (Date.now() < end) {
      const t = process.hrtime.bigint();
      const ok = await once();
      if (record) lat.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (!ok) errors++;
    }
  }));
  return { lat, errors, wallMs: Number(process.hrtime.bigint() - t0) / 1e6 };
}
(async () => {
  await run(w.warmupMs, false);
  const r = await run(w.measureMs, true);
  agent.destroy();
  r.lat.sort((a, b) => a - b);
  const p99 = r.lat.length ? r.lat[Math.min(r.lat.length, Math.ceil(0.99 * r.lat.length)) - 1] : NaN;
  parentPort.postMessage({ count: r.lat.length, errors: r.errors, wallMs: r.wallMs, p99 });
})();
`;

interface LoadResult {
  count: number;
  errors: number;
  wallMs: number;
  p99: number;
}

function load(port: number, host: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(LOAD, { eval: true, workerData: { port, host, concurrency: CONCURRENCY, warmupMs: WARMUP_MS, measureMs: MEASURE_MS } });
    w.once('message', (m: LoadResult) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

export async function ingressBench(log: Log): Promise<IngressBenchResult> {
  const backend = new Worker(BACKEND, { eval: true });
  const backendPort = await new Promise<number>((resolve, reject) => {
    backend.once('message', resolve);
    backend.once('error', reject);
  });
  const ts = await startTestServer();
  const client = new KubeClient({ server: ts.server.url, ca: ts.certs.ca.cert, cert: ts.certs.client.cert, key: ts.certs.client.key });
  const informers = new InformerFactory(client);
  const ingress = await startIngressController(client, informers, {
    httpListen: { address: '127.0.0.1', port: 0 },
    httpsListen: { address: '127.0.0.1', port: 0 },
    statusAddresses: ['127.0.0.1'],
  });
  try {
    const ns = { namespace: 'default' };
    await client.create<Service>({ group: '', version: 'v1', resource: 'services', ...ns }, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bench' }, spec: { ports: [{ name: 'http', port: 80, targetPort: backendPort }] } });
    await client.create<EndpointSlice>({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', ...ns }, {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'bench-1', labels: { 'kubernetes.io/service-name': 'bench' } },
      addressType: 'IPv4', ports: [{ name: 'http', port: backendPort, protocol: 'TCP' }], endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
    });
    await client.create<Ingress>({ group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', ...ns }, {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'bench' },
      spec: { ingressClassName: 'skiff', rules: [{ host: 'bench.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'bench', port: { name: 'http' } } } }] } }] },
    });
    // Wait until the route answers 200 through the ingress (informer delivery).
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = await new Promise<number>((resolve) => {
        http.get({ host: '127.0.0.1', port: ingress.httpPort, path: '/', headers: { host: 'bench.test' }, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', () => resolve(0));
      });
      if (probe === 200) break;
      if (Date.now() > deadline) throw new Error(`ingress route not ready (last status ${probe})`);
      await new Promise((r) => setTimeout(r, 50));
    }
    log(`ingress bench: direct to backend, ${CONCURRENCY} keep-alive connections, ${MEASURE_MS / 1000} s`);
    const direct = await load(backendPort, 'bench.test');
    log(`ingress bench: through the ingress, ${CONCURRENCY} keep-alive connections, ${MEASURE_MS / 1000} s`);
    const via = await load(ingress.httpPort, 'bench.test');
    if (direct.errors || via.errors) log(`ingress bench: errors direct=${direct.errors} ingress=${via.errors}`);
    const directRps = (direct.count / direct.wallMs) * 1000;
    const ingressRps = (via.count / via.wallMs) * 1000;
    return { ingressRps, directRps, ratio: ingressRps / directRps, p99Ms: via.p99 };
  } finally {
    await ingress.stop();
    informers.stop();
    client.close();
    await ts.close();
    backend.postMessage('stop');
    await backend.terminate();
  }
}

// `node dist/bench/ingress-bench.js` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  ingressBench((m) => process.stderr.write(m + '\n')).then(
    (r) => console.log(JSON.stringify(r)),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
