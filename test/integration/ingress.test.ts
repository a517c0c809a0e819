// Integration: the built-in ingress controller against a real in-process API server. Backend HTTP
// servers on 127.0.0.2–127.0.0.4 (one port) stand in for pods: Services and EndpointSlices are
// created by hand pointing at them (no pods, no endpoint controllers). Checked with node's http/https
// clients and `ws`: host and path routing, round-robin, 404/502/503, X-Forwarded-*, certificates by
// SNI (exact, wildcard, default), WebSocket echo over ws:// and wss://, status written, changes
// applied live, IngressClass created as default, another class ignored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { WebSocket, WebSocketServer } from 'ws';
import type { Secret, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Ingress, IngressClass } from 'kubernetes-types/networking/v1.js';
import { startTestServer, type TestServer } from './harness.js';
import { eventually } from './cluster.js';
import { KubeClient, type ResourceRef } from '../../src/client/http-client.js';
import { InformerFactory } from '../../src/client/informer-factory.js';
import { createCa, createLeaf, type KeyPairPem } from '../../src/apiserver/pki/index.js';
import { startIngressController, INGRESS_CONTROLLER_NAME, type RunningIngress } from '../../src/ingress/index.js';

const NS = 'default';
const ref = (group: string, resource: string, name?: string, namespace: string | undefined = NS): ResourceRef => ({ group, version: 'v1', resource, namespace, name });
const SERVICES = ref('', 'services');
const SLICES = { ...ref('discovery.k8s.io', 'endpointslices') };
const SECRETS = ref('', 'secrets');
const INGRESSES = ref('networking.k8s.io', 'ingresses');

let ts: TestServer;
let client: KubeClient;
let informers: InformerFactory;
let ingress: RunningIngress;
let ca: KeyPairPem;
const backends: http.Server[] = [];
const wsServers: WebSocketServer[] = [];
let backendPort = 0;

interface Echo {
  ip: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A backend on `ip:port` answering JSON about the request it saw, and echoing WebSocket messages. */
function startBackend(ip: string, port: number): Promise<http.Server> {
  const s = http.createServer((req, res) => {
    const body = JSON.stringify({ ip, url: req.url ?? '', headers: req.headers } satisfies Echo);
    res.writeHead(200, { 'content-type': 'application/json', 'x-backend': ip });
    res.end(body);
  });
  const wss = new WebSocketServer({ server: s });
  wss.on('connection', (sock) => sock.on('message', (m) => sock.send(`${ip}:${String(m)}`)));
  wsServers.push(wss);
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(port, ip, () => resolve(s));
  });
}

const service = (name: string, port: { name?: string; port: number }): Service => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ ...port, protocol: 'TCP', targetPort: 'web' }] },
});
const slice = (svc: string, portName: string, eps: Array<[string, boolean]>, port = backendPort): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `${svc}-abc`, labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  ports: [{ name: portName, port, protocol: 'TCP' }],
  endpoints: eps.map(([ip, ready]) => ({ addresses: [ip], conditions: { ready } })),
});
const b64 = (s: string) => Buffer.from(s).toString('base64');
const tlsSecret = (name: string, kp: KeyPairPem): Secret => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(kp.cert), 'tls.key': b64(kp.key) },
});
const svcBackend = (name: string, port: { number?: number; name?: string }) => ({ service: { name, port } });

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  echo?: Echo;
  certCN?: string;
}

/** One request through the ingress: plain HTTP, or HTTPS with SNI = host and the test CA trusted. */
function get(host: string, path: string, opts: { tls?: boolean; headers?: Record<string, string>; servername?: string } = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const common = { host: '127.0.0.1', path, headers: { host, ...opts.headers }, agent: false as const };
    const onRes = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      const cert = opts.tls ? (res.socket as TLSSocket).getPeerCertificate() : undefined;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let echo: Echo | undefined;
        if (res.headers['x-backend']) echo = JSON.parse(text) as Echo;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, echo, certCN: cert ? String(cert.subject?.CN) : undefined });
      });
    };
    const r = opts.tls
      ? https.request({ ...common, port: ingress.httpsPort, servername: opts.servername ?? host, ca: ca.cert, rejectUnauthorized: false }, onRes)
      : http.request({ ...common, port: ingress.httpPort }, onRes);
    r.on('error', reject);
    r.end();
  });
}

