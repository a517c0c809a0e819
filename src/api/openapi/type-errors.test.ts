// Decode-time type errors must read like encoding/json's, which is what upstream returns in a 400.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findTypeError, schemaFor } from './index.js';

const deployment = schemaFor('apps', 'v1', 'Deployment')!;
const cm = schemaFor('', 'v1', 'ConfigMap')!;

const cases: Array<[string, unknown, ReturnType<typeof schemaFor>, string | undefined]> = [
  ['valid deployment', { spec: { replicas: 2, strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } } }, deployment, undefined],
  [
    'bool env name (YAML 1.1 `Y`)',
    { spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: true, value: '2' }] }] } } } },
    deployment,
    'json: cannot unmarshal bool into Go struct field EnvVar.spec.template.spec.containers.env.name of type string',
  ],
  ['string replicas', { spec: { replicas: 'two' } }, deployment, 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'],
  ['fractional replicas', { spec: { replicas: 1.5 } }, deployment, 'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32'],
  ['containers not a list', { spec: { template: { spec: { containers: { name: 'x' } } } } }, deployment, 'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container'],
  ['number in a string map', { data: { a: 1 } }, cm, 'json: cannot unmarshal number into Go struct field ConfigMap.data of type string'],
  ['nulls decode', { data: null, metadata: { labels: null } }, cm, undefined],
];

for (const [name, obj, schema, want] of cases) {
  test(`type errors: ${name}`, () => assert.equal(findTypeError(obj, schema!, 'x'), want));
}
