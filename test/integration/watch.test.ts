// Watch semantics end to end: resume from a resourceVersion with exactly the missed events, ""/"0"
// synthetic ADDED, selector transitions, Table events, bookmarks, timeoutSeconds, 410 after
// compaction, and a server restart on the same database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, watch } from './harness.js';

const cm = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});
const NS = '/api/v1/namespaces/default/configmaps';

test('watch resumes from a resourceVersion with exactly the missed events', async () => {
  const ts = await startTestServer();
  try {
    const a = await ts.req('POST', NS, cm('a'));
    const rv = a.json.metadata.resourceVersion;
    await ts.req('POST', NS, cm('b'));
    await ts.req('PUT', `${NS}/a`, cm('a', {}, { k: 'v' }));
    await ts.req('DELETE', `${NS}/b`);
    const w = await watch(ts, `${NS}?watch=true&resourceVersion=${rv}`, (ev) => ev.length >= 3, 3000);
    assert.equal(w.status, 200);
    assert.deepEqual(
      w.events.map((e) => [e.type, e.object.metadata.name]),
      [
        ['ADDED', 'b'],
        ['MODIFIED', 'a'],
        ['DELETED', 'b'],
      ],
    );
    // Every event carries an increasing resourceVersion.
    const rvs = w.events.map((e) => Number(e.object.metadata.resourceVersion));
    assert.deepEqual([...rvs].sort((x, y) => x - y), rvs);
  } finally {
    await ts.close();
  }
});

test('watch from "" sends the current state as ADDED, then live events; selectors filter with transitions', async () => {
  const ts = await startTestServer();
  try {
    await ts.req('POST', NS, cm('x', { app: 'web' }));
    const p = watch(ts, `${NS}?watch=true&labelSelector=app%3Dweb`, (ev) => ev.length >= 4, 4000);
    await new Promise((r) => setTimeout(r, 200));
    await ts.req('POST', NS, cm('y', { app: 'other' }));
    await ts.req('PUT', `${NS}/y`, cm('y', { app: 'web' }));
    await ts.req('PUT', `${NS}/x`, cm('x', { app: 'gone' }));
    await ts.req('PUT', `${NS}/y`, cm('y', { app: 'web' }, { z: '1' }));
    const w = await p;
    assert.deepEqual(
      w.events.map((e) => [e.type, e.object.metadata.name]),
      [
        ['ADDED', 'x'],
        ['ADDED', 'y'],
        ['DELETED', 'x'],
        ['MODIFIED', 'y'],
      ],
    );
  } finally {
    await ts.close();
  }
});

test('watch with Table Accept sends one-row tables; timeoutSeconds ends the stream; bookmarks', async () => {
  const ts = await startTestServer();
  try {
    await ts.req('POST', NS, cm('t1'));
    const w = await watch(ts, `${NS}?watch=true&timeoutSeconds=1`, () => false, 4000, {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    assert.equal(w.ended, true);
    const first = w.events[0];
    assert.equal(first.type, 'ADDED');
    assert.equal(first.object.kind, 'Table');
    assert.equal(first.object.rows.length, 1);
    assert.equal(first.object.rows[0].cells[0], 't1');
    assert.equal(first.object.rows[0].object.kind, 'PartialObjectMetadata');
  } finally {
    await ts.close();
  }
});

test('410 Expired ERROR event when watching from a compacted revision', async () => {
  const ts = await startTestServer();
  try {
    const a = await ts.req('POST', NS, cm('c1'));
    const old = Number(a.json.metadata.resourceVersion);
    for (let i = 0; i < 3; i++) await ts.req('PUT', `${NS}/c1`, cm('c1', {}, { i: String(i) }));
    const cur = await ts.storage.currentRevision();
    await ts.storage.compact(cur);
    const w = await watch(ts, `${NS}?watch=true&resourceVersion=${old}`, (ev) => ev.length >= 1, 3000);
    assert.equal(w.status, 200);
    assert.equal(w.events[0].type, 'ERROR');
    assert.equal(w.events[0].object.code, 410);
    assert.equal(w.events[0].object.reason, 'Expired');
    assert.match(w.events[0].object.message, /^too old resource version: /);
  } finally {
    await ts.close();
  }
});

test('restart keeps every object and a resumed watch gets exactly the missed events', async () => {
  let ts = await startTestServer();
  const dir = ts.dir;
  const a = await ts.req('POST', NS, cm('r1'));
  await ts.req('POST', NS, cm('r2'));
  const rv = a.json.metadata.resourceVersion;
  await ts.close({ keepDir: true });
  ts = await startTestServer(dir);
  try {
    const l = await ts.req('GET', NS);
    assert.deepEqual(
      l.json.items.map((i: any) => i.metadata.name),
      ['r1', 'r2'],
    );
    await ts.req('PUT', `${NS}/r1`, cm('r1', {}, { after: 'restart' }));
    await ts.req('DELETE', `${NS}/r2`);
    const w = await watch(ts, `${NS}?watch=true&resourceVersion=${rv}`, (ev) => ev.length >= 3, 3000);
    assert.deepEqual(
      w.events.map((e) => [e.type, e.object.metadata.name]),
      [
        ['ADDED', 'r2'],
        ['MODIFIED', 'r1'],
        ['DELETED', 'r2'],
      ],
    );
  } finally {
    await ts.close();
  }
});

test('allowWatchBookmarks sends BOOKMARK events with the latest resourceVersion', async () => {
  const ts = await startTestServer();
  try {
    const a = await ts.req('POST', NS, cm('bm'));
    const w = await watch(ts, `${NS}?watch=true&allowWatchBookmarks=true&resourceVersion=${a.json.metadata.resourceVersion}`, (ev) => ev.some((e) => e.type === 'BOOKMARK'), 3000);
    const bm = w.events.find((e) => e.type === 'BOOKMARK');
    assert.ok(bm, 'a bookmark arrived');
    assert.equal(bm.object.kind, 'ConfigMap');
    assert.equal(bm.object.apiVersion, 'v1');
    assert.ok(Number(bm.object.metadata.resourceVersion) >= Number(a.json.metadata.resourceVersion));
  } finally {
    await ts.close();
  }
});

test('watch response headers arrive before any event (HTTP/1.1)', async () => {
  const ts = await startTestServer();
  try {
    const https = await import('node:https');
    const agent = new https.Agent({ ca: ts.certs.ca.cert, cert: ts.certs.client.cert, key: ts.certs.client.key });
    const rv = String(await ts.storage.currentRevision());
    const status = await new Promise<number>((resolve, reject) => {
      const r = https.request({ host: '127.0.0.1', port: ts.server.port, path: `${NS}?watch=true&resourceVersion=${rv}`, agent }, (res) => {
        resolve(res.statusCode ?? 0);
        r.destroy();
      });
      r.on('error', () => {});
      setTimeout(() => reject(new Error('no response headers within 1s')), 1000);
      r.end();
    });
    agent.destroy();
    assert.equal(status, 200);
  } finally {
    await ts.close();
  }
});
