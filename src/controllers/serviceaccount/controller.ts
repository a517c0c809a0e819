// The service accounts controller (upstream pkg/controller/serviceaccount/serviceaccounts_controller.go):
// every active namespace has a `default` ServiceAccount. A namespace that appears or changes, or a
// ServiceAccount that is deleted, enqueues the namespace's name; syncNamespace reads both informer
// caches and creates what is missing. Terminating namespaces are left alone (the server refuses new
// content there), and an AlreadyExists answer means someone else won the race — both are success.
import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { KubeClient } from '../../client/http-client.js';
import type { SharedInformer } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { isStatusError } from '../../machinery/errors.js';
import { done, failed, runController, type Result, type RunningController } from '../runner.js';

export interface ServiceAccountsControllerOptions {
  /** Accounts to ensure in every namespace; upstream's default is just `default`. */
  serviceAccounts?: string[];
  workers?: number;
  onError?(key: string, error: unknown, terminal: boolean): void;
}

export type ServiceAccountClient = Pick<KubeClient, 'create'>;

/** True for the 403 a terminating namespace answers to a create (upstream's NamespaceTerminatingCause). */
function isNamespaceTerminating(e: unknown): boolean {
  return isStatusError(e) && e.code === 403 && /because it is being terminated/.test(e.message);
}

export class ServiceAccountsController {
  readonly queue = new WorkQueue();
  private readonly names: string[];

  constructor(
    private readonly client: ServiceAccountClient,
    private readonly namespaces: SharedInformer<Namespace>,
    private readonly serviceAccounts: SharedInformer<ServiceAccount>,
    private readonly opts: ServiceAccountsControllerOptions = {},
  ) {
    this.names = opts.serviceAccounts ?? ['default'];
    serviceAccounts.addEventHandler({
      onDelete: (sa) => {
        if (sa.metadata?.namespace && this.names.includes(sa.metadata.name ?? '')) this.queue.add(sa.metadata.namespace);
      },
    });
    const enqueue = (ns: Namespace) => ns.metadata?.name && this.queue.add(ns.metadata.name);
    namespaces.addEventHandler({ onAdd: enqueue, onUpdate: (_old, ns) => enqueue(ns) });
  }

  /** The reconcile contract: key = namespace name. */
  async syncNamespace(key: string): Promise<Result> {
    const ns = this.namespaces.store.get(key);
    if (!ns) return done; // deleted: nothing to ensure
    // Upstream syncs only Active namespaces (phase is absent on objects from very old servers).
    if (ns.metadata?.deletionTimestamp || (ns.status?.phase && ns.status.phase !== 'Active')) return done;
    for (const name of this.names) {
      if (this.serviceAccounts.store.get(`${key}/${name}`)) continue;
      try {
        await this.client.create<ServiceAccount>(
          { group: '', version: 'v1', resource: 'serviceaccounts', namespace: key },
          { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: key } },
        );
      } catch (e) {
        if (isStatusError(e) && e.code === 409) continue; // AlreadyExists: the cache was behind
        if (isNamespaceTerminating(e)) return done;
        return failed(e);
      }
    }
    return done;
  }

  run(): RunningController {
    return runController({
      name: 'serviceaccount-controller',
      queue: this.queue,
      workers: this.opts.workers ?? 5,
      reconcile: (key) => this.syncNamespace(key),
      onError: this.opts.onError,
    });
  }
}
