// The storage conformance suite: the etcd-like contract of interface.ts written once as tests, run
// against every implementation (sqlite backend, the watch cache over it, and later etcd) — like
// hono's shared router test cases. `open` must return a fresh, empty store each time; each test
// closes what it opens. Keys use the real `/registry/<group>/<resource>/…` shape so that the watch
// cache's per-resource caches are exercised too.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyValue, Storage, WatchEvent } from './interface.js';
import { StorageError } from './interface.js';

const PODS = '/registry/core/pods/';
const pod = (ns: string, name: string) => `${PODS}${ns}/${name}`;

/** Asserts that `p` rejects (or `fn` throws) with a StorageError of the given code. */
async function rejectsWith(p: Promise<unknown> | (() => unknown), code: StorageError['code']): Promise<void> {
  await assert.rejects(
    async () => (typeof p === 'function' ? p() : p),
    (err: unknown) => err instanceof StorageError && err.code === code,
  );
}

/** Collects events from a watch; `until(n)` waits (briefly) for n events. */
function collector() {
  const events: WatchEvent[] = [];
  const errors: Error[] = [];
  return {
    events,
    errors,
    opts: (fromRevision: number) => ({ fromRevision, onEvent: (ev: WatchEvent) => void events.push(ev), onError: (e: Error) => void errors.push(e) }),
    async until(n: number): Promise<void> {
      for (let i = 0; i < 200 && events.length < n; i++) await new Promise((r) => setTimeout(r, 5));
      assert.ok(events.length >= n, `expected ${n} events, got ${events.length}`);
    },
    summary: () => events.map((e) => `${e.type} ${e.kv.key} ${e.kv.value}@${e.kv.modRevision}`),
  };
}

