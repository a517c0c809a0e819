// runProbe against real servers on 127.0.0.1: HTTP (status codes, redirects, headers, named ports,
// body cap, a server that never answers, HTTPS with a self-signed certificate), TCP, gRPC health
// over h2c, and exec through a fake runtime — each checked against upstream's output text.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import { runProbe, extractPort, expandStatic, type ProbeTarget, type ExecResult } from './probe.js';
import { encodeHealthCheckRequest, decodeHealthCheckResponse } from './grpc-probe.js';
import { createCa } from '../../apiserver/pki/certs.js';

const closers: Array<() => void> = [];
after(() => closers.forEach((c) => c()));

async function listen(s: net.Server): Promise<number> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  closers.push(() => {
    s.close();
    (s as http.Server).closeAllConnections?.();
  });
  return (s.address() as AddressInfo).port;
}

const seen: http.IncomingHttpHeaders[] = [];
const handler: http.RequestListener = (req, res) => {
  const u = new URL(req.url ?? '/', 'http://x');
  seen.push(req.headers);
  if (u.pathname === '/ok') return res.end('fine');
  if (u.pathname === '/fail') return void res.writeHead(503).end('nope');
  if (u.pathname === '/hang') return; // never answers
  if (u.pathname === '/big') return res.end('x'.repeat(64 * 1024));
  if (u.pathname === '/hop') return void res.writeHead(302, { location: `/ok` }).end();
  if (u.pathname === '/loop') return void res.writeHead(302, { location: `/loop?n=${Number(u.searchParams.get('n') ?? 0) + 1}` }).end();
  if (u.pathname === '/away') return void res.writeHead(301, { location: 'http://127.0.0.2:9/ok' }).end('moved');
  if (u.pathname === '/headers') return res.end(JSON.stringify(req.headers));
  res.writeHead(404).end();
};
const httpPort = await listen(http.createServer(handler));
const refusedPort = await (async () => {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return p;
})();

const container: Container = { name: 'app', ports: [{ name: 'http', containerPort: httpPort }], env: [{ name: 'FILE', value: '/tmp/ready' }] };
const noExec = async (): Promise<ExecResult> => ({ exitCode: 0, output: '' });
const target = (over: Partial<ProbeTarget> = {}): ProbeTarget => ({ podIP: '127.0.0.1', container, exec: noExec, ...over });
const httpGet = (path: string, extra: Partial<NonNullable<Probe['httpGet']>> = {}): Probe => ({ httpGet: { port: httpPort, path, ...extra } });

test('extractPort and expandStatic', () => {
  assert.equal(extractPort(80, container), 80);
  assert.equal(extractPort('http', container), httpPort);
  assert.equal(extractPort('8080', container), 8080);
  assert.throws(() => extractPort('metrics', container), /port metrics not found/);
  assert.throws(() => extractPort(0, container), /invalid port number: 0/);
  assert.throws(() => extractPort(70000, container), /invalid port number: 70000/);
  assert.deepEqual(expandStatic(['cat', '$(FILE)', '$(NOPE)', '$$(FILE)'], container), ['cat', '/tmp/ready', '$(NOPE)', '$(FILE)']);
});

test('httpGet: 2xx success, 503 failure with upstream text, named port', async () => {
  assert.deepEqual(await runProbe(httpGet('/ok'), target()), { result: 'success', output: 'fine' });
  assert.deepEqual(await runProbe(httpGet('/fail'), target()), { result: 'failure', output: 'HTTP probe failed with statuscode: 503' });
  assert.equal((await runProbe(httpGet('/ok', { port: 'http' }), target())).result, 'success');
  const bad = await runProbe(httpGet('/ok', { port: 'metrics' }), target());
  assert.deepEqual(bad, { result: 'failure', output: 'port metrics not found', errored: true });
});

test('httpGet: connection refused and timeout read like Go', async () => {
  const r = await runProbe(httpGet('/ready', { port: refusedPort }), target());
  assert.deepEqual(r, { result: 'failure', output: `Get "http://127.0.0.1:${refusedPort}/ready": dial tcp 127.0.0.1:${refusedPort}: connect: connection refused` });
  const t0 = Date.now();
  const h = await runProbe({ ...httpGet('/hang'), timeoutSeconds: 1 }, target());
  const took = Date.now() - t0;
  assert.equal(h.result, 'failure');
  assert.equal(h.output, `Get "http://127.0.0.1:${httpPort}/hang": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`);
  assert.ok(took >= 950 && took < 3000, `timeout took ${took} ms`);
});

test('httpGet: headers — User-Agent, Accept, custom, Host override', async () => {
  const r = await runProbe(httpGet('/headers', { httpHeaders: [{ name: 'X-Probe', value: 'yes' }, { name: 'Host', value: 'app.example' }] }), target());
  const h = JSON.parse(r.output) as Record<string, string>;
  assert.equal(h['user-agent'], 'kube-probe/1.31');
  assert.equal(h.accept, '*/*');
  assert.equal(h['x-probe'], 'yes');
  assert.equal(h.host, 'app.example');
  const custom = JSON.parse((await runProbe(httpGet('/headers', { httpHeaders: [{ name: 'User-Agent', value: 'mine' }, { name: 'Accept', value: '' }] }), target())).output) as Record<string, string>;
  assert.equal(custom['user-agent'], 'mine');
  assert.equal(custom.accept, undefined);
});

