// Table tests for RFC 6902 JSON patch: every operation, pointer escapes, `-`, failures and immutability
// of the input (the RFC's appendix A examples plus kubectl's rollout-undo shape).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, parsePointer } from './json-patch.js';
import { PatchError } from './patch-error.js';

test('applyJsonPatch: successful operations', () => {
  const cases: Array<[string, unknown, unknown[], unknown]> = [
    ['add object member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { foo: 'bar', baz: 'qux' }],
    ['add array element', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
    ['add at array end with -', { foo: [1] }, [{ op: 'add', path: '/foo/-', value: 2 }], { foo: [1, 2] }],
    ['add at index == length', { foo: [1] }, [{ op: 'add', path: '/foo/1', value: 2 }], { foo: [1, 2] }],
    ['add replaces existing member', { foo: 1 }, [{ op: 'add', path: '/foo', value: 2 }], { foo: 2 }],
    ['add whole document', { foo: 1 }, [{ op: 'add', path: '', value: [1] }], [1]],
    ['add nested object', { foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }], { foo: 'bar', child: { grandchild: {} } }],
    ['add null value', { a: 1 }, [{ op: 'add', path: '/b', value: null }], { a: 1, b: null }],
    ['remove member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    ['remove array element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
    ['replace member', { baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
    ['replace array element', { a: [1, 2, 3] }, [{ op: 'replace', path: '/a/2', value: 9 }], { a: [1, 2, 9] }],
    ['replace whole document', { a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }], { b: 2 }],
    [
      'move member',
      { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    ],
    ['move array element', { foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }], { foo: ['all', 'cows', 'eat', 'grass'] }],
    ['copy', { a: { b: [1] } }, [{ op: 'copy', from: '/a', path: '/c' }], { a: { b: [1] }, c: { b: [1] } }],
    ['test passes then add', { baz: 'qux', foo: ['a', 2, 'c'] }, [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }], { baz: 'qux', foo: ['a', 2, 'c'] }],
    ['test deep equality ignores key order', { a: { x: 1, y: 2 } }, [{ op: 'test', path: '/a', value: { y: 2, x: 1 } }], { a: { x: 1, y: 2 } }],
    ['test missing path with null', { a: 1 }, [{ op: 'test', path: '/b', value: null }], { a: 1 }],
    ['~1 escape', { 'a/b': 1 }, [{ op: 'replace', path: '/a~1b', value: 2 }], { 'a/b': 2 }],
    ['~0 escape', { 'm~n': 8 }, [{ op: 'remove', path: '/m~0n' }], {}],
    ['~01 decodes to ~1', {}, [{ op: 'add', path: '/~01', value: 1 }], { '~1': 1 }],
    ['empty key', { '': 1 }, [{ op: 'replace', path: '/', value: 2 }], { '': 2 }],
    ['annotation key with slash', { metadata: { annotations: {} } }, [{ op: 'add', path: '/metadata/annotations/example.com~1x', value: 'y' }], { metadata: { annotations: { 'example.com/x': 'y' } } }],
    [
      'kubectl rollout undo shape',
      { spec: { template: { spec: { containers: [{ name: 'c', image: 'v2' }] } } }, metadata: { annotations: { a: '1' } } },
      [
        { op: 'replace', path: '/spec/template', value: { spec: { containers: [{ name: 'c', image: 'v1' }] } } },
        { op: 'replace', path: '/metadata/annotations', value: { b: '2' } },
      ],
      { spec: { template: { spec: { containers: [{ name: 'c', image: 'v1' }] } } }, metadata: { annotations: { b: '2' } } },
    ],
    ['no operations', { a: 1 }, [], { a: 1 }],
  ];
  for (const [name, doc, ops, want] of cases) {
    const before = JSON.stringify(doc);
    assert.deepEqual(applyJsonPatch(doc, ops), want, name);
    assert.equal(JSON.stringify(doc), before, `${name}: input mutated`);
  }
});

test('applyJsonPatch: failures', () => {
  const cases: Array<[string, unknown, unknown, string, RegExp]> = [
    ['not an array', {}, { op: 'add' }, 'InvalidPatch', /cannot unmarshal/],
    ['non-object op', {}, ['x'], 'InvalidPatch', /non-object/],
    ['unknown op', {}, [{ op: 'frob', path: '/a' }], 'InvalidPatch', /Unexpected kind: frob/],
    ['missing path', {}, [{ op: 'add', value: 1 }], 'InvalidPatch', /path/],
    ['bad pointer', {}, [{ op: 'add', path: 'a', value: 1 }], 'InvalidPatch', /JSON pointer/],
    ['add without value', {}, [{ op: 'add', path: '/a' }], 'InvalidPatch', /missing value/],
    ['add to missing parent', { a: 1 }, [{ op: 'add', path: '/b/c', value: 1 }], 'PathNotFound', /add operation does not apply: doc is missing path: "\/b\/c"/],
    ['add past array end', { a: [1] }, [{ op: 'add', path: '/a/5', value: 1 }], 'PathNotFound', /add operation/],
    ['add with bad index', { a: [1] }, [{ op: 'add', path: '/a/x', value: 1 }], 'PathNotFound', /add operation/],
    ['remove missing', { a: 1 }, [{ op: 'remove', path: '/b' }], 'PathNotFound', /remove operation does not apply/],
    ['remove past end', { a: [1] }, [{ op: 'remove', path: '/a/1' }], 'PathNotFound', /remove operation/],
    ['remove -', { a: [1] }, [{ op: 'remove', path: '/a/-' }], 'PathNotFound', /remove operation/],
    ['replace missing', { a: 1 }, [{ op: 'replace', path: '/b', value: 1 }], 'PathNotFound', /replace operation does not apply: doc is missing key: \/b/],
    ['move missing from', { a: 1 }, [{ op: 'move', from: '/x', path: '/b' }], 'PathNotFound', /move operation/],
    ['move into own child', { a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a/b/c' }], 'InvalidPatch', /prefix/],
    ['copy missing from', { a: 1 }, [{ op: 'copy', from: '/x', path: '/b' }], 'PathNotFound', /copy operation/],
    ['test mismatch', { a: 1 }, [{ op: 'test', path: '/a', value: 2 }], 'TestFailed', /^testing value \/a failed: test failed$/],
    ['test type mismatch', { a: 1 }, [{ op: 'test', path: '/a', value: '1' }], 'TestFailed', /test failed/],
    ['test missing', { a: 1 }, [{ op: 'test', path: '/b', value: 1 }], 'TestFailed', /test failed/],
  ];
  for (const [name, doc, ops, code, msg] of cases) {
    assert.throws(
      () => applyJsonPatch(doc, ops),
      (e: unknown) => e instanceof PatchError && e.code === code && msg.test(e.message),
      name,
    );
  }
  // A failing operation leaves the input untouched even after earlier operations succeeded.
  const doc = { a: 1 };
  assert.throws(() => applyJsonPatch(doc, [{ op: 'add', path: '/b', value: 2 }, { op: 'test', path: '/a', value: 5 }]), PatchError);
  assert.deepEqual(doc, { a: 1 });
  const err = (() => {
    try {
      applyJsonPatch({}, [{ op: 'test', path: '/a', value: 1 }]);
    } catch (e) {
      return e as PatchError;
    }
    return undefined;
  })();
  assert.equal(err?.httpStatus, 422);
});

test('parsePointer', () => {
  const cases: Array<[string, string[]]> = [
    ['', []],
    ['/', ['']],
    ['/a/b', ['a', 'b']],
    ['/a~1b/c~0d', ['a/b', 'c~d']],
    ['/0/-', ['0', '-']],
  ];
  for (const [p, want] of cases) assert.deepEqual(parsePointer(p), want, p);
});
