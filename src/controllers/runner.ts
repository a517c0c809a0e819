// The one shared controller runner (controller-runtime's pkg/internal/controller + pkg/reconcile):
// N workers take keys from a WorkQueue and call the controller's `reconcile(key)`; the result alone
// decides what happens to the key next. Controllers only write `reconcile` — the loop, the back-off
// and shutdown live here, once. A key is never reconciled by two workers at once (the queue's
// processing set guarantees it), and a reconcile that throws counts as an `error` result.
import type { WorkQueue } from '../client/workqueue.js';

/**
 * What a reconcile asks of the runner:
 * - done: success; the key's back-off is reset (forget).
 * - requeueAfter: success for now, look again after `ms` (e.g. waiting for pods to go away).
 * - error: transient failure; retried with the queue's rate limiter (exponential per key).
 * - terminal: will not succeed by retrying (invalid object…); reported, back-off reset, not retried.
 */
export type Result =
  | { kind: 'done' }
  | { kind: 'requeueAfter'; ms: number }
  | { kind: 'error'; error: unknown }
  | { kind: 'terminal'; error: unknown };

export const done: Result = Object.freeze({ kind: 'done' });
export const requeueAfter = (ms: number): Result => ({ kind: 'requeueAfter', ms });
export const failed = (error: unknown): Result => ({ kind: 'error', error });
export const terminal = (error: unknown): Result => ({ kind: 'terminal', error });

export interface ControllerSpec {
  /** For log lines: `namespace-controller`, `serviceaccount-controller`, … */
  name: string;
  queue: WorkQueue;
  /** How many keys are reconciled concurrently (upstream's --concurrent-*-syncs). */
  workers: number;
  /** Reads the world for `key` (`namespace/name` or `name`) and acts; must be idempotent. */
  reconcile(key: string): Promise<Result>;
  /** Where error and terminal results are reported; default console.error. */
  onError?(key: string, error: unknown, terminal: boolean): void;
}

export interface RunningController {
  /** Shuts the queue down (delayed keys are dropped), lets workers drain what is queued, then resolves. */
  stop(): Promise<void>;
}

function defaultOnError(name: string) {
  return (key: string, error: unknown, isTerminal: boolean) => {
    const msg = error instanceof Error ? error.message : String(error);
    console.error(`${name}: ${isTerminal ? 'terminal error' : 'error'} syncing "${key}": ${msg}`);
  };
}

/** Starts `workers` worker loops over the queue; each runs until the queue is shut down and drained. */
export function runController(spec: ControllerSpec): RunningController {
  const { queue } = spec;
  const report = spec.onError ?? defaultOnError(spec.name);

  async function processNextItem(): Promise<boolean> {
    const key = await queue.get();
    if (key === undefined) return false;
    let result: Result;
    try {
      result = await spec.reconcile(key);
    } catch (e) {
      result = { kind: 'error', error: e };
    }
    try {
      switch (result.kind) {
        case 'done':
          queue.forget(key);
          break;
        case 'requeueAfter':
          // As controller-runtime: a scheduled look is not a failure, so the back-off starts over.
          queue.forget(key);
          queue.addAfter(key, result.ms);
          break;
        case 'error':
          report(key, result.error, false);
          queue.addRateLimited(key);
          break;
        case 'terminal':
          report(key, result.error, true);
          queue.forget(key);
          break;
      }
    } finally {
      queue.done(key);
    }
    return true;
  }

  async function worker(): Promise<void> {
    while (await processNextItem()) {
      // keep going until shut down and drained
    }
  }

  const workers = Array.from({ length: Math.max(1, spec.workers) }, () => worker());
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        queue.shutDown();
        await Promise.all(workers);
      })();
      return stopped;
    },
  };
}
