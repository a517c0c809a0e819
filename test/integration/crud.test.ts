// CRUD through the real HTTPS server: create/get/list/update/delete, system metadata, conflicts,
// generateName, namespaces, errors as Status objects.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, request, h2request, type TestServer } from './harness.js';

let ts: TestServer;
before(async () => {
  ts = await startTestServer();
});
after(async () => {
  await ts.close();
});

const cm = (name: string, data: Record<string, string> = { a: '1' }) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

test('unauthenticated requests get 401 Status', async () => {
  const r = await request(ts.server.port, undefined, 'GET', '/api/v1/namespaces');
  assert.equal(r.status, 401);
  assert.equal(r.json.kind, 'Status');
  assert.equal(r.json.reason, 'Unauthorized');
});

test('version reports 1.31, health endpoints answer ok', async () => {
  const v = await ts.req('GET', '/version');
  assert.equal(v.json.minor, '31');
  assert.match(v.json.gitVersion, /^v1\.31\./);
  for (const p of ['/healthz', '/livez', '/readyz']) {
    const r = await ts.req('GET', p);
    assert.equal(r.status, 200);
    assert.equal(r.text, 'ok');
  }
});

test('system namespaces and the kubernetes service exist at start', async () => {
  const r = await ts.req('GET', '/api/v1/namespaces');
  const names = r.json.items.map((n: any) => n.metadata.name).sort();
  assert.deepEqual(names, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  assert.equal(r.json.items[0].status.phase, 'Active');
  const svc = await ts.req('GET', '/api/v1/namespaces/default/services/kubernetes');
  assert.equal(svc.status, 200);
  assert.equal(svc.json.spec.clusterIP, '10.43.0.1');
});

test('create fills system metadata and get returns it', async () => {
  const r = await ts.req('POST', '/api/v1/namespaces/default/configmaps', cm('c1'));
  assert.equal(r.status, 201, r.text);
  const md = r.json.metadata;
  assert.equal(md.namespace, 'default');
  assert.match(md.uid, /^[0-9a-f-]{36}$/);
  assert.match(md.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(md.resourceVersion, /^\d+$/);
  const g = await ts.req('GET', '/api/v1/namespaces/default/configmaps/c1');
  assert.equal(g.status, 200);
  assert.deepEqual(g.json.data, { a: '1' });
  assert.equal(g.json.metadata.resourceVersion, md.resourceVersion);
});

test('create twice → 409 AlreadyExists', async () => {
  await ts.req('POST', '/api/v1/namespaces/default/configmaps', cm('dup'));
  const r = await ts.req('POST', '/api/v1/namespaces/default/configmaps', cm('dup'));
  assert.equal(r.status, 409);
  assert.equal(r.json.reason, 'AlreadyExists');
  assert.equal(r.json.message, 'configmaps "dup" already exists');
});

test('generateName gets a 5-character suffix', async () => {
  const r = await ts.req('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
  assert.equal(r.status, 201);
  assert.match(r.json.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
});

test('missing namespace → 404 namespaces "x" not found', async () => {
  const r = await ts.req('POST', '/api/v1/namespaces/nope/configmaps', cm('x'));
  assert.equal(r.status, 404);
  assert.equal(r.json.message, 'namespaces "nope" not found');
});

test('update with stale resourceVersion → 409 Conflict; without → unconditional', async () => {
  const c = await ts.req('POST', '/api/v1/namespaces/default/configmaps', cm('upd'));
  const rv = c.json.metadata.resourceVersion;
  const u1 = await ts.req('PUT', '/api/v1/namespaces/default/configmaps/upd', { ...cm('upd', { a: '2' }), metadata: { name: 'upd', resourceVersion: rv } });
  assert.equal(u1.status, 200, u1.text);
  assert.notEqual(u1.json.metadata.resourceVersion, rv);
  assert.equal(u1.json.metadata.uid, c.json.metadata.uid);
  const u2 = await ts.req('PUT', '/api/v1/namespaces/default/configmaps/upd', { ...cm('upd', { a: '3' }), metadata: { name: 'upd', resourceVersion: rv } });
  assert.equal(u2.status, 409);
  assert.equal(u2.json.reason, 'Conflict');
  assert.equal(
    u2.json.message,
    'Operation cannot be fulfilled on configmaps "upd": the object has been modified; please apply your changes to the latest version and try again',
  );
  const u3 = await ts.req('PUT', '/api/v1/namespaces/default/configmaps/upd', cm('upd', { a: '4' }));
  assert.equal(u3.status, 200);
  assert.deepEqual(u3.json.data, { a: '4' });
});

test('name mismatch between body and URL → 400', async () => {
  const r = await ts.req('PUT', '/api/v1/namespaces/default/configmaps/upd', cm('other'));
  assert.equal(r.status, 400);
  assert.equal(r.json.message, 'the name of the object (other) does not match the name on the URL (upd)');
});

test('delete returns Success and the object is gone', async () => {
  await ts.req('POST', '/api/v1/namespaces/default/configmaps', cm('del'));
  const d = await ts.req('DELETE', '/api/v1/namespaces/default/configmaps/del', { propagationPolicy: 'Background' });
  assert.equal(d.status, 200);
  assert.equal(d.json.status, 'Success');
  const g = await ts.req('GET', '/api/v1/namespaces/default/configmaps/del');
  assert.equal(g.status, 404);
  assert.equal(g.json.message, 'configmaps "del" not found');
});

test('generation bumps on spec changes of a Deployment, not on metadata changes', async () => {
  const dep = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  };
  const c = await ts.req('POST', '/apis/apps/v1/namespaces/default/deployments', dep);
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.metadata.generation, 1);
  const u = await ts.req('PUT', '/apis/apps/v1/namespaces/default/deployments/web', { ...c.json, spec: { ...c.json.spec, replicas: 3 } });
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.metadata.generation, 2);
  const l = await ts.req('PUT', '/apis/apps/v1/namespaces/default/deployments/web', { ...u.json, metadata: { ...u.json.metadata, labels: { x: 'y' } } });
  assert.equal(l.json.metadata.generation, 2);
});

test('HTTP/2 requests work', async () => {
  const r = await h2request(ts, 'GET', '/api/v1/namespaces/default');
  assert.equal(r.status, 200);
  assert.equal(r.json.metadata.name, 'default');
});

test('errors: 404 unknown resource, 400 malformed JSON, 413 large body, 415 protobuf', async () => {
  const a = await ts.req('GET', '/api/v1/namespaces/default/nothings');
  assert.equal(a.status, 404);
  assert.equal(a.json.kind, 'Status');
  const b = await ts.req('POST', '/api/v1/namespaces/default/configmaps', '{"apiVersion":', { 'content-type': 'application/json' });
  assert.equal(b.status, 400);
  assert.equal(b.json.reason, 'BadRequest');
  const big = JSON.stringify(cm('big', { x: 'y'.repeat(3 * 1024 * 1024 + 10) }));
  const c = await ts.req('POST', '/api/v1/namespaces/default/configmaps', big);
  assert.equal(c.status, 413);
  assert.equal(c.json.reason, 'RequestEntityTooLarge');
  const d = await ts.req('POST', '/api/v1/namespaces/default/configmaps', Buffer.from([0x6b, 0x38, 0x73, 0]), { 'content-type': 'application/vnd.kubernetes.protobuf' });
  assert.equal(d.status, 415);
  const e = await ts.req('GET', '/nope');
  assert.equal(e.status, 404);
});

test('Accept: application/yaml gets YAML', async () => {
  const r = await ts.req('GET', '/api/v1/namespaces/default', undefined, { accept: 'application/yaml' });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/yaml');
  assert.match(r.text, /^apiVersion: v1\nkind: Namespace\n/);
});

test('concurrent graceful and immediate deletes of one pod answer 200 or 404, never 500', async () => {
  for (let round = 0; round < 5; round++) {
    const name = `racer-${round}`;
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'img' }] } };
    assert.equal((await ts.req('POST', '/api/v1/namespaces/default/pods', pod)).status, 201);
    const path = `/api/v1/namespaces/default/pods/${name}`;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => ts.req('DELETE', path, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: i % 2 ? 0 : 30 })),
    );
    for (const r of results) assert.ok(r.status === 200 || r.status === 404, `${r.status} ${r.text}`);
    assert.ok(results.some((r) => r.status === 200));
    await ts.req('DELETE', path, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 });
  }
});
