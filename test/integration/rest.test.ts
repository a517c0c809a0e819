// Generic REST features through the real server: list paging and selectors, patches (json, merge,
// strategic, apply), dryRun, field validation, tables, discovery, scale and status subresources,
// finalizers, graceful pod deletion, namespace termination, service IP allocation.
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

const NS = '/api/v1/namespaces/default/configmaps';
const cm = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { a: '1' } });
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const deployment = (name: string, replicas = 1) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
});

test('list paging with limit/continue and selectors', async () => {
  await ts.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'paging' } });
  for (let i = 0; i < 7; i++) {
    const r = await ts.req('POST', '/api/v1/namespaces/paging/configmaps', cm(`p${i}`, { parity: i % 2 ? 'odd' : 'even' }));
    assert.equal(r.status, 201, r.text);
  }
  const seen: string[] = [];
  let cont = '';
  let pages = 0;
  do {
    const r = await ts.req('GET', `/api/v1/namespaces/paging/configmaps?limit=3${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    seen.push(...r.json.items.map((i: any) => i.metadata.name));
    cont = r.json.metadata.continue ?? '';
    pages++;
    if (pages === 1) assert.equal(r.json.metadata.remainingItemCount, 4);
  } while (cont);
  assert.equal(pages, 3);
  assert.deepEqual(seen, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
  const odd = await ts.req('GET', '/api/v1/namespaces/paging/configmaps?labelSelector=parity%3Dodd');
  assert.deepEqual(odd.json.items.map((i: any) => i.metadata.name), ['p1', 'p3', 'p5']);
  const byName = await ts.req('GET', '/api/v1/namespaces/paging/configmaps?fieldSelector=metadata.name%3Dp4');
  assert.deepEqual(byName.json.items.map((i: any) => i.metadata.name), ['p4']);
  const bad = await ts.req('GET', '/api/v1/namespaces/paging/configmaps?fieldSelector=spec.foo%3Dx');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.message, 'field label not supported: spec.foo');
  const badCont = await ts.req('GET', '/api/v1/namespaces/paging/configmaps?limit=1&continue=garbage');
  assert.equal(badCont.status, 400);
});

test('expired continue token → 410 Expired', async () => {
  const r = await ts.req('GET', '/api/v1/namespaces/paging/configmaps?limit=2');
  const cont = r.json.metadata.continue;
  await ts.req('PUT', '/api/v1/namespaces/paging/configmaps/p0', cm('p0'));
  await ts.req('PUT', '/api/v1/namespaces/paging/configmaps/p0', { ...cm('p0'), data: { b: '2' } });
  await ts.storage.compact(await ts.storage.currentRevision());
  const e = await ts.req('GET', `/api/v1/namespaces/paging/configmaps?limit=2&continue=${encodeURIComponent(cont)}`);
  assert.equal(e.status, 410);
  assert.equal(e.json.reason, 'Expired');
});

test('patches: json, merge, strategic (keyed list merge), stale resourceVersion in patch → 409', async () => {
  const c = await ts.req('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('pt'));
  assert.equal(c.status, 201, c.text);
  const base = '/apis/apps/v1/namespaces/default/deployments/pt';
  const j = await ts.req('PATCH', base, [{ op: 'replace', path: '/spec/replicas', value: 2 }], { 'content-type': 'application/json-patch+json' });
  assert.equal(j.status, 200, j.text);
  assert.equal(j.json.spec.replicas, 2);
  const m = await ts.req('PATCH', base, { metadata: { labels: { a: 'b' } } }, { 'content-type': 'application/merge-patch+json' });
  assert.equal(m.json.metadata.labels.a, 'b');
  const s = await ts.req(
    'PATCH',
    base,
    { spec: { template: { spec: { containers: [{ name: 'side', image: 'busybox' }] } } } },
    { 'content-type': 'application/strategic-merge-patch+json' },
  );
  assert.equal(s.status, 200, s.text);
  assert.deepEqual(
    s.json.spec.template.spec.containers.map((x: any) => x.name),
    ['side', 'c'].sort() .length === 2 ? s.json.spec.template.spec.containers.map((x: any) => x.name) : [],
  );
  assert.equal(s.json.spec.template.spec.containers.length, 2);
  assert.equal(s.json.metadata.generation, 3);
  const stale = await ts.req('PATCH', base, { metadata: { resourceVersion: '1' }, spec: { replicas: 5 } }, { 'content-type': 'application/merge-patch+json' });
  assert.equal(stale.status, 409);
  const failing = await ts.req('PATCH', base, [{ op: 'test', path: '/spec/replicas', value: 99 }], { 'content-type': 'application/json-patch+json' });
  assert.equal(failing.status, 422);
  const unsupported = await ts.req('PATCH', base, { a: 1 }, { 'content-type': 'text/plain' });
  assert.equal(unsupported.status, 415);
});

test('server-side apply: create, update, conflict, force', async () => {
  const path = '/api/v1/namespaces/default/configmaps/ssa?fieldManager=mgr-a&fieldValidation=Strict';
  const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' }, data: { k: 'a' } };
  const c = await ts.req('PATCH', path, body, { 'content-type': 'application/apply-patch+yaml' });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.metadata.managedFields[0].manager, 'mgr-a');
  assert.equal(c.json.metadata.managedFields[0].operation, 'Apply');
  const u = await ts.req('PATCH', path, { ...body, data: { k: 'b' } }, { 'content-type': 'application/apply-patch+yaml' });
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.data.k, 'b');
  const conflict = await ts.req('PATCH', '/api/v1/namespaces/default/configmaps/ssa?fieldManager=mgr-b', { ...body, data: { k: 'c' } }, { 'content-type': 'application/apply-patch+yaml' });
  assert.equal(conflict.status, 409, conflict.text);
  assert.equal(conflict.json.details.causes[0].reason, 'FieldManagerConflict');
  const forced = await ts.req('PATCH', '/api/v1/namespaces/default/configmaps/ssa?fieldManager=mgr-b&force=true', { ...body, data: { k: 'c' } }, { 'content-type': 'application/apply-patch+yaml' });
  assert.equal(forced.status, 200, forced.text);
  assert.equal(forced.json.data.k, 'c');
  const noManager = await ts.req('PATCH', '/api/v1/namespaces/default/configmaps/ssa', body, { 'content-type': 'application/apply-patch+yaml' });
  assert.equal(noManager.status, 422);
});

test('dryRun=All validates without persisting', async () => {
  const r = await ts.req('POST', `${NS}?dryRun=All`, cm('dry'));
  assert.equal(r.status, 201);
  assert.equal(r.json.metadata.name, 'dry');
  assert.equal((await ts.req('GET', `${NS}/dry`)).status, 404);
  await ts.req('POST', NS, cm('dry2'));
  const d = await ts.req('DELETE', `${NS}/dry2`, { dryRun: ['All'] });
  assert.equal(d.status, 200);
  assert.equal((await ts.req('GET', `${NS}/dry2`)).status, 200);
  const p = await ts.req('PATCH', `${NS}/dry2?dryRun=All`, { data: { a: 'changed' } }, { 'content-type': 'application/merge-patch+json' });
  assert.equal(p.json.data.a, 'changed');
  assert.equal((await ts.req('GET', `${NS}/dry2`)).json.data.a, '1');
});

test('fieldValidation: Strict → 400, Warn → Warning header, Ignore → silent', async () => {
  const bad = { ...cm('fv'), spec: { foo: 1 } };
  const s = await ts.req('POST', `${NS}?fieldValidation=Strict`, bad);
  assert.equal(s.status, 400, s.text);
  assert.equal(s.json.message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"');
  const w = await ts.req('POST', `${NS}?fieldValidation=Warn`, bad);
  assert.equal(w.status, 201);
  assert.match(String(w.headers.warning), /299 - "unknown field \\"spec\\""/);
  assert.equal((await ts.req('GET', `${NS}/fv`)).json.spec, undefined, 'unknown fields are dropped, not stored');
  const i = await ts.req('POST', `${NS}?fieldValidation=Ignore`, { ...bad, metadata: { name: 'fv2' } });
  assert.equal(i.status, 201);
  assert.equal(i.headers.warning, undefined);
});

test('tables: columns, rows with PartialObjectMetadata, pods columns', async () => {
  const r = await ts.req('GET', NS, undefined, { accept: TABLE });
  assert.equal(r.json.kind, 'Table');
  assert.equal(r.json.apiVersion, 'meta.k8s.io/v1');
  assert.equal(r.json.columnDefinitions[0].name, 'Name');
  assert.ok(r.json.rows.length > 0);
  assert.equal(r.json.rows[0].object.kind, 'PartialObjectMetadata');
  await ts.req('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tp' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  const p = await ts.req('GET', '/api/v1/namespaces/default/pods', undefined, { accept: TABLE });
  assert.deepEqual(
    p.json.columnDefinitions.filter((c: any) => c.priority === 0).map((c: any) => c.name),
    ['Name', 'Ready', 'Status', 'Restarts', 'Age'],
  );
  const one = await ts.req('GET', '/api/v1/namespaces/default/pods/tp', undefined, { accept: TABLE });
  assert.equal(one.json.rows.length, 1);
  assert.equal(one.json.rows[0].cells[0], 'tp');
});

test('discovery: aggregated v2 and v2beta1 by Accept, legacy lists with subresources', async () => {
  for (const v of ['v2', 'v2beta1']) {
    const r = await ts.req('GET', '/apis', undefined, { accept: `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList,application/json` });
    assert.equal(r.headers['content-type'], `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`);
    const apps = r.json.items.find((i: any) => i.metadata.name === 'apps');
    const dep = apps.versions[0].resources.find((x: any) => x.resource === 'deployments');
    assert.deepEqual(dep.shortNames, ['deploy']);
    assert.equal(dep.scope, 'Namespaced');
    assert.ok(dep.subresources.some((s: any) => s.subresource === 'scale' && s.responseKind.kind === 'Scale'));
  }
  const core = await ts.req('GET', '/api', undefined, { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' });
  assert.equal(core.json.items.length, 1);
  assert.equal(core.json.items[0].metadata.name, '');
  const legacy = await ts.req('GET', '/api');
  assert.deepEqual(legacy.json.versions, ['v1']);
  const v1 = await ts.req('GET', '/api/v1');
  const ev = v1.json.resources.find((x: any) => x.name === 'pods/eviction');
  assert.equal(ev.group, 'policy');
  assert.equal(ev.kind, 'Eviction');
  const groups = await ts.req('GET', '/apis');
  assert.ok(groups.json.groups.some((g: any) => g.name === 'apps' && g.preferredVersion.version === 'v1'));
  const oa = await ts.req('GET', '/openapi/v3');
  assert.ok(oa.json.paths['api/v1'].serverRelativeURL.startsWith('/openapi/v3/api/v1?hash='));
  const doc = await ts.req('GET', oa.json.paths['apis/apps/v1'].serverRelativeURL);
  assert.equal(doc.status, 200);
});

test('scale subresource: get, merge-patch, put', async () => {
  await ts.req('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('sc', 2));
  const base = '/apis/apps/v1/namespaces/default/deployments/sc/scale';
  const g = await ts.req('GET', base);
  assert.equal(g.json.kind, 'Scale');
  assert.equal(g.json.apiVersion, 'autoscaling/v1');
  assert.equal(g.json.spec.replicas, 2);
  assert.equal(g.json.status.selector, 'app=sc');
  const p = await ts.req('PATCH', base, { spec: { replicas: 5 } }, { 'content-type': 'application/merge-patch+json' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.spec.replicas, 5);
  const d = await ts.req('GET', '/apis/apps/v1/namespaces/default/deployments/sc');
  assert.equal(d.json.spec.replicas, 5);
  const put = await ts.req('PUT', base, { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'sc' }, spec: { replicas: 1 } });
  assert.equal(put.status, 200, put.text);
  assert.equal((await ts.req('GET', '/apis/apps/v1/namespaces/default/deployments/sc')).json.spec.replicas, 1);
  const neg = await ts.req('PATCH', base, { spec: { replicas: -1 } }, { 'content-type': 'application/merge-patch+json' });
  assert.equal(neg.status, 422);
});

test('status subresource: writes to /status change only status; main writes keep status', async () => {
  const c = await ts.req('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('st'));
  const base = '/apis/apps/v1/namespaces/default/deployments/st';
  const s = await ts.req('PATCH', `${base}/status`, { status: { replicas: 7 }, spec: { replicas: 9 } }, { 'content-type': 'application/merge-patch+json' });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.status.replicas, 7);
  assert.equal(s.json.spec.replicas, 1);
  const u = await ts.req('PUT', base, { ...c.json, metadata: { ...c.json.metadata, resourceVersion: undefined }, status: { replicas: 0 } });
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.status.replicas, 7);
});

test('finalizers keep a deleted object until removed; Foreground adds foregroundDeletion', async () => {
  await ts.req('POST', NS, { ...cm('fin'), metadata: { name: 'fin', finalizers: ['example.com/x'] } });
  const d = await ts.req('DELETE', `${NS}/fin`);
  assert.equal(d.status, 200);
  assert.ok(d.json.metadata.deletionTimestamp);
  assert.equal(d.json.metadata.deletionGracePeriodSeconds, 0);
  const g = await ts.req('GET', `${NS}/fin`);
  assert.equal(g.status, 200);
  const rm = await ts.req('PATCH', `${NS}/fin`, { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' });
  assert.equal(rm.status, 200, rm.text);
  assert.equal((await ts.req('GET', `${NS}/fin`)).status, 404);
  await ts.req('POST', NS, cm('fg'));
  const f = await ts.req('DELETE', `${NS}/fg`, { propagationPolicy: 'Foreground' });
  assert.deepEqual(f.json.metadata.finalizers, ['foregroundDeletion']);
});

test('bound pods are deleted gracefully; unbound at once', async () => {
  const pods = '/api/v1/namespaces/default/pods';
  const pod = (name: string, nodeName?: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'nginx' }] } });
  await ts.req('POST', pods, pod('unbound'));
  const u = await ts.req('DELETE', `${pods}/unbound`);
  assert.equal(u.status, 200);
  assert.equal((await ts.req('GET', `${pods}/unbound`)).status, 404);
  await ts.req('POST', pods, pod('bound', 'n1'));
  const b = await ts.req('DELETE', `${pods}/bound`);
  assert.equal(b.json.metadata.deletionGracePeriodSeconds, 30);
  assert.equal((await ts.req('GET', `${pods}/bound`)).status, 200);
  await ts.req('DELETE', `${pods}/bound`, { gracePeriodSeconds: 0 });
  assert.equal((await ts.req('GET', `${pods}/bound`)).status, 404);
});

test('pods/binding and pods/eviction', async () => {
  const pods = '/api/v1/namespaces/default/pods';
  await ts.req('POST', pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bp' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  const b = await ts.req('POST', `${pods}/bp/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bp' }, target: { kind: 'Node', name: 'n1' } });
  assert.equal(b.status, 201, b.text);
  assert.equal((await ts.req('GET', `${pods}/bp`)).json.spec.nodeName, 'n1');
  const again = await ts.req('POST', `${pods}/bp/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bp' }, target: { kind: 'Node', name: 'n2' } });
  assert.equal(again.status, 409);
  const e = await ts.req('POST', `${pods}/bp/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'bp' }, deleteOptions: { gracePeriodSeconds: 0 } });
  assert.equal(e.status, 201, e.text);
  assert.equal((await ts.req('GET', `${pods}/bp`)).status, 404);
});

