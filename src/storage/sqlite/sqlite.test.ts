// Runs the shared storage conformance suite against the SQLite backend, plus SQLite-specific checks:
// persistence across reopen (data, revision counter, compaction point) and the storage URL registry.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStorageConformance } from '../conformance.js';
import { openSqliteStorage, startCompactor } from './index.js';
import { openStorage } from '../index.js';
import { prefixRange } from './db.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `t${n++}.db`);

runStorageConformance('sqlite', async () => openSqliteStorage(fresh()));

describe('sqlite backend', () => {
  it('keeps data, the revision counter and the compaction point across reopen', async () => {
    const file = fresh();
    const s1 = openSqliteStorage(file);
    const a = await s1.create('/registry/core/pods/ns/a', 'a1');
    await s1.update('/registry/core/pods/ns/a', 'a2', a.modRevision);
    const b = await s1.create('/registry/core/pods/ns/b', 'b1');
    await s1.delete('/registry/core/pods/ns/b', b.modRevision); // rev 4, compacted away below
    await s1.compact(4);
    await s1.close();
    const s2 = openSqliteStorage(file);
    assert.equal(await s2.currentRevision(), 4, 'revision survives even though the last row was compacted');
    assert.equal(await s2.compactedRevision(), 4);
    assert.equal((await s2.get('/registry/core/pods/ns/a'))?.value, 'a2');
    const c = await s2.create('/registry/core/pods/ns/c', 'c1');
    assert.equal(c.modRevision, 5);
    assert.throws(() => s2.watch('/registry/', { fromRevision: 2, onEvent: () => {} }), /too old/);
    await s2.close();
  });

  it('opens through openStorage with sqlite:// URLs and bare paths, rejects unknown schemes', async () => {
    for (const url of [`sqlite://${fresh()}`, fresh()]) {
      const s = await openStorage(url);
      assert.equal((await s.create('/registry/core/pods/ns/a', 'x')).modRevision, 1);
      await s.close();
    }
    await assert.rejects(openStorage('nope://x'), /unknown storage scheme "nope"/);
  });

  it('group-commits concurrent writes: one revision each, visible only once committed', async () => {
    const s = openSqliteStorage(fresh());
    const events: number[] = [];
    s.watch('/registry/', { fromRevision: 0, onEvent: (ev) => void events.push(ev.kv.modRevision) });
    const writes = Array.from({ length: 16 }, (_, i) => s.create(`/registry/core/pods/ns/p${i}`, 'x'));
    assert.equal(await s.currentRevision(), 0, 'nothing is visible before COMMIT');
    assert.equal(await s.get('/registry/core/pods/ns/p0'), undefined);
    const kvs = await Promise.all(writes);
    assert.deepEqual(kvs.map((kv) => kv.modRevision), Array.from({ length: 16 }, (_, i) => i + 1));
    assert.deepEqual(events, kvs.map((kv) => kv.modRevision), 'published before the writes resolve');
    assert.equal(await s.currentRevision(), 16);
    // Conflicts inside one batch are detected against the batch's own uncommitted rows.
    const [a, b] = await Promise.allSettled([s.create('/registry/core/pods/ns/dup', '1'), s.create('/registry/core/pods/ns/dup', '2')]);
    assert.equal(a.status, 'fulfilled');
    assert.equal(b.status, 'rejected');
    await s.close();
  });

  it('startCompactor keeps the last keepRevisions revisions', async () => {
    const s = openSqliteStorage(fresh());
    for (let i = 0; i < 20; i++) await s.create(`/registry/core/pods/ns/p${i}`, 'x');
    const c = startCompactor(s, { intervalMs: 5, keepRevisions: 5 });
    for (let i = 0; i < 100 && (await s.compactedRevision()) < 15; i++) await new Promise((r) => setTimeout(r, 5));
    c.stop();
    assert.equal(await s.compactedRevision(), 15);
    assert.equal(await s.count('/registry/core/pods/'), 20, 'live keys are never compacted away');
    await s.close();
  });

  it('computes exact prefix ranges', () => {
    const table: Array<[string, string, string]> = [
      ['/registry/core/pods/', '/registry/core/pods/', '/registry/core/pods0'],
      ['/a', '/a', '/b'],
      ['', '', '\u{10FFFF}'],
    ];
    for (const [prefix, lo, hi] of table) assert.deepEqual(prefixRange(prefix), { lo, hi });
  });

  it('delivers events in revision order when a watcher writes from its handler', async () => {
    const s = openSqliteStorage(fresh());
    const seen: Record<string, number[]> = { first: [], second: [] };
    s.watch('/registry/', {
      fromRevision: 0,
      onEvent: (ev) => {
        seen.first!.push(ev.kv.modRevision);
        if (ev.kv.key.endsWith('/a')) void s.create('/registry/core/pods/ns/b', 'from handler');
      },
    });
    s.watch('/registry/', { fromRevision: 0, onEvent: (ev) => void seen.second!.push(ev.kv.modRevision) });
    await s.create('/registry/core/pods/ns/a', 'x');
    await new Promise((r) => setTimeout(r, 20)); // the handler's write commits in a later batch
    assert.deepEqual(seen, { first: [1, 2], second: [1, 2] });
    await s.close();
  });
});
