// Leader election through a coordination.k8s.io/v1 Lease (client-go tools/leaderelection): of several
// replicas of a component, the one whose identity is the Lease's holderIdentity runs; it renews the
// Lease every retryPeriod, and the others take it over once it has not been renewed for
// leaseDurationSeconds. Expiry is judged by the candidate's own clock from when it last saw the Lease
// change (as upstream), not from the holder's renewTime, so clock skew between machines does not matter.
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { StatusError } from '../machinery/errors.js';
import type { KubeClient, ResourceRef } from './http-client.js';

export interface LeaderElectionConfig {
  client: Pick<KubeClient, 'get' | 'create' | 'update'>;
  namespace: string;
  name: string;
  identity: string;
  /** How long a Lease not renewed stays the holder's (default 15 s, as upstream). */
  leaseDurationSeconds?: number;
  /** The leader gives up if it could not renew for this long (default 10 s; < lease duration). */
  renewDeadlineMs?: number;
  /** Between attempts to acquire or renew (default 2 s). */
  retryPeriodMs?: number;
  /** Clears the Lease on stop() so a successor need not wait for it to expire (default true). */
  releaseOnCancel?: boolean;
  /** Called once leadership is acquired; `signal` aborts when it is lost or stop() is called. */
  onStartedLeading(signal: AbortSignal): void;
  /** Called once when leadership ends (lost or stopped) — only after onStartedLeading. */
  onStoppedLeading(): void;
  /** Called whenever the observed holder changes (including to ourselves). */
  onNewLeader?(identity: string): void;
  now?: () => number;
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
const microTime = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '000Z');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class LeaderElector {
  private readonly ref: ResourceRef;
  private readonly leaseSeconds: number;
  private readonly now: () => number;
  /** The Lease as last read or written; undefined before the first read. */
  private observed: Lease | undefined;
  /** Local time at which `observed` last changed (holder or renewTime): the start of its expiry. */
  private observedAt = 0;
  private leading = false;
  private stopped = false;
  private leadership: AbortController | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly cfg: LeaderElectionConfig) {
    this.ref = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: cfg.namespace, name: cfg.name };
    this.leaseSeconds = cfg.leaseDurationSeconds ?? 15;
    this.now = cfg.now ?? Date.now;
  }

  isLeader(): boolean {
    return this.leading;
  }
  /** The holder as last observed ('' if none). */
  getLeader(): string {
    return this.observed?.spec?.holderIdentity ?? '';
  }

  /** Acquires, then renews until leadership is lost or stop() is called. Resolves when it ends. */
  async run(): Promise<void> {
    const retry = this.cfg.retryPeriodMs ?? 2000;
    const renewDeadline = this.cfg.renewDeadlineMs ?? 10_000;
    while (!this.stopped && !(await this.tryAcquireOrRenew())) await this.pause(retry * (1 + Math.random() * 0.2));
    if (this.stopped) return;
    this.leading = true;
    this.leadership = new AbortController();
    this.cfg.onStartedLeading(this.leadership.signal);
    let lastRenew = this.now();
    while (!this.stopped) {
      await this.pause(retry);
      if (this.stopped) break;
      if (await this.tryAcquireOrRenew()) lastRenew = this.now();
      else if (this.now() - lastRenew >= renewDeadline || this.getLeader() !== this.cfg.identity) break; // lost
    }
    if (this.stopped && (this.cfg.releaseOnCancel ?? true)) await this.release();
    this.leading = false;
    this.leadership.abort();
    this.cfg.onStoppedLeading();
  }

  /** Ends the run loop (releasing the Lease if we hold it); run() resolves afterwards. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private pause(ms: number): Promise<void> {
    return Promise.race([sleep(ms), new Promise<void>((r) => (this.wake = r))]);
  }

  private observe(lease: Lease): void {
    const prev = this.observed?.spec;
    const next = lease.spec;
    if (!prev || prev.holderIdentity !== next?.holderIdentity || prev.renewTime !== next?.renewTime) this.observedAt = this.now();
    if (prev?.holderIdentity !== next?.holderIdentity && next?.holderIdentity) this.cfg.onNewLeader?.(next.holderIdentity);
    this.observed = lease;
  }

  /** One attempt: create the Lease, renew ours, or take over an expired one. False on any failure. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.now();
    const me = this.cfg.identity;
    try {
      let lease: Lease;
      try {
        lease = await this.cfg.client.get<Lease>(this.ref);
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) return false;
        const created = await this.cfg.client.create<Lease>(this.ref, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.cfg.name, namespace: this.cfg.namespace },
          spec: { holderIdentity: me, leaseDurationSeconds: this.leaseSeconds, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
        });
        this.observe(created);
        return true;
      }
      this.observe(lease);
      const spec = lease.spec ?? {};
      const holder = spec.holderIdentity ?? '';
      const duration = (spec.leaseDurationSeconds ?? this.leaseSeconds) * 1000;
      if (holder && holder !== me && this.observedAt + duration > now) return false; // held by another, not expired
      const takeover = holder !== me;
      const updated = await this.cfg.client.update<Lease>(this.ref, {
        ...lease,
        spec: {
          ...spec,
          holderIdentity: me,
          leaseDurationSeconds: this.leaseSeconds,
          renewTime: microTime(now),
          ...(takeover ? { acquireTime: microTime(now), leaseTransitions: (spec.leaseTransitions ?? 0) + (holder ? 1 : 0) } : {}),
        },
      });
      this.observe(updated);
      return true;
    } catch {
      return false; // conflict (someone else wrote first) or transport error: try again next period
    }
  }

  /** Gives the Lease up (holder cleared, 1 s duration) so a successor acquires it at once. */
  private async release(): Promise<void> {
    const lease = this.observed;
    if (!lease || lease.spec?.holderIdentity !== this.cfg.identity) return;
    try {
      const now = microTime(this.now());
      this.observe(
        await this.cfg.client.update<Lease>(this.ref, {
          ...lease,
          spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now, acquireTime: now },
        }),
      );
    } catch {
      // best effort: the Lease then expires on its own
    }
  }
}
