// syncJob (upstream pkg/controller/job/job_controller.go syncJob + trackJobStatusAndRemoveFinalizers):
// reads the job and its pods from the caches and, idempotently: counts finished pods through
// status.uncountedTerminatedPods and the job-tracking finalizer (a pod is counted exactly once: its
// UID is recorded as uncounted, its finalizer removed, then it moves into succeeded/failed), decides
// whether the job failed (backoffLimit, OnFailure restarts, activeDeadlineSeconds) or completed,
// creates or deletes pods toward the wanted number of active pods (manage.ts), and writes status.
import type { Job, JobCondition, JobStatus } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { deepCopy } from '../../machinery/object.js';
import { done, failed, requeueAfter, type Result } from '../runner.js';
import { claimObjects } from '../shared/owner-refs.js';
import { isPodActive, isPodReady } from '../shared/pods.js';
import { remainingBackoff } from './backoff.js';
import { formatIndexes, getCompletionIndex, parseIndexes } from './indexed.js';
import { activeRestarts, hasTrackingFinalizer, isPodFailed, isPodSucceeded, podFinishTime } from './job-pods.js';
import { manageJob, removeTrackingFinalizers, type JobDeps } from './manage.js';

const POD_RESOURCE = { group: '', version: 'v1', resource: 'pods' };

export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export function finishedCondition(job: Job): JobCondition | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

function setCondition(status: JobStatus, type: string, condStatus: 'True' | 'False', reason: string, message: string, now: number): boolean {
  const conds = (status.conditions ??= []);
  const ts = rfc3339(now);
  const existing = conds.find((c) => c.type === type);
  if (existing) {
    if (existing.status === condStatus) return false;
    Object.assign(existing, { status: condStatus, reason, message, lastProbeTime: ts, lastTransitionTime: ts });
    return true;
  }
  conds.push({ type, status: condStatus, reason, message, lastProbeTime: ts, lastTransitionTime: ts });
  return true;
}

async function writeStatus(d: JobDeps, job: Job, status: JobStatus): Promise<Job> {
  const m = job.metadata!;
  return d.client.update<Job>({ group: 'batch', version: 'v1', resource: 'jobs', namespace: m.namespace, name: m.name, subresource: 'status' }, { ...job, apiVersion: 'batch/v1', kind: 'Job', status });
}

async function claimPods(d: JobDeps, job: Job): Promise<Pod[]> {
  const ns = job.metadata?.namespace ?? '';
  if (!job.spec?.selector) return d.pods.store.byIndex('ownerUid', job.metadata?.uid ?? '');
  // Orphans are adopted only while the job can still use them (upstream canAdoptFunc).
  return claimObjects<Pod>({ client: d.client, owner: job, ownerApiVersion: 'batch/v1', ownerKind: 'Job', selector: job.spec.selector, resource: POD_RESOURCE, candidates: d.pods.store.byIndex('namespace', ns) });
}

/** For change detection only: zero counts and empty lists/objects equal absent ones. */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v.map(normalize) : undefined;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const n = normalize((v as Record<string, unknown>)[k]);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v === 0 || v === '' || v === null ? undefined : v;
}

