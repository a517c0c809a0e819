// Job and TTL-after-finished controllers against an in-process API server, scheduler and three
// simulated nodes: completions/parallelism, back-off limit, OnFailure restarts, deadline, Indexed
// mode, suspend/resume, and deletion of finished jobs after their TTL.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { eventually, ref, startTestCluster, type TestCluster } from './cluster.js';
import { jobControllerStarter } from '../../src/controllers/job/controller.js';
import { startTTLAfterFinishedController } from '../../src/controllers/ttlafterfinished/controller.js';

let c: TestCluster;
const NS = 'default';
const jobs = ref('batch', 'v1', 'jobs', NS);
const pods = ref('', 'v1', 'pods', NS);

before(async () => {
  c = await startTestCluster({ nodes: 3, controllers: [jobControllerStarter({ backoffBaseMs: 50 }), startTTLAfterFinishedController] });
});
after(async () => {
  await c?.close();
});

function newJob(name: string, spec: Partial<NonNullable<Job['spec']>>, sim: { exitAfter: string; exitCode?: number }, restartPolicy = 'Never'): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      ...spec,
      template: {
        metadata: { annotations: { 'sim.skiff.dev/exit-after': sim.exitAfter, 'sim.skiff.dev/exit-code': String(sim.exitCode ?? 0) } },
        spec: { restartPolicy, terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'busybox' }] },
      },
    },
  };
}

const getJob = (name: string) => c.client.get<Job>({ ...jobs, name });
const condition = (j: Job, type: string) => j.status?.conditions?.find((x) => x.type === type && x.status === 'True');
const jobPods = async (name: string) => (await c.client.list<Pod>(pods, { labelSelector: `batch.kubernetes.io/job-name=${name}` })).items;
const reasons = async (name: string) => (await c.events(NS, name)).map((e) => `${e.reason}: ${e.message}`);

test('completions 4 / parallelism 2 completes with never more than 2 active pods', async () => {
  await c.client.create(jobs, newJob('pi', { completions: 4, parallelism: 2 }, { exitAfter: '300ms' }));
  let maxActive = 0;
  const done = await eventually(async () => {
    const running = (await jobPods('pi')).filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata?.deletionTimestamp);
    maxActive = Math.max(maxActive, running.length);
    const j = await getJob('pi');
    maxActive = Math.max(maxActive, j.status?.active ?? 0);
    return condition(j, 'Complete') ? j : undefined;
  }, 'job pi Complete', 20_000, 20);
  assert.ok(maxActive <= 2, `at most 2 active pods, saw ${maxActive}`);
  assert.equal(done.status?.succeeded, 4);
  assert.deepEqual(done.status?.conditions?.map((x) => `${x.type}/${x.reason}`), ['SuccessCriteriaMet/CompletionsReached', 'Complete/CompletionsReached']);
  assert.equal(done.status?.active ?? 0, 0);
  assert.ok(done.status?.startTime && done.status?.completionTime);
  assert.deepEqual(done.status?.uncountedTerminatedPods ?? {}, done.status?.uncountedTerminatedPods?.succeeded ? { succeeded: [], failed: [] } : {});
  const ps = await jobPods('pi');
  assert.equal(ps.length, 4);
  for (const p of ps) {
    assert.equal(p.metadata?.labels?.['batch.kubernetes.io/controller-uid'], done.metadata?.uid);
    assert.equal(p.metadata?.labels?.['controller-uid'], done.metadata?.uid);
    assert.equal(p.metadata?.labels?.['job-name'], 'pi');
    assert.match(p.metadata?.name ?? '', /^pi-[a-z0-9]{5}$/);
    assert.deepEqual(p.metadata?.finalizers ?? [], [], 'tracking finalizer removed once counted');
  }
  const ev = await eventually(async () => {
    const r = await reasons('pi');
    return r.filter((x) => x.startsWith('SuccessfulCreate')).length === 4 && r.includes('Completed: Job completed') && r;
  }, 'events');
  assert.ok(ev.some((x) => /^SuccessfulCreate: Created pod: pi-[a-z0-9]{5}$/.test(x)));
});

test('failing pods are retried up to backoffLimit, then the job fails with BackoffLimitExceeded', async () => {
  await c.client.create(jobs, newJob('fails', { backoffLimit: 2 }, { exitAfter: '100ms', exitCode: 1 }));
  const j = await eventually(async () => {
    const j = await getJob('fails');
    return condition(j, 'Failed') ? j : undefined;
  }, 'job fails Failed', 20_000);
  const cond = condition(j, 'Failed')!;
  assert.equal(cond.reason, 'BackoffLimitExceeded');
  assert.equal(cond.message, 'Job has reached the specified backoff limit');
  assert.equal(j.status?.failed, 3, 'backoffLimit 2 → 3 failed pods');
  assert.deepEqual(j.status?.conditions?.map((x) => x.type), ['FailureTarget', 'Failed'], 'interim condition first, as upstream 1.31');
  assert.equal((await jobPods('fails')).length, 3);
  await eventually(async () => (await reasons('fails')).includes('BackoffLimitExceeded: Job has reached the specified backoff limit'), 'BackoffLimitExceeded event');
});

