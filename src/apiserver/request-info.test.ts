import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestInfo } from './request-info.js';

const cases: Array<[string, string, string, Partial<ReturnType<typeof parseRequestInfo>>]> = [
  ['GET', '/api/v1/namespaces/default/pods', '', { verb: 'list', apiGroup: '', apiVersion: 'v1', namespace: 'default', resource: 'pods', name: '' }],
  ['GET', '/api/v1/namespaces/default/pods/p1', '', { verb: 'get', namespace: 'default', resource: 'pods', name: 'p1' }],
  ['GET', '/api/v1/namespaces/default/pods', 'watch=true', { verb: 'watch', resource: 'pods' }],
  ['GET', '/api/v1/watch/namespaces/default/pods/p1', '', { verb: 'watch', namespace: 'default', resource: 'pods', name: 'p1' }],
  ['GET', '/api/v1/pods', '', { verb: 'list', namespace: '', resource: 'pods' }],
  ['GET', '/api/v1/namespaces', '', { verb: 'list', resource: 'namespaces', namespace: '' }],
  ['GET', '/api/v1/namespaces/kube-system', '', { verb: 'get', resource: 'namespaces', name: 'kube-system', namespace: '' }],
  ['PUT', '/api/v1/namespaces/x/finalize', '', { verb: 'update', resource: 'namespaces', name: 'x', subresource: 'finalize', namespace: '' }],
  ['PATCH', '/apis/apps/v1/namespaces/d/deployments/web/scale', '', { verb: 'patch', apiGroup: 'apps', resource: 'deployments', name: 'web', subresource: 'scale' }],
  ['POST', '/api/v1/namespaces/d/pods/p/eviction', '', { verb: 'create', resource: 'pods', name: 'p', subresource: 'eviction' }],
  ['DELETE', '/api/v1/namespaces/d/configmaps', '', { verb: 'deletecollection', resource: 'configmaps' }],
  ['DELETE', '/apis/rbac.authorization.k8s.io/v1/clusterroles/admin', '', { verb: 'delete', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'admin' }],
  ['GET', '/version', '', { isResourceRequest: false, verb: 'get' }],
  ['GET', '/apis/apps/v1', '', { isResourceRequest: false }],
];

test('parseRequestInfo as upstream RequestInfoFactory', () => {
  for (const [method, path, query, want] of cases) {
    const got = parseRequestInfo(method, path, new URLSearchParams(query));
    for (const [k, v] of Object.entries(want)) assert.equal(got[k as keyof typeof got], v, `${method} ${path}?${query}: ${k}`);
  }
});
