// `skiff server`: prepares the data dir (certificates, token file), opens storage, starts the API
// server, writes the admin kubeconfig, and prints how to use it once /readyz answers. SIGINT/SIGTERM
// close the server, then storage, and exit 0; a second signal exits at once.
import { mkdirSync } from 'node:fs';
import { ensurePki, ADMIN_GROUPS, serverUrl, writeKubeconfig } from '../apiserver/pki/index.js';
import { alwaysAllow, ensureTokenFile, staticTokenAuthenticator, x509Authenticator } from '../apiserver/auth/index.js';
import { startApiServer } from '../apiserver/server.js';
import { openStorage, startCompactor } from '../storage/index.js';
import { builtinRegistry } from '../api/builtin.js';
import { kubeconfigPath, tokensPath } from './data-dir.js';
import { servingHosts, type ServerFlags } from './flags.js';
import { waitReady } from './readiness.js';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { KubeClient, LeaderElector } from '../client/index.js';
import { InformerFactory } from '../client/informer-factory.js';
import { startControllers } from '../controllers/index.js';
import { startScheduler } from '../scheduler/index.js';
import { loadSchedulerConfig } from '../scheduler/config.js';
import { startSimNodes } from '../kubelet/sim/sim-nodes.js';
import type { Agent } from '../kubelet/agent.js';
import { agentOptionsFrom } from './agent-flags.js';

const log = (msg: string) => process.stdout.write(`${msg}\n`);

interface Stoppable {
  stop(): Promise<void>;
}

/** Runs a component while this server holds the component's Lease in kube-system; stop() releases it. */
function runElected(client: KubeClient, name: string, identity: string, start: () => Stoppable): Stoppable {
  let running: Stoppable | undefined;
  let stopping = false;
  const elector = new LeaderElector({
    client,
    namespace: 'kube-system',
    name,
    identity,
    onStartedLeading: () => {
      running = start();
    },
    onStoppedLeading: () => {
      if (!stopping) log(`${name}: lost its Lease; stopped`);
      void running?.stop();
      running = undefined;
    },
  });
  const done = elector.run();
  return {
    async stop() {
      stopping = true;
      const r = running;
      running = undefined;
      await r?.stop();
      elector.stop();
      await done;
    },
  };
}

