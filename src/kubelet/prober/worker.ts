// One probe worker: a (container, probe type) pair that probes every periodSeconds and turns raw
// outcomes into a result through upstream's thresholds (pkg/kubelet/prober/worker.go). A result only
// flips after `failureThreshold` consecutive failures or `successThreshold` consecutive successes:
// with failureThreshold 3 and period 10 s a liveness probe that starts failing at t=0 kills the
// container on the third failure, at t=20 s. After a liveness or startup failure the worker holds
// (stops probing) until the container is replaced, as upstream's onHold does.
import type { Probe } from 'kubernetes-types/core/v1.js';
import type { ProbeResult } from './probe.js';

export type ProbeType = 'liveness' | 'readiness' | 'startup';

export const DEFAULT_PERIOD_SECONDS = 10;
export const DEFAULT_SUCCESS_THRESHOLD = 1;
export const DEFAULT_FAILURE_THRESHOLD = 3;

export type Outcome = 'success' | 'failure';

export interface WorkerHooks {
  /** Runs the probe once (never rejects). */
  run(probe: Probe): Promise<ProbeResult>;
  /** Every raw outcome (events are per attempt, like upstream's). */
  onAttempt(type: ProbeType, r: ProbeResult): void;
  /** The thresholded result changed (or was first decided). */
  onResult(type: ProbeType, result: Outcome): void;
}

export class ProbeWorker {
  readonly periodMs: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
  /** The last thresholded result; undefined until decided. */
  result: Outcome | undefined;
  private lastRaw: Outcome | undefined;
  private run = 0;
  private onHold = false;
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private stopped = false;

  /** `secondMs`: the length of a probe second (1000; tests shrink it to keep periods short). */
  constructor(
    readonly type: ProbeType,
    readonly probe: Probe,
    private readonly hooks: WorkerHooks,
    secondMs = 1000,
  ) {
    this.periodMs = Math.max(1, probe.periodSeconds || DEFAULT_PERIOD_SECONDS) * secondMs;
    this.successThreshold = Math.max(1, probe.successThreshold || DEFAULT_SUCCESS_THRESHOLD);
    this.failureThreshold = Math.max(1, probe.failureThreshold || DEFAULT_FAILURE_THRESHOLD);
  }

  /** A new container instance: forget everything and probe from `firstAtMs` (start + initialDelay). */
  start(firstAtMs: number, initial: Outcome | undefined): void {
    this.cancel();
    this.stopped = false;
    this.result = initial;
    this.lastRaw = undefined;
    this.run = 0;
    this.onHold = false;
    this.schedule(firstAtMs - Date.now());
  }

  /** Stops probing (container exited, pod removed, startup probe done). */
  cancel(): void {
    this.stopped = true;
    this.generation++;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    const gen = this.generation;
    this.timer = setTimeout(() => void this.tick(gen), Math.max(0, delayMs));
    this.timer.unref();
  }

  private async tick(gen: number): Promise<void> {
    if (this.stopped || gen !== this.generation || this.onHold) return;
    const began = Date.now();
    const r = await this.hooks.run(this.probe);
    if (this.stopped || gen !== this.generation) return;
    this.hooks.onAttempt(this.type, r);
    this.record(r.result);
    if (this.stopped || gen !== this.generation || this.onHold) return;
    // A slow probe does not shift the grid more than it must: next run one period after this began.
    this.schedule(began + this.periodMs - Date.now());
  }

  private record(raw: Outcome): void {
    if (raw === this.lastRaw) this.run++;
    else {
      this.lastRaw = raw;
      this.run = 1;
    }
    if ((raw === 'failure' && this.run < this.failureThreshold) || (raw === 'success' && this.run < this.successThreshold)) return;
    const changed = this.result !== raw;
    this.result = raw;
    if (raw === 'failure' && this.type !== 'readiness') {
      // The container will be killed; a new instance restarts the worker.
      this.onHold = true;
      this.run = 0;
    }
    if (changed || (raw === 'failure' && this.type !== 'readiness')) this.hooks.onResult(this.type, raw);
  }
}
