// A whole control plane in the benchmark's own process, as `skiff server --sim-nodes N` runs it: the API
// server on a SQLite store in a temp dir, an API client, the scheduler, optionally the controllers, and
// N simulated nodes. One process (and one event loop) like the real server, so the figures include the
// simulated kubelets' work (pod status updates, Lease heartbeats), which compete with the scheduler.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, createLeaf } from '../../src/apiserver/pki/index.js';
import { openSqliteStorage } from '../../src/storage/sqlite/index.js';
import { builtinRegistry } from '../../src/api/builtin.js';
import { x509Authenticator, alwaysAllow } from '../../src/apiserver/auth/index.js';
import { startApiServer } from '../../src/apiserver/server.js';
import { KubeClient } from '../../src/client/index.js';
import { InformerFactory } from '../../src/client/informer-factory.js';
import { startScheduler, type RunningScheduler } from '../../src/scheduler/index.js';
import { startSimNodes, type SimNodes } from '../../src/kubelet/sim/sim-nodes.js';
import { startControllers } from '../../src/controllers/index.js';

export interface BenchCluster {
  client: KubeClient;
  scheduler: RunningScheduler;
  sim: SimNodes;
  /** ms to register the simulated nodes (create Node, status, Lease). */
  registerMs: number;
  close(): Promise<void>;
}

export async function startBenchCluster(opts: { nodes: number; controllers?: string[]; heartbeatMs?: number }): Promise<BenchCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-cp-'));
  const ca = await createCa('skiff-bench-ca', 1);
  const serving = await createLeaf(ca, { commonName: 'skiff', hosts: ['127.0.0.1', 'localhost'], usage: 'server', validDays: 1 });
  const admin = await createLeaf(ca, { commonName: 'bench-admin', organizations: ['system:masters'], usage: 'client', validDays: 1 });
  const storage = openSqliteStorage(join(dir, 'state.db'));
  const server = await startApiServer({
    storage,
    registry: builtinRegistry(),
    authenticators: [x509Authenticator()],
    authorizer: alwaysAllow,
    tls: { cert: serving.cert, key: serving.key, ca: ca.cert },
    port: 0,
    host: '127.0.0.1',
  });
  const client = new KubeClient({ server: server.url, ca: ca.cert, cert: admin.cert, key: admin.key });
  // As in skiff server: one informer per resource shared by controllers, scheduler and sim nodes.
  const informers = new InformerFactory(client);
  const controllers = opts.controllers ? startControllers(client, { controllers: opts.controllers, informers }) : undefined;
  const scheduler = startScheduler(client, { onError: () => {}, informers });
  const t0 = performance.now();
  const sim = await startSimNodes(client, { count: opts.nodes, heartbeatMs: opts.heartbeatMs, onError: () => {}, informers });
  const registerMs = performance.now() - t0;
  await controllers?.synced;
  return {
    client,
    scheduler,
    sim,
    registerMs,
    async close() {
      await controllers?.stop();
      await scheduler.stop();
      await sim.stop();
      informers.stop();
      client.close();
      await server.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
