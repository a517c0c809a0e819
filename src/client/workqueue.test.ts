import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from './workqueue.js';
import { ItemExponentialFailureRateLimiter, BucketRateLimiter, defaultControllerRateLimiter } from './rate-limiter.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('add de-duplicates keys waiting in the queue', async () => {
  const q = new WorkQueue();
  q.add('a');
  q.add('b');
  q.add('a');
  assert.equal(q.len(), 2);
  assert.equal(await q.get(), 'a');
  assert.equal(await q.get(), 'b');
  assert.equal(q.len(), 0);
});

test('a key added while processing is not handed out twice, and is re-queued on done', async () => {
  const q = new WorkQueue();
  q.add('a');
  assert.equal(await q.get(), 'a');
  q.add('a');
  q.add('a');
  assert.equal(q.len(), 0, 'not queued while processing');
  q.done('a');
  assert.equal(q.len(), 1);
  assert.equal(await q.get(), 'a');
  q.done('a');
  assert.equal(q.len(), 0);
});

test('get waits for an add and resolves undefined on shutdown', async () => {
  const q = new WorkQueue();
  const p = q.get();
  q.add('x');
  assert.equal(await p, 'x');
  const p2 = q.get();
  q.shutDown();
  assert.equal(await p2, undefined);
  q.add('y');
  assert.equal(q.len(), 0, 'adds ignored after shutdown');
});

test('shutdown still drains queued keys and keys dirtied while processing', async () => {
  const q = new WorkQueue();
  q.add('a');
  q.add('b');
  assert.equal(await q.get(), 'a');
  q.add('a');
  q.shutDown();
  assert.equal(await q.get(), 'b');
  q.done('a');
  assert.equal(await q.get(), 'a');
  assert.equal(await q.get(), undefined);
});

test('addAfter delivers later; the earliest pending delay wins', async () => {
  const q = new WorkQueue();
  q.addAfter('k', 60);
  q.addAfter('k', 10);
  assert.equal(q.len(), 0);
  await sleep(30);
  assert.equal(q.len(), 1);
  await sleep(50);
  assert.equal(q.len(), 1, 'later addAfter was superseded');
  q.addAfter('now', 0);
  assert.equal(q.len(), 2);
});

test('addRateLimited backs off exponentially per key; forget resets', async () => {
  const q = new WorkQueue(new ItemExponentialFailureRateLimiter(5, 1000));
  q.addRateLimited('a'); // 5 ms
  assert.equal(q.numRequeues('a'), 1);
  await sleep(20);
  assert.equal(await q.get(), 'a');
  q.done('a');
  q.addRateLimited('a'); // 10 ms
  q.addRateLimited('a'); // 20 ms (the 10 ms one is earlier and wins)
  assert.equal(q.numRequeues('a'), 3);
  q.forget('a');
  assert.equal(q.numRequeues('a'), 0);
  q.shutDown();
});

test('exponential limiter: 5 ms · 2^n capped (table)', () => {
  const l = new ItemExponentialFailureRateLimiter(5, 1000_000);
  const got = Array.from({ length: 5 }, () => l.when('x'));
  assert.deepEqual(got, [5, 10, 20, 40, 80]);
  for (let i = 0; i < 100; i++) l.when('x');
  assert.equal(l.when('x'), 1000_000);
  assert.equal(l.when('other'), 5, 'per item');
});

test('bucket limiter: burst free, then paced at qps', () => {
  let now = 0;
  const b = new BucketRateLimiter(10, 2, () => now);
  assert.deepEqual([b.when('a'), b.when('b'), b.when('c'), b.when('d')], [0, 0, 100, 200]);
  now = 1000;
  assert.equal(b.when('e'), 0);
});

test('default controller limiter starts at 5 ms', () => {
  const l = defaultControllerRateLimiter();
  assert.equal(l.when('a'), 5);
  assert.equal(l.when('a'), 10);
  assert.equal(l.numRequeues('a'), 2);
});
