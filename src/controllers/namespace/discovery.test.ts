import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../machinery/errors.js';
import { deletableResources, discoverNamespacedResources, type DiscoveryClient } from './discovery.js';

test('deletableResources: namespaced, deletable, no subresources', () => {
  const got = deletableResources('', 'v1', {
    resources: [
      { name: 'pods', namespaced: true, verbs: ['create', 'delete', 'deletecollection', 'get', 'list'] },
      { name: 'pods/status', namespaced: true, verbs: ['get', 'patch', 'update'] },
      { name: 'nodes', namespaced: false, verbs: ['delete', 'list'] },
      { name: 'bindings', namespaced: true, verbs: ['create'] },
    ],
  });
  assert.deepEqual(got.map((r) => r.resource), ['pods']);
});

test('discoverNamespacedResources: core and preferred group versions; a failing group is reported, not fatal', async () => {
  const docs: Record<string, unknown> = {
    '/api/v1': { resources: [{ name: 'configmaps', namespaced: true, verbs: ['delete', 'list'] }] },
    '/apis': {
      groups: [
        { name: 'apps', preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
        { name: 'broken.io', preferredVersion: { groupVersion: 'broken.io/v1', version: 'v1' } },
      ],
    },
    '/apis/apps/v1': { resources: [{ name: 'deployments', namespaced: true, verbs: ['delete', 'deletecollection', 'list'] }] },
  };
  const client = {
    request: async (_m: string, path: string) => {
      if (!(path in docs)) throw new StatusError({ status: 'Failure', code: 503, reason: 'ServiceUnavailable', message: 'unavailable' });
      return docs[path];
    },
  } as unknown as DiscoveryClient;
  const { resources, failures } = await discoverNamespacedResources(client);
  assert.deepEqual(resources.map((r) => `${r.group}/${r.version}/${r.resource}`), ['/v1/configmaps', 'apps/v1/deployments']);
  assert.deepEqual([...failures.entries()], [['broken.io/v1', 'unavailable']]);
});
