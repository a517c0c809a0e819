// Jobs and CronJobs as a user meets them with the real kubectl against `skiff server --sim-nodes 3`:
// `kubectl create job` (its pod template given the simulated-exit annotation) runs 4 completions 2
// at a time and `kubectl wait --for=condition=complete` returns; a failing job hits its backoffLimit;
// a "*/1 * * * *" CronJob creates its job within the minute, and `kubectl create job --from=cronjob/x`
// works. The CronJob is created first so its minute runs while the Job checks do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from 'kubernetes-types/batch/v1.js';
import { SkiffServer, waitFor } from './harness.js';

test('kubectl create job / wait / get jobs, backoffLimit, and a CronJob every minute', async () => {
  // The server inherits the environment: a short pod-failure back-off keeps the failing job quick.
  process.env.SKIFF_JOB_BACKOFF_BASE_MS = '200';
  const s = await SkiffServer.start(undefined, ['--sim-nodes', '3']);
  const k = (args: string[], input?: string) => s.kubectlSync(args, { input });
  const ok = (args: string[], input?: string) => {
    const r = k(args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  /** `kubectl create job` as a user would, with the simulated exit added to its pod template. */
  const createJob = (name: string, exit: { after: string; code?: number }, spec: Partial<NonNullable<Job['spec']>>) => {
    const job = JSON.parse(ok(['create', 'job', name, '--image=busybox', '--dry-run=client', '-o', 'json'])) as Job;
    job.spec = { ...job.spec!, ...spec };
    job.spec.template.metadata = { ...job.spec.template.metadata, annotations: { 'sim.skiff.dev/exit-after': exit.after, 'sim.skiff.dev/exit-code': String(exit.code ?? 0) } };
    return ok(['create', '-f', '-'], JSON.stringify(job));
  };
  try {
    const t0 = Date.now();
    assert.match(ok(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/1 * * * *']), /cronjob.batch\/tick created/);
    assert.match(ok(['create', 'job', 'manual', '--from=cronjob/tick']), /job.batch\/manual created/);
    const manual = JSON.parse(ok(['get', 'job', 'manual', '-o', 'json'])) as Job;
    assert.equal(manual.metadata?.ownerReferences?.[0]?.kind, 'CronJob');
    assert.equal(manual.metadata?.annotations?.['cronjob.kubernetes.io/instantiate'], 'manual');
    await waitFor(() => /^manual-[a-z0-9]{5}\s/m.test(k(['get', 'pods', '-l', 'job-name=manual', '--no-headers']).stdout), 15_000, 'pod of the manual job');

    assert.match(createJob('pi', { after: '500ms' }, { completions: 4, parallelism: 2 }), /job.batch\/pi created/);
    const wait = k(['wait', '--for=condition=complete', 'job/pi', '--timeout=60s']);
    assert.equal(wait.code, 0, wait.stderr);
    assert.match(wait.stdout, /job.batch\/pi condition met/);
    const jobs = ok(['get', 'jobs']);
    assert.match(jobs, /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE/m);
    assert.match(jobs, /^pi\s+Complete\s+4\/4\s+\d+s\s+\d+s/m);
    assert.equal(ok(['get', 'pods', '-l', 'job-name=pi', '--no-headers']).trim().split('\n').filter((l) => /\sCompleted\s/.test(l)).length, 4);
    const describe = ok(['describe', 'job', 'pi']);
    assert.match(describe, /Pods Statuses:\s+0 Active \(0 Ready\) \/ 4 Succeeded \/ 0 Failed/);
    assert.match(describe, /Normal\s+SuccessfulCreate\s+.*job-controller\s+Created pod: pi-[a-z0-9]{5}/);
    assert.match(describe, /Normal\s+Completed\s+.*job-controller\s+Job completed/);

    createJob('bad', { after: '200ms', code: 1 }, { backoffLimit: 2 });
    const failed = k(['wait', '--for=condition=failed', 'job/bad', '--timeout=30s']);
    assert.equal(failed.code, 0, failed.stderr);
    assert.equal(ok(['get', 'job', 'bad', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].reason} {.status.failed}']), 'BackoffLimitExceeded 3');
    assert.match(ok(['get', 'jobs']), /^bad\s+Failed\s+0\/1\s/m);
    assert.match(ok(['describe', 'job', 'bad']), /Warning\s+BackoffLimitExceeded\s+.*Job has reached the specified backoff limit/);

    // The CronJob's first scheduled job: at the next full minute after its creation.
    await waitFor(() => /^job.batch\/tick-\d+$/m.test(k(['get', 'jobs', '-o', 'name']).stdout), Math.max(5_000, 75_000 - (Date.now() - t0)), 'scheduled job of tick');
    const name = /^job.batch\/(tick-\d+)$/m.exec(ok(['get', 'jobs', '-o', 'name']))![1];
    assert.equal(Number(name.slice('tick-'.length)) * 60_000 > t0 - 60_000, true);
    await waitFor(() => /^tick\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+1\s+\d+s\s/m.test(k(['get', 'cronjobs']).stdout), 10_000, 'cronjob status: 1 active, last schedule set');
    assert.match(ok(['describe', 'cronjob', 'tick']), new RegExp(`Normal\\s+SuccessfulCreate\\s+.*cronjob-controller\\s+Created job ${name}`));
  } finally {
    delete process.env.SKIFF_JOB_BACKOFF_BASE_MS;
    await s.destroy();
  }
});
