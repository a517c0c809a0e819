// manageJob (upstream pkg/controller/job/job_controller.go manageJob / deleteJobPods): moves the
// number of active pods toward `wantActive`. Indexed jobs first drop pods with a bad, succeeded or
// duplicated completion index and create pods for the lowest pending indexes. Pods the controller
// deletes lose their job-tracking finalizer first, so they are not counted as failures. Creations
// and deletions are recorded as expectations so a lagging cache does not double them.
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeClient } from '../../client/http-client.js';
import type { SharedInformer } from '../../client/informer.js';
import { isStatusError } from '../../machinery/errors.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { Expectations } from '../shared/expectations.js';
import { compareForDeletion } from '../shared/pods.js';
import type { BackoffStore } from './backoff.js';
import { firstPendingIndexes, getCompletionIndex } from './indexed.js';
import { JOB_TRACKING_FINALIZER, newJobPod } from './job-pods.js';

export interface JobDeps {
  client: KubeClient;
  jobs: SharedInformer<Job>;
  pods: SharedInformer<Pod>;
  recorder: EventRecorder;
  now(): number;
  expectations: Expectations;
  backoff: BackoffStore;
  backoffBaseMs: number;
}

export interface ManageResult {
  created: number;
  deleted: number;
  /** More pods were wanted than exist (creation may have been held back by the back-off). */
  wantedMore: boolean;
  error?: unknown;
}

const podRef = (p: Pod) => ({ group: '', version: 'v1', resource: 'pods', namespace: p.metadata?.namespace, name: p.metadata?.name });
const isGone = (e: unknown) => isStatusError(e) && e.code === 404;
/** Pod creation is bounded per sync, as upstream's slow-start batches bound a burst. */
const MAX_CREATES_PER_SYNC = 500;

/** Removes the job-tracking finalizer; returns the UIDs now free of it (404 counts: the pod is gone). */
export async function removeTrackingFinalizers(d: Pick<JobDeps, 'client'>, pods: Pod[]): Promise<Set<string>> {
  const released = new Set<string>();
  await Promise.all(
    pods.map(async (p) => {
      try {
        await d.client.patch(podRef(p), { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } }, 'strategic');
        released.add(p.metadata?.uid ?? '');
      } catch (e) {
        if (!isGone(e)) throw e;
        released.add(p.metadata?.uid ?? '');
      }
    }),
  );
  return released;
}

export async function manageJob(d: JobDeps, key: string, job: Job, activePods: Pod[], o: { wantActive: number; succeededIndexes: ReadonlySet<number>; allowCreate: boolean }): Promise<ManageResult> {
  const indexed = job.spec?.completionMode === 'Indexed';
  const completions = job.spec?.completions ?? 0;
  const toDelete: Pod[] = [];
  let keep = [...activePods].sort(compareForDeletion).reverse(); // best (running, ready, older) first
  if (indexed) {
    const seen = new Set<number>();
    keep = keep.filter((p) => {
      const ix = getCompletionIndex(p);
      if (ix === undefined || ix >= completions || o.succeededIndexes.has(ix) || seen.has(ix)) {
        toDelete.push(p);
        return false;
      }
      seen.add(ix);
      return true;
    });
  }
  if (keep.length > o.wantActive) {
    toDelete.push(...keep.slice(o.wantActive));
    keep = keep.slice(0, o.wantActive);
  }
  const diff = Math.min(o.wantActive - keep.length, MAX_CREATES_PER_SYNC);
  let indexes: Array<number | undefined> = [];
  if (diff > 0 && o.allowCreate) {
    const activeIx = new Set(keep.map(getCompletionIndex).filter((i): i is number => i !== undefined));
    indexes = indexed ? firstPendingIndexes(completions, o.succeededIndexes, activeIx, diff) : Array.from({ length: diff }, () => undefined);
  }
  if (!indexes.length && !toDelete.length) return { created: 0, deleted: 0, wantedMore: diff > 0 };

  d.expectations.expect(key, indexes.length, toDelete.length);
  let error: unknown;
  let deleted = 0;
  let created = 0;
  await Promise.all(
    toDelete.map(async (p) => {
      try {
        await removeTrackingFinalizers(d, [p]);
        await d.client.delete(podRef(p));
        deleted++;
        d.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata?.name}`);
      } catch (e) {
        d.expectations.lowerExpectations(key, 0, 1);
        if (!isGone(e)) {
          error ??= e;
          d.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }),
  );
  await Promise.all(
    indexes.map(async (ix) => {
      try {
        const pod = await d.client.create<Pod>({ group: '', version: 'v1', resource: 'pods', namespace: job.metadata?.namespace }, newJobPod(job, ix));
        created++;
        d.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name}`);
      } catch (e) {
        d.expectations.lowerExpectations(key, 1, 0);
        error ??= e;
        d.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${e instanceof Error ? e.message : String(e)}`);
      }
    }),
  );
  return { created, deleted, wantedMore: diff > 0, error };
}