export function runStorageConformance(name: string, open: () => Promise<Storage>): void {
  /** Opens a store, runs the body, always closes. */
  const withStore = (body: (s: Storage) => Promise<void>) => async () => {
    const s = await open();
    try {
      await body(s);
    } finally {
      await s.close();
    }
  };

  describe(`storage conformance: ${name}`, () => {
    it('increments the revision by exactly one per successful write', withStore(async (s) => {
      const r0 = await s.currentRevision();
      const a = await s.create(pod('ns', 'a'), 'v1');
      assert.equal(a.modRevision, r0 + 1);
      assert.equal(a.createRevision, r0 + 1);
      const b = await s.update(pod('ns', 'a'), 'v2', a.modRevision);
      assert.equal(b.modRevision, r0 + 2);
      assert.equal(b.createRevision, r0 + 1, 'createRevision is kept across updates');
      await rejectsWith(s.create(pod('ns', 'a'), 'x'), 'KeyExists'); // failed writes use no revision
      const c = await s.delete(pod('ns', 'a'));
      assert.equal(c.modRevision, r0 + 3);
      assert.equal(await s.currentRevision(), r0 + 3);
    }));

    it('creates only if absent, and again after a delete', withStore(async (s) => {
      const k = pod('ns', 'a');
      const first = await s.create(k, 'one');
      await rejectsWith(s.create(k, 'two'), 'KeyExists');
      assert.equal((await s.get(k))?.value, 'one');
      await s.delete(k, first.modRevision);
      assert.equal(await s.get(k), undefined);
      const again = await s.create(k, 'three');
      assert.equal(again.createRevision, again.modRevision, 'a re-created key starts a new life');
      assert.deepEqual(await s.get(k), again);
    }));

    it('rejects updates and deletes with a stale or missing revision', withStore(async (s) => {
      const k = pod('ns', 'a');
      const v1 = await s.create(k, 'v1');
      const v2 = await s.update(k, 'v2', v1.modRevision);
      await rejectsWith(s.update(k, 'v3', v1.modRevision), 'RevisionMismatch');
      await rejectsWith(s.delete(k, v1.modRevision), 'RevisionMismatch');
      await rejectsWith(s.update(pod('ns', 'missing'), 'v', 1), 'KeyNotFound');
      await rejectsWith(s.delete(pod('ns', 'missing')), 'KeyNotFound');
      const err = await s.update(k, 'v3', v1.modRevision).catch((e: unknown) => e);
      assert.ok(err instanceof StorageError && err.revision === v2.modRevision, 'mismatch reports the current revision');
      const gone = await s.delete(k, v2.modRevision);
      assert.equal(gone.value, 'v2', 'delete returns the last value');
      await rejectsWith(s.update(k, 'v4', v2.modRevision), 'KeyNotFound');
    }));

    it('lists exactly the keys under a prefix, sorted, and counts them', withStore(async (s) => {
      // `ns1` must not match `ns10`; `_` and `%` in keys are literal characters, not wildcards.
      for (const k of [pod('ns1', 'b'), pod('ns10', 'a'), pod('ns1', 'a'), pod('n_1', 'x'), pod('ns%', 'y'), '/registry/core/configmaps/ns1/a']) {
        await s.create(k, k);
      }
      const keys = async (p: string) => (await s.list(p)).items.map((kv) => kv.key);
      assert.deepEqual(await keys(`${PODS}ns1/`), [pod('ns1', 'a'), pod('ns1', 'b')]);
      assert.deepEqual(await keys(`${PODS}n_1/`), [pod('n_1', 'x')]);
      assert.deepEqual(await keys(`${PODS}ns%/`), [pod('ns%', 'y')]);
      assert.deepEqual(await keys(PODS), [pod('n_1', 'x'), pod('ns%', 'y'), pod('ns1', 'a'), pod('ns1', 'b'), pod('ns10', 'a')]);
      assert.equal(await s.count(PODS), 5);
      assert.equal(await s.count(`${PODS}ns1/`), 2);
      await s.delete(pod('ns1', 'a'));
      assert.equal(await s.count(`${PODS}ns1/`), 1);
      const res = await s.list(PODS);
      assert.equal(res.revision, await s.currentRevision());
      assert.equal(res.more, false);
    }));

    it('lists consistently at an older revision', withStore(async (s) => {
      const a = await s.create(pod('ns', 'a'), 'a1');
      await s.create(pod('ns', 'b'), 'b1');
      const at = await s.currentRevision();
      await s.update(pod('ns', 'a'), 'a2', a.modRevision);
      await s.delete(pod('ns', 'b'));
      await s.create(pod('ns', 'c'), 'c1');
      const old = await s.list(PODS, { revision: at });
      assert.equal(old.revision, at);
      assert.deepEqual(old.items.map((kv) => [kv.key, kv.value, kv.modRevision]), [
        [pod('ns', 'a'), 'a1', a.modRevision],
        [pod('ns', 'b'), 'b1', at],
      ]);
      const now = await s.list(PODS);
      assert.deepEqual(now.items.map((kv) => kv.value), ['a2', 'c1']);
    }));

    it('pages with limit and startAfter at a pinned revision (25 keys, pages of 10)', withStore(async (s) => {
      const all: string[] = [];
      for (let i = 0; i < 25; i++) {
        const k = pod('ns', `p${String(i).padStart(2, '0')}`);
        all.push(k);
        await s.create(k, `v${i}`);
      }
      const pages: KeyValue[][] = [];
      const meta: Array<[boolean, number | undefined]> = [];
      let startAfter: string | undefined;
      let revision: number | undefined;
      for (;;) {
        const page = await s.list(PODS, { limit: 10, startAfter, revision });
        pages.push(page.items);
        meta.push([page.more, page.remaining]);
        if (revision !== undefined) assert.equal(page.revision, revision, 'every page is at the first page\'s revision');
        revision = page.revision;
        if (pages.length === 1) {
          // Writes between pages must not show up in later pages of the same list.
          await s.create(pod('ns', 'p10a'), 'late');
          await s.delete(pod('ns', 'p20'));
        }
        if (!page.more) break;
        startAfter = page.items[page.items.length - 1]!.key;
      }
      assert.deepEqual(pages.map((p) => p.length), [10, 10, 5]);
      assert.deepEqual(pages.flat().map((kv) => kv.key), all);
      assert.deepEqual(meta.map(([more]) => more), [true, true, false]);
      const remaining = meta.map(([, r]) => r);
      if (remaining[0] !== undefined) assert.deepEqual(remaining, [15, 5, 0]);
    }));

    it('gets the latest value, or undefined', withStore(async (s) => {
      assert.equal(await s.get(pod('ns', 'a')), undefined);
      const v1 = await s.create(pod('ns', 'a'), 'v1');
      const v2 = await s.update(pod('ns', 'a'), 'v2', v1.modRevision);
      assert.deepEqual(await s.get(pod('ns', 'a')), { key: pod('ns', 'a'), value: 'v2', createRevision: v1.modRevision, modRevision: v2.modRevision });
    }));

    it('watch replays history after fromRevision, then streams live events in order', withStore(async (s) => {
      const a = await s.create(pod('ns', 'a'), 'a1');
      const b = await s.create(pod('ns', 'b'), 'b1');
      await s.update(pod('ns', 'a'), 'a2', a.modRevision);
      const c = collector();
      const h = s.watch(PODS, c.opts(b.modRevision - 1)); // replays b1, a2
      await s.create(pod('ns', 'c'), 'c1');
      await c.until(3);
      h.stop();
      await s.create(pod('ns', 'd'), 'd1');
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(c.summary(), [
        `PUT ${pod('ns', 'b')} b1@${b.modRevision}`,
        `PUT ${pod('ns', 'a')} a2@${b.modRevision + 1}`,
        `PUT ${pod('ns', 'c')} c1@${b.modRevision + 2}`,
      ], 'no event after stop()');
      const upd = c.events[1]!;
      assert.equal(upd.prevKv?.value, 'a1');
      assert.equal(upd.prevKv?.modRevision, a.modRevision);
      assert.equal(c.events[0]!.prevKv, undefined, 'a create has no prevKv');
      assert.deepEqual(c.errors, []);
    }));

    it('watch from revision 0 streams only new events', withStore(async (s) => {
      await s.create(pod('ns', 'a'), 'a1');
      const c = collector();
      const h = s.watch(PODS, c.opts(0));
      await s.create(pod('ns', 'b'), 'b1');
      await c.until(1);
      h.stop();
      assert.deepEqual(c.events.map((e) => e.kv.key), [pod('ns', 'b')]);
    }));

    it('watch of a prefix sees only that prefix (history and live)', withStore(async (s) => {
      await s.create('/registry/core/secrets/ns1/first', 'x'); // so that `start` is not 0 ("now")
      const start = await s.currentRevision();
      await s.create(pod('ns1', 'a'), 'x');
      await s.create(pod('ns10', 'a'), 'x');
      await s.create('/registry/core/configmaps/ns1/a', 'x');
      const c = collector();
      const h = s.watch(`${PODS}ns1/`, c.opts(start));
      await s.create(pod('ns2', 'b'), 'x');
      await s.create(pod('ns1', 'b'), 'x');
      await c.until(2);
      await new Promise((r) => setTimeout(r, 20));
      h.stop();
      assert.deepEqual(c.events.map((e) => e.kv.key), [pod('ns1', 'a'), pod('ns1', 'b')]);
    }));

    it('delivers DELETE events with the last value and the previous kv', withStore(async (s) => {
      const v1 = await s.create(pod('ns', 'a'), 'v1');
      const v2 = await s.update(pod('ns', 'a'), 'v2', v1.modRevision);
      const live = collector();
      const h = s.watch(PODS, live.opts(v2.modRevision));
      const gone = await s.delete(pod('ns', 'a'));
      await live.until(1);
      h.stop();
      const replay = collector();
      const h2 = s.watch(PODS, replay.opts(v2.modRevision));
      await replay.until(1);
      h2.stop();
      for (const ev of [live.events[0]!, replay.events[0]!]) {
        assert.equal(ev.type, 'DELETE');
        assert.deepEqual(ev.kv, { key: pod('ns', 'a'), value: 'v2', createRevision: v1.modRevision, modRevision: gone.modRevision });
        assert.equal(ev.prevKv?.value, 'v2');
        assert.equal(ev.prevKv?.modRevision, v2.modRevision);
      }
      assert.equal(gone.modRevision, v2.modRevision + 1);
    }));

    it('compaction: older reads and watches fail with Compacted, latest values survive', withStore(async (s) => {
      const a = await s.create(pod('ns', 'a'), 'a1');
      const a2 = await s.update(pod('ns', 'a'), 'a2', a.modRevision);
      const b = await s.create(pod('ns', 'b'), 'b1');
      await s.delete(pod('ns', 'b'), b.modRevision);
      const keep = await s.create(pod('ns', 'c'), 'c1');
      const at = keep.modRevision;
      const after = await s.update(pod('ns', 'c'), 'c2', keep.modRevision);
      await s.compact(at);
      assert.equal(await s.compactedRevision(), at);
      assert.throws(() => s.watch(PODS, { fromRevision: a.modRevision, onEvent: () => {} }), (e: unknown) => e instanceof StorageError && e.code === 'Compacted');
      await rejectsWith(s.list(PODS, { revision: at - 1, limit: 1 }), 'Compacted');
      // The state at the compaction point itself stays readable.
      const atList = await s.list(PODS, { revision: at });
      assert.deepEqual(atList.items.map((kv) => [kv.key, kv.value]), [[pod('ns', 'a'), 'a2'], [pod('ns', 'c'), 'c1']]);
      const now = await s.list(PODS);
      assert.deepEqual(now.items.map((kv) => [kv.key, kv.value, kv.modRevision]), [
        [pod('ns', 'a'), 'a2', a2.modRevision],
        [pod('ns', 'c'), 'c2', after.modRevision],
      ]);
      assert.equal((await s.get(pod('ns', 'a')))?.value, 'a2');
      assert.equal(await s.get(pod('ns', 'b')), undefined, 'a compacted tombstone does not resurrect the key');
      // A watch from the compaction point still gets everything after it.
      const c = collector();
      const h = s.watch(PODS, c.opts(at));
      await c.until(1);
      h.stop();
      assert.deepEqual(c.summary(), [`PUT ${pod('ns', 'c')} c2@${after.modRevision}`]);
      // Compacting to an older revision is a no-op; updating a compacted-history key still works.
      await s.compact(at - 1);
      assert.equal(await s.compactedRevision(), at);
      await s.update(pod('ns', 'a'), 'a3', a2.modRevision);
    }));

    it('reports Closed after close', async () => {
      const s = await open();
      const c = collector();
      s.watch(PODS, c.opts(0));
      await s.close();
      await rejectsWith(s.get(pod('ns', 'a')), 'Closed');
      await rejectsWith(s.create(pod('ns', 'a'), 'x'), 'Closed');
      assert.equal(c.errors.length, 1, 'open watches end with onError on close');
      assert.ok(c.errors.every((e) => e instanceof StorageError && e.code === 'Closed'));
      await s.close(); // idempotent
    });
  });
}
