// The CronJob controller (upstream pkg/controller/cronjob/cronjob_controllerv2.go): creates a Job at
// each schedule time. A sync reconciles status.active with the jobs the CronJob controls, trims
// finished jobs beyond the history limits, then — unless suspended — finds the most recent unmet
// schedule time (bounded by startingDeadlineSeconds), applies the concurrency policy and creates
// `<cronjob>-<minutes since epoch>`. It always requeues for just after the next schedule time,
// measured on ctx.now(), so tests may drive a controllable clock.
import type { CronJob, CronJobStatus, Job } from 'kubernetes-types/batch/v1.js';
import { WorkQueue } from '../../client/workqueue.js';
import { isStatusError } from '../../machinery/errors.js';
import { deepCopy } from '../../machinery/object.js';
import { done, requeueAfter, type Result } from '../runner.js';
import { runWhenSynced, type StartController } from '../shared/context.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { getControllerOf, isControlledBy } from '../shared/owner-refs.js';
import { parseSchedule, validateTimeZone } from './cron.js';
import { cleanupFinishedJobs } from './history.js';
import { finishedCondition, jobFromTemplate, jobName, mostRecentScheduleTime, nextScheduleDelay, rfc3339 } from './utils.js';

const jobsRes = (namespace?: string, name?: string) => ({ group: 'batch', version: 'v1', resource: 'jobs', namespace, name });
const isCode = (e: unknown, ...codes: number[]) => isStatusError(e) && codes.includes(e.code);
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Go's RFC1123Z, used in the MissSchedule message. */
function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const day = d.toUTCString().slice(0, 3);
  return `${day}, ${String(d.getUTCDate()).padStart(2, '0')} ${d.toUTCString().slice(8, 11)} ${d.getUTCFullYear()} ${d.toISOString().slice(11, 19)} +0000`;
}

