// Starts Skiff's built-in controllers against an API server (the kube-controller-manager role): one
// controller context — a shared informer factory, event recorders, a clock — and every controller in
// WORKLOAD_CONTROLLERS started from it, plus the namespace and service-account controllers. Controllers
// never import each other; they meet only through API objects.
import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { KubeClient } from '../client/http-client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { NamespaceController, type NamespaceControllerOptions } from './namespace/controller.js';
import { ServiceAccountsController, type ServiceAccountsControllerOptions } from './serviceaccount/controller.js';
import { startReplicaSetController, startReplicationController } from './replicaset/index.js';
import { startDeploymentController } from './deployment/controller.js';
import { startGarbageCollector } from './garbagecollector/garbage-collector.js';
import { startDaemonSetController } from './daemonset/index.js';
import { startDisruptionController } from './disruption/controller.js';
import { startEndpointsController } from './endpoints/controller.js';
import { startEndpointSliceController } from './endpointslice/controller.js';
import { startStatefulSetController } from './statefulset/controller.js';
import { startJobController } from './job/controller.js';
import { startCronJobController } from './cronjob/controller.js';
import { startTTLAfterFinishedController } from './ttlafterfinished/controller.js';
import { startNodeLifecycleController } from './nodelifecycle/index.js';
import { startRootCACertPublisher } from './rootcacertpublisher/controller.js';
import { startNodeIpamController } from './nodeipam/index.js';
import { startServiceLBController } from './servicelb/controller.js';
import type { RunningController } from './runner.js';
import { newControllerContext, type ControllerConfig, type StartController } from './shared/context.js';

export { runController, done, requeueAfter, failed, terminal, type Result, type ControllerSpec, type RunningController } from './runner.js';
export { NamespaceController, type NamespaceControllerOptions } from './namespace/controller.js';
export { NamespacedResourcesDeleter } from './namespace/deleter.js';
export { ServiceAccountsController, type ServiceAccountsControllerOptions } from './serviceaccount/controller.js';
export { newControllerContext, runWhenSynced, type ControllerConfig, type ControllerContext, type StartController } from './shared/context.js';

/** Every informer-driven controller started by default (name → starter). */
export const WORKLOAD_CONTROLLERS: Record<string, StartController> = {
  disruption: startDisruptionController,
  endpoints: startEndpointsController,
  endpointslice: startEndpointSliceController,
  garbagecollector: startGarbageCollector,
  nodelifecycle: startNodeLifecycleController,
  replicaset: startReplicaSetController,
  replicationcontroller: startReplicationController,
  deployment: startDeploymentController,
  daemonset: startDaemonSetController,
  statefulset: startStatefulSetController,
  job: startJobController,
  cronjob: startCronJobController,
  'ttl-after-finished': startTTLAfterFinishedController,
  'root-ca-cert-publisher': startRootCACertPublisher,
  nodeipam: startNodeIpamController,
  servicelb: startServiceLBController,
};

export interface ControllersOptions {
  namespace?: NamespaceControllerOptions;
  serviceAccount?: ServiceAccountsControllerOptions;
  /** Which of WORKLOAD_CONTROLLERS to run (default: all). */
  controllers?: string[];
  /** Informer resync; 0 (default) = none. */
  resyncPeriodMs?: number;
  now?: () => number;
  config?: ControllerConfig;
  /** Informers shared with the scheduler and simulated nodes of the same process. */
  informers?: InformerFactory;
}

export interface RunningControllers {
  /** Resolves once every informer has listed (controllers are already running). */
  synced: Promise<void>;
  /** Stops the informers, then the controllers (their queues drain). */
  stop(): Promise<void>;
}

export function startControllers(client: KubeClient, opts: ControllersOptions = {}): RunningControllers {
  const ctx = newControllerContext(client, { resyncPeriodMs: opts.resyncPeriodMs, now: opts.now, config: opts.config, informers: opts.informers });
  const namespaces = ctx.informers.for<Namespace>({ group: '', version: 'v1', resource: 'namespaces' });
  const serviceAccounts = ctx.informers.for<ServiceAccount>({ group: '', version: 'v1', resource: 'serviceaccounts' });
  const nsController = new NamespaceController(client, namespaces, opts.namespace);
  const saController = new ServiceAccountsController(client, namespaces, serviceAccounts, opts.serviceAccount);
  const running: RunningController[] = [nsController.run()];
  for (const name of opts.controllers ?? Object.keys(WORKLOAD_CONTROLLERS)) {
    const start = WORKLOAD_CONTROLLERS[name];
    if (!start) throw new Error(`unknown controller ${name}`);
    running.push(start(ctx));
  }
  // The SA controller must not act on a half-listed world: it would "recreate" accounts it has not
  // listed yet. Its workers start after the caches synced.
  let stopping = false;
  const saRunning = ctx.synced.then(() => (stopping ? undefined : saController.run()));
  ctx.start();
  return {
    synced: ctx.synced,
    async stop() {
      stopping = true;
      ctx.stop();
      saController.queue.shutDown();
      await Promise.all(running.map((r) => r.stop()));
      const sa = await Promise.race([saRunning, Promise.resolve(undefined)]);
      await sa?.stop();
    },
  };
}
