// Starts Skiff's built-in controllers against an API server: the shared informers they read
// (one Namespace informer serves both controllers) and each controller's workers through the one
// shared runner. Controllers never import each other; they meet only through API objects.
import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { KubeClient } from '../client/http-client.js';
import { SharedInformer } from '../client/informer.js';
import { NamespaceController, type NamespaceControllerOptions } from './namespace/controller.js';
import { ServiceAccountsController, type ServiceAccountsControllerOptions } from './serviceaccount/controller.js';

export { runController, done, requeueAfter, failed, terminal, type Result, type ControllerSpec, type RunningController } from './runner.js';
export { NamespaceController, type NamespaceControllerOptions } from './namespace/controller.js';
export { NamespacedResourcesDeleter } from './namespace/deleter.js';
export { ServiceAccountsController, type ServiceAccountsControllerOptions } from './serviceaccount/controller.js';

export interface ControllersOptions {
  namespace?: NamespaceControllerOptions;
  serviceAccount?: ServiceAccountsControllerOptions;
  /** Informer resync (upstream: 5 min for namespaces); 0 = none. */
  resyncPeriodMs?: number;
}

export interface RunningControllers {
  /** Resolves once every informer has listed (controllers are already running). */
  synced: Promise<void>;
  /** Stops the informers, then the controllers (their queues drain). */
  stop(): Promise<void>;
}

export function startControllers(client: KubeClient, opts: ControllersOptions = {}): RunningControllers {
  const resyncPeriodMs = opts.resyncPeriodMs ?? 5 * 60_000;
  const namespaces = new SharedInformer<Namespace>(client, { group: '', version: 'v1', resource: 'namespaces' }, { resyncPeriodMs });
  const serviceAccounts = new SharedInformer<ServiceAccount>(client, { group: '', version: 'v1', resource: 'serviceaccounts' });
  const nsController = new NamespaceController(client, namespaces, opts.namespace);
  const saController = new ServiceAccountsController(client, namespaces, serviceAccounts, opts.serviceAccount);
  const informers = [namespaces, serviceAccounts];
  // Controllers that read caches must not act on a half-listed world: the SA controller would
  // "recreate" accounts it has not listed yet. Start its workers only after both caches synced.
  const synced = Promise.all(informers.map((i) => i.waitForSync())).then(() => undefined);
  for (const i of informers) i.start();
  const running = [nsController.run()];
  let stopping = false;
  const saRunning = synced.then(() => (stopping ? undefined : saController.run()));
  return {
    synced,
    async stop() {
      stopping = true;
      for (const i of informers) i.stop();
      // An informer that never synced would leave `synced` pending: don't wait for it, shut the queue.
      saController.queue.shutDown();
      await Promise.all(running.map((r) => r.stop()));
      const sa = await Promise.race([saRunning, Promise.resolve(undefined)]);
      await sa?.stop();
    },
  };
}