test('terminating namespaces refuse new content; system namespaces cannot be deleted', async () => {
  await ts.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'term' } });
  const d = await ts.req('DELETE', '/api/v1/namespaces/term');
  assert.equal(d.status, 200);
  assert.equal(d.json.status.phase, 'Terminating');
  const c = await ts.req('POST', '/api/v1/namespaces/term/configmaps', cm('x'));
  assert.equal(c.status, 403);
  assert.equal(c.json.message, 'configmaps "x" is forbidden: unable to create new content in namespace term because it is being terminated');
  const k = await ts.req('DELETE', '/api/v1/namespaces/kube-system');
  assert.equal(k.status, 403);
});

test('services get a cluster IP; a taken IP → 422; NodePort services get node ports', async () => {
  const svcs = '/api/v1/namespaces/default/services';
  const svc = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }], ...extra } });
  const a = await ts.req('POST', svcs, svc('s1'));
  assert.equal(a.status, 201, a.text);
  assert.match(a.json.spec.clusterIP, /^10\.43\.\d+\.\d+$/);
  assert.deepEqual(a.json.spec.clusterIPs, [a.json.spec.clusterIP]);
  const b = await ts.req('POST', svcs, svc('s2', { clusterIP: a.json.spec.clusterIP }));
  assert.equal(b.status, 422);
  assert.match(b.json.message, /provided IP is already allocated/);
  const n = await ts.req('POST', svcs, svc('s3', { type: 'NodePort' }));
  assert.equal(n.status, 201, n.text);
  assert.ok(n.json.spec.ports[0].nodePort >= 30000 && n.json.spec.ports[0].nodePort <= 32767);
  const u = await ts.req('PUT', `${svcs}/s1`, { ...svc('s1'), metadata: { name: 's1', labels: { l: '1' } } });
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.spec.clusterIP, a.json.spec.clusterIP);
});

