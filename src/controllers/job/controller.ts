// The Job controller (upstream pkg/controller/job/job_controller.go): runs pods to completion.
// Informer handlers only enqueue job keys and settle expectations; syncJob (sync.ts) does the work.
// A pod that still carries the job-tracking finalizer but whose job is gone (or finished) is queued
// as `orphan:<ns>/<pod>` and freed, as upstream's orphan queue does, so deleting a job never leaves
// pods stuck terminating.
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { WorkQueue } from '../../client/workqueue.js';
import { isStatusError } from '../../machinery/errors.js';
import { done, requeueAfter, type Result, type RunningController } from '../runner.js';
import { runWhenSynced, type ControllerContext, type StartController } from '../shared/context.js';
import { Expectations } from '../shared/expectations.js';
import { getControllerOf } from '../shared/owner-refs.js';
import { BackoffStore, DEFAULT_BACKOFF_BASE_MS } from './backoff.js';
import { hasTrackingFinalizer } from './job-pods.js';
import { removeTrackingFinalizers, type JobDeps } from './manage.js';
import { finishedCondition, syncJob } from './sync.js';

export interface JobControllerOptions {
  /** Base of the pod-failure back-off (upstream 10 s); env SKIFF_JOB_BACKOFF_BASE_MS overrides the default. */
  backoffBaseMs?: number;
  workers?: number;
}

const ORPHAN = 'orphan:';

function defaultBackoffBase(): number {
  const env = Number(process.env.SKIFF_JOB_BACKOFF_BASE_MS);
  return Number.isFinite(env) && env > 0 ? env : DEFAULT_BACKOFF_BASE_MS;
}

/** A starter with options (tests shorten the back-off). */
export function jobControllerStarter(opts: JobControllerOptions = {}): StartController {
  return (ctx) => startJob(ctx, opts);
}

export const startJobController: StartController = (ctx) => startJob(ctx, {});

function startJob(ctx: ControllerContext, opts: JobControllerOptions): RunningController {
  const queue = new WorkQueue();
  const jobs = ctx.informers.for<Job>({ group: 'batch', version: 'v1', resource: 'jobs' });
  const pods = ctx.informers.for<Pod>({ group: '', version: 'v1', resource: 'pods' });
  const d: JobDeps = {
    client: ctx.client,
    jobs,
    pods,
    recorder: ctx.recorder('job-controller'),
    now: ctx.now,
    expectations: new Expectations(ctx.now),
    backoff: new BackoffStore(),
    backoffBaseMs: opts.backoffBaseMs ?? defaultBackoffBase(),
  };
  const keyOf = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace}/${o.metadata?.name}`;

  /** The key of the job controlling `pod`, or an orphan key when its job is gone or finished. */
  const podKey = (pod: Pod): string | undefined => {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== 'Job' || !ref.apiVersion.startsWith('batch/')) return undefined;
    const key = `${pod.metadata?.namespace}/${ref.name}`;
    const job = jobs.store.get(key);
    if ((!job || job.metadata?.uid !== ref.uid) && hasTrackingFinalizer(pod)) return ORPHAN + keyOf(pod);
    return job?.metadata?.uid === ref.uid ? key : undefined;
  };

  jobs.addEventHandler({
    onAdd: (j) => queue.add(keyOf(j)),
    onUpdate: (_o, j) => queue.add(keyOf(j)),
    onDelete: (j) => {
      queue.add(keyOf(j));
      for (const p of pods.store.byIndex('ownerUid', j.metadata?.uid ?? '')) if (hasTrackingFinalizer(p)) queue.add(ORPHAN + keyOf(p));
    },
  });
  pods.addEventHandler({
    onAdd: (p) => {
      const key = podKey(p);
      if (!key) return;
      if (!key.startsWith(ORPHAN)) d.expectations.creationObserved(key);
      queue.add(key);
    },
    onUpdate: (old, p) => {
      const key = podKey(p);
      if (!key) return;
      // Upstream counts a deletion as observed as soon as the pod is terminating.
      if (p.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp && !key.startsWith(ORPHAN)) d.expectations.deletionObserved(key);
      queue.add(key);
    },
    onDelete: (p) => {
      const key = podKey(p);
      if (!key || key.startsWith(ORPHAN)) return;
      if (!p.metadata?.deletionTimestamp) d.expectations.deletionObserved(key);
      queue.add(key);
    },
  });

  async function reconcile(key: string): Promise<Result> {
    try {
      return await reconcileKey(key);
    } catch (e) {
      // A conflict only means the cache is behind; the newer version's event brings the key back.
      if (isStatusError(e) && e.code === 409) return requeueAfter(200);
      throw e;
    }
  }

  async function reconcileKey(key: string): Promise<Result> {
    if (!key.startsWith(ORPHAN)) return syncJob(d, key);
    const pod = pods.store.get(key.slice(ORPHAN.length));
    if (!pod || !hasTrackingFinalizer(pod)) return done;
    const ref = getControllerOf(pod);
    const job = ref ? jobs.store.get(`${pod.metadata?.namespace}/${ref.name}`) : undefined;
    // The job exists and still counts this pod: leave it to syncJob.
    if (job && job.metadata?.uid === ref?.uid && !finishedCondition(job)) return done;
    await removeTrackingFinalizers(d, [pod]);
    return done;
  }

  return runWhenSynced(ctx, { name: 'job-controller', queue, workers: opts.workers ?? 5, reconcile });
}
