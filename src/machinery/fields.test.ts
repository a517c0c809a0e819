// Table tests for field selectors: operators, escaping, sorting, matching and upstream error texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSelector, escapeFieldValue, parseFieldSelector, unescapeFieldValue } from './fields.js';
import { StatusError } from './errors.js';

test('parseFieldSelector: requirements and canonical string', () => {
  const cases: Array<[string, Array<[string, '=' | '!=', string]>, string]> = [
    ['', [], ''],
    [',', [], ''],
    ['metadata.name=web', [['metadata.name', '=', 'web']], 'metadata.name=web'],
    ['metadata.name==web', [['metadata.name', '=', 'web']], 'metadata.name=web'],
    ['status.phase!=Running', [['status.phase', '!=', 'Running']], 'status.phase!=Running'],
    ['spec.nodeName=', [['spec.nodeName', '=', '']], 'spec.nodeName='],
    [
      'status.phase!=Failed,spec.nodeName=n1',
      [
        ['spec.nodeName', '=', 'n1'],
        ['status.phase', '!=', 'Failed'],
      ],
      'spec.nodeName=n1,status.phase!=Failed',
    ],
    ['a=x\\,y', [['a', '=', 'x,y']], 'a=x\\,y'],
    ['a=x\\=y', [['a', '=', 'x=y']], 'a=x\\=y'],
    ['a=x\\\\y', [['a', '=', 'x\\y']], 'a=x\\\\y'],
    [
      'involvedObject.name=p1,involvedObject.namespace=default,involvedObject.uid=123',
      [
        ['involvedObject.name', '=', 'p1'],
        ['involvedObject.namespace', '=', 'default'],
        ['involvedObject.uid', '=', '123'],
      ],
      'involvedObject.name=p1,involvedObject.namespace=default,involvedObject.uid=123',
    ],
  ];
  for (const [input, reqs, str] of cases) {
    const s = parseFieldSelector(input);
    assert.deepEqual(
      s.requirements,
      reqs.map(([field, op, value]) => ({ field, op, operator: op, value })),
      input,
    );
    assert.equal(s.toString(), str, input);
    assert.equal(s.empty(), reqs.length === 0, input);
  }
});

test('parseFieldSelector: errors', () => {
  const cases: Array<[string, string]> = [
    ['abc', "invalid selector: 'abc'; can't understand 'abc'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ];
  for (const [input, msg] of cases) {
    assert.throws(
      () => parseFieldSelector(input),
      (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === msg,
      input,
    );
  }
});

test('FieldSelector.matches', () => {
  const fields = { 'metadata.name': 'p1', 'metadata.namespace': 'default', 'spec.nodeName': 'n1', 'status.phase': 'Running' };
  const cases: Array<[string, Record<string, string | undefined>, boolean]> = [
    ['', fields, true],
    ['metadata.name=p1', fields, true],
    ['metadata.name=p2', fields, false],
    ['metadata.name!=p2', fields, true],
    ['spec.nodeName=n1,status.phase=Running', fields, true],
    ['spec.nodeName=n1,status.phase!=Running', fields, false],
    ['spec.nodeName=', { 'spec.nodeName': undefined }, true], // missing compares as ''
    ['spec.nodeName=', { 'spec.nodeName': '' }, true],
    ['spec.nodeName!=', { 'spec.nodeName': 'n1' }, true],
    ['spec.nodeName!=', {}, false],
  ];
  for (const [sel, f, want] of cases) assert.equal(parseFieldSelector(sel).matches(f), want, sel);
});

test('escape/unescape round trip, requiresExactMatch, transform', () => {
  for (const v of ['', 'plain', 'a,b', 'a=b', 'a\\b', '\\,=']) {
    assert.equal(unescapeFieldValue(escapeFieldValue(v)), v, v);
  }
  assert.equal(escapeFieldValue('a\\,='), 'a\\\\\\,\\=');
  const s = parseFieldSelector('metadata.name=web,status.phase!=Failed');
  assert.equal(s.requiresExactMatch('metadata.name'), 'web');
  assert.equal(s.requiresExactMatch('status.phase'), undefined);
  assert.equal(s.requiresExactMatch('spec.nodeName'), undefined);
  const t = s.transform((f, v) => [f === 'metadata.name' ? 'name' : f, v.toUpperCase()]);
  assert.equal(t.toString(), 'name=WEB,status.phase!=FAILED');
  assert.equal(new FieldSelector().empty(), true);
});
