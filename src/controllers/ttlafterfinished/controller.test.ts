// When a finished Job expires: its finish time (completionTime, or the Failed condition's
// transition) plus ttlSecondsAfterFinished; never while it runs or without a TTL.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1.js';
import { expireTime } from './controller.js';

const job = (ttl: number | undefined, cond?: 'Complete' | 'Failed'): Job => ({
  spec: { ttlSecondsAfterFinished: ttl, template: {} },
  status: cond
    ? { completionTime: cond === 'Complete' ? '2026-01-01T00:00:10Z' : undefined, conditions: [{ type: cond, status: 'True', lastTransitionTime: '2026-01-01T00:00:20Z' }] }
    : {},
});

test('expire time', () => {
  assert.equal(expireTime(job(undefined, 'Complete')), undefined);
  assert.equal(expireTime(job(30)), undefined, 'running job');
  assert.equal(expireTime(job(30, 'Complete')), Date.parse('2026-01-01T00:00:40Z'));
  assert.equal(expireTime(job(0, 'Failed')), Date.parse('2026-01-01T00:00:20Z'));
});