export async function syncJob(d: JobDeps, key: string): Promise<Result> {
  const cached = d.jobs.store.get(key);
  if (!cached) {
    d.expectations.delete(key);
    d.backoff.delete(key);
    return done;
  }
  let job: Job = { ...deepCopy(cached), apiVersion: 'batch/v1', kind: 'Job' };
  const pods = await claimPods(d, job);
  if (finishedCondition(job) || job.metadata?.deletionTimestamp) {
    // Nothing left to count: let the remaining pods go (the garbage collector or TTL removes them).
    await removeTrackingFinalizers(d, pods.filter(hasTrackingFinalizer));
    return done;
  }
  const now = d.now();
  const indexed = job.spec?.completionMode === 'Indexed';
  const completions = job.spec?.completions ?? undefined;
  const status: JobStatus = deepCopy(job.status ?? {});
  const unc = { succeeded: new Set(status.uncountedTerminatedPods?.succeeded ?? []), failed: new Set(status.uncountedTerminatedPods?.failed ?? []) };
  const succeededIndexes = new Set(indexed ? parseIndexes(status.completedIndexes, completions ?? 0) : []);

  // 1. Record newly finished pods as uncounted before touching their finalizers (crash-safe).
  const failTimes: number[] = [];
  const successTimes: number[] = [];
  for (const p of pods) {
    const uid = p.metadata?.uid ?? '';
    if (!hasTrackingFinalizer(p) || unc.succeeded.has(uid) || unc.failed.has(uid)) continue;
    if (isPodSucceeded(p)) {
      unc.succeeded.add(uid);
      successTimes.push(podFinishTime(p, now));
      const ix = getCompletionIndex(p);
      if (indexed && ix !== undefined && ix < (completions ?? 0)) succeededIndexes.add(ix);
    } else if (isPodFailed(p, job)) {
      unc.failed.add(uid);
      failTimes.push(podFinishTime(p, now));
    }
  }
  const uncountedStatus = () => ({ succeeded: [...unc.succeeded], failed: [...unc.failed] });
  if (failTimes.length || successTimes.length) {
    status.uncountedTerminatedPods = uncountedStatus();
    if (indexed) {
      status.completedIndexes = formatIndexes(succeededIndexes);
      status.succeeded = succeededIndexes.size;
    }
    job = await writeStatus(d, job, status);
    d.backoff.observe(key, failTimes, successTimes);
  }

  // 2. Remove the finalizers of uncounted pods, then 3. count them.
  const byUid = new Map(pods.map((p) => [p.metadata?.uid ?? '', p]));
  const released = await removeTrackingFinalizers(d, pods.filter((p) => hasTrackingFinalizer(p) && (unc.succeeded.has(p.metadata?.uid ?? '') || unc.failed.has(p.metadata?.uid ?? ''))));
  const countable = (uid: string) => {
    const p = byUid.get(uid);
    return !p || !hasTrackingFinalizer(p) || released.has(uid);
  };
  for (const uid of [...unc.succeeded].filter(countable)) {
    unc.succeeded.delete(uid);
    if (!indexed) status.succeeded = (status.succeeded ?? 0) + 1;
  }
  for (const uid of [...unc.failed].filter(countable)) {
    unc.failed.delete(uid);
    status.failed = (status.failed ?? 0) + 1;
  }
  if (indexed) {
    status.succeeded = succeededIndexes.size;
    status.completedIndexes = formatIndexes(succeededIndexes);
  }
  status.uncountedTerminatedPods = uncountedStatus();

  const succeeded = indexed ? succeededIndexes.size : (status.succeeded ?? 0) + unc.succeeded.size;
  const failedCount = (status.failed ?? 0) + unc.failed.size;
  const suspended = !!job.spec?.suspend;
  const events: Array<['Normal' | 'Warning', string, string]> = [];
  const jobRef = job;

  // Suspend / resume (upstream: a resumed job restarts its activeDeadlineSeconds clock).
  if (suspended) {
    if (setCondition(status, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) events.push(['Normal', 'Suspended', 'Job suspended']);
  } else if (status.conditions?.some((c) => c.type === 'Suspended' && c.status === 'True')) {
    setCondition(status, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
    events.push(['Normal', 'Resumed', 'Job resumed']);
    status.startTime = rfc3339(now);
  }
  if (!suspended && !status.startTime) status.startTime = rfc3339(now);

  // Failure: too many failed pods, too many restarts (OnFailure), or past the deadline. As upstream
  // since 1.31, the interim FailureTarget / SuccessCriteriaMet condition comes first and the terminal
  // Failed / Complete condition only once no pod of the job is still terminating.
  const backoffLimit = job.spec?.backoffLimit ?? 6;
  const target = status.conditions?.find((c) => c.type === 'FailureTarget' && c.status === 'True');
  let failure: [string, string] | undefined = target ? [target.reason ?? '', target.message ?? ''] : undefined;
  let requeueMs: number | undefined;
  if (!suspended && !failure) {
    const restarts = job.spec?.template?.spec?.restartPolicy === 'OnFailure' ? activeRestarts(pods) : 0;
    const pastOnFailure = job.spec?.template?.spec?.restartPolicy === 'OnFailure' && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit);
    const deadline = job.spec?.activeDeadlineSeconds != null && status.startTime ? Date.parse(status.startTime) + job.spec.activeDeadlineSeconds * 1000 : undefined;
    if ((failedCount > 0 && failedCount > backoffLimit) || pastOnFailure) failure = ['BackoffLimitExceeded', 'Job has reached the specified backoff limit'];
    else if (deadline !== undefined && now >= deadline) failure = ['DeadlineExceeded', 'Job was active longer than specified deadline'];
    else if (deadline !== undefined) requeueMs = deadline - now;
  }

  const activePods = pods.filter(isPodActive);
  const terminating = pods.filter((p) => p.metadata?.deletionTimestamp && !isPodSucceeded(p) && p.status?.phase !== 'Failed').length;
  let active = activePods.length;
  let manageError: unknown;
  if (failure) {
    const r = await manageJob(d, key, job, activePods, { wantActive: 0, succeededIndexes, allowCreate: false });
    active -= r.deleted;
    manageError = r.error;
    status.terminating = terminating + r.deleted;
    setCondition(status, 'FailureTarget', 'True', failure[0], failure[1], now);
    if (status.terminating === 0 && active === 0) {
      setCondition(status, 'Failed', 'True', failure[0], failure[1], now);
      events.push(['Warning', failure[0], failure[1]]);
    }
    requeueMs = undefined; // the pods' deletions bring the job back
  } else {
    let wantActive = 0;
    const parallelism = job.spec?.parallelism ?? 1;
    if (!suspended) {
      if (completions == null) wantActive = succeeded > 0 ? Math.min(active, parallelism) : parallelism;
      else wantActive = Math.max(0, Math.min(completions - succeeded, parallelism));
    }
    const wait = remainingBackoff(d.backoff.get(key), now, d.backoffBaseMs);
    if (d.expectations.satisfied(key)) {
      const r = await manageJob(d, key, job, activePods, { wantActive, succeededIndexes, allowCreate: wait === 0 });
      active += r.created - r.deleted;
      status.terminating = terminating + r.deleted;
      manageError = r.error;
      if (r.wantedMore && wait > 0) requeueMs = Math.min(requeueMs ?? wait, wait);
    } else status.terminating = terminating;
    const complete = completions == null ? succeeded > 0 && active === 0 : succeeded >= completions && active === 0;
    if (complete) {
      setCondition(status, 'SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now);
      if (status.terminating === 0) {
        setCondition(status, 'Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now);
        status.completionTime = rfc3339(now);
        events.push(['Normal', 'Completed', 'Job completed']);
      }
      requeueMs = undefined;
    }
  }
  status.active = active;
  status.ready = activePods.filter((p) => isPodReady(p) && !p.metadata?.deletionTimestamp).length;
  if (JSON.stringify(normalize(status)) !== JSON.stringify(normalize(job.status ?? {}))) await writeStatus(d, job, status);
  for (const [type, reason, message] of events) d.recorder.event(jobRef, type, reason, message);
  if (manageError) return failed(manageError);
  return requeueMs !== undefined ? requeueAfter(Math.max(requeueMs, 1)) : done;
}
