// What every controller is started with (the controller manager's ControllerContext): one API
// client, the process-wide informer factory, an event recorder per component and a clock. A
// controller module exports `start<Name>Controller(ctx)`; it asks ctx.informers for what it reads
// while starting, and the manager starts the factory once every controller has registered.
import type { KubeClient } from '../../client/http-client.js';
import { InformerFactory } from '../../client/informer-factory.js';
import { runController, type ControllerSpec, type RunningController } from '../runner.js';
import { newEventRecorder, type EventRecorder } from '../../client/event-recorder.js';

/** Tunables a user can set on `skiff server` (upstream kube-controller-manager flags). */
export interface ControllerConfig {
  /** --node-monitor-grace-period: how stale a node's heartbeat may get before it is Unknown (default 40 s). */
  nodeMonitorGracePeriodMs?: number;
  /** --node-monitor-period: how often node health is checked (default 5 s). */
  nodeMonitorPeriodMs?: number;
  /** The cluster CA (PEM) published as ConfigMap kube-root-ca.crt in every namespace. */
  rootCACert?: string;
  /** --cluster-cidr: pod addresses of the whole cluster, cut into one block per node (default 10.42.0.0/16). */
  clusterCIDR?: string;
  /** --node-cidr-mask-size: prefix length of each node's podCIDR (default 24). */
  nodeCIDRMaskSize?: number;
}

export interface ControllerContext {
  client: KubeClient;
  config: ControllerConfig;
  informers: InformerFactory;
  /** A recorder whose events carry `source.component` = component (e.g. `replicaset-controller`). */
  recorder(component: string): EventRecorder;
  /** Milliseconds since the epoch; tests pass a controllable clock. */
  now(): number;
  /** Resolves once the factory's informers have synced; controllers start their workers after it. */
  synced: Promise<void>;
}

export type StartController = (ctx: ControllerContext) => RunningController;

/**
 * Runs a controller's workers once ctx.synced resolves (acting on a half-listed cache would, e.g.,
 * create pods a ReplicaSet already has). stop() before sync just shuts the queue.
 */
export function runWhenSynced(ctx: Pick<ControllerContext, 'synced'>, spec: ControllerSpec): RunningController {
  let stopping = false;
  const running = ctx.synced.then(() => (stopping ? undefined : runController(spec)));
  return {
    async stop() {
      stopping = true;
      spec.queue.shutDown();
      const r = await Promise.race([running, Promise.resolve(undefined)]);
      await r?.stop();
    },
  };
}

export interface ContextOptions {
  now?: () => number;
  /** A factory shared with other components of the process (default: a new one). */
  informers?: InformerFactory;
  config?: ControllerConfig;
  resyncPeriodMs?: number;
}

/** A context over a fresh informer factory; call `start()` after every controller registered. */
export function newControllerContext(client: KubeClient, opts: ContextOptions = {}): ControllerContext & { start(): void; stop(): void } {
  const informers = opts.informers ?? new InformerFactory(client, { resyncPeriodMs: opts.resyncPeriodMs });
  const now = opts.now ?? Date.now;
  const recorders = new Map<string, EventRecorder>();
  let markStarted!: () => void;
  const started = new Promise<void>((r) => (markStarted = r));
  return {
    client,
    config: opts.config ?? {},
    informers,
    now,
    recorder(component) {
      let r = recorders.get(component);
      if (!r) recorders.set(component, (r = newEventRecorder(client, component, now)));
      return r;
    },
    synced: started.then(() => informers.waitForSync()),
    start() {
      informers.start();
      markStarted();
    },
    stop() {
      // A factory passed in belongs to the caller (shared with other components): it stops it.
      if (!opts.informers) informers.stop();
    },
  };
}
