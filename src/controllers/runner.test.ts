import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from '../client/workqueue.js';
import { ItemExponentialFailureRateLimiter } from '../client/rate-limiter.js';
import { runController, type Result } from './runner.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(2);
  }
}

test('runner: each result kind does what controller-runtime does with it', async () => {
  const q = new WorkQueue(new ItemExponentialFailureRateLimiter(1, 1000));
  const calls: string[] = [];
  const errors: string[] = [];
  const plan: Record<string, Result[]> = {
    ok: [{ kind: 'done' }],
    later: [{ kind: 'requeueAfter', ms: 20 }, { kind: 'done' }],
    flaky: [{ kind: 'error', error: new Error('e1') }, { kind: 'error', error: new Error('e2') }, { kind: 'done' }],
    broken: [{ kind: 'terminal', error: new Error('bad') }],
  };
  const c = runController({
    name: 't',
    queue: q,
    workers: 2,
    reconcile: async (key) => {
      calls.push(key);
      const r = plan[key]!.shift();
      if (!r) throw new Error(`unexpected extra reconcile of ${key}`);
      return r;
    },
    onError: (key, e, t) => errors.push(`${key}:${(e as Error).message}:${t}`),
  });
  for (const k of Object.keys(plan)) q.add(k);
  await until(() => Object.values(plan).every((p) => p.length === 0));
  await sleep(30); // nothing further is scheduled
  await c.stop();
  const count = (k: string) => calls.filter((c) => c === k).length;
  assert.deepEqual({ ok: count('ok'), later: count('later'), flaky: count('flaky'), broken: count('broken') }, { ok: 1, later: 2, flaky: 3, broken: 1 });
  assert.deepEqual(errors.sort(), ['broken:bad:true', 'flaky:e1:false', 'flaky:e2:false']);
  assert.equal(q.numRequeues('flaky'), 0, 'done forgets the back-off');
  assert.equal(q.numRequeues('broken'), 0, 'terminal is not retried');
});

test('runner: a throwing reconcile is an error result (retried with back-off)', async () => {
  const q = new WorkQueue(new ItemExponentialFailureRateLimiter(1, 1000));
  let n = 0;
  const c = runController({
    name: 't',
    queue: q,
    workers: 1,
    reconcile: async () => {
      n++;
      if (n < 3) throw new Error('boom');
      return { kind: 'done' };
    },
    onError: () => undefined,
  });
  q.add('k');
  await until(() => n === 3);
  await c.stop();
  assert.equal(n, 3);
});

test('runner: a key is never reconciled by two workers at once; distinct keys run in parallel', async () => {
  const q = new WorkQueue();
  const active = new Set<string>();
  let maxParallel = 0;
  let overlap = false;
  let n = 0;
  const c = runController({
    name: 't',
    queue: q,
    workers: 4,
    reconcile: async (key) => {
      if (active.has(key)) overlap = true;
      active.add(key);
      maxParallel = Math.max(maxParallel, active.size);
      await sleep(15);
      active.delete(key);
      n++;
      return { kind: 'done' };
    },
  });
  for (const k of ['a', 'b', 'c', 'd']) q.add(k);
  await sleep(5);
  q.add('a'); // dirtied while processing: reconciled once more afterwards, not concurrently
  await until(() => n === 5);
  await c.stop();
  assert.equal(overlap, false);
  assert.equal(maxParallel, 4);
});

test('runner: stop drains queued keys, drops delayed ones, and resolves once workers exit', async () => {
  const q = new WorkQueue();
  const seen: string[] = [];
  const c = runController({
    name: 't',
    queue: q,
    workers: 1,
    reconcile: async (key) => {
      seen.push(key);
      return key === 'x' ? { kind: 'requeueAfter', ms: 50 } : { kind: 'done' };
    },
  });
  q.add('x');
  q.add('y');
  await until(() => seen.length === 2);
  await c.stop();
  await c.stop(); // idempotent
  await sleep(70);
  assert.deepEqual(seen, ['x', 'y']);
  assert.equal(q.isShuttingDown(), true);
});
