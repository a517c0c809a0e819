// A node agent (k3s' agent): everything that runs on a node, wired together — the pod network
// (bridge + per-pod netns), the runc runtime, the image store with the registries.yaml mirrors, the
// kubelet, node registration with its heartbeat Lease, and the kubelet's HTTPS server that the API
// server proxies logs, exec, attach and port-forward to; and the node's share of cluster networking:
// routes to other nodes' pods (host-gw or VXLAN), the Service proxy (iptables), the cluster DNS
// server (bound to the cluster DNS IP, a local address on the node bridge) and, when asked, the
// ingress controller. `skiff server` runs one in-process for the local machine; `skiff agent` runs one
// against a remote API server.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { hostname as osHostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeClient } from '../client/http-client.js';
import { StatusError } from '../machinery/errors.js';
import { PodNetwork } from './network/index.js';
import { RuncRuntime } from './runtime/runc/index.js';
import { ImageStore } from './images/store.js';
import { loadRegistriesConfig } from './images/registries-config.js';
import { startKubelet, type Kubelet } from './kubelet.js';
import { startNodeStatus } from './nodestatus/index.js';
import { startKubeletServer, kubeletServingCert } from './server/index.js';
import { InformerFactory } from '../client/informer-factory.js';
import { NodeRoutes } from './network/node-routes.js';
import { run, tryRun } from './network/command.js';
import { startProxy, RuleSyncer, NftSyncer, hostExec, type RunningProxy } from '../proxy/index.js';
import { startClusterDNS, type RunningDNS } from '../dns/index.js';
import { startIngressController, type RunningIngress } from '../ingress/index.js';
import { serveProxyMetrics } from '../proxy/metrics-http.js';

export const KUBELET_VERSION = 'v1.31.0';

export interface AgentOptions {
  dataDir: string;
  nodeName?: string;
  nodeIP?: string;
  /** This node's pod CIDR when the Node has none yet; without it the agent waits for node IPAM to assign one. */
  podCIDR?: string;
  clusterCIDR?: string;
  /** Default 10.43.0.0/16: routed `unreachable` locally, Service rules inside it. */
  serviceCIDR?: string;
  /** How pods reach other nodes' pods (default host-gw: nodes on one L2 segment). */
  podNetworkBackend?: 'host-gw' | 'vxlan' | 'none';
  /** Run no Service proxy (kube-proxy) on this node. */
  disableProxy?: boolean;
  /** The Service proxy's backend (default iptables). */
  proxyMode?: 'iptables' | 'nftables';
  /** Run no cluster DNS server on this node. */
  disableDNS?: boolean;
  /** Forwarders for names outside the cluster ('ip[:port]'); default the host's resolv.conf nameservers. */
  dnsUpstreams?: string[];
  /** DNS port on the cluster DNS IP (default 53; tests use another). */
  dnsPort?: number;
  /** The proxy's /metrics on 127.0.0.1 (kube-proxy's default 10249; 0 = any free port). */
  proxyMetricsPort?: number;
  /** Run the ingress controller here, listening on these ports (0 = free port). */
  ingress?: { httpPort: number; httpsPort: number; bindAddress?: string };
  clusterDNS?: string;
  clusterDomain?: string;
  registriesFile?: string;
  /** Pull only through the mirrors of registries.yaml, never from the registry itself. */
  disableDefaultRegistryEndpoint?: boolean;
  /** Kubelet HTTPS port (default 10250; 0 = any free port). */
  kubeletPort?: number;
  /** The cluster CA (PEM): the kubelet accepts API server client certificates it signed. */
  clientCA: string;
  labels?: Record<string, string>;
  log?(msg: string): void;
}

export interface Agent {
  nodeName: string;
  nodeIP: string;
  podCIDR: string;
  kubelet: Kubelet;
  kubeletPort: number;
  proxy?: RunningProxy;
  dns?: RunningDNS;
  ingress?: RunningIngress;
  stop(): Promise<void>;
}

/** The address of the first non-internal IPv4 interface (the node's InternalIP by default). */
export function defaultNodeIP(): string {
  for (const addrs of Object.values(networkInterfaces())) for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}

/** Short, stable per data dir: two agents on one host get distinct bridges, netns and cgroups. */
export const agentId = (dataDir: string) => createHash('sha256').update(dataDir).digest('hex').slice(0, 6);

async function existingPodCIDR(client: KubeClient, name: string): Promise<string | undefined> {
  try {
    return (await client.get<Node>({ group: '', version: 'v1', resource: 'nodes', name })).spec?.podCIDR;
  } catch (e) {
    if (e instanceof StatusError && e.code === 404) return undefined;
    throw e;
  }
}

