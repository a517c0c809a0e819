import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { getValidator } from './index.js';
import { lines } from './helpers.test-util.js';

const KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const b64 = (s: string) => Buffer.from(s).toString('base64');

test('ConfigMap validate', () => {
  const v = getValidator('', 'ConfigMap');
  const cm = (o: Partial<KubeObject>) => ({ metadata: { name: 'cfg' }, ...o }) as KubeObject;
  assert.deepEqual(v.validate(cm({ data: { 'a.b': '1', A_B: '2' }, binaryData: { bin: b64('x') } })), []);
  assert.deepEqual(lines(v.validate(cm({ data: { 'a b': '1' } }))), [`data[a b]: Invalid value: "a b": ${KEY_MSG}`]);
  assert.deepEqual(lines(v.validate(cm({ data: { x: '1' }, binaryData: { x: b64('1') } }))), [
    'data[x]: Invalid value: "x": duplicate of key present in binaryData',
    'binaryData[x]: Invalid value: "x": duplicate of key present in data',
  ]);
  assert.deepEqual(lines(v.validate(cm({ data: { big: 'x'.repeat(1024 * 1024 + 1) } }))), [': Too long: must have at most 1048576 bytes']);
});

test('ConfigMap update: immutable', () => {
  const v = getValidator('', 'ConfigMap');
  const cm = (data: Record<string, string>, immutable?: boolean) => ({ metadata: { name: 'cfg' }, data, immutable }) as KubeObject;
  assert.deepEqual(v.validateUpdate(cm({ a: '2' }), cm({ a: '1' })), []);
  assert.deepEqual(lines(v.validateUpdate(cm({ a: '2' }, true), cm({ a: '1' }, true))), ['data: Forbidden: field is immutable when `immutable` is set']);
  assert.deepEqual(lines(v.validateUpdate(cm({ a: '1' }, false), cm({ a: '1' }, true))), ['immutable: Forbidden: field is immutable when `immutable` is set']);
});

test('Secret validate', () => {
  const v = getValidator('', 'Secret');
  const sec = (type: string | undefined, data: Record<string, string>, extra: Partial<KubeObject> = {}) => ({ metadata: { name: 's' }, type, data, ...extra }) as KubeObject;
  assert.deepEqual(v.validate(sec('Opaque', { a: b64('1') })), []);
  assert.deepEqual(lines(v.validate(sec('Opaque', { '/x': b64('1') }))), [`data[/x]: Invalid value: "/x": ${KEY_MSG}`]);
  assert.deepEqual(lines(v.validate(sec('kubernetes.io/tls', {}))), ['data[tls.crt]: Required value', 'data[tls.key]: Required value']);
  assert.deepEqual(v.validate(sec('kubernetes.io/tls', {}, { stringData: { 'tls.crt': 'c', 'tls.key': 'k' } })), []);
  assert.deepEqual(lines(v.validate(sec('kubernetes.io/dockerconfigjson', {}))), ['data[.dockerconfigjson]: Required value']);
  assert.deepEqual(v.validate(sec('kubernetes.io/dockerconfigjson', { '.dockerconfigjson': b64('{"auths":{}}') })), []);
  assert.equal(lines(v.validate(sec('kubernetes.io/dockerconfigjson', { '.dockerconfigjson': b64('nope') })))[0]!.startsWith('data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": '), true);
  assert.deepEqual(lines(v.validate(sec('kubernetes.io/basic-auth', {}))), ['data[username]: Required value', 'data[password]: Required value']);
  assert.deepEqual(lines(v.validate(sec('kubernetes.io/service-account-token', {}))), ['metadata.annotations[kubernetes.io/service-account.name]: Required value']);
});

test('Secret update: type immutable', () => {
  const v = getValidator('', 'Secret');
  const sec = (type: string, data: Record<string, string> = {}, immutable?: boolean) => ({ metadata: { name: 's' }, type, data, immutable }) as KubeObject;
  assert.deepEqual(lines(v.validateUpdate(sec('kubernetes.io/basic-auth', { username: 'eA==' }), sec('Opaque'))), ['type: Invalid value: "kubernetes.io/basic-auth": field is immutable']);
  assert.deepEqual(lines(v.validateUpdate(sec('Opaque', { a: 'eQ==' }, true), sec('Opaque', { a: 'eA==' }, true))), ['data: Forbidden: field is immutable when `immutable` is set']);
});
