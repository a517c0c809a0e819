// Integration: cluster DNS against a real API server on a temp dir. Services (ClusterIP with named
// ports, headless with hand-made EndpointSlices incl. StatefulSet-style hostnames, ExternalName) are
// created through the API; startClusterDNS serves them on 127.0.0.1 (UDP and TCP, port 0) and forwards
// other names to a tiny dns-packet upstream the test runs on 127.0.0.1 (example.test A 127.0.0.9).
// Queried with dns-packet over UDP and TCP, and with busybox nslookup when present. Updates: a new
// endpoint appears, a deleted Service becomes NXDOMAIN.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect, createServer } from 'node:net';
import { execFile } from 'node:child_process';
import dnsPacket from 'dns-packet';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { KubeClient } from '../../src/client/index.js';
import { InformerFactory } from '../../src/client/informer-factory.js';
import { startClusterDNS, type RunningDNS } from '../../src/dns/index.js';
import { startTestServer, type TestServer } from './harness.js';
import { eventually, ref } from './cluster.js';

let ts: TestServer;
let client: KubeClient;
let informers: InformerFactory;
let dns: RunningDNS;
let upstream: Awaited<ReturnType<typeof startUpstream>>;
let port = 0;
const NS = 'default';
const services = ref('', 'v1', 'services', NS);
const slices = ref('discovery.k8s.io', 'v1', 'endpointslices', NS);

type Reply = ReturnType<typeof dnsPacket.decode> & { rcode: string };

/** The test's upstream resolver on 127.0.0.1, UDP and TCP on one port: example.test A 127.0.0.9, else NXDOMAIN. */
async function startUpstream(): Promise<{ port: number; transports: string[]; close(): void }> {
  const transports: string[] = [];
  const reply = (msg: Buffer) => {
    const q = dnsPacket.decode(msg);
    const question = q.questions![0]!;
    const known = question.name.toLowerCase() === 'example.test';
    const answers = known && question.type === 'A' ? [{ name: question.name, type: 'A' as const, ttl: 30, data: '127.0.0.9' }] : [];
    return { type: 'response' as const, id: q.id, flags: dnsPacket.RECURSION_AVAILABLE | (known ? 0 : 3), questions: q.questions, answers };
  };
  // UDP picks a free port; TCP must take the same number, which a loopback client connection of
  // another process may hold, so try again with a new port then.
  for (let attempt = 0; ; attempt++) {
    const udp = createSocket('udp4');
    udp.on('message', (msg, rinfo) => {
      transports.push('udp');
      udp.send(dnsPacket.encode(reply(msg)), rinfo.port, rinfo.address);
    });
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    const port = udp.address().port;
    const tcp = createServer((s) =>
      s.once('data', (d: Buffer) => {
        transports.push('tcp');
        s.end(dnsPacket.streamEncode(reply(d.subarray(2))));
      }),
    );
    const listening = await new Promise<boolean>((resolve, reject) => {
      tcp.once('error', (e) => (attempt < 10 ? resolve(false) : reject(e)));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!listening) {
      udp.close();
      continue;
    }
    return {
      port,
      transports,
      close: () => {
        udp.close();
        tcp.close();
      },
    };
  }
}

let nextId = 1;
function udpQuery(name: string, type = 'A'): Promise<Reply> {
  const sock = createSocket('udp4');
  const id = nextId++;
  return new Promise<Reply>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`udp query ${name} timed out`)), 5000);
    sock.on('message', (m) => {
      clearTimeout(timer);
      const r = dnsPacket.decode(m) as Reply;
      if (r.id === id) resolve(r);
      else reject(new Error(`reply id ${r.id}, want ${id}`));
    });
    sock.send(dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: type as 'A', class: 'IN' }] }), port, '127.0.0.1');
  }).finally(() => sock.close());
}

function tcpQuery(name: string, type = 'A'): Promise<Reply> {
  const id = nextId++;
  return new Promise<Reply>((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => (sock.destroy(), reject(new Error(`tcp query ${name} timed out`))), 5000);
    sock.on('error', reject);
    sock.on('connect', () => sock.write(dnsPacket.streamEncode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: type as 'A', class: 'IN' }] })));
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        clearTimeout(timer);
        sock.destroy();
        const r = dnsPacket.decode(buf.subarray(2, 2 + buf.readUInt16BE(0))) as Reply;
        if (r.id === id) resolve(r);
        else reject(new Error(`reply id ${r.id}, want ${id}`));
      }
    });
  });
}

