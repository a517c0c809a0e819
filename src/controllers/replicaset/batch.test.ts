import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BURST_REPLICAS, replicaDiff, slowStartBatch, slowStartBatchSizes } from './batch.js';

test('replicaDiff: create/delete counts capped by the burst limit', () => {
  assert.equal(replicaDiff(3, 5), 2);
  assert.equal(replicaDiff(5, 1), -4);
  assert.equal(replicaDiff(2, 2), 0);
  assert.equal(replicaDiff(0, 10_000), BURST_REPLICAS);
  assert.equal(replicaDiff(2000, 0), -BURST_REPLICAS);
});

test('slowStartBatchSizes: 1, 2, 4, … then the remainder', () => {
  assert.deepEqual(slowStartBatchSizes(0), []);
  assert.deepEqual(slowStartBatchSizes(1), [1]);
  assert.deepEqual(slowStartBatchSizes(5), [1, 2, 2]);
  assert.deepEqual(slowStartBatchSizes(10), [1, 2, 4, 3]);
  assert.deepEqual(slowStartBatchSizes(500).reduce((a, b) => a + b, 0), 500);
});

test('slowStartBatch: stops after the first batch with a failure and counts successes', async () => {
  let calls = 0;
  const r = await slowStartBatch(10, 1, async () => {
    calls++;
    if (calls === 3) throw new Error('quota');
  });
  // batches 1 and 2 ran (3 calls); the second batch had one failure, so nothing more was tried
  assert.equal(calls, 3);
  assert.equal(r.successes, 2);
  assert.match(String(r.error), /quota/);
  const ok = await slowStartBatch(7, 1, async () => {});
  assert.deepEqual(ok, { successes: 7 });
});
