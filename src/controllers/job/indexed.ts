// Indexed completion mode (upstream pkg/controller/job/indexed_job_utils.go): each pod carries its
// completion index in the batch.kubernetes.io/job-completion-index annotation (and label); the job's
// status.completedIndexes lists the succeeded indexes compressed into ranges ("0-2,5").
import type { Pod } from 'kubernetes-types/core/v1.js';

export const COMPLETION_INDEX_KEY = 'batch.kubernetes.io/job-completion-index';

/** The pod's completion index, or undefined when absent or malformed. */
export function getCompletionIndex(pod: Pod): number | undefined {
  const v = pod.metadata?.annotations?.[COMPLETION_INDEX_KEY];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** "1,3-5" → [1,3,4,5] (sorted, deduplicated; malformed parts ignored as upstream). */
export function parseIndexes(s: string | undefined, completions: number): number[] {
  const out = new Set<number>();
  for (const part of (s ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    for (let i = lo; i <= hi && i < completions; i++) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}

/** [0,1,2,5,7,8] → "0-2,5,7-8". */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The lowest `count` indexes below `completions` that are neither succeeded nor held by an active pod. */
export function firstPendingIndexes(completions: number, succeeded: ReadonlySet<number>, active: ReadonlySet<number>, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!succeeded.has(i) && !active.has(i)) out.push(i);
  return out;
}
