// The TTL-after-finished controller (upstream pkg/controller/ttlafterfinished/ttlafterfinished_controller.go):
// a Job with spec.ttlSecondsAfterFinished is deleted (propagationPolicy Foreground, so its pods go
// first) that many seconds after it finished. Before deleting, the job is read fresh from the API
// server — the TTL may have been changed or the job re-created under the same name — and the delete
// carries the UID as a precondition.
import type { Job } from 'kubernetes-types/batch/v1.js';
import { WorkQueue } from '../../client/workqueue.js';
import { isStatusError } from '../../machinery/errors.js';
import { done, requeueAfter, type Result } from '../runner.js';
import { runWhenSynced, type StartController } from '../shared/context.js';

/** When the job finished (its Complete/Failed condition), or undefined while it runs or has no TTL. */
export function expireTime(job: Job): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl == null) return undefined;
  const cond = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  if (!cond) return undefined;
  const finish = Date.parse((cond.type === 'Complete' ? job.status?.completionTime : undefined) ?? cond.lastTransitionTime ?? '');
  if (Number.isNaN(finish)) return undefined;
  return finish + ttl * 1000;
}

export const startTTLAfterFinishedController: StartController = (ctx) => {
  const queue = new WorkQueue();
  const jobs = ctx.informers.for<Job>({ group: 'batch', version: 'v1', resource: 'jobs' });
  const enqueue = (j: Job) => {
    if (j.spec?.ttlSecondsAfterFinished != null && !j.metadata?.deletionTimestamp) queue.add(`${j.metadata?.namespace}/${j.metadata?.name}`);
  };
  jobs.addEventHandler({ onAdd: enqueue, onUpdate: (_o, j) => enqueue(j) });

  async function reconcile(key: string): Promise<Result> {
    const cached = jobs.store.get(key);
    if (!cached || cached.metadata?.deletionTimestamp) return done;
    const at = expireTime(cached);
    if (at === undefined) return done;
    if (at > ctx.now()) return requeueAfter(at - ctx.now());
    const [namespace, name] = key.split('/');
    const ref = { group: 'batch', version: 'v1', resource: 'jobs', namespace, name };
    try {
      const fresh = await ctx.client.get<Job>(ref);
      const freshAt = expireTime(fresh);
      if (fresh.metadata?.deletionTimestamp || freshAt === undefined) return done;
      if (freshAt > ctx.now()) return requeueAfter(freshAt - ctx.now());
      await ctx.client.delete(ref, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata?.uid } });
    } catch (e) {
      if (isStatusError(e) && (e.code === 404 || e.code === 409)) return done;
      throw e;
    }
    return done;
  }

  return runWhenSynced(ctx, { name: 'ttl-after-finished-controller', queue, workers: 5, reconcile });
};
