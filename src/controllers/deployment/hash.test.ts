// Unit tests for the pod-template-hash: FNV-1a vectors, the safe alphabet, stability under key order,
// sensitivity to the template and the collision count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, computeHash, fnv32a, safeEncodeString } from './hash.js';

test('fnv32a matches the reference vectors', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assert.equal(fnv32a(enc('')), 0x811c9dc5);
  assert.equal(fnv32a(enc('a')), 0xe40c292c);
  assert.equal(fnv32a(enc('foobar')), 0xbf9cf968);
});

test('safeEncodeString maps digits through the vowel-free alphabet (rand.SafeEncodeString)', () => {
  // '0' is code 48 → 48 % 27 = 21 → '4'; '9' is 57 → 3 → 'f'.
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

test('computeHash: stable, order-independent, ~10 safe characters, changes with template and collisionCount', () => {
  const t = { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } };
  const reordered = { spec: { containers: [{ image: 'img:1', name: 'c' }] }, metadata: { labels: { tier: 'fe', app: 'web' } } };
  const h = computeHash(t);
  assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  assert.equal(computeHash(reordered), h);
  assert.equal(canonicalJson(reordered), canonicalJson(t));
  assert.notEqual(computeHash({ ...t, spec: { containers: [{ name: 'c', image: 'img:2' }] } }), h);
  assert.notEqual(computeHash(t, 1), h);
  assert.notEqual(computeHash(t, 1), computeHash(t, 2));
  // collisionCount 0 is hashed (as upstream: a non-nil pointer to 0 adds four zero bytes).
  assert.notEqual(computeHash(t, 0), h);
});
