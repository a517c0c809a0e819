import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Store, metaNamespaceKey, splitMetaNamespaceKey, NAMESPACE_INDEX, namespaceIndexFunc } from './store.js';
import type { KubeObject } from '../machinery/object.js';

const obj = (ns: string, name: string, labels: Record<string, string> = {}): KubeObject => ({ metadata: { namespace: ns || undefined, name, labels } });

test('keys: namespace/name, or name when cluster-scoped (table)', () => {
  const cases: Array<[KubeObject, string]> = [
    [obj('a', 'b'), 'a/b'],
    [obj('', 'node-1'), 'node-1'],
  ];
  for (const [o, k] of cases) assert.equal(metaNamespaceKey(o), k);
  assert.deepEqual(splitMetaNamespaceKey('a/b'), { namespace: 'a', name: 'b' });
  assert.deepEqual(splitMetaNamespaceKey('n'), { namespace: '', name: 'n' });
});

test('indices follow upserts and deletes; objects are frozen', () => {
  const s = new Store<KubeObject>({ [NAMESPACE_INDEX]: namespaceIndexFunc, app: (o) => (o.metadata?.labels?.app ? [o.metadata.labels.app] : []) });
  s.upsert(obj('x', 'a', { app: 'web' }));
  s.upsert(obj('x', 'b', { app: 'db' }));
  s.upsert(obj('y', 'a', { app: 'web' }));
  assert.deepEqual(s.byIndex(NAMESPACE_INDEX, 'x').map(metaNamespaceKey).sort(), ['x/a', 'x/b']);
  assert.deepEqual(s.byIndex('app', 'web').map(metaNamespaceKey).sort(), ['x/a', 'y/a']);
  const old = s.upsert(obj('x', 'a', { app: 'db' }));
  assert.equal(old?.metadata?.labels?.app, 'web');
  assert.deepEqual(s.byIndex('app', 'web').map(metaNamespaceKey), ['y/a']);
  assert.deepEqual(s.byIndex('app', 'db').map(metaNamespaceKey).sort(), ['x/a', 'x/b']);
  s.deleteKey('y/a');
  assert.deepEqual(s.indexValues('app'), ['db']);
  assert.equal(s.size, 2);
  const got = s.get('x/a')!;
  assert.ok(Object.isFrozen(got) && Object.isFrozen(got.metadata!.labels));
  assert.throws(() => {
    (got.metadata!.labels as Record<string, string>).app = 'z';
  }, TypeError);
  assert.throws(() => s.byIndex('nope', ''), /does not exist/);
});
