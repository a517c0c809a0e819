// managedFields recorded on create, through the real server: the creator owns what it sent plus the
// defaults, never what the strategy or admission add afterwards (upstream runs the field manager
// before them). Otherwise `kubectl apply --server-side` after a client-side apply takes ownership of
// those fields and then drops them, which breaks immutable ones (a Job's selector, Pod tolerations).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './harness.js';

let ts: TestServer;
before(async () => {
  ts = await startTestServer();
});
after(async () => {
  await ts.close();
});

/** The fieldsV1 of the one manager entry, as JSON text (paths are easiest to check as substrings). */
async function ownedFields(path: string, body: object): Promise<string> {
  const r = await ts.req('POST', `${path}?fieldManager=creator`, body);
  assert.equal(r.status, 201, r.text);
  const entries = r.json.metadata.managedFields as { manager: string; operation: string; fieldsV1: unknown }[];
  assert.equal(entries.length, 1);
  assert.equal(entries[0]!.manager, 'creator');
  assert.equal(entries[0]!.operation, 'Update');
  return JSON.stringify(entries[0]!.fieldsV1);
}

const container = { name: 'c', image: 'busybox:1.36' };

const cases: { what: string; path: string; body: object; owned: string[]; notOwned: string[] }[] = [
  {
    what: 'Job: generated selector and controller-uid labels',
    path: '/apis/batch/v1/namespaces/default/jobs',
    body: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [container] } } } },
    owned: ['"f:backoffLimit"', '"f:restartPolicy"', '"f:imagePullPolicy"'],
    notOwned: ['"f:selector"', 'controller-uid', 'job-name', '"f:status"'],
  },
  {
    what: 'Pod: service-account volume, default tolerations, status',
    path: '/api/v1/namespaces/default/pods',
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [container] }, status: { phase: 'Running' } },
    owned: ['"f:dnsPolicy"', '"f:terminationMessagePath"'],
    notOwned: ['"f:tolerations"', '"f:volumes"', '"f:volumeMounts"', '"f:status"', '"f:serviceAccountName"'],
  },
  {
    what: 'Service: allocated cluster IP',
    path: '/api/v1/namespaces/default/services',
    body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 's' }, ports: [{ port: 80 }] } },
    owned: ['"f:sessionAffinity"', '"f:type"'],
    notOwned: ['"f:clusterIP"', '"f:clusterIPs"', '"f:status"'],
  },
];

for (const c of cases) {
  test(`create records the creator's fields only: ${c.what}`, async () => {
    const fields = await ownedFields(c.path, c.body);
    for (const f of c.owned) assert.ok(fields.includes(f), `${f} should be owned: ${fields}`);
    for (const f of c.notOwned) assert.ok(!fields.includes(f), `${f} should not be owned: ${fields}`);
  });
}