const datas = (r: Reply) => (r.answers ?? []).map((a) => `${a.type} ${typeof (a as { data: unknown }).data === 'object' ? JSON.stringify((a as { data: unknown }).data) : String((a as { data: unknown }).data)}`).sort();

const service = (name: string, spec: Service['spec']): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec });
const slice = (name: string, svc: string, eps: Array<{ ip: string; hostname?: string; ready?: boolean }>): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  endpoints: eps.map((e) => ({ addresses: [e.ip], hostname: e.hostname, conditions: { ready: e.ready ?? true } })),
  ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
});

before(async () => {
  ts = await startTestServer();
  client = new KubeClient({ server: ts.server.url, ca: ts.certs.ca.cert, cert: ts.certs.client.cert, key: ts.certs.client.key });
  await client.create(services, service('web', { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9100, protocol: 'UDP' }] }));
  await client.create(services, service('db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }));
  await client.create(slices, slice('db-1', 'db', [{ ip: '10.42.0.5', hostname: 'db-0' }, { ip: '10.42.0.6', hostname: 'db-1' }, { ip: '10.42.0.7', hostname: 'db-2', ready: false }]));
  await client.create(services, service('ext', { type: 'ExternalName', externalName: 'example.test' }));
  upstream = await startUpstream();
  informers = new InformerFactory(client);
  dns = await startClusterDNS(informers, { listen: [{ address: '127.0.0.1', port: 0 }], clusterDomain: 'cluster.local', upstreams: [`127.0.0.1:${upstream.port}`], forwardTimeoutMs: 1000 });
  port = dns.addresses[0]!.port;
  informers.start();
  await informers.waitForSync();
  await eventually(async () => (await udpQuery('ext.default.svc.cluster.local', 'CNAME')).rcode === 'NOERROR', 'dns synced');
});

after(async () => {
  await dns?.stop();
  informers?.stop();
  upstream?.close();
  client?.close();
  await ts?.close();
});

test('dns: the listener reports a real port, the same for UDP and TCP', () => {
  assert.equal(dns.addresses.length, 1);
  assert.equal(dns.addresses[0]!.address, '127.0.0.1');
  assert.ok(port > 0);
});

test('dns: ClusterIP service A, SRV for named ports and PTR, over UDP and TCP', async () => {
  const svc = await client.get<Service>({ ...services, name: 'web' });
  const ip = svc.spec!.clusterIP!;
  assert.match(ip, /^10\.43\./);
  for (const q of [udpQuery, tcpQuery]) {
    const a = await q('web.default.svc.cluster.local');
    assert.equal(a.rcode, 'NOERROR');
    assert.ok(a.flag_aa);
    assert.deepEqual(datas(a), [`A ${ip}`]);
  }
  assert.deepEqual(datas(await udpQuery('WEB.Default.SVC.Cluster.Local')), [`A ${ip}`]);
  assert.deepEqual(datas(await udpQuery('_http._tcp.web.default.svc.cluster.local', 'SRV')), [`SRV {"priority":0,"weight":100,"port":80,"target":"web.default.svc.cluster.local"}`]);
  assert.deepEqual(datas(await tcpQuery('_metrics._udp.web.default.svc.cluster.local', 'SRV')), [`SRV {"priority":0,"weight":100,"port":9100,"target":"web.default.svc.cluster.local"}`]);
  assert.deepEqual(datas(await udpQuery(ip.split('.').reverse().join('.') + '.in-addr.arpa', 'PTR')), ['PTR web.default.svc.cluster.local']);
  // the kubernetes Service the API server creates is served too
  assert.deepEqual(datas(await udpQuery('kubernetes.default.svc.cluster.local')), ['A 10.43.0.1']);
});

