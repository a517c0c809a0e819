import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchedulingQueue } from './queue.js';
import { makePod, container } from './framework/testing.js';

function fakeClock() {
  const c = { t: 1000, now: () => c.t };
  return c;
}

test('queue: active order is priority desc, then enqueue time', async () => {
  const clk = fakeClock();
  const q = new SchedulingQueue({ now: clk.now });
  const rows: Array<[string, number]> = [['low', 0], ['high', 100], ['low2', 0], ['mid', 50], ['high2', 100]];
  for (const [name, priority] of rows) {
    q.add(makePod(name, { priority }));
    clk.t++;
  }
  const order: string[] = [];
  for (let i = 0; i < rows.length; i++) order.push((await q.pop())!.pod.metadata!.name!);
  assert.deepEqual(order, ['high', 'high2', 'mid', 'low', 'low2']);
});

test('queue: backoff doubles from 1 s and caps at 10 s', () => {
  const q = new SchedulingQueue();
  const table: Array<[number, number]> = [[1, 1000], [2, 2000], [3, 4000], [4, 8000], [5, 10000], [9, 10000]];
  for (const [attempts, ms] of table) assert.equal(q.backoffDuration(attempts), ms, `attempts ${attempts}`);
});

test('queue: unschedulable pods wait for a cluster event (then backoff) or 5 minutes', async () => {
  const clk = fakeClock();
  const q = new SchedulingQueue({ now: clk.now });
  q.add(makePod('a'));
  const a = (await q.pop())!;
  q.addUnschedulable(a);
  assert.deepEqual(q.stats(), { active: 0, backoff: 0, unschedulable: 1 });
  // A status-only update (our own PodScheduled patch) does not requeue.
  q.update({ ...a.pod, status: { phase: 'Pending' } });
  assert.equal(q.stats().unschedulable, 1);
  q.moveAllToActiveOrBackoff();
  assert.deepEqual(q.stats(), { active: 0, backoff: 1, unschedulable: 0 });
  clk.t += 999;
  q.flush();
  assert.equal(q.stats().backoff, 1);
  clk.t += 1;
  q.flush();
  assert.equal(q.stats().active, 1);
  const again = (await q.pop())!;
  q.addUnschedulable(again);
  clk.t += 5 * 60_000 - 1;
  q.flush();
  assert.equal(q.stats().unschedulable, 1);
  clk.t += 1;
  q.flush();
  assert.equal(q.stats().active, 1);
});

test('queue: a move request during the cycle sends the failed pod to backoff; a spec update requeues', async () => {
  const q = new SchedulingQueue();
  q.add(makePod('a'));
  const a = (await q.pop())!;
  q.moveAllToActiveOrBackoff();
  q.addUnschedulable(a);
  assert.deepEqual(q.stats(), { active: 0, backoff: 1, unschedulable: 0 });
  q.add(makePod('b'));
  const b = (await q.pop())!;
  q.addUnschedulable(b);
  q.update(makePod('b', { containers: [container({ cpu: '1' })] }));
  assert.equal(q.stats().unschedulable, 0);
  q.delete(a.pod);
  q.delete(b.pod);
  assert.deepEqual(q.stats(), { active: 0, backoff: 0, unschedulable: 0 });
});

test('queue: pop waits for an add and returns undefined after close', async () => {
  const q = new SchedulingQueue();
  const p = q.pop();
  q.add(makePod('x'));
  assert.equal((await p)!.key, 'default/x');
  const p2 = q.pop();
  q.close();
  assert.equal(await p2, undefined);
});