/** The pod network and runtime of the agent whose state lives in `dataDir`. */
function agentRuntime(dataDir: string, podCIDR: string, clusterCIDR: string, nodeIP: string): { network: PodNetwork; runtime: RuncRuntime } {
  const id = agentId(dataDir);
  const agentDir = join(dataDir, 'agent');
  const network = new PodNetwork({ bridge: `skiff${id}`, podCIDR, clusterCIDR, stateDir: join(agentDir, 'network'), netnsPrefix: `skiff-${id}` });
  const runtime = new RuncRuntime({ root: join(agentDir, 'runtime'), cgroupRoot: `/skiff-${id}`, network, hostIP: nodeIP });
  return { network, runtime };
}

/**
 * Stops and removes every container and sandbox of the agent in `dataDir`, then its bridge and
 * routes (k3s' killall script, for one agent): tests call it after stopping a server.
 */
export async function removeAgentState(dataDir: string, podCIDR = '10.42.0.0/24', clusterCIDR = '10.42.0.0/16', serviceCIDR = '10.43.0.0/16'): Promise<void> {
  const { network, runtime } = agentRuntime(dataDir, podCIDR, clusterCIDR, '127.0.0.1');
  await runtime.cleanupAll();
  await network.destroy();
  // Service rules, the service CIDR route and sink device of a proxy that was killed (either mode).
  const proxyState = { nodeName: '', nodeIPs: [], serviceCIDR, clusterCIDR, exec: hostExec([]) };
  await new RuleSyncer(proxyState).cleanup();
  if (existsSync('/usr/sbin/nft')) await new NftSyncer(proxyState).cleanup();
}

/**
 * The node's pod CIDR: the Node's own (a restart), else --pod-cidr, else the one node IPAM in the
 * controller manager assigns — the Node is created bare and the agent waits for spec.podCIDR.
 */
async function resolvePodCIDR(client: KubeClient, nodeName: string, flag: string | undefined, log: (m: string) => void, labels?: Record<string, string>): Promise<string> {
  const existing = await existingPodCIDR(client, nodeName);
  if (existing) return existing;
  if (flag) return flag;
  const ref = { group: '', version: 'v1', resource: 'nodes', name: nodeName };
  try {
    await client.create<Node>({ ...ref, name: undefined }, { apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName, labels } });
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 409)) throw e;
  }
  // Polled (4/s, for at most a minute, once per agent start): a watch would be more machinery than this wait deserves.
  for (let attempt = 0; attempt < 240; attempt++) {
    const cidr = await existingPodCIDR(client, nodeName);
    if (cidr) return cidr;
    if (attempt === 20) log(`waiting for node IPAM to assign a pod CIDR to ${nodeName}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no pod CIDR assigned to node ${nodeName} within 60 s: run the controller manager (node IPAM) or pass --pod-cidr`);
}

/**
 * The cluster DNS server on the cluster DNS IP, made a local address of the node bridge so pods reach
 * it through their default route. A second agent on the same host (tests) finds the address taken
 * and leaves DNS to the first.
 */
async function startNodeDNS(informers: InformerFactory, bridge: string, opts: AgentOptions, log: (m: string) => void): Promise<RunningDNS | undefined> {
  const ip = opts.clusterDNS ?? '10.43.0.10';
  await run('ip', ['addr', 'replace', `${ip}/32`, 'dev', bridge]);
  try {
    return await startClusterDNS(informers, { listen: [{ address: ip, port: opts.dnsPort ?? 53 }], clusterDomain: opts.clusterDomain ?? 'cluster.local', upstreams: opts.dnsUpstreams, log: (m) => log(`dns: ${m}`) });
  } catch (e) {
    log(`cluster DNS not started on ${ip}: ${(e as Error).message}`);
    return undefined;
  }
}

/** Upstream's image GC defaults: checked every 5 minutes, 85 % disk use starts it, 80 % stops it. */
const IMAGE_GC = { periodMs: 5 * 60_000, highPercent: 85, lowPercent: 80 };

/** Frees unused images when the image filesystem fills up; images of any container (even exited) stay. */
function startImageGC(images: ImageStore, runtime: RuncRuntime, log: (m: string) => void): NodeJS.Timeout {
  const collect = async () => {
    const inUse = new Set<string>();
    for (const c of await runtime.listContainers()) inUse.add(c.imageId).add(c.image);
    const removed = await images.garbageCollect(inUse, IMAGE_GC);
    if (removed.length) log(`image GC: removed ${removed.length} unused image(s): ${removed.join(', ')}`);
  };
  const timer = setInterval(() => collect().catch((e: Error) => log(`image GC failed: ${e.message}`)), IMAGE_GC.periodMs);
  timer.unref();
  return timer;
}