export const startCronJobController: StartController = (ctx) => {
  const queue = new WorkQueue();
  const cronJobs = ctx.informers.for<CronJob>({ group: 'batch', version: 'v1', resource: 'cronjobs' });
  const jobs = ctx.informers.for<Job>({ group: 'batch', version: 'v1', resource: 'jobs' });
  const recorder: EventRecorder = ctx.recorder('cronjob-controller');
  // Bounded by what we create; a job we just made may show up before our status write does.
  const warnedUnexpected = new Set<string>();
  const createdByUs = new Set<string>();
  const keyOf = (o: CronJob) => `${o.metadata?.namespace}/${o.metadata?.name}`;
  cronJobs.addEventHandler({ onAdd: (cj) => queue.add(keyOf(cj)), onUpdate: (_o, cj) => queue.add(keyOf(cj)), onDelete: (cj) => queue.add(keyOf(cj)) });
  const enqueueOwner = (j: Job) => {
    const ref = getControllerOf(j);
    if (ref?.kind === 'CronJob') queue.add(`${j.metadata?.namespace}/${ref.name}`);
  };
  jobs.addEventHandler({ onAdd: enqueueOwner, onUpdate: (_o, j) => enqueueOwner(j), onDelete: enqueueOwner });

  async function writeStatus(cj: CronJob, status: CronJobStatus): Promise<void> {
    if (JSON.stringify(status) === JSON.stringify(cj.status ?? {})) return;
    await ctx.client.update<CronJob>({ ...jobsRes(cj.metadata?.namespace, cj.metadata?.name), resource: 'cronjobs', subresource: 'status' }, { ...cj, status });
  }

  /** Drops finished or vanished jobs from status.active and notes the last success. */
  async function reconcileActive(cj: CronJob, status: CronJobStatus, owned: Job[]): Promise<void> {
    for (const j of owned) {
      const uid = j.metadata?.uid ?? '';
      const inActive = (status.active ?? []).some((a) => a.uid === uid);
      const fin = finishedCondition(j);
      if (!inActive && !fin && !warnedUnexpected.has(uid) && !createdByUs.has(uid)) {
        warnedUnexpected.add(uid);
        recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata?.name}`);
      }
      if (inActive && fin) {
        status.active = (status.active ?? []).filter((a) => a.uid !== uid);
        recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata?.name}, condition: ${fin.type}`);
      }
      const completed = fin?.type === 'Complete' ? j.status?.completionTime : undefined;
      if (completed && (!status.lastSuccessfulTime || Date.parse(completed) > Date.parse(status.lastSuccessfulTime))) status.lastSuccessfulTime = completed;
    }
    for (const a of [...(status.active ?? [])]) {
      if (owned.some((j) => j.metadata?.uid === a.uid)) continue;
      try {
        const j = await ctx.client.get<Job>(jobsRes(a.namespace ?? cj.metadata?.namespace, a.name));
        if (j.metadata?.uid === a.uid) continue;
      } catch (e) {
        if (!isCode(e, 404)) throw e;
      }
      recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${a.name}`);
      status.active = (status.active ?? []).filter((x) => x.uid !== a.uid);
    }
    if (status.active && !status.active.length) delete status.active;
  }

  async function reconcile(key: string): Promise<Result> {
    try {
      return await syncCronJob(key);
    } catch (e) {
      // A conflict only means the cache is behind; the newer version's event brings the key back.
      if (isCode(e, 409)) return requeueAfter(200);
      throw e;
    }
  }

  async function syncCronJob(key: string): Promise<Result> {
    const cached = cronJobs.store.get(key);
    if (!cached) return done;
    const cj: CronJob = { ...deepCopy(cached), apiVersion: 'batch/v1', kind: 'CronJob' };
    const status: CronJobStatus = deepCopy(cj.status ?? {});
    const owned = jobs.store.byIndex('ownerUid', cj.metadata?.uid ?? '').filter((j) => isControlledBy(j, cj));
    await reconcileActive(cj, status, owned);
    if (cj.metadata?.deletionTimestamp) {
      await writeStatus(cj, status);
      return done;
    }
    await cleanupFinishedJobs(ctx.client, recorder, cj, owned, status);

    const tz = cj.spec?.timeZone || 'UTC';
    try {
      validateTimeZone(tz);
    } catch (e) {
      recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${cj.spec?.timeZone}": ${errText(e)}`);
      await writeStatus(cj, status);
      return done;
    }
    let schedule;
    try {
      schedule = parseSchedule(cj.spec?.schedule ?? '');
    } catch (e) {
      recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${cj.spec?.schedule}" : ${errText(e)}`);
      await writeStatus(cj, status);
      return done;
    }
    if (cj.spec?.suspend) {
      await writeStatus(cj, status);
      return done;
    }
    const now = ctx.now();
    const delay = nextScheduleDelay(schedule, tz, now);
    const next: Result = delay === undefined ? done : requeueAfter(delay);
    const recent = mostRecentScheduleTime(cj, schedule, tz, now);
    if (recent.missed > 100) {
      recorder.event(cj, 'Warning', 'TooManyMissedTimes', `too many missed start times: ${recent.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
    }
    const scheduled = recent.time;
    const sds = cj.spec?.startingDeadlineSeconds;
    const name = scheduled === undefined ? '' : jobName(cj, scheduled);
    if (scheduled === undefined || (status.active ?? []).some((a) => a.name === name) || (status.lastScheduleTime && Date.parse(status.lastScheduleTime) === scheduled)) {
      await writeStatus(cj, status);
      return next;
    }
    if (sds != null && scheduled + sds * 1000 < now) {
      recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
      await writeStatus(cj, status);
      return next;
    }
    const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && (status.active ?? []).length) {
      recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      await writeStatus(cj, status);
      return next;
    }
    if (policy === 'Replace') {
      for (const a of [...(status.active ?? [])]) {
        try {
          await ctx.client.delete(jobsRes(a.namespace ?? cj.metadata?.namespace, a.name), { propagationPolicy: 'Background', preconditions: { uid: a.uid } });
          recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${a.name}`);
        } catch (e) {
          if (!isCode(e, 404, 409)) {
            recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${errText(e)}`);
            throw e;
          }
        }
        status.active = (status.active ?? []).filter((x) => x.uid !== a.uid);
      }
      if (status.active && !status.active.length) delete status.active;
    }
    let created: Job;
    try {
      created = await ctx.client.create<Job>(jobsRes(cj.metadata?.namespace), jobFromTemplate(cj, scheduled, tz));
      recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${name}`);
    } catch (e) {
      if (!isCode(e, 409)) {
        recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${errText(e)}`);
        await writeStatus(cj, status);
        throw e;
      }
      // Already there (a previous sync created it before its status write failed): adopt it if ours.
      created = await ctx.client.get<Job>(jobsRes(cj.metadata?.namespace, name));
      if (!isControlledBy(created, cj)) {
        await writeStatus(cj, status);
        return next;
      }
    }
    createdByUs.add(created.metadata?.uid ?? '');
    if (createdByUs.size > 10_000) createdByUs.delete(createdByUs.values().next().value as string);
    if (!finishedCondition(created) && !(status.active ?? []).some((a) => a.uid === created.metadata?.uid)) {
      const m = created.metadata!;
      (status.active ??= []).push({ apiVersion: 'batch/v1', kind: 'Job', name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion });
    }
    status.lastScheduleTime = rfc3339(scheduled);
    await writeStatus(cj, status);
    return next;
  }

  return runWhenSynced(ctx, { name: 'cronjob-controller', queue, workers: 5, reconcile });
};
