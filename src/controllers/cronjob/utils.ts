// CronJob helpers (upstream pkg/controller/cronjob/utils.go): which scheduled time is the most
// recent unmet one, how long until the next, the job a schedule creates, and job-state questions.
import type { CronJob, Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import { deepCopy } from '../../machinery/object.js';
import { newControllerRef } from '../shared/owner-refs.js';
import { nextAfter, wallClock, type Schedule } from './cron.js';

export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** Upstream adds this much to the requeue so the sync lands just after the schedule time. */
export const NEXT_SCHEDULE_DELTA_MS = 100;

export interface MostRecent {
  /** The latest schedule time in (earliest, now], if any. */
  time?: number;
  /** How many schedule times were missed (approximate beyond 2, as upstream). */
  missed: number;
}

/** The time from which schedules count: lastScheduleTime, else creation, but not before the starting deadline. */
export function earliestTime(cj: CronJob, now: number): number {
  let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata?.creationTimestamp ?? '') || now;
  const sds = cj.spec?.startingDeadlineSeconds;
  if (sds != null) earliest = Math.max(earliest, now - sds * 1000);
  return earliest;
}

/** Upstream mostRecentScheduleTime, including its interval-based estimate of missed schedules. */
export function mostRecentScheduleTime(cj: CronJob, s: Schedule, tz: string, now: number): MostRecent {
  const earliest = earliestTime(cj, now);
  const t1 = nextAfter(s, earliest, tz);
  if (t1 === undefined || now < t1) return { missed: 0 };
  const t2 = nextAfter(s, t1, tz);
  if (t2 === undefined || now < t2) return { time: t1, missed: 1 };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) throw new Error('time difference between two schedules is less than 1 second');
  const missed = Math.floor((now - t1) / 1000 / between) + 1;
  // Back up one interval before the estimate and walk forward, for irregular schedules.
  const potentialEarliest = t1 + (missed - 2) * between * 1000;
  let most: number | undefined;
  for (let t = nextAfter(s, potentialEarliest, tz); t !== undefined && t <= now; t = nextAfter(s, t, tz)) most = t;
  return { time: most, missed };
}

/** Milliseconds from now until just after the next schedule time (undefined if there is none). */
export function nextScheduleDelay(s: Schedule, tz: string, now: number): number | undefined {
  const next = nextAfter(s, now, tz);
  return next === undefined ? undefined : next - now + NEXT_SCHEDULE_DELTA_MS;
}

/** `<cronjob>-<scheduled time in minutes since the epoch>` (upstream getJobName). */
export function jobName(cj: CronJob, scheduled: number): string {
  return `${cj.metadata?.name}-${Math.floor(scheduled / 60_000)}`;
}

/** RFC 3339 in the CronJob's time zone (UTC when unset), as Go's time.Format(RFC3339). */
export function formatInZone(ms: number, tz: string): string {
  const wall = wallClock(ms, tz) + (Math.floor(ms / 1000) % 60) * 1000;
  const offMin = Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
  const local = new Date(wall).toISOString().replace(/\.\d+Z$/, '');
  if (offMin === 0) return `${local}Z`;
  const sign = offMin < 0 ? '-' : '+';
  const a = Math.abs(offMin);
  return `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** The Job a CronJob creates for `scheduled` (upstream getJobFromTemplate2). */
export function jobFromTemplate(cj: CronJob, scheduled: number, tz: string): Job {
  const t = deepCopy(cj.spec?.jobTemplate ?? {});
  const meta = t.metadata ?? {};
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(cj, scheduled),
      namespace: cj.metadata?.namespace,
      labels: meta.labels,
      annotations: { ...meta.annotations, [SCHEDULED_TIMESTAMP_ANNOTATION]: formatInZone(scheduled, tz) },
      ownerReferences: [newControllerRef(cj, 'batch/v1', 'CronJob')],
    },
    spec: t.spec,
  };
}

export function finishedCondition(job: Job): JobCondition | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
