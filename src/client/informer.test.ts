import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedInformer, stripManagedFields, type ListerWatcher } from './informer.js';
import type { KubeList, ListOptions, WatchEvent, WatchOptions } from './http-client.js';
import type { MetaObject } from './store.js';

const obj = (name: string, rv: string): MetaObject => ({ metadata: { namespace: 'ns', name, resourceVersion: rv } });
const ref = { group: '', version: 'v1', resource: 'configmaps' };

/** A scripted server: lists return `state`; each watch call plays the next script entry then ends. */
function fake(state: { items: MetaObject[]; rv: string }, watches: Array<WatchEvent<MetaObject>[]>) {
  const calls: string[] = [];
  const lw: ListerWatcher = {
    list: (async (_r: unknown, o: ListOptions = {}) => {
      calls.push(`list limit=${o.limit}`);
      return { metadata: { resourceVersion: state.rv }, items: state.items.map((i) => structuredClone(i)) } satisfies KubeList<MetaObject>;
    }) as ListerWatcher['list'],
    watch: ((_r: unknown, o: WatchOptions, on: (e: WatchEvent<MetaObject>) => void) => {
      calls.push(`watch rv=${o.resourceVersion} bookmarks=${o.allowWatchBookmarks}`);
      const script = watches.shift();
      if (!script) return { abort() {}, done: new Promise<void>(() => {}) }; // hangs until stop
      let aborted = false;
      const done = (async () => {
        for (const e of script) if (!aborted) on(structuredClone(e));
      })();
      return { abort: () => void (aborted = true), done };
    }) as ListerWatcher['watch'],
  };
  return { lw, calls };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), 'condition not reached');
}

test('informer: resumes from the last event or bookmark; relists on 410 emitting deletes', async () => {
  const state = { items: [obj('a', '1'), obj('b', '2')], rv: '2' };
  const { lw, calls } = fake(state, [
    [{ type: 'ADDED', object: obj('c', '3') }, { type: 'BOOKMARK', object: { metadata: { resourceVersion: '7' } } }],
    [{ type: 'MODIFIED', object: obj('a', '8') }, { type: 'DELETED', object: obj('b', '9') }],
    [{ type: 'ERROR', object: { code: 410, reason: 'Expired', message: 'too old resource version: 9 (20)' } }],
  ]);
  const inf = new SharedInformer(lw, ref);
  const log: string[] = [];
  inf.addEventHandler({
    onAdd: (o) => log.push(`add ${o.metadata?.name}`),
    onUpdate: (o, n) => log.push(`update ${n.metadata?.name} ${o.metadata?.resourceVersion}->${n.metadata?.resourceVersion}`),
    onDelete: (o) => log.push(`delete ${o.metadata?.name}`),
  });
  inf.start();
  await inf.waitForSync();
  state.items = [obj('a', '8'), obj('d', '21')];
  state.rv = '21';
  await until(() => calls.length >= 6);
  inf.stop();
  assert.deepEqual(calls, [
    'list limit=500',
    'watch rv=2 bookmarks=true',
    'watch rv=7 bookmarks=true', // resumed from the bookmark
    'watch rv=9 bookmarks=true', // resumed from the last event
    'list limit=500', // 410 Expired: relist
    'watch rv=21 bookmarks=true',
  ]);
  assert.deepEqual(log, ['add a', 'add b', 'add c', 'update a 1->8', 'delete b', 'update a 8->8', 'add d', 'delete c']);
  assert.deepEqual(inf.store.listKeys().sort(), ['ns/a', 'ns/d']);
  assert.ok(inf.hasSynced());
});

test('informer: late handlers get the cache as adds; resync re-delivers updates', async () => {
  const { lw } = fake({ items: [obj('a', '1')], rv: '1' }, []);
  const inf = new SharedInformer(lw, ref, { resyncPeriodMs: 20 });
  inf.start();
  await inf.waitForSync();
  const log: string[] = [];
  inf.addEventHandler({ onAdd: (o) => log.push(`add ${o.metadata?.name}`), onUpdate: (o, n) => log.push(`resync ${o === n}`) });
  await until(() => log.length >= 2);
  inf.stop();
  assert.deepEqual(log.slice(0, 2), ['add a', 'resync true']);
});

test('informer transform: stripManagedFields leaves cached objects without managedFields', async () => {
  const withMF = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns', resourceVersion: '5', managedFields: [{ manager: 'kubectl', operation: 'Update' }] } };
  const lw = {
    list: async () => ({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '5' }, items: [structuredClone(withMF)] }),
    watch: () => ({ abort() {}, done: new Promise<void>(() => {}) }),
  } as unknown as ListerWatcher;
  const inf = new SharedInformer<MetaObject>(lw, { group: '', version: 'v1', resource: 'configmaps' }, { transform: stripManagedFields });
  const seen: MetaObject[] = [];
  inf.addEventHandler({ onAdd: (o) => seen.push(o) });
  inf.start();
  await inf.waitForSync();
  inf.stop();
  assert.equal(inf.store.get('ns/a')?.metadata?.managedFields, undefined);
  assert.equal(seen[0]?.metadata?.managedFields, undefined);
  assert.equal(inf.store.get('ns/a')?.metadata?.resourceVersion, '5');
});
