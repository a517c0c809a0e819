// A whole control plane in one process for controller integration tests: the API server on a temp
// data dir, an API client, N simulated nodes, the scheduler, and the controllers a test names (or
// passes as starters). `eventually` polls a condition the way a user would watch `kubectl get`.
import type { Event } from 'kubernetes-types/core/v1.js';
import { startTestServer, type TestServer } from './harness.js';
import { KubeClient, type ResourceRef } from '../../src/client/index.js';
import { startScheduler, type RunningScheduler, type SchedulerOptions } from '../../src/scheduler/index.js';
import { startSimNodes, type SimNodes, type SimNodesOptions } from '../../src/kubelet/sim/sim-nodes.js';
import { newControllerContext, type ControllerConfig, type ControllerContext, type RunningController, type StartController } from '../../src/controllers/index.js';

export interface TestCluster {
  ts: TestServer;
  client: KubeClient;
  sim: SimNodes | undefined;
  scheduler: RunningScheduler | undefined;
  ctx: ControllerContext;
  /** Events recorded about an object (by involvedObject name), oldest first. */
  events(namespace: string, name: string): Promise<Event[]>;
  close(): Promise<void>;
}

export interface TestClusterOptions {
  /** Simulated nodes to register (0 = none; create Nodes yourself). */
  nodes?: number;
  sim?: Partial<SimNodesOptions>;
  /** Run the scheduler (default true). */
  scheduler?: boolean | SchedulerOptions;
  /** Controllers to run against the shared context. */
  controllers?: StartController[];
  now?: () => number;
  /** Controller tunables, e.g. a short nodeMonitorGracePeriodMs. */
  config?: ControllerConfig;
}

export async function startTestCluster(opts: TestClusterOptions = {}): Promise<TestCluster> {
  const ts = await startTestServer();
  const client = new KubeClient({ server: ts.server.url, ca: ts.certs.ca.cert, cert: ts.certs.client.cert, key: ts.certs.client.key });
  const sim = opts.nodes ? await startSimNodes(client, { count: opts.nodes, heartbeatMs: 1000, onError: () => {}, ...opts.sim }) : undefined;
  const scheduler = opts.scheduler === false ? undefined : startScheduler(client, { onError: () => {}, ...(typeof opts.scheduler === 'object' ? opts.scheduler : {}) });
  const ctx = newControllerContext(client, { now: opts.now, config: opts.config });
  const running: RunningController[] = (opts.controllers ?? []).map((start) => start(ctx));
  ctx.start();
  await ctx.synced;
  return {
    ts,
    client,
    sim,
    scheduler,
    ctx,
    async events(namespace, name) {
      const list = await client.list<Event>({ group: '', version: 'v1', resource: 'events', namespace }, { fieldSelector: `involvedObject.name=${name}` });
      return list.items.sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''));
    },
    async close() {
      await Promise.all(running.map((r) => r.stop()));
      ctx.stop();
      await scheduler?.stop();
      await sim?.stop();
      client.close();
      await ts.close();
    },
  };
}

/** Polls `f` until it returns something other than undefined/false, or fails after `ms`. */
export async function eventually<T>(f: () => Promise<T | undefined | false> | T | undefined | false, what: string, ms = 10_000, pollMs = 50): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export const ref = (group: string, version: string, resource: string, namespace?: string, name?: string): ResourceRef => ({ group, version, resource, namespace, name });
