import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourcePath, loadKubeconfig } from './http-client.js';
import { renderKubeconfig } from '../apiserver/pki/index.js';

test('resourcePath builds core, grouped, namespaced, named and subresource paths (table)', () => {
  const cases: Array<[Parameters<typeof resourcePath>[0], string]> = [
    [{ group: '', version: 'v1', resource: 'namespaces' }, '/api/v1/namespaces'],
    [{ group: '', version: 'v1', resource: 'pods', namespace: 'ns' }, '/api/v1/namespaces/ns/pods'],
    [{ group: '', version: 'v1', resource: 'pods', namespace: 'ns', name: 'p', subresource: 'status' }, '/api/v1/namespaces/ns/pods/p/status'],
    [{ group: 'apps', version: 'v1', resource: 'deployments' }, '/apis/apps/v1/deployments'],
    [{ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-system', name: 'x' }, '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/x'],
    [{ group: '', version: 'v1', resource: 'nodes', name: 'a b' }, '/api/v1/nodes/a%20b'],
  ];
  for (const [ref, want] of cases) assert.equal(resourcePath(ref), want);
});

test('loadKubeconfig reads inline certificate data and tokens', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-kc-'));
  const p = join(dir, 'kc.yaml');
  writeFileSync(p, renderKubeconfig({ server: 'https://127.0.0.1:6443', caCert: 'CA', clientCert: 'CERT', clientKey: 'KEY' }));
  assert.deepEqual(loadKubeconfig(p), { server: 'https://127.0.0.1:6443', ca: 'CA', cert: 'CERT', key: 'KEY' });
  const t = join(dir, 'tok.yaml');
  writeFileSync(
    t,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://h:1", certificate-authority-data: ${Buffer.from('CA2').toString('base64')}}}]
users: [{name: u, user: {token: abc}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
  );
  assert.deepEqual(loadKubeconfig(t), { server: 'https://h:1', ca: 'CA2', token: 'abc' });
  assert.throws(() => loadKubeconfig(t, 'missing'), /no context named missing/);
  rmSync(dir, { recursive: true, force: true });
});
