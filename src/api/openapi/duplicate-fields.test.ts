// Tests for duplicate-field detection in raw JSON request bodies (fieldValidation=Strict|Warn).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDuplicateFields } from './duplicate-fields.js';

test('findDuplicateFields reports repeated keys with strict-decoding paths', () => {
  const rows: [string, string[]][] = [
    ['{"a":1,"b":2}', []],
    ['{"spec":{"replicas":1,"replicas":2}}', ['spec.replicas']],
    ['{"metadata":{"name":"a"},"metadata":{"name":"b"}}', ['metadata']],
    ['{"spec":{"containers":[{"name":"a"},{"name":"b","image":"x","name":"c"}]}}', ['spec.containers[1].name']],
    [' { "a" : { "x\\"y" : 1 , "x\\"y" : [ 1 , "," ] } } ', ['a.x"y']],
    ['{"a":{},"b":[],"c":null,"d":true,"e":-1.5e3,"a":"}"}', ['a']],
    ['[{"k":1,"k":2}]', ['[0].k']],
    ['{"labels":{"app":"a","app":"b"}}', ['labels.app']],
  ];
  for (const [json, want] of rows) assert.deepEqual(findDuplicateFields(json), want, json);
});
