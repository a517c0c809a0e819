// CronJob controller against an in-process cluster with a controllable clock: the test moves the
// clock past a schedule time and touches the CronJob (the real requeue would fire a minute later in
// wall time), then checks what the controller created, deleted and reported.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import { eventually, ref, startTestCluster, type TestCluster } from './cluster.js';
import { startCronJobController } from '../../src/controllers/cronjob/controller.js';
import { jobControllerStarter } from '../../src/controllers/job/controller.js';

let c: TestCluster;
const NS = 'default';
const cronjobs = ref('batch', 'v1', 'cronjobs', NS);
const jobs = ref('batch', 'v1', 'jobs', NS);
// The controllers' clock; only ever moves forward, and runs ahead of real time once ticked.
const clock = { t: Date.now() };
const nextMinute = () => (Math.floor(Math.max(clock.t, Date.now()) / 60_000) + 1) * 60_000;

before(async () => {
  c = await startTestCluster({ nodes: 3, now: () => clock.t, controllers: [startCronJobController, jobControllerStarter({ backoffBaseMs: 50 })] });
});
after(async () => {
  await c?.close();
});

function newCronJob(name: string, spec: Partial<NonNullable<CronJob['spec']>>, exitAfter: string): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: {
      schedule: '*/1 * * * *',
      // The clock runs ahead of creationTimestamp (real time): without a deadline the first sync
      // would start the schedule times in between.
      startingDeadlineSeconds: 20,
      ...spec,
      jobTemplate: {
        metadata: { labels: { app: name } },
        spec: {
          template: {
            metadata: { annotations: { 'sim.skiff.dev/exit-after': exitAfter } },
            spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'busybox' }] },
          },
        },
      },
    },
  };
}

let touches = 0;
/** Makes the controller look (as its timer would). */
const touch = (name: string) => c.client.patch({ ...cronjobs, name }, { metadata: { annotations: { 'test/tick': String(++touches) } } }, 'merge');
/** Moves the clock 1 s past the next schedule minute and lets the controller look. */
async function tick(name: string): Promise<void> {
  clock.t = nextMinute() + 1000;
  await touch(name);
}
async function advance(name: string, ms: number): Promise<void> {
  clock.t += ms;
  await touch(name);
}
/** Half a minute past a schedule time: more than the 20 s deadline, so a new CronJob starts nothing at once. */
const settle = () => (clock.t = nextMinute() + 30_000);

const getCJ = (name: string) => c.client.get<CronJob>({ ...cronjobs, name });
const ownedJobs = async (name: string) => (await c.client.list<Job>(jobs, { labelSelector: `app=${name}` })).items.filter((j) => !j.metadata?.deletionTimestamp);
const eventTexts = async (name: string) => (await c.events(NS, name)).map((e) => `${e.reason}: ${e.message}`);
const minute = () => Math.floor(clock.t / 60_000);

test('fires at the schedule time: job name, scheduled-timestamp annotation, status and event', async () => {
  clock.t = Date.now();
  await c.client.create(cronjobs, newCronJob('every', { startingDeadlineSeconds: undefined }, '100ms'));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await ownedJobs('every')).length, 0, 'nothing before the first schedule time');
  await tick('every');
  const [job] = await eventually(async () => {
    const js = await ownedJobs('every');
    return js.length === 1 && js;
  }, 'first job');
  const scheduled = minute() * 60_000;
  assert.equal(job.metadata?.name, `every-${minute()}`);
  assert.equal(job.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], new Date(scheduled).toISOString().replace('.000Z', 'Z'));
  assert.equal(job.metadata?.ownerReferences?.[0]?.kind, 'CronJob');
  const cj = await eventually(async () => {
    const cj = await getCJ('every');
    return cj.status?.lastScheduleTime ? cj : undefined;
  }, 'lastScheduleTime');
  assert.equal(Date.parse(cj.status!.lastScheduleTime!), scheduled);
  await eventually(async () => (await eventTexts('every')).includes(`SuccessfulCreate: Created job every-${minute()}`), 'SuccessfulCreate event');
  // The job completes; the CronJob sees it and records the success.
  const done = await eventually(async () => {
    const cj = await getCJ('every');
    return !cj.status?.active?.length && cj.status?.lastSuccessfulTime ? cj : undefined;
  }, 'lastSuccessfulTime', 10_000);
  assert.ok(done.status?.lastSuccessfulTime);
  await eventually(async () => (await eventTexts('every')).includes(`SawCompletedJob: Saw completed job: every-${minute()}, condition: Complete`), 'SawCompletedJob');
  await c.client.patch({ ...cronjobs, name: 'every' }, { spec: { suspend: true } }, 'merge');
});

