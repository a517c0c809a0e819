import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet, pathString } from './fieldset.js';

test('fieldsV1 round-trips, with "." for members that have children', () => {
  const json = {
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
    'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {} } }, 'f:replicas': {} },
  };
  const set = FieldSet.fromFieldsV1(json);
  assert.equal(set.has(['f:metadata', 'f:labels']), true);
  assert.equal(set.has(['f:metadata']), false);
  assert.equal(set.has(['f:spec', 'f:containers', 'k:{"name":"nginx"}', 'f:image']), true);
  assert.deepEqual(set.toFieldsV1(), json);
});

test('path strings as upstream fieldpath.Path.String()', () => {
  const cases: [string[], string][] = [
    [['f:spec', 'f:replicas'], '.spec.replicas'],
    [['f:spec', 'f:containers', 'k:{"name":"nginx"}', 'f:image'], '.spec.containers[name="nginx"].image'],
    [['f:ports', 'k:{"containerPort":80,"protocol":"TCP"}'], '.ports[containerPort=80,protocol="TCP"]'],
    [['f:metadata', 'f:finalizers', 'v:"a/b"'], '.metadata.finalizers[="a/b"]'],
    [['f:metadata', 'f:labels', 'f:app'], '.metadata.labels.app'],
  ];
  for (const [path, want] of cases) assert.equal(pathString(path), want);
});

test('set algebra: difference is per path, recursiveDifference drops subtrees; paths leaves first', () => {
  const a = FieldSet.fromPaths([['f:spec', 'f:replicas'], ['f:spec', 'f:template', 'f:x'], ['f:status', 'f:y'], ['f:a']]);
  const b = FieldSet.fromPaths([['f:spec', 'f:replicas'], ['f:status']]);
  assert.deepEqual(a.difference(b).paths(), [['f:a'], ['f:spec', 'f:template', 'f:x'], ['f:status', 'f:y']]);
  assert.deepEqual(a.recursiveDifference(b).paths(), [['f:a'], ['f:spec', 'f:template', 'f:x']]);
  assert.deepEqual(a.intersection(b).paths(), [['f:spec', 'f:replicas']]);
  assert.equal(a.difference(a).empty(), true);
});