export async function runServer(flags: ServerFlags): Promise<number> {
  // Read before anything starts, so a bad file is a one-line error and nothing half-runs.
  const schedulerOpts = flags.schedulerConfig ? loadSchedulerConfig(flags.schedulerConfig) : {};
  mkdirSync(flags.dataDir, { recursive: true, mode: 0o700 });
  const pki = await ensurePki(flags.dataDir, { hosts: servingHosts(flags.bindAddress, flags.tlsSans) });
  const tokens = ensureTokenFile(tokensPath(flags.dataDir), { user: 'admin', uid: 'admin', groups: ADMIN_GROUPS });
  const storage = await openStorage(flags.storage);
  // Like kube-apiserver's etcd compaction every 5 minutes: history older than the last 1000
  // revisions is dropped, and watches or paged lists from before it get 410 Gone.
  const compactor = startCompactor(storage, { intervalMs: 5 * 60_000, keepRevisions: 1000 });
  const server = await startApiServer({
    storage,
    registry: builtinRegistry(),
    authenticators: [x509Authenticator(), staticTokenAuthenticator(tokens.entries)],
    authorizer: alwaysAllow,
    tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert },
    // Kubelets trust the cluster CA; the admin client certificate stands in for a dedicated
    // apiserver-kubelet-client certificate for now.
    kubeletClient: { cert: pki.adminCert, key: pki.adminKey },
    port: flags.port,
    host: flags.bindAddress,
  });

  let controllers: Stoppable | undefined;
  let scheduler: Stoppable | undefined;
  let sim: Awaited<ReturnType<typeof startSimNodes>> | undefined;
  let informers: InformerFactory | undefined;
  let agent: Agent | undefined;
  let stopClient: (() => void) | undefined;
  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    if (stopping) {
      log(`${signal} again: exiting now`);
      process.exit(1);
    }
    log(`${signal} received: shutting down`);
    stopping = (async () => {
      const force = setTimeout(() => {
        log('shutdown took over 10s: exiting');
        process.exit(1);
      }, 10_000);
      force.unref();
      await sim?.stop();
      await agent?.stop();
      await scheduler?.stop();
      await controllers?.stop();
      informers?.stop();
      stopClient?.();
      await server.close();
      compactor.stop();
      await storage.close();
      clearTimeout(force);
      log('Skiff stopped');
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const url = serverUrl(flags.bindAddress, server.port);
  const kubeconfig = kubeconfigPath(flags.dataDir);
  writeKubeconfig(kubeconfig, { server: url, caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey });
  await waitReady({ url, ca: pki.caCert, cert: pki.adminCert, key: pki.adminKey });
  // The controller-manager runs in this process but, like every component, only talks to the API
  // server over HTTPS with its own client (here the admin credentials).
  const client = new KubeClient({ server: url, ca: pki.caCert, cert: pki.adminCert, key: pki.adminKey });
  // One informer per resource for the whole process: the controllers, the scheduler and the
  // simulated kubelets read the same cached pods (at 50,000 pods, copies cost gigabytes).
  informers = new InformerFactory(client);
  const shared = informers;
  // Like kube-controller-manager and kube-scheduler, each runs only while it holds its Lease in
  // kube-system. The identity is stable for a data dir, so a restarted server takes its own Lease
  // back at once instead of waiting for it to expire.
  const identity = `${hostname()}_${createHash('sha256').update(flags.dataDir).digest('hex').slice(0, 8)}`;
  const config = { nodeMonitorGracePeriodMs: flags.nodeMonitorGracePeriodMs, nodeMonitorPeriodMs: flags.nodeMonitorPeriodMs, rootCACert: pki.caCert.toString(), clusterCIDR: flags.agent.clusterCIDR };
  if (!flags.disableControllerManager) controllers = runElected(client, 'kube-controller-manager', identity, () => startControllers(client, { informers: shared, config }));
  if (!flags.disableScheduler) scheduler = runElected(client, 'kube-scheduler', identity, () => startScheduler(client, { ...schedulerOpts, informers: shared }));
  stopClient = () => client.close();
  if (!flags.disableAgent) {
    // Loaded lazily: the kubelet's runtime needs runc, conmon and root, which a control plane does not.
    const { startAgent } = await import('../kubelet/agent.js');
    const a = flags.agent;
    agent = await startAgent(client, {
      ...agentOptionsFrom(a),
      dataDir: flags.dataDir,
      clientCA: pki.caCert,
      ingress: flags.disableIngress ? undefined : { httpPort: flags.ingressHttpPort, httpsPort: flags.ingressHttpsPort },
      labels: { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true' },
      log,
    });
  }
  if (flags.simNodes > 0) {
    sim = await startSimNodes(client, { count: flags.simNodes, informers });
    log(`Registered ${flags.simNodes} simulated node(s): ${sim.names.slice(0, 3).join(', ')}${flags.simNodes > 3 ? ', ...' : ''}`);
  }
  log(`API server listening on https://${flags.bindAddress}:${server.port} (storage ${flags.storage})`);
  log(`Admin kubeconfig: ${kubeconfig}`);
  log(`Admin bearer token: in ${tokensPath(flags.dataDir)}`);
  log('Use it with:');
  log(`  export KUBECONFIG=${kubeconfig}; kubectl get namespaces`);
  log(`  or: skiff kubectl --data-dir ${flags.dataDir} get namespaces`);
  log('Skiff is ready');
  return new Promise<number>(() => {}); // runs until a signal
}
