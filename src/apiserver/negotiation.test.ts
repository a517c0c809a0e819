import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyFormat, negotiateDiscovery, negotiateOutput } from './negotiation.js';
import { parseGoDuration } from './duration.js';
import { decodeContinue, encodeContinue } from './store-list.js';

test('negotiateOutput picks Table / PartialObjectMetadata / JSON', () => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'json'],
    ['application/json', 'json'],
    ['application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json', 'table'],
    ['application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io', 'partial'],
    ['application/vnd.kubernetes.protobuf,application/json', 'json'],
    ['application/json;as=Table;v=v9;g=meta.k8s.io,application/json', 'json'],
  ];
  for (const [accept, kind] of cases) assert.equal(negotiateOutput(accept).kind, kind, String(accept));
});

test('negotiateDiscovery follows Accept order', () => {
  const both = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
  assert.equal(negotiateDiscovery(both), 'v2');
  assert.equal(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json'), 'v2beta1');
  assert.equal(negotiateDiscovery('application/json'), 'legacy');
  assert.equal(negotiateDiscovery(undefined), 'legacy');
});

test('bodyFormat by Content-Type', () => {
  const cases: Array<[string | undefined, string]> = [
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    ['application/yaml', 'yaml'],
    ['application/strategic-merge-patch+json', 'strategic-merge-patch'],
    ['application/apply-patch+yaml', 'apply-patch'],
    ['application/vnd.kubernetes.protobuf', 'protobuf'],
    ['text/plain', 'unknown'],
  ];
  for (const [ct, f] of cases) assert.equal(bodyFormat(ct), f, String(ct));
});

test('parseGoDuration', () => {
  const cases: Array<[string, number | undefined]> = [
    ['32s', 32000],
    ['1m30s', 90000],
    ['500ms', 500],
    ['1h', 3600000],
    ['0', 0],
    ['abc', undefined],
    ['10', undefined],
  ];
  for (const [s, ms] of cases) assert.equal(parseGoDuration(s), ms, s);
});

test('continue tokens round-trip and reject garbage', () => {
  const t = encodeContinue(42, 'ns/name');
  assert.deepEqual(decodeContinue(t), { rv: 42, start: 'ns/name' });
  assert.throws(() => decodeContinue('garbage'), /continue key is not valid/);
});
