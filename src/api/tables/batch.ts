// Tables for batch/v1 (printJob with the 1.30+ Status column, printCronJob with Timezone). Both print
// their selectors with metav1.FormatLabelSelector: `<none>` when there is none (a CronJob's usually).
import type { CronJob, Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import { formatLabelSelector } from '../../machinery/labels.js';
import { humanDuration, translateTimestampSince } from '../../machinery/time.js';
import { ageCol, ageOf, col, containerCells, nameCol, nameOf, table, wide } from './columns.js';

function hasCondition(conds: JobCondition[] | undefined, type: string): boolean {
  return (conds ?? []).some((c) => c.type === type && c.status === 'True');
}

export function jobStatus(job: Job): string {
  const conds = job.status?.conditions;
  if (hasCondition(conds, 'Complete')) return 'Complete';
  if (hasCondition(conds, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(conds, 'Suspended')) return 'Suspended';
  if (hasCondition(conds, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(conds, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

export const jobTable = table<Job>(
  [
    nameCol(), col('Status', 'string', 0, 'Status of the job.'), col('Completions', 'string', 0, 'The completion status of the job.'),
    col('Duration', 'string', 0, 'Time required to complete the job.'), ageCol(),
    wide('Containers'), wide('Images'), wide('Selector'),
  ],
  (job, now) => {
    const succeeded = job.status?.succeeded ?? 0;
    let completions: string;
    if (job.spec?.completions !== undefined) completions = `${succeeded}/${job.spec.completions}`;
    else {
      const parallelism = job.spec?.parallelism ?? 0;
      completions = parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
    }
    const start = job.status?.startTime;
    const end = job.status?.completionTime;
    let duration = '';
    if (start && !end) duration = humanDuration(now.getTime() - Date.parse(start));
    else if (start && end) duration = humanDuration(Date.parse(end) - Date.parse(start));
    const [names, images] = containerCells(job.spec?.template?.spec?.containers);
    return [nameOf(job), jobStatus(job), completions, duration, ageOf(job, now), names, images, formatLabelSelector(job.spec?.selector)];
  },
);

function boolPtr(b: boolean | undefined): string {
  if (b === undefined) return '<unset>';
  return b ? 'True' : 'False';
}

export const cronJobTable = table<CronJob>(
  [
    nameCol(), col('Schedule'), col('Timezone'), col('Suspend', 'boolean'), col('Active', 'integer'), col('Last Schedule'), ageCol(),
    wide('Containers'), wide('Images'), wide('Selector'),
  ],
  (cj, now) => {
    const last = cj.status?.lastScheduleTime ? translateTimestampSince(cj.status.lastScheduleTime, now) : '<none>';
    const jobSpec = cj.spec?.jobTemplate?.spec;
    const [names, images] = containerCells(jobSpec?.template?.spec?.containers);
    return [
      nameOf(cj), cj.spec?.schedule ?? '', cj.spec?.timeZone ?? '<none>', boolPtr(cj.spec?.suspend), (cj.status?.active ?? []).length,
      last, ageOf(cj, now), names, images, formatLabelSelector(jobSpec?.selector),
    ];
  },
);
