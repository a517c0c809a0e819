import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { getValidator } from './index.js';
import { lines } from './helpers.test-util.js';

const obj = (o: object) => o as KubeObject;
const G = 'rbac.authorization.k8s.io';

test('Role and ClusterRole', () => {
  const role = getValidator(G, 'Role');
  assert.deepEqual(role.validate(obj({ metadata: { name: 'system:reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] })), []);
  assert.deepEqual(lines(role.validate(obj({ metadata: { name: 'a/b' }, rules: [{ resources: ['pods'] }, { nonResourceURLs: ['/healthz'], verbs: ['get'] }] }))), [
    "metadata.name: Invalid value: \"a/b\": may not contain '/'",
    'rules[0].verbs: Required value: verbs must contain at least one value',
    'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
    'rules[1].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
  ]);
  const cr = getValidator(G, 'ClusterRole');
  assert.deepEqual(cr.validate(obj({ metadata: { name: 'x' }, rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }] })), []);
  assert.deepEqual(lines(cr.validate(obj({ metadata: { name: 'x' }, aggregationRule: {} }))), ['aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil']);
});

test('RoleBinding and ClusterRoleBinding', () => {
  const rb = getValidator(G, 'RoleBinding');
  const good = { metadata: { name: 'b' }, roleRef: { apiGroup: G, kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'ns' }, { kind: 'User', apiGroup: G, name: 'alice' }] };
  assert.deepEqual(rb.validate(obj(good)), []);
  assert.deepEqual(lines(rb.validate(obj({ metadata: { name: 'b' }, roleRef: { apiGroup: 'x', kind: 'Thing', name: '' }, subjects: [{ kind: 'Robot', name: 'r2' }, { kind: 'User', name: 'bob' }] }))), [
    'roleRef.apiGroup: Unsupported value: "x": supported values: "rbac.authorization.k8s.io"',
    'roleRef.kind: Unsupported value: "Thing": supported values: "Role", "ClusterRole"',
    'roleRef.name: Required value',
    'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    'subjects[1].apiGroup: Unsupported value: "": supported values: "rbac.authorization.k8s.io"',
  ]);
  assert.deepEqual(lines(rb.validateUpdate(obj({ ...good, roleRef: { apiGroup: G, kind: 'Role', name: 'other' } }), obj(good))), [
    'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"other"}: cannot change roleRef',
  ]);
  const crb = getValidator(G, 'ClusterRoleBinding');
  assert.deepEqual(lines(crb.validate(obj({ metadata: { name: 'b' }, roleRef: { apiGroup: G, kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'default' }] }))), [
    'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    'subjects[0].namespace: Required value',
  ]);
});
