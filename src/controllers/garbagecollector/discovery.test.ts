// Unit tests for the collector's discovery: what is watched (list+watch+delete, preferred versions,
// events ignored) and how owner apiVersion/kind map to resources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discover } from './discovery.js';

const docs: Record<string, unknown> = {
  '/apis': {
    groups: [
      { name: 'apps', versions: [{ version: 'v1' }], preferredVersion: { version: 'v1' } },
      { name: 'example.com', versions: [{ version: 'v2' }, { version: 'v1' }], preferredVersion: { version: 'v2' } },
      { name: 'events.k8s.io', versions: [{ version: 'v1' }], preferredVersion: { version: 'v1' } },
      { name: 'broken.io', versions: [{ version: 'v1' }], preferredVersion: { version: 'v1' } },
    ],
  },
  '/api/v1': {
    resources: [
      { name: 'pods', kind: 'Pod', namespaced: true, verbs: ['create', 'delete', 'get', 'list', 'watch'] },
      { name: 'pods/status', kind: 'Pod', namespaced: true, verbs: ['get', 'patch'] },
      { name: 'nodes', kind: 'Node', namespaced: false, verbs: ['delete', 'get', 'list', 'watch'] },
      { name: 'bindings', kind: 'Binding', namespaced: true, verbs: ['create'] },
      { name: 'events', kind: 'Event', namespaced: true, verbs: ['delete', 'list', 'watch'] },
    ],
  },
  '/apis/apps/v1': { resources: [{ name: 'replicasets', kind: 'ReplicaSet', namespaced: true, verbs: ['delete', 'list', 'watch'] }] },
  '/apis/example.com/v2': { resources: [{ name: 'widgets', kind: 'Widget', namespaced: true, verbs: ['delete', 'list', 'watch'] }] },
  '/apis/example.com/v1': { resources: [{ name: 'widgets', kind: 'Widget', namespaced: true, verbs: ['delete', 'list', 'watch'] }] },
  '/apis/events.k8s.io/v1': { resources: [{ name: 'events', kind: 'Event', namespaced: true, verbs: ['delete', 'list', 'watch'] }] },
};
const client = {
  request: async <T>(_m: string, path: string): Promise<T> => {
    if (!(path in docs)) throw new Error(`503 ${path}`);
    return docs[path] as T;
  },
};

test('watched: preferred versions of list/watch/delete-able resources, events and subresources left out, broken groups skipped', async () => {
  const d = await discover(client);
  assert.deepEqual(
    d.watched.map((r) => `${r.group}/${r.version}/${r.resource}:${r.kind}:${r.namespaced}`),
    ['/v1/nodes:Node:false', '/v1/pods:Pod:true', 'apps/v1/replicasets:ReplicaSet:true', 'example.com/v2/widgets:Widget:true'],
  );
});

test('mapper: owner apiVersion/kind to resource and scope, any served version, else the preferred one', async () => {
  const { mapper } = await discover(client);
  assert.deepEqual(mapper.map('apps/v1', 'ReplicaSet'), { resource: { group: 'apps', version: 'v1', resource: 'replicasets' }, namespaced: true });
  assert.deepEqual(mapper.map('v1', 'Node')?.namespaced, false);
  assert.equal(mapper.map('example.com/v1', 'Widget')?.resource.version, 'v1');
  assert.equal(mapper.map('apps/v1beta2', 'ReplicaSet')?.resource.version, 'v1', 'unserved version: the preferred one');
  assert.equal(mapper.map('example.com/v9', 'Widget')?.resource.version, 'v2');
  assert.equal(mapper.map('v1', 'Nope'), undefined);
});