export async function startAgent(client: KubeClient, opts: AgentOptions): Promise<Agent> {
  const log = opts.log ?? ((m: string) => process.stdout.write(`${m}\n`));
  const nodeName = (opts.nodeName ?? osHostname()).toLowerCase();
  const nodeIP = opts.nodeIP ?? defaultNodeIP();
  const agentDir = join(opts.dataDir, 'agent');
  mkdirSync(agentDir, { recursive: true });
  const podCIDR = await resolvePodCIDR(client, nodeName, opts.podCIDR, log, opts.labels);
  const clusterCIDR = opts.clusterCIDR ?? '10.42.0.0/16';
  const serviceCIDR = opts.serviceCIDR ?? '10.43.0.0/16';

  const { network, runtime } = agentRuntime(opts.dataDir, podCIDR, clusterCIDR, nodeIP);
  await runtime.init();
  // Before any Service rule exists, Service IPs must not follow the default route off the machine.
  await run('ip', ['route', 'replace', 'unreachable', serviceCIDR]);
  const registries = loadRegistriesConfig(opts.registriesFile ?? join(opts.dataDir, 'registries.yaml'));
  if (opts.disableDefaultRegistryEndpoint) registries.disableDefaultEndpoint = true;
  const images = new ImageStore({ root: join(agentDir, 'images'), registries });

  const kubelet = await startKubelet(client, { runtime, images }, {
    agentDir,
    nodeName,
    nodeIP,
    clusterDNS: [opts.clusterDNS ?? '10.43.0.10'],
    clusterDomain: opts.clusterDomain ?? 'cluster.local',
    onError: (m) => log(`kubelet: ${m}`),
  });
  const tls = await kubeletServingCert([nodeIP, nodeName]);
  const server = await startKubeletServer({ host: nodeIP, port: opts.kubeletPort ?? 10250, tls, clientCA: opts.clientCA, backend: kubelet.backend });
  const version = await runtime.version();
  const nodeStatus = await startNodeStatus(client, {
    nodeName,
    nodeIP,
    // As kubelet --hostname-override: the hostname label and address follow the node name.
    hostname: nodeName,
    podCIDR,
    kubeletPort: server.port,
    runtimeVersion: `${version.runtimeName}://${version.runtimeVersion}`,
    kubeletVersion: KUBELET_VERSION,
    dataDir: agentDir,
    labels: opts.labels,
    images: () => images.list().map((i) => ({ names: [...i.repoDigests, ...i.repoTags], sizeBytes: i.sizeBytes })),
  });
  const imageGC = startImageGC(images, runtime, log);

  // Cluster networking: one informer factory for routes, proxy, DNS and ingress.
  const informers = new InformerFactory(client);
  const backend = opts.podNetworkBackend ?? 'host-gw';
  const routes = backend === 'none' ? undefined : new NodeRoutes(informers, { nodeName, nodeIP, mode: backend, log: (m) => log(`routes: ${m}`) });
  const proxyStarting = opts.disableProxy ? undefined : startProxy(informers, { nodeName, nodeIPs: [nodeIP], serviceCIDR, clusterCIDR, mode: opts.proxyMode, log: (m) => log(`proxy: ${m}`) });
  const dnsStarting = opts.disableDNS ? undefined : startNodeDNS(informers, network.bridge, opts, log);
  informers.start();
  const routesStarted = routes?.start();
  const [proxy, dns] = await Promise.all([proxyStarting, dnsStarting, routesStarted]);
  const proxyMetrics = proxy ? await serveProxyMetrics(proxy.metrics, '127.0.0.1', opts.proxyMetricsPort ?? 10249) : undefined;
  if (proxy && !proxyMetrics) log(`proxy: metrics port ${opts.proxyMetricsPort ?? 10249} is taken; no /metrics`);
  let ingress: RunningIngress | undefined;
  if (opts.ingress) {
    const bind = opts.ingress.bindAddress ?? '0.0.0.0';
    try {
      ingress = await startIngressController(client, informers, {
        httpListen: { address: bind, port: opts.ingress.httpPort },
        httpsListen: { address: bind, port: opts.ingress.httpsPort },
        statusAddresses: [nodeIP],
        log: (m) => log(`ingress: ${m}`),
      });
    } catch (e) {
      log(`ingress controller not started: ${(e as Error).message}`);
    }
  }
  log(`Node agent ${nodeName} (${nodeIP}, pods ${podCIDR}) is running; kubelet on https://${nodeIP}:${server.port}`);
  return {
    nodeName,
    nodeIP,
    podCIDR,
    kubelet,
    kubeletPort: server.port,
    proxy,
    dns,
    ingress,
    async stop() {
      // Containers keep running (conmon supervises them): a restarted agent re-adopts them. Service
      // rules and routes to other nodes go with the agent (a restart re-syncs them in well under a
      // second), so a stopped agent leaves no rules pointing at pods nobody watches any more.
      clearInterval(imageGC);
      await ingress?.stop();
      await dns?.stop();
      proxyMetrics?.closeAllConnections();
      await new Promise((r) => (proxyMetrics ? proxyMetrics.close(r) : r(undefined)));
      await proxy?.stop();
      await routes?.stop();
      informers.stop();
      await nodeStatus.stop();
      await kubelet.stop();
      await server.close();
    },
  };
}