test('Forbid: no new job while one runs (JobAlreadyActive)', async () => {
  settle();
  await c.client.create(cronjobs, newCronJob('forbid', { concurrencyPolicy: 'Forbid' }, '1h'));
  await tick('forbid');
  const first = `forbid-${minute()}`;
  await eventually(async () => (await getCJ('forbid')).status?.active?.some((a) => a.name === first), 'first job active');
  await tick('forbid');
  await eventually(async () => (await eventTexts('forbid')).includes('JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid'), 'JobAlreadyActive');
  assert.deepEqual((await ownedJobs('forbid')).map((j) => j.metadata?.name), [first]);
  await c.client.patch({ ...cronjobs, name: 'forbid' }, { spec: { suspend: true } }, 'merge');
});

test('Replace: the running job is deleted and a new one created', async () => {
  settle();
  await c.client.create(cronjobs, newCronJob('replace', { concurrencyPolicy: 'Replace' }, '1h'));
  await tick('replace');
  const first = `replace-${minute()}`;
  await eventually(async () => (await getCJ('replace')).status?.active?.some((a) => a.name === first), 'first job active');
  await tick('replace');
  const second = `replace-${minute()}`;
  const cj = await eventually(async () => {
    const cj = await getCJ('replace');
    return cj.status?.active?.length === 1 && cj.status.active[0].name === second && cj;
  }, 'only the second job active');
  assert.ok(cj);
  await eventually(async () => (await ownedJobs('replace')).map((j) => j.metadata?.name).join() === second, 'first job deleted');
  const ev = await eventTexts('replace');
  assert.ok(ev.includes(`SuccessfulDelete: Deleted job ${first}`), ev.join('\n'));
  assert.ok(ev.includes(`SuccessfulCreate: Created job ${second}`));
  await c.client.patch({ ...cronjobs, name: 'replace' }, { spec: { suspend: true } }, 'merge');
});

test('Allow runs jobs concurrently; suspend stops new ones', async () => {
  settle();
  await c.client.create(cronjobs, newCronJob('allow', {}, '1h'));
  await tick('allow');
  await eventually(async () => (await getCJ('allow')).status?.active?.length === 1, 'one active job');
  await tick('allow');
  await eventually(async () => (await getCJ('allow')).status?.active?.length === 2, 'two active jobs');
  await c.client.patch({ ...cronjobs, name: 'allow' }, { spec: { suspend: true } }, 'merge');
  await eventually(async () => (await getCJ('allow')).spec?.suspend, 'suspended');
  await tick('allow');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await ownedJobs('allow')).length, 2, 'no job while suspended');
});

test('successfulJobsHistoryLimit keeps only the newest finished jobs', async () => {
  settle();
  await c.client.create(cronjobs, newCronJob('hist', { successfulJobsHistoryLimit: 1 }, '50ms'));
  const names: string[] = [];
  for (let i = 0; i < 3; i++) {
    await tick('hist');
    const name = `hist-${minute()}`;
    names.push(name);
    await eventually(async () => (await ownedJobs('hist')).find((j) => j.metadata?.name === name && j.status?.conditions?.some((x) => x.type === 'Complete')), `${name} complete`, 10_000);
  }
  await advance('hist', 1000); // one more look trims the history
  await eventually(async () => {
    const left = (await ownedJobs('hist')).filter((j) => j.status?.conditions?.some((x) => x.type === 'Complete')).map((j) => j.metadata?.name);
    return left.length === 1 && left[0] === names[2];
  }, 'one successful job kept', 10_000);
  assert.ok((await eventTexts('hist')).includes(`SuccessfulDelete: Deleted job ${names[0]}`));
  await c.client.patch({ ...cronjobs, name: 'hist' }, { spec: { suspend: true } }, 'merge');
});

test('startingDeadlineSeconds skips starts missed by more; >100 missed starts warn', async () => {
  settle();
  await c.client.create(cronjobs, newCronJob('late', { startingDeadlineSeconds: 10 }, '1h'));
  await c.client.create(cronjobs, newCronJob('many', { startingDeadlineSeconds: undefined }, '1h'));
  await advance('late', 105_000); // 15 s past a schedule time, deadline 10 s
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await ownedJobs('late')).length, 0, 'missed start not run');
  await advance('many', 150 * 60_000);
  await eventually(async () => (await eventTexts('many')).some((e) => /^TooManyMissedTimes: too many missed start times: 1\d\d\. Set or decrease \.spec\.startingDeadlineSeconds or check clock skew$/.test(e)), 'TooManyMissedTimes');
  // The most recent schedule time still runs.
  await eventually(async () => (await ownedJobs('many')).some((j) => j.metadata?.name === `many-${minute()}`), 'most recent start runs');
  for (const n of ['late', 'many']) await c.client.patch({ ...cronjobs, name: n }, { spec: { suspend: true } }, 'merge');
});