function wsEcho(url: string, host: string, msg: string, tlsOpts: { servername?: string; ca?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { host }, ...tlsOpts });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('websocket echo timed out'));
    }, 5000);
    ws.on('open', () => ws.send(msg));
    ws.on('message', (m) => {
      clearTimeout(timer);
      ws.close();
      resolve(String(m));
    });
    ws.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

let aCert: KeyPairPem;
let wildCert: KeyPairPem;

before(async () => {
  ts = await startTestServer();
  client = new KubeClient({ server: ts.server.url, ca: ts.certs.ca.cert, cert: ts.certs.client.cert, key: ts.certs.client.key });
  // Backends on the same free port of three loopback addresses (retry if another process holds it).
  for (let attempt = 0; backends.length < 3 && attempt < 10; attempt++) {
    for (const s of backends.splice(0)) s.close();
    try {
      const first = await startBackend('127.0.0.2', 0);
      backends.push(first);
      backendPort = (first.address() as AddressInfo).port;
      backends.push(await startBackend('127.0.0.3', backendPort));
      backends.push(await startBackend('127.0.0.4', backendPort));
    } catch {
      /* port taken on one of the addresses: next attempt */
    }
  }
  assert.equal(backends.length, 3, 'backend servers started');

  ca = await createCa('ingress-test-ca', 1);
  aCert = await createLeaf(ca, { commonName: 'a.test', hosts: ['a.test'], usage: 'server', validDays: 1 });
  wildCert = await createLeaf(ca, { commonName: '*.wild.test', hosts: ['*.wild.test'], usage: 'server', validDays: 1 });

  informers = new InformerFactory(client);
  ingress = await startIngressController(client, informers, {
    httpListen: { address: '127.0.0.1', port: 0 },
    httpsListen: { address: '127.0.0.1', port: 0 },
    statusAddresses: ['127.0.0.1'],
  });

  // Objects are created after the controller is up: everything below reaches it through informers.
  await client.create(SERVICES, service('web', { name: 'http', port: 80 }));
  await client.create(SLICES, slice('web', 'http', [['127.0.0.2', true], ['127.0.0.3', true]]));
  await client.create(SERVICES, service('api', { port: 8080 }));
  await client.create(SLICES, slice('api', '', [['127.0.0.4', true]]));
  await client.create(SERVICES, service('down', { port: 80 }));
  await client.create(SLICES, slice('down', '', [['127.0.0.2', false]]));
  await client.create(SERVICES, service('dead', { port: 80 }));
  // 127.0.0.5: nothing listens there, so connecting fails at once (502).
  await client.create(SLICES, slice('dead', '', [['127.0.0.5', true]]));
  await client.create(SERVICES, service('flaky', { port: 80 }));
  await client.create(SLICES, slice('flaky', '', [['127.0.0.2', true], ['127.0.0.5', true]]));
  await client.create(SECRETS, tlsSecret('a-tls', aCert));
  await client.create(SECRETS, tlsSecret('wild-tls', wildCert));
  await client.create<Ingress>(INGRESSES, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'main' },
    spec: {
      ingressClassName: 'skiff',
      tls: [{ hosts: ['a.test'], secretName: 'a-tls' }, { hosts: ['*.wild.test'], secretName: 'wild-tls' }],
      rules: [
        {
          host: 'a.test',
          http: {
            paths: [
              { path: '/web', pathType: 'Prefix', backend: svcBackend('web', { name: 'http' }) },
              { path: '/api', pathType: 'Prefix', backend: svcBackend('api', { number: 8080 }) },
              { path: '/dead', pathType: 'Exact', backend: svcBackend('dead', { number: 80 }) },
              { path: '/flaky', pathType: 'Exact', backend: svcBackend('flaky', { number: 80 }) },
            ],
          },
        },
        { host: '*.wild.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svcBackend('web', { number: 80 }) }] } },
        { host: 'down.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svcBackend('down', { number: 80 }) }] } },
      ],
    },
  });
  await client.create<Ingress>(INGRESSES, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'other-class' },
    spec: { ingressClassName: 'nginx', rules: [{ host: 'other.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svcBackend('web', { number: 80 }) }] } }] },
  });
  await client.create<Ingress>(INGRESSES, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'classless' },
    spec: { rules: [{ host: 'classless.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svcBackend('api', { number: 8080 }) }] } }] },
  });
  await eventually(async () => (await get('a.test', '/api')).status === 200, 'routes in place');
});

after(async () => {
  await ingress?.stop();
  informers?.stop();
  for (const w of wsServers) w.close();
  await Promise.all(backends.map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));
  client?.close();
  await ts?.close();
});

test('routes by host and path; 404 for unknown hosts and paths; other classes ignored', async () => {
  const api = await get('a.test', '/api/v1?x=1');
  assert.equal(api.status, 200);
  assert.equal(api.echo?.ip, '127.0.0.4');
  assert.equal(api.echo?.url, '/api/v1?x=1', 'path and query forwarded unchanged');
  assert.match((await get('a.test', '/web/page')).echo?.ip ?? '', /^127\.0\.0\.[23]$/);
  assert.match((await get('www.wild.test:8080', '/anything')).echo?.ip ?? '', /^127\.0\.0\.[23]$/);
  assert.equal((await get('a.test', '/webx')).status, 404, 'Prefix /web does not match /webx');
  assert.equal((await get('deep.www.wild.test', '/')).status, 404, 'wildcard covers one label');
  assert.equal((await get('nowhere.test', '/')).status, 404);
  assert.equal((await get('other.test', '/')).status, 404, 'Ingress of class nginx ignored');
  // The controller created IngressClass skiff as the default class, so the class-less Ingress is ours.
  const cls = await client.get<IngressClass>({ group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses', name: 'skiff' });
  assert.equal(cls.spec?.controller, INGRESS_CONTROLLER_NAME);
  assert.equal((await get('classless.test', '/')).echo?.ip, '127.0.0.4');
});

test('round-robin across the two ready endpoints', async () => {
  const ips: string[] = [];
  for (let i = 0; i < 6; i++) ips.push((await get('a.test', '/web')).echo?.ip ?? '?');
  assert.deepEqual(new Set(ips), new Set(['127.0.0.2', '127.0.0.3']));
  for (let i = 1; i < ips.length; i++) assert.notEqual(ips[i], ips[i - 1], `strict alternation: ${ips.join(' ')}`);
});

test('503 without ready endpoints; 502 when the endpoint refuses, after retrying other endpoints', async () => {
  const down = await get('down.test', '/');
  assert.equal(down.status, 503);
  assert.match(down.text, /no ready endpoints/);
  assert.equal((await get('a.test', '/dead')).status, 502);
  // One of two endpoints refuses: requests without a body are retried on the other one.
  for (let i = 0; i < 4; i++) assert.equal((await get('a.test', '/flaky')).echo?.ip, '127.0.0.2');
});

test('X-Forwarded-* headers set, Host kept', async () => {
  const r = await get('a.test:8443', '/api', { headers: { 'x-forwarded-for': '203.0.113.9' } });
  const h = r.echo!.headers;
  assert.equal(h.host, 'a.test:8443');
  assert.equal(h['x-forwarded-for'], '203.0.113.9, 127.0.0.1');
  assert.equal(h['x-forwarded-proto'], 'http');
  assert.equal(h['x-forwarded-host'], 'a.test:8443');
  assert.equal(h['x-forwarded-port'], String(ingress.httpPort));
  const s = await get('a.test', '/api', { tls: true });
  assert.equal(s.echo!.headers['x-forwarded-proto'], 'https');
  assert.equal(s.echo!.headers['x-forwarded-for'], '127.0.0.1');
  assert.equal(s.echo!.headers['x-forwarded-port'], String(ingress.httpsPort));
});

test('TLS certificate chosen by SNI: exact, wildcard, default', async () => {
  const a = await get('a.test', '/api', { tls: true });
  assert.equal(a.status, 200);
  assert.equal(a.certCN, 'a.test');
  assert.equal((await get('x.wild.test', '/', { tls: true })).certCN, '*.wild.test');
  const other = await get('classless.test', '/', { tls: true });
  assert.equal(other.status, 200);
  assert.match(other.certCN ?? '', /Fake Certificate/);
  // The Secret's certificate verifies against its CA with the host name checked.
  const verified = await new Promise<number>((resolve, reject) => {
    https.get({ host: '127.0.0.1', port: ingress.httpsPort, path: '/api', servername: 'a.test', headers: { host: 'a.test' }, ca: ca.cert, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
  assert.equal(verified, 200);
});

test('WebSocket upgrade proxied over ws:// and wss://', async () => {
  assert.equal(await wsEcho(`ws://127.0.0.1:${ingress.httpPort}/api/ws`, 'a.test', 'hello'), '127.0.0.4:hello');
  assert.equal(await wsEcho(`wss://127.0.0.1:${ingress.httpsPort}/api/ws`, 'a.test', 'secure', { servername: 'a.test', ca: ca.cert }), '127.0.0.4:secure');
  await assert.rejects(wsEcho(`ws://127.0.0.1:${ingress.httpPort}/`, 'nowhere.test', 'x'), /404/);
});

test('status.loadBalancer written on handled Ingresses only', async () => {
  for (const name of ['main', 'classless']) {
    const ing = await eventually(async () => {
      const i = await client.get<Ingress>({ ...INGRESSES, name });
      return i.status?.loadBalancer?.ingress?.length ? i : undefined;
    }, `status of ${name}`);
    assert.deepEqual(ing.status?.loadBalancer?.ingress, [{ ip: '127.0.0.1' }]);
  }
  const other = await client.get<Ingress>({ ...INGRESSES, name: 'other-class' });
  assert.equal(other.status?.loadBalancer?.ingress, undefined);
  // Written only when it differs: the controller's own write does not start a write loop.
  const rv = (await client.get<Ingress>({ ...INGRESSES, name: 'main' })).metadata?.resourceVersion;
  await new Promise((r) => setTimeout(r, 400));
  assert.equal((await client.get<Ingress>({ ...INGRESSES, name: 'main' })).metadata?.resourceVersion, rv);
});

test('changes apply live: endpoint readiness, Ingress rules, Secrets', async () => {
  // 127.0.0.3 becomes not ready → only 127.0.0.2 serves.
  const cur = await client.get<EndpointSlice>({ ...SLICES, name: 'web-abc' });
  await client.update<EndpointSlice>({ ...SLICES, name: 'web-abc' }, { ...cur, endpoints: [{ addresses: ['127.0.0.2'], conditions: { ready: true } }, { addresses: ['127.0.0.3'], conditions: { ready: false } }] });
  await eventually(async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) seen.add((await get('a.test', '/web')).echo?.ip ?? '?');
    return seen.size === 1 && seen.has('127.0.0.2');
  }, 'only 127.0.0.2 serves /web');
  // The other-class Ingress switches to skiff → served and given a status.
  await client.patch({ ...INGRESSES, name: 'other-class' }, { spec: { ingressClassName: 'skiff' } }, 'merge');
  await eventually(async () => (await get('other.test', '/')).status === 200, 'other.test routed after class change');
  await eventually(async () => (await client.get<Ingress>({ ...INGRESSES, name: 'other-class' })).status?.loadBalancer?.ingress?.[0]?.ip === '127.0.0.1', 'status after class change');
  // The TLS Secret of a.test replaced by another certificate → served on new connections.
  const renewed = await createLeaf(ca, { commonName: 'a.test renewed', hosts: ['a.test'], usage: 'server', validDays: 1 });
  await client.update<Secret>({ ...SECRETS, name: 'a-tls' }, tlsSecret('a-tls', renewed));
  await eventually(async () => (await get('a.test', '/api', { tls: true })).certCN === 'a.test renewed', 'renewed certificate served');
});