test('httpGet: same-host redirects followed (max 10), other host ends as a warning, body capped', async () => {
  assert.deepEqual(await runProbe(httpGet('/hop'), target()), { result: 'success', output: 'fine' });
  const loop = await runProbe(httpGet('/loop'), target());
  assert.deepEqual(loop, { result: 'failure', output: `Get "http://127.0.0.1:${httpPort}/loop?n=11": stopped after 10 redirects` });
  assert.deepEqual(await runProbe(httpGet('/away'), target()), { result: 'success', warning: true, output: 'Probe terminated redirects, Response body: moved' });
  const big = await runProbe(httpGet('/big'), target());
  assert.equal(big.result, 'success');
  assert.equal(big.output.length, 10 * 1024);
});

test('httpGet: HTTPS without certificate verification; host from the probe', async () => {
  const ca = await createCa('probe-test', 1);
  const port = await listen(https.createServer({ cert: ca.cert, key: ca.key }, handler));
  assert.deepEqual(await runProbe({ httpGet: { scheme: 'HTTPS', port, path: '/ok', host: '127.0.0.1' } }, target({ podIP: '192.0.2.1' })), { result: 'success', output: 'fine' });
});

test('tcpSocket: connect is success, refused is failure', async () => {
  assert.deepEqual(await runProbe({ tcpSocket: { port: httpPort } }, target()), { result: 'success', output: '' });
  assert.deepEqual(await runProbe({ tcpSocket: { port: refusedPort } }, target()), { result: 'failure', output: `dial tcp 127.0.0.1:${refusedPort}: connect: connection refused` });
});

test('exec: exit 0 success, non-zero failure with output, timeout', async () => {
  const calls: Array<[string[], number]> = [];
  const exec = async (argv: string[], timeoutMs: number): Promise<ExecResult> => {
    calls.push([argv, timeoutMs]);
    if (argv[1] === 'hang') return new Promise(() => undefined);
    if (argv[1] === 'slow') throw Object.assign(new Error('deadline'), { code: 'ETIMEDOUT' });
    return { exitCode: argv[1] === '/tmp/ready' ? 0 : 1, output: argv[1] === '/tmp/ready' ? '' : 'cat: can\'t open \'x\': No such file or directory\n' };
  };
  assert.deepEqual(await runProbe({ exec: { command: ['cat', '$(FILE)'] }, timeoutSeconds: 2 }, target({ exec })), { result: 'success', output: '' });
  assert.deepEqual(calls[0], [['cat', '/tmp/ready'], 2000]);
  assert.deepEqual(await runProbe({ exec: { command: ['cat', 'x'] } }, target({ exec })), { result: 'failure', output: "cat: can't open 'x': No such file or directory\n" });
  assert.deepEqual(await runProbe({ exec: { command: ['sh', 'slow'] } }, target({ exec })), { result: 'failure', output: 'command "sh slow" timed out' });
  const t0 = Date.now();
  assert.deepEqual(await runProbe({ exec: { command: ['sh', 'hang'] } }, target({ exec })), { result: 'failure', output: 'command "sh hang" timed out' });
  assert.ok(Date.now() - t0 < 4000);
});

test('grpc: health protocol over h2c', async () => {
  assert.deepEqual([...encodeHealthCheckRequest('')], [0, 0, 0, 0, 0]);
  assert.deepEqual([...encodeHealthCheckRequest('db')], [0, 0, 0, 0, 4, 0x0a, 2, 0x64, 0x62]);
  assert.equal(decodeHealthCheckResponse(Buffer.from([0, 0, 0, 0, 2, 0x08, 2])), 2);
  assert.equal(decodeHealthCheckResponse(Buffer.from([0, 0, 0, 0, 0])), 0);
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      if (headers[':path'] !== '/grpc.health.v1.Health/Check') {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': 'unknown service' }, { endStream: true });
        return;
      }
      const body = Buffer.concat(chunks);
      const service = body.length > 5 ? body.subarray(7).toString() : '';
      const status = service === '' ? 1 : service === 'down' ? 2 : -1;
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers(status < 0 ? { 'grpc-status': '5', 'grpc-message': 'unknown service' } : { 'grpc-status': '0' }));
      stream.end(status < 0 ? undefined : Buffer.from([0, 0, 0, 0, 2, 0x08, status]));
    });
  });
  const port = await listen(server);
  assert.deepEqual(await runProbe({ grpc: { port } }, target()), { result: 'success', output: 'service healthy' });
  assert.deepEqual(await runProbe({ grpc: { port, service: 'down' } }, target()), { result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
  assert.deepEqual(await runProbe({ grpc: { port, service: 'other' } }, target()), { result: 'failure', output: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service' });
  assert.deepEqual(await runProbe({ grpc: { port: refusedPort } }, target()), { result: 'failure', output: `timeout: failed to connect service "127.0.0.1:${refusedPort}" within 1s: context deadline exceeded` });
});
