import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './metadata.js';
import { nameIsDNSLabel, nameIsDNS1035Label, nameIsPathSegment, nameIsDNSSubdomain, isValidPortName, isEnvVarName, isConfigMapKey, isValidIP, isValidCIDR } from './names.js';
import { getValidator } from './index.js';
import { lines } from './helpers.test-util.js';

const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

const metaCases: Array<{ name: string; meta: ObjectMeta; want: string[] }> = [
  { name: 'valid', meta: { name: 'web-1.example', labels: { app: 'web', 'example.com/tier': 'a_b.c' }, annotations: { 'Example.com/X': 'y' } }, want: [] },
  { name: 'bad name', meta: { name: 'Bad_Name' }, want: [`metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN}`] },
  { name: 'missing name', meta: {}, want: ['metadata.name: Required value: name or generateName is required'] },
  { name: 'generateName with dash is fine', meta: { generateName: 'web-' }, want: ['metadata.name: Required value: name or generateName is required'] },
  {
    name: 'bad generateName',
    meta: { generateName: 'Web-', name: 'x' },
    want: [`metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN}`],
  },
  { name: 'too long name', meta: { name: 'a'.repeat(254) }, want: [`metadata.name: Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`] },
  { name: 'bad label value', meta: { name: 'x', labels: { app: 'bad value' } }, want: [`metadata.labels: Invalid value: "bad value": ${LABEL_VALUE}`] },
  { name: 'long label value', meta: { name: 'x', labels: { app: 'a'.repeat(64) } }, want: [`metadata.labels: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`] },
  { name: 'bad label key', meta: { name: 'x', labels: { 'bad key': 'v' } }, want: [`metadata.labels: Invalid value: "bad key": ${NAME_PART}`] },
  { name: 'bad label prefix', meta: { name: 'x', labels: { 'Ex/k': 'v' } }, want: [`metadata.labels: Invalid value: "Ex/k": prefix part ${SUBDOMAIN}`] },
  { name: 'empty name part', meta: { name: 'x', labels: { 'ex.com/': 'v' } }, want: [
    'metadata.labels: Invalid value: "ex.com/": name part must be non-empty',
    `metadata.labels: Invalid value: "ex.com/": ${NAME_PART}`,
  ] },
  { name: 'two slashes', meta: { name: 'x', annotations: { 'a/b/c': 'v' } }, want: [
    `metadata.annotations: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
  ] },
  { name: 'annotations too big', meta: { name: 'x', annotations: { a: 'x'.repeat(262144) } }, want: ['metadata.annotations: Too long: must have at most 262144 bytes'] },
  { name: 'negative generation', meta: { name: 'x', generation: -1 }, want: ['metadata.generation: Invalid value: -1: must be greater than or equal to 0'] },
  { name: 'bad finalizer', meta: { name: 'x', finalizers: ['a b'] }, want: [`metadata.finalizers: Invalid value: "a b": ${NAME_PART}`] },
  {
    name: 'ownerReference missing fields',
    meta: { name: 'x', ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }] },
    want: [
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
    ],
  },
];

for (const c of metaCases) {
  test(`validateObjectMeta: ${c.name}`, () => {
    assert.deepEqual(lines(validateObjectMeta(c.meta)), c.want);
  });
}

test('name functions', () => {
  assert.deepEqual(nameIsDNSSubdomain('a.b-c', false), []);
  assert.deepEqual(nameIsDNSLabel('a.b', false), [
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  ]);
  assert.deepEqual(nameIsDNSLabel('web-', true), []);
  assert.deepEqual(nameIsDNS1035Label('1abc', false), [
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  ]);
  assert.deepEqual(nameIsPathSegment('system:admin', false), []);
  assert.deepEqual(nameIsPathSegment('a/b', false), ["may not contain '/'"]);
  assert.deepEqual(nameIsPathSegment('..', false), ["may not be '..'"]);
  assert.deepEqual(isValidPortName('http'), []);
  assert.deepEqual(isValidPortName('80'), ['must contain at least one letter (a-z)']);
  assert.deepEqual(isValidPortName('a--b-very-long-name'), ['must be no more than 15 characters', 'must not contain consecutive hyphens (-)']);
  assert.deepEqual(isEnvVarName('MY_VAR'), []);
  assert.deepEqual(isEnvVarName('1X'), [
    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
  ]);
  assert.deepEqual(isConfigMapKey('a b'), [
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
  ]);
  assert.deepEqual(isConfigMapKey('..x'), ["must not start with '..'"]);
  for (const ip of ['10.0.0.1', '::1', '2001:db8::ffff', '::ffff:1.2.3.4']) assert.ok(isValidIP(ip), ip);
  for (const ip of ['10.0.0.256', '1.2.3', 'abc', '1::2::3']) assert.ok(!isValidIP(ip), ip);
  assert.ok(isValidCIDR('10.0.0.0/24'));
  assert.ok(!isValidCIDR('10.0.0.0/33'));
});

test('validateObjectMetaUpdate: immutable fields', () => {
  const old: ObjectMeta = { name: 'a', namespace: 'ns', uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z', generation: 2 };
  assert.deepEqual(lines(validateObjectMetaUpdate({ ...old, labels: { x: 'y' } }, old)), []);
  assert.deepEqual(lines(validateObjectMetaUpdate({ name: 'a', namespace: 'ns' }, old)), ['metadata.generation: Invalid value: 0: must not be decremented']);
  assert.deepEqual(lines(validateObjectMetaUpdate({ ...old, name: 'b', uid: 'u2' }, old)), [
    'metadata.name: Invalid value: "b": field is immutable',
    'metadata.uid: Invalid value: "u2": field is immutable',
  ]);
  assert.deepEqual(lines(validateObjectMetaUpdate({ ...old, finalizers: ['x/y'] }, { ...old, deletionTimestamp: '2024-01-02T00:00:00Z' })), [
    'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizer "x/y"',
  ]);
});

test('getValidator: unknown kinds get metadata validation', () => {
  const v = getValidator('example.com', 'Widget');
  assert.deepEqual(lines(v.validate({ metadata: { name: 'Bad_Name' } })), [`metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN}`]);
  assert.deepEqual(v.validate({ metadata: { name: 'ok' } }), []);
});

test('validateObjectMeta: two controller owners', () => {
  const ref = (name: string) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: name, controller: true });
  assert.deepEqual(lines(validateObjectMeta({ name: 'x', ownerReferences: [ref('a'), ref('b')] })), [
    'metadata.ownerReferences: Invalid value: []v1.OwnerReference{…}: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b',
  ]);
});
