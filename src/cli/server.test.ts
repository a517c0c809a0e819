// Integration test of `skiff server` as users run it: spawn bin/skiff on a temp data dir with a free
// port (--https-port 0), wait for "Skiff is ready", then check the kubeconfig works with the real
// kubectl, bearer tokens from tokens.csv authenticate (bad/none → 401), SIGTERM exits 0, and a
// restart reuses the CA and the token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(fileURLToPath(import.meta.url), '../../../..');

interface Started {
  proc: ChildProcess;
  out: () => string;
  url: string;
}

async function start(dataDir: string): Promise<Started> {
  const proc = spawn(process.execPath, [join(REPO, 'bin/skiff'), 'server', '--data-dir', dataDir, '--https-port', '0', '--disable-agent'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d));
  proc.stderr!.on('data', (d: Buffer) => (out += d));
  const deadline = Date.now() + 30_000;
  while (!out.includes('Skiff is ready')) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server did not become ready:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = /listening on (https:\/\/\S+)/.exec(out);
  assert.ok(m, out);
  return { proc, out: () => out, url: m[1]! };
}

function stop(s: Started): Promise<number | null> {
  return new Promise((ok) => {
    s.proc.once('exit', (code) => ok(code));
    s.proc.kill('SIGTERM');
  });
}

function get(url: string, ca: string, headers: Record<string, string>): Promise<number> {
  return new Promise((ok, fail) => {
    const req = request(url, { ca, headers }, (res) => {
      res.resume();
      ok(res.statusCode ?? 0);
    });
    req.on('error', fail);
    req.end();
  });
}

function kubectl(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((ok) => {
    const p = spawn('/usr/bin/kubectl', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d));
    p.stderr.on('data', (d: Buffer) => (out += d));
    p.on('close', (code) => ok({ code, out }));
  });
}

test('skiff server: kubeconfig, tokens, clean shutdown, restart reuses credentials', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-cli-server-'));
  try {
    let s = await start(dir);
    assert.match(s.out(), /export KUBECONFIG=.*kubeconfig\.yaml; kubectl get namespaces/);
    const ca = readFileSync(join(dir, 'tls/ca.crt'), 'utf8');
    const token = readFileSync(join(dir, 'tokens.csv'), 'utf8').split(',')[0]!;
    const nsUrl = `${s.url.replace(/^https:\/\/127\.0\.0\.1/, 'https://localhost')}/api/v1/namespaces`;
    assert.equal(await get(nsUrl, ca, { Authorization: `Bearer ${token}` }), 200);
    assert.equal(await get(nsUrl, ca, { Authorization: 'Bearer wrong' }), 401);
    assert.equal(await get(nsUrl, ca, {}), 401);
    if (existsSync('/usr/bin/kubectl')) {
      const env = { ...process.env, KUBECONFIG: join(dir, 'kubeconfig.yaml'), HOME: dir };
      const r = await kubectl(['get', 'namespaces', '-o', 'name'], env);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /namespace\/kube-system/);
    }
    assert.equal(await stop(s), 0);
    assert.match(s.out(), /Skiff stopped/);

    s = await start(dir);
    assert.equal(readFileSync(join(dir, 'tls/ca.crt'), 'utf8'), ca);
    assert.equal(readFileSync(join(dir, 'tokens.csv'), 'utf8').split(',')[0], token);
    assert.equal(await get(`${s.url}/api/v1/namespaces`, ca, { Authorization: `Bearer ${token}` }), 200);
    assert.equal(await stop(s), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
