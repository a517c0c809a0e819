// Table tests of the image GC policy arithmetic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { amountToFree, selectVictims } from './gc.js';

const GiB = 1 << 30;

test('amountToFree', () => {
  assert.equal(amountToFree({ capacity: 100 * GiB, available: 10 * GiB }, 85, 80), 10 * GiB);
  assert.equal(amountToFree({ capacity: 100 * GiB, available: 16 * GiB }, 85, 80), 0); // 84% < 85%
  assert.equal(amountToFree({ capacity: 100 * GiB, available: 15 * GiB }, 85, 80), 5 * GiB); // exactly at high
  assert.equal(amountToFree({ capacity: 0, available: 0 }, 85, 80), 0);
});

test('selectVictims takes least recently used first until enough is freed', () => {
  const c = [
    { id: 'new', sizeBytes: 5, lastUsed: 300 },
    { id: 'old', sizeBytes: 5, lastUsed: 100 },
    { id: 'mid', sizeBytes: 5, lastUsed: 200 },
  ];
  assert.deepEqual(selectVictims(c, 0), []);
  assert.deepEqual(selectVictims(c, 1), ['old']);
  assert.deepEqual(selectVictims(c, 6), ['old', 'mid']);
  assert.deepEqual(selectVictims(c, 100), ['old', 'mid', 'new']);
});
