// Strategy hooks for batch/v1 (pkg/registry/batch/job/strategy.go, cronjob/strategy.go). A Job
// without manualSelector gets upstream's generated selector at create: template labels
// `controller-uid`/`batch.kubernetes.io/controller-uid` = the job's uid and `job-name`/
// `batch.kubernetes.io/job-name` = its name, and selector matchLabels on the new controller-uid key.
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import { defaultCronJob, defaultJob } from '../defaults/batch.js';
import { cronJobTable, jobTable } from '../tables/batch.js';
import type { ResourceSpec } from './define.js';
import { hook } from './define.js';

export const JOB_NAME_LABELS = ['job-name', 'batch.kubernetes.io/job-name'];
export const CONTROLLER_UID_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'];
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';

export function generateJobSelector(job: Job): void {
  const spec = job.spec!;
  spec.template ??= {};
  spec.template.metadata ??= {};
  const labels = (spec.template.metadata.labels ??= {});
  // A user-set label wins here; validation rejects it later if it conflicts.
  for (const k of JOB_NAME_LABELS) if (!(k in labels)) labels[k] = job.metadata?.name ?? '';
  for (const k of CONTROLLER_UID_LABELS) if (!(k in labels)) labels[k] = job.metadata?.uid ?? '';
  spec.selector ??= {};
  const ml = (spec.selector.matchLabels ??= {});
  if (!(CONTROLLER_UID_LABEL in ml)) ml[CONTROLLER_UID_LABEL] = job.metadata?.uid ?? '';
}

export function prepareJobForCreate(job: Job): void {
  defaultJob(job);
  (job as { status?: unknown }).status = {};
  if (!job.spec!.manualSelector) generateJobSelector(job);
  // Upstream re-runs defaulting when it reads the job back, so an unlabeled job ends up with the
  // (now generated) template labels as its own.
  if (Object.keys(job.metadata?.labels ?? {}).length === 0 && job.spec!.template?.metadata?.labels) {
    job.metadata ??= {};
    job.metadata.labels = { ...job.spec!.template.metadata.labels };
  }
}

export const batchHooks: Record<string, Partial<ResourceSpec>> = {
  cronJob: {
    defaults: hook(defaultCronJob),
    prepareForCreate: hook<CronJob>((cj) => {
      (cj as { status?: unknown }).status = {};
    }),
    table: cronJobTable,
  },
  job: {
    defaults: hook(defaultJob),
    prepareForCreate: hook(prepareJobForCreate),
    table: jobTable,
    fieldSelectors: ((job: Job) => ({ 'status.successful': String(job.status?.succeeded ?? 0) })) as unknown as ResourceSpec['fieldSelectors'],
  },
};
