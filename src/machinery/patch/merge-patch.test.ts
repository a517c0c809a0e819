// Table tests for RFC 7386 JSON merge patch: the RFC's appendix A examples plus kubectl's label,
// annotate, scale and rollout pause/resume shapes; createMergePatch round trips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch, createMergePatch } from './merge-patch.js';

test('applyMergePatch: RFC 7386 appendix A and kubectl shapes', () => {
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    [{ a: [null, 1] }, { a: [null, 2] }, { a: [null, 2] }], // nulls inside arrays are data
    // kubectl label / annotate: null removes
    [{ metadata: { labels: { app: 'web', old: 'x' } } }, { metadata: { labels: { tier: 'fe', old: null } } }, { metadata: { labels: { app: 'web', tier: 'fe' } } }],
    // kubectl scale on the scale subresource
    [{ spec: { replicas: 1 }, status: { replicas: 1 } }, { spec: { replicas: 5 } }, { spec: { replicas: 5 }, status: { replicas: 1 } }],
    // rollout resume: {"spec":{"paused":null}}
    [{ spec: { paused: true, replicas: 2 } }, { spec: { paused: null } }, { spec: { replicas: 2 } }],
    // lists are replaced wholesale, never merged
    [{ spec: { containers: [{ name: 'a' }, { name: 'b' }] } }, { spec: { containers: [{ name: 'c' }] } }, { spec: { containers: [{ name: 'c' }] } }],
  ];
  for (const [doc, patch, want] of cases) {
    const before = JSON.stringify(doc);
    const got = applyMergePatch(doc, patch);
    assert.deepEqual(got, want, `${JSON.stringify(doc)} + ${JSON.stringify(patch)}`);
    assert.equal(JSON.stringify(doc), before, 'input mutated');
  }
});

test('applyMergePatch: result shares nothing with the inputs', () => {
  const doc = { a: { b: [1] }, c: { d: 1 } };
  const patch = { c: { e: { f: 1 } } };
  const out = applyMergePatch(doc, patch) as { a: { b: number[] }; c: { e: { f: number } } };
  out.a.b.push(2);
  out.c.e.f = 9;
  assert.deepEqual(doc, { a: { b: [1] }, c: { d: 1 } });
  assert.deepEqual(patch, { c: { e: { f: 1 } } });
});

test('createMergePatch round trips', () => {
  const cases: Array<[unknown, unknown]> = [
    [{ a: 1, b: { c: 2, d: 3 } }, { a: 1, b: { c: 4 }, e: [1] }],
    [{ a: [1, 2] }, { a: [2, 1] }],
    [{ a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } }],
    [{ a: 1 }, {}],
    [{}, { a: { b: { c: 1 } } }],
  ];
  for (const [o, m] of cases) {
    const p = createMergePatch(o, m);
    assert.deepEqual(applyMergePatch(o, p), m, JSON.stringify(p));
  }
  assert.deepEqual(createMergePatch({ a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } }), {});
  assert.deepEqual(createMergePatch({ a: 1, b: 2 }, { a: 1 }), { b: null });
});
