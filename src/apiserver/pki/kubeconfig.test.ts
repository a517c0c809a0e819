// Tests for the kubeconfig: its shape, and that the real kubectl uses it as-is (verifies our serving
// certificate against the inline CA and presents the admin client certificate) against a tiny HTTPS
// server built from ensurePki's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { parse } from 'yaml';
import { ensurePki } from './ensure-pki.js';
import { renderKubeconfig, serverUrl, writeKubeconfig } from './kubeconfig.js';

const KUBECTL = '/usr/bin/kubectl';

test('serverUrl', () => {
  const table: Array<[string, number, string]> = [
    ['127.0.0.1', 6443, 'https://127.0.0.1:6443'],
    ['0.0.0.0', 6443, 'https://127.0.0.1:6443'],
    ['::', 1, 'https://[::1]:1'],
    ['fd00::5', 7, 'https://[fd00::5]:7'],
    ['example.test', 8, 'https://example.test:8'],
  ];
  for (const [bind, port, want] of table) assert.equal(serverUrl(bind, port), want);
});

test('kubeconfig shape', () => {
  const cfg = parse(renderKubeconfig({ server: 'https://127.0.0.1:6443', caCert: 'CA', clientCert: 'CERT', clientKey: 'KEY' }));
  assert.equal(cfg['current-context'], 'skiff');
  assert.deepEqual(cfg.clusters, [
    { name: 'skiff', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from('CA').toString('base64') } },
  ]);
  assert.equal(cfg.users[0].user['client-key-data'], Buffer.from('KEY').toString('base64'));
  assert.deepEqual(cfg.contexts[0].context, { cluster: 'skiff', user: 'skiff-admin', namespace: 'default' });
});

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d));
    p.stderr.on('data', (d: Buffer) => (out += d));
    p.on('close', (code) => resolve({ code, out }));
  });
}

test('kubectl verifies the server and authenticates with the admin certificate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-kubeconfig-'));
  let server: Server | undefined;
  try {
    const pki = await ensurePki(dir, { hosts: ['127.0.0.1'] });
    const seen: string[] = [];
    server = createServer(
      { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert, requestCert: true, rejectUnauthorized: false },
      (req, res) => {
        const sock = req.socket as TLSSocket;
        const peer = sock.authorized ? sock.getPeerCertificate() : undefined;
        seen.push(`${req.url} ${peer?.subject?.CN ?? '-'} ${String(peer?.subject?.O ?? '-')}`);
        res.setHeader('Content-Type', 'application/json');
        if (req.url?.startsWith('/version')) res.end(JSON.stringify({ major: '1', minor: '31', gitVersion: 'v1.31.0' }));
        else res.end(JSON.stringify({ hello: 'skiff' }));
      },
    );
    await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
    const port = (server.address() as AddressInfo).port;
    const path = join(dir, 'kubeconfig.yaml');
    writeKubeconfig(path, { server: serverUrl('127.0.0.1', port), caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey });
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.match(readFileSync(path, 'utf8'), /client-certificate-data: \S+\n/);
    const r = await run(KUBECTL, ['--kubeconfig', path, 'get', '--raw', '/hello'], { ...process.env, HOME: dir });
    assert.equal(r.code, 0, r.out);
    assert.equal(r.out.trim(), '{"hello":"skiff"}');
    assert.ok(seen.includes('/hello system:admin system:masters'), seen.join('\n'));
  } finally {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
