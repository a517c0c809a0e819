// The watch cache over SQLite: the shared storage conformance suite, plus cacher-specific behaviour
// (memory lists equal inner lists, one inner watch for 100 watchers, window overflow falls back to
// the inner storage, read-your-writes, and the pure helpers it is built from).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage, WatchEvent } from '../interface.js';
import { runStorageConformance } from '../conformance.js';
import { openSqliteStorage } from '../sqlite/index.js';
import { createCacher, resourcePrefixOf } from './index.js';
import { EventWindow } from './event-window.js';
import { insertKey, prefixSpan, removeKey } from './sorted-keys.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-cacher-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => openSqliteStorage(join(dir, `t${n++}.db`));

runStorageConformance('cacher over sqlite', async () => {
  const c = createCacher(fresh());
  await c.ready();
  return c;
});

// Again with the caches of the resources the suite uses built up front, so that its watches are
// served from memory too (a cold cacher sends the first watch of a resource to the inner storage).
runStorageConformance('cacher over sqlite, warm caches', async () => {
  const c = createCacher(fresh());
  for (const r of ['pods', 'configmaps', 'secrets']) await c.list(`/registry/core/${r}/`);
  await c.ready();
  return c;
});

/** Wraps a storage and counts the calls that the cache is supposed to save. */
function counting(inner: Storage) {
  const calls = { list: 0, watch: 0 };
  const s: Storage = {
    ...inner,
    list: (p, o) => (calls.list++, inner.list(p, o)),
    watch: (p, o) => (calls.watch++, inner.watch(p, o)),
  };
  return { s, calls };
}

const PODS = '/registry/core/pods/';

describe('watch cache', () => {
  it('serves lists from memory that equal the inner lists', async () => {
    const inner = fresh();
    const { s, calls } = counting(inner);
    const c = createCacher(s);
    for (let i = 0; i < 30; i++) await c.create(`${PODS}ns${i % 3}/p${i}`, `v${i}`);
    await c.delete(`${PODS}ns1/p4`);
    const cases = [
      [PODS, {}],
      [`${PODS}ns1/`, {}],
      [`${PODS}ns2/`, { limit: 4 }],
      [PODS, { limit: 7, startAfter: `${PODS}ns0/p3` }],
      [`${PODS}ns1/`, { limit: 100, startAfter: `${PODS}ns0/zzz` }],
      [`${PODS}nope/`, {}],
    ] as const;
    await c.list(PODS); // builds the cache (one inner list)
    const before = calls.list;
    for (const [prefix, opts] of cases) {
      const fromCache = await c.list(prefix, opts);
      assert.deepEqual(fromCache, await inner.list(prefix, opts), `${prefix} ${JSON.stringify(opts)}`);
      assert.equal(await c.count(prefix), await inner.count(prefix));
    }
    assert.equal(calls.list, before, 'no list reached the inner storage');
    await c.close();
  });

  it('is read-your-writes and pins older pages to the inner storage', async () => {
    const { s, calls } = counting(fresh());
    const c = createCacher(s);
    await c.list(PODS);
    const a = await c.create(`${PODS}ns/a`, 'a1');
    let res = await c.list(PODS);
    assert.deepEqual([res.revision, res.items.map((kv) => kv.value)], [a.modRevision, ['a1']]);
    await c.create(`${PODS}ns/b`, 'b1');
    const listsBefore = calls.list;
    res = await c.list(PODS, { revision: a.modRevision, limit: 10 });
    assert.deepEqual(res.items.map((kv) => kv.value), ['a1'], 'old revision: state at that revision');
    assert.equal(calls.list, listsBefore + 1, 'served by the inner storage');
    // A revision from another resource's newer write: same state, that revision reported.
    const cm = await c.create('/registry/core/configmaps/ns/x', 'x');
    res = await c.list(PODS, { revision: cm.modRevision });
    assert.equal(res.revision, cm.modRevision);
    assert.equal(res.items.length, 2);
    await c.close();
  });

  it('fans out to 100 watchers over one inner watch, every event in order', async () => {
    const { s, calls } = counting(fresh());
    const c = createCacher(s);
    const start = (await c.list(PODS)).revision;
    const watchesBefore = calls.watch;
    const seen: number[][] = [];
    const handles = Array.from({ length: 100 }, (_, i) => {
      seen.push([]);
      return c.watch(i % 2 ? PODS : `${PODS}ns0/`, { fromRevision: start, onEvent: (ev) => void seen[i]!.push(ev.kv.modRevision) });
    });
    assert.equal(calls.watch, watchesBefore, 'no new inner watch');
    const revs: number[] = [];
    const ns0: number[] = [];
    for (let i = 0; i < 50; i++) {
      const kv = await c.create(`${PODS}ns${i % 2}/p${i}`, 'x');
      revs.push(kv.modRevision);
      if (i % 2 === 0) ns0.push(kv.modRevision);
    }
    for (let i = 0; i < 100; i++) assert.deepEqual(seen[i], i % 2 ? revs : ns0, `watcher ${i}`);
    for (const h of handles) h.stop();
    await c.close();
  });

  it('falls back to the inner storage when a watch starts before the window', async () => {
    const { s, calls } = counting(fresh());
    const c = createCacher(s, { window: 5 });
    const first = await c.create(`${PODS}ns/a0`, 'x');
    await c.list(PODS);
    for (let i = 1; i < 20; i++) await c.create(`${PODS}ns/a${i}`, 'x');
    const watchesBefore = calls.watch;
    const events: WatchEvent[] = [];
    const h = c.watch(PODS, { fromRevision: first.modRevision, onEvent: (ev) => void events.push(ev) });
    assert.equal(calls.watch, watchesBefore + 1, 'delegated to the inner storage');
    assert.equal(events.length, 19);
    h.stop();
    // Within the window: served from memory.
    const recent: WatchEvent[] = [];
    const h2 = c.watch(PODS, { fromRevision: first.modRevision + 16, onEvent: (ev) => void recent.push(ev) });
    assert.equal(calls.watch, watchesBefore + 1, 'no inner watch for a watch inside the window');
    assert.deepEqual(recent.map((e) => e.kv.modRevision), [first.modRevision + 17, first.modRevision + 18, first.modRevision + 19]);
    h2.stop();
    await c.close();
  });

  it('reports the global revision, never below the compaction point', async () => {
    const c = createCacher(fresh());
    await c.create(`${PODS}ns/a`, 'x');
    await c.list(PODS); // pods cache built at revision 1
    for (let i = 0; i < 20; i++) await c.create(`/registry/core/configmaps/ns/c${i}`, 'x');
    await c.compact(15);
    const res = await c.list(PODS);
    assert.equal(res.revision, 21, 'the current revision, not the pods cache\'s last event');
    const events: WatchEvent[] = [];
    const h = c.watch(PODS, { fromRevision: res.revision, onEvent: (ev) => void events.push(ev) });
    await c.create(`${PODS}ns/b`, 'y');
    assert.deepEqual(events.map((e) => e.kv.modRevision), [22]);
    h.stop();
    await c.close();
  });

  it('builds a cache from a list pinned at the synced revision while writes continue', async () => {
    const c = createCacher(fresh());
    await c.ready();
    const writes = Array.from({ length: 50 }, (_, i) => c.create(`${PODS}ns/p${i}`, 'x'));
    const [first] = await Promise.all([c.list(PODS), ...writes]);
    const later = await c.list(PODS);
    assert.equal(later.items.length, 50);
    assert.ok((first as { items: unknown[] }).items.length <= 50);
    await c.close();
  });

  it('freezes cached values so readers cannot corrupt the cache', async () => {
    const c = createCacher(fresh());
    await c.create(`${PODS}ns/a`, 'x');
    const [kv] = (await c.list(PODS)).items;
    assert.throws(() => ((kv as { value: string }).value = 'changed'), TypeError);
    await c.close();
  });
});