test('OnFailure: container restarts count toward the backoff limit', async () => {
  await c.client.create(jobs, newJob('restarts', { backoffLimit: 2 }, { exitAfter: '100ms', exitCode: 1 }, 'OnFailure'));
  const j = await eventually(async () => {
    const j = await getJob('restarts');
    return condition(j, 'Failed') ? j : undefined;
  }, 'job restarts Failed', 20_000);
  assert.equal(condition(j, 'Failed')?.reason, 'BackoffLimitExceeded');
  await eventually(async () => (await jobPods('restarts')).every((p) => p.metadata?.deletionTimestamp) || (await jobPods('restarts')).length === 0, 'active pods deleted');
});

test('activeDeadlineSeconds fails the job with DeadlineExceeded and deletes its pods', async () => {
  await c.client.create(jobs, newJob('slow', { activeDeadlineSeconds: 1, parallelism: 2, completions: 2 }, { exitAfter: '1h' }));
  const j = await eventually(async () => {
    const j = await getJob('slow');
    return condition(j, 'Failed') ? j : undefined;
  }, 'job slow Failed', 10_000);
  assert.equal(condition(j, 'Failed')?.reason, 'DeadlineExceeded');
  assert.equal(condition(j, 'Failed')?.message, 'Job was active longer than specified deadline');
  assert.equal((await jobPods('slow')).length, 0, 'Failed only once its pods are gone');
  assert.ok((await reasons('slow')).some((r) => r.startsWith('SuccessfulDelete: Deleted pod: slow-')));
});

test('Indexed completion: one pod per index, hostname and completedIndexes', async () => {
  await c.client.create(jobs, newJob('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }, { exitAfter: '200ms' }));
  const j = await eventually(async () => {
    const j = await getJob('idx');
    return condition(j, 'Complete') ? j : undefined;
  }, 'job idx Complete', 20_000);
  assert.equal(j.status?.completedIndexes, '0-2');
  assert.equal(j.status?.succeeded, 3);
  const ps = await jobPods('idx');
  const byIndex = ps.map((p) => [p.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'], p.metadata?.labels?.['batch.kubernetes.io/job-completion-index'], p.spec?.hostname, p.metadata?.name]);
  byIndex.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  assert.deepEqual(byIndex.map((x) => x.slice(0, 3)), [['0', '0', 'idx-0'], ['1', '1', 'idx-1'], ['2', '2', 'idx-2']]);
  for (const [ix, , , name] of byIndex) assert.match(name ?? '', new RegExp(`^idx-${ix}-[a-z0-9]{5}$`));
  assert.equal(ps[0].spec?.containers[0].env?.find((e) => e.name === 'JOB_COMPLETION_INDEX')?.valueFrom?.fieldRef?.fieldPath, "metadata.annotations['batch.kubernetes.io/job-completion-index']");
});

test('suspend holds pods back; resume starts them', async () => {
  await c.client.create(jobs, newJob('susp', { suspend: true }, { exitAfter: '100ms' }));
  const j = await eventually(async () => {
    const j = await getJob('susp');
    return condition(j, 'Suspended') ? j : undefined;
  }, 'Suspended condition');
  assert.equal(condition(j, 'Suspended')?.reason, 'JobSuspended');
  assert.equal((await jobPods('susp')).length, 0);
  assert.equal(j.status?.startTime, undefined);
  await c.client.patch({ ...jobs, name: 'susp' }, { spec: { suspend: false } }, 'merge');
  const done = await eventually(async () => {
    const j = await getJob('susp');
    return condition(j, 'Complete') ? j : undefined;
  }, 'resumed job completes', 10_000);
  assert.equal(done.status?.conditions?.find((x) => x.type === 'Suspended')?.reason, 'JobResumed');
});

test('ttlSecondsAfterFinished deletes the finished job (Foreground)', async () => {
  await c.client.create(jobs, newJob('ttl', { ttlSecondsAfterFinished: 1 }, { exitAfter: '100ms' }));
  await eventually(async () => condition(await getJob('ttl'), 'Complete'), 'ttl job Complete', 10_000);
  await eventually(async () => {
    try {
      // Without a garbage collector in this cluster, a Foreground delete leaves the job terminating.
      const j = await getJob('ttl');
      return !!j.metadata?.deletionTimestamp && (j.metadata.finalizers ?? []).includes('foregroundDeletion');
    } catch (e) {
      return (e as { code?: number }).code === 404;
    }
  }, 'ttl job deleted', 10_000);
});
