// One sync at a time per pod (upstream pod_workers.go): a pod's syncs never overlap, a request that
// arrives while one runs marks the pod dirty and runs once more afterwards, and different pods sync
// in parallel. A failed sync is retried after a second.
export class PodWorkers {
  private readonly running = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly sync: (uid: string) => Promise<void>,
    private readonly onError: (uid: string, err: unknown) => void,
  ) {}

  enqueue(uid: string): void {
    if (this.stopped) return;
    if (this.running.has(uid)) {
      this.dirty.add(uid);
      return;
    }
    const p = (async () => {
      do {
        this.dirty.delete(uid);
        try {
          await this.sync(uid);
        } catch (e) {
          this.onError(uid, e);
          this.enqueueAfter(uid, 1000);
        }
      } while (this.dirty.has(uid) && !this.stopped);
    })().finally(() => this.running.delete(uid));
    this.running.set(uid, p);
  }

  /** Re-syncs after `ms`; an earlier pending wake-up wins over a later one. */
  enqueueAfter(uid: string, ms: number): void {
    if (this.stopped) return;
    const prev = this.timers.get(uid) as (NodeJS.Timeout & { at?: number }) | undefined;
    const at = Date.now() + Math.max(0, ms);
    if (prev?.at !== undefined && prev.at <= at) return;
    if (prev) clearTimeout(prev);
    const t = setTimeout(() => {
      this.timers.delete(uid);
      this.enqueue(uid);
    }, Math.max(0, ms)) as NodeJS.Timeout & { at?: number };
    t.at = at;
    t.unref?.();
    this.timers.set(uid, t);
  }

  busy(): number {
    return this.running.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    while (this.running.size) await Promise.allSettled([...this.running.values()]);
  }
}
