// The probe manager (upstream pkg/kubelet/prober/prober_manager.go): one worker per container and
// probe type, results keyed by container ID so a restarted container starts from scratch. It answers
// the two questions pod status needs — ContainerStatus.started and .ready — with upstream's rules:
//   started: running, and the startup probe has succeeded (true at once without a startup probe);
//   ready:   started, and the readiness probe has succeeded (true at once without a readiness probe).
// Liveness and readiness do not run until the container has started; the startup probe stops once
// it has. Liveness or startup failing past failureThreshold asks the kubelet to restart the
// container; every failed attempt becomes an `Unhealthy` Warning event. onChange(podUid) fires when
// started/ready may have flipped, so the kubelet can write pod status without waiting for a resync.
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { runProbe as defaultRunProbe, type ExecResult, type ProbeResult, type ProbeTarget } from './probe.js';
import { ProbeWorker, type Outcome, type ProbeType } from './worker.js';

export type RestartReason = 'liveness' | 'startup';

export interface ProbeManagerOptions {
  /** CRI ExecSync in the container. */
  exec(podUid: string, containerId: string, argv: string[], timeoutMs: number): Promise<ExecResult>;
  onRestartNeeded(podUid: string, containerName: string, containerId: string, reason: RestartReason, message: string): void;
  /** `Unhealthy` (failed/errored attempt) or `ProbeWarning` events about a container of `pod`. */
  onEvent(pod: Pod, type: 'Warning', reason: 'Unhealthy' | 'ProbeWarning', message: string, containerName: string): void;
  onChange(podUid: string): void;
  /** Replaces the probe runner (tests). */
  /** Length of a second for periodSeconds and initialDelaySeconds (default 1000; tests shrink it). */
  secondMs?: number;
  runProbe?(probe: NonNullable<Container['livenessProbe']>, target: ProbeTarget): Promise<ProbeResult>;
}

interface ContainerEntry {
  podUid: string;
  container: Container;
  id?: string;
  running: boolean;
  startedAtMs: number;
  workers: Map<ProbeType, ProbeWorker>;
}

interface PodEntry {
  pod: Pod;
  containers: Map<string, ContainerEntry>;
}

const LABEL: Record<ProbeType, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };
const INITIAL: Record<ProbeType, Outcome | undefined> = { liveness: 'success', readiness: 'failure', startup: undefined };

export class ProbeManager {
  private readonly pods = new Map<string, PodEntry>();
  private readonly byId = new Map<string, ContainerEntry>();
  private readonly run: NonNullable<ProbeManagerOptions['runProbe']>;
  private readonly secondMs: number;
  private stopped = false;

  constructor(private readonly opts: ProbeManagerOptions) {
    this.run = opts.runProbe ?? defaultRunProbe;
    this.secondMs = opts.secondMs ?? 1000;
  }

  /**
   * Registers a pod's containers and probes (regular containers only, as upstream; sidecar init
   * containers are not probed here). Idempotent: call again with a newer object to update the pod
   * (its IP, for probes without a host); probes of a known container are not changed.
   */
  addPod(pod: Pod): void {
    if (this.stopped) return;
    const uid = pod.metadata?.uid ?? '';
    const cur = this.pods.get(uid);
    if (cur) {
      cur.pod = pod;
      return;
    }
    const entry: PodEntry = { pod, containers: new Map() };
    for (const c of pod.spec?.containers ?? []) {
      const ce: ContainerEntry = { podUid: uid, container: c, running: false, startedAtMs: 0, workers: new Map() };
      const probes: Array<[ProbeType, Container['livenessProbe']]> = [['startup', c.startupProbe], ['liveness', c.livenessProbe], ['readiness', c.readinessProbe]];
      for (const [type, probe] of probes) {
        if (!probe) continue;
        ce.workers.set(type, new ProbeWorker(type, probe, {
          run: (p) => this.probeOnce(ce, p),
          onAttempt: (t, r) => this.attempted(ce, t, r),
          onResult: (t, r) => this.decided(ce, t, r),
        }, this.secondMs));
      }
      entry.containers.set(c.name, ce);
    }
    this.pods.set(uid, entry);
  }

  removePod(uid: string): void {
    const entry = this.pods.get(uid);
    if (!entry) return;
    for (const ce of entry.containers.values()) {
      for (const w of ce.workers.values()) w.cancel();
      if (ce.id) this.byId.delete(ce.id);
    }
    this.pods.delete(uid);
  }

