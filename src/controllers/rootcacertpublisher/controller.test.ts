// What the publisher writes into a namespace: the CA under ca.crt with upstream's description, and
// nothing when the ConfigMap already matches; a user's edits to the data are put back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { desiredConfigMap, ROOT_CA_CONFIGMAP } from './controller.js';

const CA = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';

test('creates the ConfigMap when missing', () => {
  const cm = desiredConfigMap('team-a', CA, undefined);
  assert.equal(cm?.metadata?.name, ROOT_CA_CONFIGMAP);
  assert.equal(cm?.metadata?.namespace, 'team-a');
  assert.deepEqual(cm?.data, { 'ca.crt': CA });
  assert.match(cm?.metadata?.annotations?.['kubernetes.io/description'] ?? '', /kube-apiserver/);
});

test('leaves a matching ConfigMap alone and repairs an edited one', () => {
  const good = desiredConfigMap('team-a', CA, undefined)!;
  assert.equal(desiredConfigMap('team-a', CA, { ...good, metadata: { ...good.metadata, resourceVersion: '5' } }), undefined);
  const edited = { ...good, metadata: { ...good.metadata, resourceVersion: '6' }, data: { 'ca.crt': 'junk', extra: 'x' } };
  const fixed = desiredConfigMap('team-a', CA, edited);
  assert.deepEqual(fixed?.data, { 'ca.crt': CA });
  assert.equal(fixed?.metadata?.resourceVersion, '6', 'update carries the resourceVersion it read');
});