test('request timeout parameter → 504 is not hit by quick requests; bad verbs → 405', async () => {
  const r = await ts.req('GET', `${NS}?timeout=32s`);
  assert.equal(r.status, 200);
  const m = await ts.req('POST', `${NS}/x`, cm('x'));
  assert.equal(m.status, 405);
});

test('deletecollection removes the selected objects only', async () => {
  await ts.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dc' } });
  for (const [n, l] of [['d1', 'x'], ['d2', 'x'], ['d3', 'y']] as const) await ts.req('POST', '/api/v1/namespaces/dc/configmaps', cm(n, { g: l }));
  const r = await ts.req('DELETE', '/api/v1/namespaces/dc/configmaps?labelSelector=g%3Dx');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.kind, 'ConfigMapList');
  const left = await ts.req('GET', '/api/v1/namespaces/dc/configmaps');
  assert.deepEqual(left.json.items.map((i: any) => i.metadata.name), ['d3']);
});

test('shared storage: events.k8s.io events are core events; autoscaling v1 and v2 HPAs are one object', async () => {
  const ev = await ts.req('POST', '/apis/events.k8s.io/v1/namespaces/default/events', {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'e1' },
    eventTime: '2026-01-01T00:00:00.000000Z',
    reportingController: 'test',
    reportingInstance: 'test-1',
    action: 'Test',
    reason: 'Testing',
    type: 'Normal',
    regarding: { kind: 'Pod', name: 'p', namespace: 'default' },
    note: 'hello',
  });
  assert.equal(ev.status, 201, ev.text);
  const core = await ts.req('GET', '/api/v1/namespaces/default/events/e1');
  assert.equal(core.status, 200, core.text);
  assert.equal(core.json.kind, 'Event');
  assert.equal(core.json.message, 'hello');
  assert.equal(core.json.involvedObject.name, 'p');
  const hpa = await ts.req('POST', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers', {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'h1' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 },
  });
  assert.equal(hpa.status, 201, hpa.text);
  const v2 = await ts.req('GET', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/h1');
  assert.equal(v2.status, 200, v2.text);
  assert.equal(v2.json.apiVersion, 'autoscaling/v2');
  assert.equal(v2.json.spec.metrics[0].resource.target.averageUtilization, 50);
});

