// The namespace controller (upstream pkg/controller/namespace/namespace_controller.go): watches
// Namespaces and, for each one with a deletionTimestamp, runs the NamespacedResourcesDeleter until the
// namespace's content is gone and the `kubernetes` finalizer is removed. Handlers only enqueue the
// namespace's name; the deleter reads everything live from the API server.
import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { SharedInformer } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { ItemExponentialFailureRateLimiter } from '../../client/rate-limiter.js';
import { runController, type RunningController } from '../runner.js';
import { NamespacedResourcesDeleter, type DeleterClient, type DeleterOptions } from './deleter.js';

export interface NamespaceControllerOptions extends DeleterOptions {
  /** Upstream --concurrent-namespace-syncs (default 10). */
  workers?: number;
  onError?(key: string, error: unknown, terminal: boolean): void;
}

export class NamespaceController {
  readonly queue: WorkQueue;
  private readonly deleter: NamespacedResourcesDeleter;

  constructor(
    client: DeleterClient,
    namespaces: SharedInformer<Namespace>,
    private readonly opts: NamespaceControllerOptions = {},
  ) {
    // Upstream: per-item exponential 5 ms … 60 s (a stuck namespace is retried at most every minute).
    this.queue = new WorkQueue(new ItemExponentialFailureRateLimiter(5, 60_000));
    this.deleter = new NamespacedResourcesDeleter(client, opts);
    namespaces.addEventHandler({
      onAdd: (ns) => this.enqueueNamespace(ns),
      onUpdate: (_old, ns) => this.enqueueNamespace(ns),
    });
  }

  /** Only namespaces being deleted need work. */
  private enqueueNamespace(ns: Namespace): void {
    if (ns.metadata?.deletionTimestamp && ns.metadata.name) this.queue.add(ns.metadata.name);
  }

  /** The reconcile contract: key = namespace name. */
  syncNamespace(key: string) {
    return this.deleter.delete(key);
  }

  run(): RunningController {
    return runController({
      name: 'namespace-controller',
      queue: this.queue,
      workers: this.opts.workers ?? 10,
      reconcile: (key) => this.syncNamespace(key),
      onError: this.opts.onError,
    });
  }
}