  /** A container instance is running: its workers start over (results belong to the new ID). */
  onContainerStarted(podUid: string, containerName: string, containerId: string, startedAt: Date | number): void {
    const ce = this.pods.get(podUid)?.containers.get(containerName);
    if (!ce || this.stopped) return;
    if (ce.id === containerId && ce.running) return;
    if (ce.id) this.byId.delete(ce.id);
    ce.id = containerId;
    ce.running = true;
    ce.startedAtMs = typeof startedAt === 'number' ? startedAt : startedAt.getTime();
    this.byId.set(containerId, ce);
    for (const w of ce.workers.values()) w.cancel();
    const startup = ce.workers.get('startup');
    if (startup) startup.start(this.firstAt(ce, startup), INITIAL.startup);
    else this.startMain(ce);
    for (const [type, w] of ce.workers) if (type !== 'startup' && startup) w.result = INITIAL[type];
    this.opts.onChange(podUid);
  }

  /** The container is no longer running: probing stops and it is neither started nor ready. */
  onContainerExited(podUid: string, containerName: string): void {
    const ce = this.pods.get(podUid)?.containers.get(containerName);
    if (!ce || !ce.running) return;
    ce.running = false;
    for (const w of ce.workers.values()) w.cancel();
    this.opts.onChange(podUid);
  }

  /** ContainerStatus.started; undefined for a container ID the manager does not know. */
  started(containerId: string): boolean | undefined {
    const ce = this.byId.get(containerId);
    if (!ce) return undefined;
    if (!ce.running) return false;
    const startup = ce.workers.get('startup');
    return startup ? startup.result === 'success' : true;
  }

  /** ContainerStatus.ready. */
  readiness(containerId: string): boolean {
    if (!this.started(containerId)) return false;
    const r = this.byId.get(containerId)!.workers.get('readiness');
    return r ? r.result === 'success' : true;
  }

  stop(): void {
    this.stopped = true;
    for (const uid of [...this.pods.keys()]) this.removePod(uid);
  }

  private firstAt(ce: ContainerEntry, w: ProbeWorker): number {
    return Math.max(Date.now(), ce.startedAtMs + (w.probe.initialDelaySeconds ?? 0) * this.secondMs);
  }

  private startMain(ce: ContainerEntry): void {
    for (const type of ['liveness', 'readiness'] as const) {
      const w = ce.workers.get(type);
      if (w) w.start(this.firstAt(ce, w), INITIAL[type]);
    }
  }

  private probeOnce(ce: ContainerEntry, probe: NonNullable<Container['livenessProbe']>): Promise<ProbeResult> {
    const pod = this.pods.get(ce.podUid)?.pod;
    const id = ce.id ?? '';
    const target: ProbeTarget = {
      podIP: pod?.status?.podIP ?? '',
      container: ce.container,
      exec: (argv, timeoutMs) => this.opts.exec(ce.podUid, id, argv, timeoutMs),
    };
    return this.run(probe, target).catch((e: unknown) => ({ result: 'failure', output: e instanceof Error ? e.message : String(e), errored: true }));
  }

  private attempted(ce: ContainerEntry, type: ProbeType, r: ProbeResult): void {
    const pod = this.pods.get(ce.podUid)?.pod;
    if (!pod || this.stopped) return;
    if (r.result === 'failure') this.opts.onEvent(pod, 'Warning', 'Unhealthy', `${LABEL[type]} probe ${r.errored ? 'errored' : 'failed'}: ${r.output}`, ce.container.name);
    else if (r.warning) this.opts.onEvent(pod, 'Warning', 'ProbeWarning', `${LABEL[type]} probe warning: ${r.output}`, ce.container.name);
  }

  private decided(ce: ContainerEntry, type: ProbeType, r: Outcome): void {
    if (this.stopped || !ce.id) return;
    if (type === 'startup' && r === 'success') {
      ce.workers.get('startup')?.cancel(); // upstream: the startup probe is done once it succeeds
      this.startMain(ce);
    }
    if (type !== 'readiness' && r === 'failure') {
      this.opts.onRestartNeeded(ce.podUid, ce.container.name, ce.id, type, `Container ${ce.container.name} failed ${type} probe, will be restarted`);
    }
    this.opts.onChange(ce.podUid);
  }
}