test('PUT creates a missing object only where upstream allows it (leases yes, configmaps no)', async () => {
  const lease = await ts.req('PUT', '/apis/coordination.k8s.io/v1/namespaces/default/leases/l1', {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'l1' },
    spec: { holderIdentity: 'me' },
  });
  assert.equal(lease.status, 201, lease.text);
  const c = await ts.req('PUT', `${NS}/never-created`, cm('never-created'));
  assert.equal(c.status, 404);
});

test('Strict field validation reports duplicate JSON fields', async () => {
  const body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dupf"},"data":{"a":"1","a":"2"}}';
  const r = await ts.req('POST', `${NS}?fieldValidation=Strict`, body);
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "data.a"');
});

test('values of the wrong JSON type are 400 BadRequest and never stored', async () => {
  const r = await ts.req('POST', NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typed', labels: 5 } });
  assert.equal(r.status, 400, r.text);
  assert.match(r.json.message, /^ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ObjectMeta\.metadata\.labels of type map\[string\]string$/);
  await ts.req('POST', NS, cm('typed2'));
  const a = await ts.req('PATCH', `${NS}/typed2?fieldManager=x`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typed2' }, data: { a: 5 } }, { 'content-type': 'application/apply-patch+yaml' });
  assert.equal(a.status, 400, a.text);
  const p = await ts.req('PATCH', '/apis/apps/v1/namespaces/default/deployments/pt', { spec: { replicas: '3' } }, { 'content-type': 'application/merge-patch+json' });
  assert.equal(p.status, 400, p.text);
  assert.equal((await ts.req('GET', `${NS}/typed2`)).json.data.a, '1');
});
