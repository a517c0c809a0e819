// The event recorder every controller reports through (client-go tools/record): Normal and Warning
// events about an object, written as core/v1 Events so `kubectl describe` and `kubectl get events`
// read like upstream ("SuccessfulCreate  Created pod: web-7d4b9-abcde"). Like upstream's correlator,
// a repeat of the same event (same object, type, reason and message) within ten minutes bumps
// count and lastTimestamp on the existing Event instead of writing a new one. Recording never
// blocks or fails the caller: a lost event is logged, not retried.
import { randomBytes } from 'node:crypto';
import type { Event, ObjectReference } from 'kubernetes-types/core/v1.js';
import type { KubeClient } from './http-client.js';
import type { MetaObject } from './store.js';

export type EventType = 'Normal' | 'Warning';

export interface EventExtras {
  /** What was done (the scheduler's Binding / Scheduling / Preempting). */
  action?: string;
  /** A second object the event is about (the preemptor of a Preempted pod). */
  related?: MetaObject;
}

export interface EventRecorder {
  /** Records an event about `obj` (which must carry apiVersion and kind). */
  event(obj: MetaObject, type: EventType, reason: string, message: string, extras?: EventExtras): void;
  /** Resolves when every event recorded so far has been written (tests, shutdown). */
  flush(): Promise<void>;
}

const REPEAT_WINDOW_MS = 10 * 60_000;
const MAX_REMEMBERED = 4096;

export function objectReference(obj: MetaObject): ObjectReference {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata?.namespace,
    name: obj.metadata?.name,
    uid: obj.metadata?.uid,
    resourceVersion: obj.metadata?.resourceVersion,
  };
}

export function newEventRecorder(client: Pick<KubeClient, 'create' | 'patch'>, component: string, now: () => number = Date.now): EventRecorder {
  const seen = new Map<string, { name: string; namespace: string; count: number; at: number }>();
  const inFlight = new Set<Promise<unknown>>();

  const write = async (obj: MetaObject, type: EventType, reason: string, message: string, extras: EventExtras = {}) => {
    const ref = objectReference(obj);
    const namespace = ref.namespace || 'default';
    const key = [ref.uid, ref.kind, ref.name, type, reason, message].join('\u0000');
    const ts = new Date(now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const prev = seen.get(key);
    if (prev && now() - prev.at < REPEAT_WINDOW_MS) {
      prev.count++;
      prev.at = now();
      try {
        await client.patch({ group: '', version: 'v1', resource: 'events', namespace: prev.namespace, name: prev.name }, { count: prev.count, lastTimestamp: ts }, 'merge');
        return;
      } catch {
        seen.delete(key); // the event was deleted (TTL) or never landed: write a fresh one
      }
    }
    const name = `${ref.name}.${randomBytes(8).toString('hex')}`;
    const ev: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: ref,
      reason,
      message,
      type,
      ...(extras.action ? { action: extras.action } : {}),
      ...(extras.related ? { related: objectReference(extras.related) } : {}),
      source: { component },
      reportingComponent: component,
      reportingInstance: component,
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
    };
    await client.create({ group: '', version: 'v1', resource: 'events', namespace }, ev);
    if (seen.size >= MAX_REMEMBERED) seen.delete(seen.keys().next().value as string);
    seen.set(key, { name, namespace, count: 1, at: now() });
  };

  return {
    event(obj, type, reason, message, extras) {
      const p = write(obj, type, reason, message, extras)
        .catch((e: unknown) => console.error(`${component}: event ${reason} on ${obj.kind ?? ''} ${obj.metadata?.name ?? ''} not recorded: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    async flush() {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
  };
}
