// History limits (upstream cronjob_controllerv2.go cleanupFinishedJobs / removeOldestJobs): finished
// jobs beyond successfulJobsHistoryLimit (Complete) and failedJobsHistoryLimit (Failed) are deleted,
// oldest start time first, with propagationPolicy Background.
import type { CronJob, CronJobStatus, Job } from 'kubernetes-types/batch/v1.js';
import type { KubeClient } from '../../client/http-client.js';
import { isStatusError } from '../../machinery/errors.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { finishedCondition } from './utils.js';

/** Oldest first; jobs that never started sort as newest (upstream byJobStartTime), ties by name. */
function byStartTime(a: Job, b: Job): number {
  const ta = a.status?.startTime ? Date.parse(a.status.startTime) : Infinity;
  const tb = b.status?.startTime ? Date.parse(b.status.startTime) : Infinity;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

export async function cleanupFinishedJobs(client: Pick<KubeClient, 'delete'>, recorder: EventRecorder, cj: CronJob, owned: Job[], status: CronJobStatus): Promise<void> {
  const groups: Array<[Job[], number | undefined]> = [
    [owned.filter((j) => finishedCondition(j)?.type === 'Complete'), cj.spec?.successfulJobsHistoryLimit],
    [owned.filter((j) => finishedCondition(j)?.type === 'Failed'), cj.spec?.failedJobsHistoryLimit],
  ];
  for (const [finished, limit] of groups) {
    if (limit == null || finished.length <= limit) continue;
    const excess = [...finished].filter((j) => !j.metadata?.deletionTimestamp).sort(byStartTime).slice(0, finished.length - limit);
    for (const j of excess) {
      try {
        await client.delete({ group: 'batch', version: 'v1', resource: 'jobs', namespace: j.metadata?.namespace, name: j.metadata?.name }, { propagationPolicy: 'Background' });
        recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata?.name}`);
      } catch (e) {
        if (!(isStatusError(e) && e.code === 404)) {
          recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${e instanceof Error ? e.message : String(e)}`);
          continue;
        }
      }
      status.active = (status.active ?? []).filter((a) => a.uid !== j.metadata?.uid);
      if (!status.active.length) delete status.active;
    }
  }
}
