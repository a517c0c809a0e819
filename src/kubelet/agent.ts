// A node agent (k3s' agent): everything that runs on a node, wired together — the pod network
// (bridge + per-pod netns), the runc runtime, the image store with the registries.yaml mirrors, the
// kubelet, node registration with its heartbeat Lease, and the kubelet's HTTPS server that the API
// server proxies logs, exec, attach and port-forward to. `skiff server` runs one in-process for the
// local machine; `skiff agent` runs one against a remote API server.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
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

export const KUBELET_VERSION = 'v1.31.0';

export interface AgentOptions {
  dataDir: string;
  nodeName?: string;
  nodeIP?: string;
  /** This node's pod CIDR when the Node has none yet (default 10.42.0.0/24). */
  podCIDR?: string;
  clusterCIDR?: string;
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
  kubelet: Kubelet;
  kubeletPort: number;
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
export async function removeAgentState(dataDir: string, podCIDR = '10.42.0.0/24', clusterCIDR = '10.42.0.0/16'): Promise<void> {
  const { network, runtime } = agentRuntime(dataDir, podCIDR, clusterCIDR, '127.0.0.1');
  await runtime.cleanupAll();
  await network.destroy();
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
  const podCIDR = (await existingPodCIDR(client, nodeName)) ?? opts.podCIDR ?? '10.42.0.0/24';

  const { network, runtime } = agentRuntime(opts.dataDir, podCIDR, opts.clusterCIDR ?? '10.42.0.0/16', nodeIP);
  await runtime.init();
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
    hostname: osHostname(),
    podCIDR,
    kubeletPort: server.port,
    runtimeVersion: `${version.runtimeName}://${version.runtimeVersion}`,
    kubeletVersion: KUBELET_VERSION,
    dataDir: agentDir,
    labels: opts.labels,
    images: () => images.list().map((i) => ({ names: [...i.repoDigests, ...i.repoTags], sizeBytes: i.sizeBytes })),
  });
  const imageGC = startImageGC(images, runtime, log);
  log(`Node agent ${nodeName} (${nodeIP}, pods ${podCIDR}) is running; kubelet on https://${nodeIP}:${server.port}`);
  return {
    nodeName,
    nodeIP,
    kubelet,
    kubeletPort: server.port,
    async stop() {
      // Containers keep running (conmon supervises them): a restarted agent re-adopts them.
      clearInterval(imageGC);
      await nodeStatus.stop();
      await kubelet.stop();
      await server.close();
    },
  };
}
