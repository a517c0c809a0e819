// The scheduling queue, after upstream's PriorityQueue (pkg/scheduler/internal/queue): an active heap
// ordered by spec.priority (desc) then enqueue time, a backoff pool (1 s doubling per failed attempt up to
// 10 s, upstream podInitialBackoff/podMaxBackoff) and an unschedulable pool that cluster events
// (node added/updated, pod deleted) or a 5-minute ceiling move back. A move request that happens while
// a pod is being scheduled sends that pod to backoff instead of unschedulable, so the event is not lost.
import type { Pod } from 'kubernetes-types/core/v1.js';

export interface QueuedPod {
  pod: Pod;
  key: string;
  /** Failed scheduling attempts so far. */
  attempts: number;
  /** When the pod first entered the queue (ms): the tie-breaker after priority. */
  timestamp: number;
  /** Scheduling cycle in which this entry was popped. */
  cycle: number;
  /** When it was put in the unschedulable pool / when its backoff ends (ms). */
  since: number;
  backoffUntil: number;
}

export interface QueueOptions {
  now?: () => number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  maxUnschedulableMs?: number;
}

export const podKey = (p: Pod) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
const relevant = (p: Pod) => JSON.stringify([p.spec, p.metadata?.labels, p.metadata?.annotations]);
export const schedulingRelevantChange = (a: Pod, b: Pod) => relevant(a) !== relevant(b);
const priority = (p: Pod) => p.spec?.priority ?? 0;

/** Upstream Less: higher priority first, then the earlier enqueue. */
function less(a: QueuedPod, b: QueuedPod): boolean {
  const pa = priority(a.pod), pb = priority(b.pod);
  return pa !== pb ? pa > pb : a.timestamp < b.timestamp;
}

export class SchedulingQueue {
  private heap: QueuedPod[] = [];
  private readonly active = new Map<string, QueuedPod>();
  private readonly backoff = new Map<string, QueuedPod>();
  private readonly unschedulable = new Map<string, QueuedPod>();
  /** Keys popped and not yet resolved (being scheduled). */
  private readonly inFlight = new Set<string>();
  private cycle = 0;
  private moveRequestCycle = -1;
  private waiters: Array<(q: QueuedPod | undefined) => void> = [];
  private closed = false;
  private readonly now: () => number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly maxUnschedulableMs: number;

  constructor(opts: QueueOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = opts.maxUnschedulableMs ?? 5 * 60_000;
  }

  /** A new pending pod. */
  add(pod: Pod): void {
    const key = podKey(pod);
    if (this.active.has(key) || this.backoff.has(key) || this.unschedulable.has(key)) return this.update(pod);
    const t = this.now();
    this.pushActive({ pod, key, attempts: 0, timestamp: t, cycle: 0, since: t, backoffUntil: 0 });
  }

  /** A pending pod changed: keep its place, but an unschedulable pod gets another try (upstream: any update may fix it). */
  update(pod: Pod): void {
    const key = podKey(pod);
    const a = this.active.get(key) ?? this.backoff.get(key);
    if (a) {
      a.pod = pod;
      return;
    }
    const u = this.unschedulable.get(key);
    if (u) {
      const old = u.pod;
      u.pod = pod;
      // Our own status PATCH (PodScheduled=False) must not retrigger scheduling: only spec/label changes do.
      if (!schedulingRelevantChange(old, pod)) return;
      this.unschedulable.delete(key);
      this.requeue(u);
      return;
    }
    if (!this.inFlight.has(key)) this.add(pod);
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    if (this.active.delete(key)) this.heap = this.heap.filter((q) => q.key !== key), this.heapify();
  }

  /** The next pod to schedule; waits for one; undefined once closed. */
  pop(): Promise<QueuedPod | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const q = this.popNow();
    if (q) return Promise.resolve(q);
    return new Promise((r) => this.waiters.push(r));
  }

  /** After a failed attempt: unschedulable, or backoff when a move request came during its cycle. */
  addUnschedulable(q: QueuedPod): void {
    this.inFlight.delete(q.key);
    q.attempts++;
    if (this.moveRequestCycle >= q.cycle) return this.toBackoff(q);
    q.since = this.now();
    q.backoffUntil = q.since + this.backoffDuration(q.attempts);
    this.unschedulable.set(q.key, q);
  }

  /** After an error (e.g. binding failed): retry after backoff. */
  addBackoff(q: QueuedPod): void {
    this.inFlight.delete(q.key);
    q.attempts++;
    this.toBackoff(q);
  }

  /** The pod was bound (or dropped): forget it. */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /** A cluster event that may make unschedulable pods fit (upstream MoveAllToActiveOrBackoffQueue). */
  moveAllToActiveOrBackoff(): void {
    for (const q of this.unschedulable.values()) this.requeue(q);
    this.unschedulable.clear();
    this.moveRequestCycle = this.cycle;
  }

  /** Periodic upkeep: finished backoffs go active; pods unschedulable too long get another try. */
  flush(): void {
    const t = this.now();
    for (const q of [...this.backoff.values()]) {
      if (q.backoffUntil <= t) {
        this.backoff.delete(q.key);
        this.pushActive(q);
      }
    }
    for (const q of [...this.unschedulable.values()]) {
      if (t - q.since >= this.maxUnschedulableMs) {
        this.unschedulable.delete(q.key);
        this.requeue(q);
      }
    }
  }

  backoffDuration(attempts: number): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < attempts && d < this.maxBackoffMs; i++) d *= 2;
    return Math.min(d, this.maxBackoffMs);
  }

  stats(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size };
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  private requeue(q: QueuedPod): void {
    if (q.backoffUntil > this.now()) this.backoff.set(q.key, q);
    else this.pushActive(q);
  }

  private toBackoff(q: QueuedPod): void {
    q.backoffUntil = this.now() + this.backoffDuration(q.attempts);
    this.backoff.set(q.key, q);
  }

  private pushActive(q: QueuedPod): void {
    const w = this.waiters.shift();
    if (w) {
      this.startCycle(q);
      w(q);
      return;
    }
    this.active.set(q.key, q);
    this.heap.push(q);
    this.up(this.heap.length - 1);
  }

  private popNow(): QueuedPod | undefined {
    const top = this.heap[0];
    if (!top) return undefined;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    this.active.delete(top.key);
    this.startCycle(top);
    return top;
  }

  private startCycle(q: QueuedPod): void {
    q.cycle = ++this.cycle;
    this.inFlight.add(q.key);
  }

  private heapify(): void {
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }
  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < h.length && less(h[l]!, h[m]!)) m = l;
      if (r < h.length && less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
