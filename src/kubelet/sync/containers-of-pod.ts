// Groups a pod's runtime containers by name, newest attempt first — the kubelet's view of "the
// current container" (latest) and "the previous one" (lastState, `kubectl logs --previous`).
import type { ContainerStatus } from '../runtime/types.js';

export interface Attempts {
  latest?: ContainerStatus;
  previous?: ContainerStatus;
  /** Older exited attempts, to be garbage-collected (upstream keeps one dead container per name). */
  stale: ContainerStatus[];
}

export function groupByName(list: ContainerStatus[]): Map<string, Attempts> {
  const byName = new Map<string, ContainerStatus[]>();
  for (const c of list) {
    const l = byName.get(c.name) ?? [];
    l.push(c);
    byName.set(c.name, l);
  }
  const out = new Map<string, Attempts>();
  for (const [name, l] of byName) {
    l.sort((a, b) => b.attempt - a.attempt || b.createdAt.getTime() - a.createdAt.getTime());
    out.set(name, { latest: l[0], previous: l[1], stale: l.slice(2) });
  }
  return out;
}

/** upstream ShouldContainerBeRestarted for an exited container. */
export function shouldRestart(policy: string | undefined, exitCode: number | undefined): boolean {
  if (policy === 'Never') return false;
  if (policy === 'OnFailure') return exitCode !== 0;
  return true;
}
