// What the Job controller needs to know of and do to its pods (upstream pkg/controller/job/
// job_controller.go and indexed_job_utils.go helpers): the job-tracking finalizer that keeps a
// finished pod around until it is counted, when a pod counts as failed, when it finished, and the
// pod a job creates (finalizer, completion index annotation/label, hostname, JOB_COMPLETION_INDEX).
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { newControllerRef } from '../shared/owner-refs.js';
import { podFromTemplate } from '../shared/pods.js';
import { COMPLETION_INDEX_KEY } from './indexed.js';

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

export const hasTrackingFinalizer = (p: Pod): boolean => (p.metadata?.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);

export const isPodSucceeded = (p: Pod): boolean => p.status?.phase === 'Succeeded';

/**
 * Upstream isPodFailed: phase Failed, or — unless the job only replaces Failed pods — deleted before
 * it succeeded (an orphan or evicted pod may never reach the Failed phase).
 */
export function isPodFailed(p: Pod, job: Job): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (job.spec?.podReplacementPolicy === 'Failed') return false;
  return !!p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded';
}

/** When the pod finished: the latest container termination, else its Ready condition change, else `fallback`. */
export function podFinishTime(p: Pod, fallback: number): number {
  let t = 0;
  for (const cs of p.status?.containerStatuses ?? []) {
    const f = Date.parse(cs.state?.terminated?.finishedAt ?? '');
    if (!Number.isNaN(f)) t = Math.max(t, f);
  }
  if (t) return t;
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
  const r = Date.parse(ready?.lastTransitionTime ?? '');
  return Number.isNaN(r) ? fallback : r;
}

/** Container restarts of pods still running or pending (upstream pastBackoffLimitOnFailure). */
export function activeRestarts(pods: Pod[]): number {
  let n = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) n += cs.restartCount ?? 0;
  }
  return n;
}

function addIndexEnv(c: Container): void {
  if ((c.env ?? []).some((e) => e.name === 'JOB_COMPLETION_INDEX')) return;
  c.env = [...(c.env ?? []), { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX_KEY}']` } } }];
}

/** The pod a job creates; `index` set for Indexed jobs. */
export function newJobPod(job: Job, index: number | undefined): Pod {
  const name = job.metadata?.name ?? '';
  const ref = newControllerRef(job, 'batch/v1', 'Job');
  const generateName = index === undefined ? `${name}-` : `${name}-${index}-`;
  const pod = podFromTemplate(job.spec!.template, job.metadata?.namespace ?? 'default', ref, { generateName });
  const meta = pod.metadata!;
  meta.finalizers = [...(meta.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER), JOB_TRACKING_FINALIZER];
  if (index !== undefined) {
    meta.annotations = { ...meta.annotations, [COMPLETION_INDEX_KEY]: String(index) };
    meta.labels = { ...meta.labels, [COMPLETION_INDEX_KEY]: String(index) };
    const spec = pod.spec!;
    spec.hostname ||= `${name}-${index}`;
    for (const c of spec.containers ?? []) addIndexEnv(c);
    for (const c of spec.initContainers ?? []) addIndexEnv(c);
  }
  return pod;
}
