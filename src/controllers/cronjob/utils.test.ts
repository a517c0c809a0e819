// CronJob schedule bookkeeping: most recent unmet time, missed counts, job names and timestamps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import { parseSchedule } from './cron.js';
import { formatInZone, jobFromTemplate, jobName, mostRecentScheduleTime, nextScheduleDelay } from './utils.js';

const T = (s: string) => Date.parse(s);
const cj = (created: string, last?: string, sds?: number): CronJob => ({
  metadata: { name: 'cj', namespace: 'ns', uid: 'u', creationTimestamp: created },
  spec: { schedule: '*/5 * * * *', startingDeadlineSeconds: sds, jobTemplate: { metadata: { labels: { x: 'y' } }, spec: { template: {} } } },
  status: last ? { lastScheduleTime: last } : {},
});

test('most recent schedule time', () => {
  const s = parseSchedule('*/5 * * * *');
  const cases: Array<[CronJob, now: string, want: string | undefined, missed: number]> = [
    [cj('2026-01-01T10:01:00Z'), '2026-01-01T10:04:00Z', undefined, 0],
    [cj('2026-01-01T10:01:00Z'), '2026-01-01T10:05:00Z', '2026-01-01T10:05:00Z', 1],
    [cj('2026-01-01T10:01:00Z'), '2026-01-01T10:22:00Z', '2026-01-01T10:20:00Z', 4],
    [cj('2026-01-01T10:01:00Z', '2026-01-01T10:20:00Z'), '2026-01-01T10:22:00Z', undefined, 0],
    [cj('2026-01-01T00:00:00Z'), '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z', 288],
    // startingDeadlineSeconds bounds how far back schedules count.
    [cj('2026-01-01T00:00:00Z', undefined, 120), '2026-01-02T00:01:00Z', '2026-01-02T00:00:00Z', 1],
    [cj('2026-01-01T00:00:00Z', undefined, 30), '2026-01-02T00:01:00Z', undefined, 0],
  ];
  for (const [c, now, want, missed] of cases) {
    const r = mostRecentScheduleTime(c, s, 'UTC', T(now));
    assert.equal(r.time, want === undefined ? undefined : T(want), `${now}`);
    assert.equal(r.missed, missed, `${now} missed`);
  }
});

test('next schedule delay lands just after the schedule time', () => {
  assert.equal(nextScheduleDelay(parseSchedule('*/1 * * * *'), 'UTC', T('2026-01-01T10:00:30Z')), 30_100);
  assert.equal(nextScheduleDelay(parseSchedule('0 0 31 2 *'), 'UTC', 0), undefined);
});

test('job name and scheduled timestamp', () => {
  const at = T('2026-11-22T14:00:00Z');
  assert.equal(jobName(cj('2026-01-01T00:00:00Z'), at), `cj-${at / 60_000}`);
  assert.equal(formatInZone(at, 'UTC'), '2026-11-22T14:00:00Z');
  assert.equal(formatInZone(at, 'America/New_York'), '2026-11-22T09:00:00-05:00');
  assert.equal(formatInZone(at, 'Asia/Kolkata'), '2026-11-22T19:30:00+05:30');
  const job = jobFromTemplate(cj('2026-01-01T00:00:00Z'), at, 'Europe/Berlin');
  assert.equal(job.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2026-11-22T15:00:00+01:00');
  assert.equal(job.metadata?.labels?.x, 'y');
  assert.deepEqual(job.metadata?.ownerReferences?.[0], { apiVersion: 'batch/v1', kind: 'CronJob', name: 'cj', uid: 'u', controller: true, blockOwnerDeletion: true });
});
