// In-process API server for integration tests: a throwaway CA, serving and client certificates, a
// SQLite store in a temp dir, the built-in registry, x509 authentication and the allow-all
// authorizer; plus a small HTTPS client (HTTP/1.1 via node:https, HTTP/2 via node:http2).
import https from 'node:https';
import http2 from 'node:http2';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, createLeaf, type KeyPairPem } from '../../src/apiserver/pki/index.js';
import { openSqliteStorage } from '../../src/storage/sqlite/index.js';
import type { Storage } from '../../src/storage/interface.js';
import { builtinRegistry } from '../../src/api/builtin.js';
import { x509Authenticator, alwaysAllow } from '../../src/apiserver/auth/index.js';
import { startApiServer, type RunningApiServer } from '../../src/apiserver/server.js';

export interface Certs {
  ca: KeyPairPem;
  serving: KeyPairPem;
  client: KeyPairPem;
}

let certsP: Promise<Certs> | undefined;
export function testCerts(): Promise<Certs> {
  certsP ??= (async () => {
    const ca = await createCa('skiff-test-ca', 1);
    const serving = await createLeaf(ca, { commonName: 'skiff', hosts: ['127.0.0.1', 'localhost'], usage: 'server', validDays: 1 });
    const client = await createLeaf(ca, { commonName: 'test-admin', organizations: ['system:masters'], usage: 'client', validDays: 1 });
    return { ca, serving, client };
  })();
  return certsP;
}

export interface TestServer {
  server: RunningApiServer;
  storage: Storage;
  dir: string;
  certs: Certs;
  req(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Resp>;
  /** Stops the server and storage and removes the data dir (unless keepDir, for a restart on it). */
  close(opts?: { keepDir?: boolean }): Promise<void>;
}

export interface Resp {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test responses are inspected loosely
}

export async function startTestServer(dir = mkdtempSync(join(tmpdir(), 'skiff-it-')), wrap?: (s: Storage) => Storage): Promise<TestServer> {
  const certs = await testCerts();
  const storage = openSqliteStorage(join(dir, 'state.db'));
  const server = await startApiServer({
    storage: wrap ? wrap(storage) : storage,
    registry: builtinRegistry(),
    authenticators: [x509Authenticator()],
    authorizer: alwaysAllow,
    tls: { cert: certs.serving.cert, key: certs.serving.key, ca: certs.ca.cert },
    port: 0,
    host: '127.0.0.1',
    watchBookmarkIntervalMs: 300,
  });
  const agent = new https.Agent({ ca: certs.ca.cert, cert: certs.client.cert, key: certs.client.key, keepAlive: true });
  return {
    server,
    storage,
    dir,
    certs,
    req: (method, path, body, headers) => request(server.port, agent, method, path, body, headers),
    async close(opts) {
      agent.destroy();
      await server.close();
      await storage.close();
      if (!opts?.keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A response's body as text, and as JSON when it parses. */
function toResp(status: number, headers: Resp['headers'], chunks: Buffer[]): Resp {
  const text = Buffer.concat(chunks).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, headers, text, json };
}

export function request(
  port: number,
  agent: https.Agent | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Resp> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const h: Record<string, string> = { ...headers };
    if (data !== undefined && !h['content-type']) h['content-type'] = 'application/json';
    if (data !== undefined) h['content-length'] = String(Buffer.byteLength(data));
    const r = https.request({ host: '127.0.0.1', port, method, path, agent, headers: h, ...(agent ? {} : { rejectUnauthorized: false }) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(toResp(res.statusCode ?? 0, res.headers, chunks)));
    });
    r.on('error', reject);
    if (data !== undefined) r.write(data);
    r.end();
  });
}

/** Opens a watch over HTTP/1.1 and collects events until `until` returns true or the timeout. */
export function watch(
  ts: TestServer,
  path: string,
  until: (events: any[]) => boolean, // eslint-disable-line @typescript-eslint/no-explicit-any
  timeoutMs = 5000,
  headers: Record<string, string> = {},
): Promise<{ status: number; events: any[]; ended: boolean }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolve, reject) => {
    const agent = new https.Agent({ ca: ts.certs.ca.cert, cert: ts.certs.client.cert, key: ts.certs.client.key });
    const events: unknown[] = [];
    let buf = '';
    let done = false;
    const finish = (ended: boolean, status: number) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      r.destroy();
      agent.destroy();
      resolve({ status, events, ended });
    };
    const r = https.request({ host: '127.0.0.1', port: ts.server.port, method: 'GET', path, agent, headers }, (res) => {
      res.on('data', (c: Buffer) => {
        buf += c.toString('utf8');
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line.trim()) events.push(JSON.parse(line));
        }
        if (until(events)) finish(false, res.statusCode ?? 0);
      });
      res.on('end', () => {
        if (buf.trim()) events.push(JSON.parse(buf));
        finish(true, res.statusCode ?? 0);
      });
    });
    const timer = setTimeout(() => finish(false, -1), timeoutMs);
    r.on('error', (e) => (done ? undefined : reject(e)));
    r.end();
  });
}

/** One HTTP/2 request (kubectl negotiates h2). */
export function h2request(ts: TestServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Resp> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(ts.server.url, { ca: ts.certs.ca.cert, cert: ts.certs.client.cert, key: ts.certs.client.key });
    session.on('error', reject);
    const h: http2.OutgoingHttpHeaders = { ':method': method, ':path': path, ...headers };
    if (body !== undefined) h['content-type'] ??= 'application/json';
    const s = session.request(h);
    let status = 0;
    let resHeaders: Record<string, string | string[] | undefined> = {};
    s.on('response', (hh) => {
      status = Number(hh[':status']);
      resHeaders = hh as Record<string, string | string[] | undefined>;
    });
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => {
      session.close();
      resolve(toResp(status, resHeaders, chunks));
    });
    s.on('error', reject);
    if (body !== undefined) s.end(typeof body === 'string' ? body : JSON.stringify(body));
    else s.end();
  });
}