describe('watch cache helpers', () => {
  it('finds the resource prefix of keys and prefixes', () => {
    const table: Array<[string, string | undefined]> = [
      ['/registry/core/pods/ns/x', '/registry/core/pods/'],
      ['/registry/core/pods/', '/registry/core/pods/'],
      ['/registry/core/namespaces/default', '/registry/core/namespaces/'],
      ['/registry/core/pods', undefined],
      ['/registry/', undefined],
      ['', undefined],
    ];
    for (const [input, want] of table) assert.equal(resourcePrefixOf(input), want, input);
  });

  it('keeps keys sorted and finds prefix spans', () => {
    const keys: string[] = [];
    for (const k of ['/p/ns1/b', '/p/ns10/a', '/p/ns1/a', '/p/ns2/a', '/p/ns1/a']) insertKey(keys, k);
    assert.deepEqual(keys, ['/p/ns1/a', '/p/ns1/b', '/p/ns10/a', '/p/ns2/a']);
    assert.deepEqual(prefixSpan(keys, '/p/ns1/'), [0, 2]);
    assert.deepEqual(prefixSpan(keys, '/p/'), [0, 4]);
    assert.deepEqual(prefixSpan(keys, '/p/ns3/'), [4, 4]);
    removeKey(keys, '/p/ns1/b');
    removeKey(keys, '/p/none');
    assert.deepEqual(keys, ['/p/ns1/a', '/p/ns10/a', '/p/ns2/a']);
  });

  it('event window keeps the last N events and knows where it starts', () => {
    const w = new EventWindow(3, 2);
    const ev = (rev: number): WatchEvent => ({ type: 'PUT', kv: { key: 'k', value: '', createRevision: rev, modRevision: rev } });
    for (const r of [5, 8, 9, 12]) w.push(ev(r));
    assert.equal(w.startRevision, 5);
    assert.deepEqual(w.since(5).map((e) => e.kv.modRevision), [8, 9, 12]);
    assert.deepEqual(w.since(8).map((e) => e.kv.modRevision), [9, 12]);
    assert.deepEqual(w.since(12), []);
  });
});