test('dns: headless service → ready endpoints, hostnames, SRV per endpoint, PTR', async () => {
  assert.deepEqual(datas(await udpQuery('db.default.svc.cluster.local')), ['A 10.42.0.5', 'A 10.42.0.6']);
  assert.deepEqual(datas(await udpQuery('db-1.db.default.svc.cluster.local')), ['A 10.42.0.6']);
  assert.equal((await udpQuery('db-2.db.default.svc.cluster.local')).rcode, 'NXDOMAIN');
  assert.deepEqual(datas(await tcpQuery('_pg._tcp.db.default.svc.cluster.local', 'SRV')), [
    `SRV {"priority":0,"weight":50,"port":5432,"target":"db-0.db.default.svc.cluster.local"}`,
    `SRV {"priority":0,"weight":50,"port":5432,"target":"db-1.db.default.svc.cluster.local"}`,
  ]);
  assert.deepEqual(datas(await udpQuery('6.0.42.10.in-addr.arpa', 'PTR')), ['PTR db-1.db.default.svc.cluster.local']);
});

test('dns: ExternalName → CNAME, chased through the upstream', async () => {
  assert.deepEqual(datas(await udpQuery('ext.default.svc.cluster.local', 'CNAME')), ['CNAME example.test']);
  assert.deepEqual(datas(await udpQuery('ext.default.svc.cluster.local')), ['A 127.0.0.9', 'CNAME example.test']);
});

test('dns: NXDOMAIN / NODATA with SOA, pod records, zone SOA', async () => {
  const nx = await udpQuery('nope.default.svc.cluster.local');
  assert.equal(nx.rcode, 'NXDOMAIN');
  assert.equal(nx.authorities?.[0]?.type, 'SOA');
  const nodata = await udpQuery('web.default.svc.cluster.local', 'AAAA');
  assert.equal(nodata.rcode, 'NOERROR');
  assert.deepEqual(datas(nodata), []);
  assert.equal(nodata.authorities?.[0]?.type, 'SOA');
  assert.deepEqual(datas(await udpQuery('10-42-0-33.default.pod.cluster.local')), ['A 10.42.0.33']);
  assert.equal((await tcpQuery('cluster.local', 'SOA')).answers?.[0]?.type, 'SOA');
});

test('dns: other names forwarded to the upstream over UDP and TCP, with the client ID', async () => {
  for (const [q, transport] of [[udpQuery, 'udp'], [tcpQuery, 'tcp']] as const) {
    upstream.transports.length = 0;
    const r = await q('Example.Test');
    assert.equal(r.rcode, 'NOERROR');
    assert.deepEqual(datas(r), ['A 127.0.0.9']);
    assert.equal(r.questions?.[0]?.name, 'Example.Test');
    assert.equal((await q('unknown.test')).rcode, 'NXDOMAIN');
    assert.deepEqual(upstream.transports, [transport, transport], 'a TCP query is forwarded over TCP');
  }
});

test('dns: updates — a new ready endpoint appears, a deleted Service becomes NXDOMAIN', async () => {
  const s = await client.get<EndpointSlice>({ ...slices, name: 'db-1' });
  s.endpoints!.push({ addresses: ['10.42.0.8'], hostname: 'db-3', conditions: { ready: true } });
  await client.update({ ...slices, name: 'db-1' }, s);
  await eventually(async () => datas(await udpQuery('db-3.db.default.svc.cluster.local')).join() === 'A 10.42.0.8', 'new endpoint resolves');

  await client.delete({ ...services, name: 'web' });
  await eventually(async () => (await udpQuery('web.default.svc.cluster.local')).rcode === 'NXDOMAIN', 'deleted service NXDOMAIN');
  assert.equal((await tcpQuery('_http._tcp.web.default.svc.cluster.local', 'SRV')).rcode, 'NXDOMAIN');
  assert.ok(dns.metrics.queries > 20);
});

// busybox-static is installed by scripts/install-deps.sh (as for the kubelet's test images).
test('dns: busybox nslookup resolves a service name', async () => {
  const out = await new Promise<string>((resolve) =>
    execFile('/bin/busybox', ['nslookup', 'db.default.svc.cluster.local', `127.0.0.1:${port}`], { timeout: 10_000 }, (_e, stdout, stderr) => resolve(stdout + stderr)),
  );
  assert.match(out, /10\.42\.0\.5/, out);
  assert.match(out, /10\.42\.0\.6/, out);
});
