// The endpoints.kubernetes.io/last-change-trigger-time bookkeeping (upstream
// pkg/controller/util/endpoint/trigger_time_tracker.go): per Service, remember the trigger time of the
// Service (its creation) and of each pod (its Ready condition's last transition) seen at the last
// sync; the annotation is the earliest trigger time among those that changed since then.
import type { Pod, Service } from 'kubernetes-types/core/v1.js';

interface ServiceState {
  serviceTime: string;
  podTimes: Map<string, number>;
}

export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /** The earliest change since the last call for this Service, or undefined when nothing changed. */
  compute(key: string, svc: Service, pods: Pod[]): Date | undefined {
    const prev = this.states.get(key);
    const next: ServiceState = { serviceTime: svc.metadata?.creationTimestamp ?? '', podTimes: new Map() };
    const times: number[] = [];
    if (!prev || prev.serviceTime !== next.serviceTime) {
      const t = Date.parse(next.serviceTime);
      if (!Number.isNaN(t)) times.push(t);
    }
    for (const pod of pods) {
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
      const t = ready?.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN;
      if (Number.isNaN(t)) continue;
      const name = pod.metadata?.name ?? '';
      next.podTimes.set(name, t);
      if (t > (prev?.podTimes.get(name) ?? -Infinity)) times.push(t);
    }
    this.states.set(key, next);
    return times.length ? new Date(Math.min(...times)) : undefined;
  }

  delete(key: string): void {
    this.states.delete(key);
  }
}

/** Go's time.RFC3339Nano in UTC: fractional seconds without trailing zeros. */
export function rfc3339Nano(d: Date): string {
  return d.toISOString().replace(/\.(\d+)Z$/, (_m, frac: string) => {
    const f = frac.replace(/0+$/, '');
    return f ? `.${f}Z` : 'Z';
  });
}
