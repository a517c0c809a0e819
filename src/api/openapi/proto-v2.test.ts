// Tests for the gnostic protobuf encoding of /openapi/v2, decoded back with a minimal wire-format
// reader: document fields, definitions with properties, refs and vendor extensions (GVK as YAML/JSON).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeV2 } from './proto-v2.js';

type Field = { n: number; v: Buffer | number };

function decode(b: Buffer): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): number => {
    let r = 0;
    let mul = 1;
    for (;;) {
      const byte = b[i++];
      r += (byte & 127) * mul;
      if (byte < 128) return r;
      mul *= 128;
    }
  };
  while (i < b.length) {
    const key = varint();
    const wire = key % 8;
    if (wire === 0) out.push({ n: Math.floor(key / 8), v: varint() });
    else if (wire === 2) {
      const len = varint();
      out.push({ n: Math.floor(key / 8), v: b.subarray(i, i + len) });
      i += len;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}
const all = (fs: Field[], n: number): Buffer[] => fs.filter((f) => f.n === n).map((f) => f.v as Buffer);
const one = (fs: Field[], n: number): Buffer => {
  const r = all(fs, n);
  assert.equal(r.length, 1, `field ${n}`);
  return r[0];
};
const str = (fs: Field[], n: number): string => one(fs, n).toString('utf8');

test('encodes document, definitions, properties and extensions', () => {
  const doc = {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.31.0' },
    paths: {
      '/apis/apps/v1/namespaces/{namespace}/deployments/{name}': {
        patch: {
          operationId: 'patchAppsV1NamespacedDeployment',
          parameters: [{ name: 'fieldValidation', in: 'query', type: 'string', uniqueItems: true, description: 'd' }],
          responses: { '200': { description: 'OK', schema: { $ref: '#/definitions/io.k8s.api.apps.v1.Deployment' } } },
          'x-kubernetes-action': 'patch',
        },
        parameters: [{ name: 'name', in: 'path', required: true, type: 'string', uniqueItems: true, description: 'n' }],
      },
    },
    definitions: {
      'io.k8s.api.apps.v1.Deployment': {
        description: 'Deployment enables declarative updates.',
        type: 'object',
        required: ['spec'],
        properties: {
          spec: { $ref: '#/definitions/io.k8s.api.apps.v1.DeploymentSpec', description: 'spec' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          list: { type: 'array', items: { type: 'string' }, 'x-kubernetes-patch-strategy': 'merge' },
        },
        'x-kubernetes-group-version-kind': [{ group: 'apps', kind: 'Deployment', version: 'v1' }],
      },
    },
  };
  const top = decode(encodeV2(doc));
  assert.equal(str(top, 1), '2.0');
  const info = decode(one(top, 2));
  assert.deepEqual([str(info, 1), str(info, 2)], ['Kubernetes', 'v1.31.0']);

  const named = decode(one(decode(one(top, 9)), 1));
  assert.equal(str(named, 1), 'io.k8s.api.apps.v1.Deployment');
  const schema = decode(one(named, 2));
  assert.equal(str(schema, 4), 'Deployment enables declarative updates.');
  assert.equal(str(decode(one(schema, 22)), 1), 'object');
  assert.deepEqual(all(schema, 19).map(String), ['spec']);
  const ext = decode(one(schema, 31));
  assert.equal(str(ext, 1), 'x-kubernetes-group-version-kind');
  assert.deepEqual(JSON.parse(str(decode(one(ext, 2)), 2)), [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  const props = all(decode(one(schema, 25)), 1).map((b) => decode(b));
  assert.deepEqual(props.map((p) => str(p, 1)), ['spec', 'labels', 'list']);
  assert.equal(str(decode(one(props[0], 2)), 1), '#/definitions/io.k8s.api.apps.v1.DeploymentSpec');
  const labels = decode(one(props[1], 2));
  const ap = decode(one(decode(one(labels, 21)), 1));
  assert.equal(str(decode(one(ap, 22)), 1), 'string');
  const list = decode(one(props[2], 2));
  assert.equal(str(decode(one(decode(one(list, 23)), 1)), 22).length > 0, true);

  const pathItem = decode(one(top, 8));
  const np = decode(one(pathItem, 2));
  assert.equal(str(np, 1), '/apis/apps/v1/namespaces/{namespace}/deployments/{name}');
  const item = decode(one(np, 2));
  const patch = decode(one(item, 8));
  assert.equal(str(patch, 5), 'patchAppsV1NamespacedDeployment');
  const query = decode(one(decode(one(decode(one(decode(one(patch, 8)), 1)), 2)), 3));
  assert.deepEqual([str(query, 4), str(query, 2), str(query, 6)], ['fieldValidation', 'query', 'string']);
  const pathParam = decode(one(decode(one(decode(one(decode(one(item, 9)), 1)), 2)), 4));
  assert.deepEqual([str(pathParam, 4), pathParam.find((f) => f.n === 1)?.v], ['name', 1]);
});
