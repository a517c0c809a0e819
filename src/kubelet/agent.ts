// A node agent (k3s' agent): everything that runs on a node, wired together — the pod network
// (bridge + per-pod netns), the runc runtime, the image store with the registries.yaml mirrors, the
// kubelet, node registration with its heartbeat Lease, and the kubelet's HTTPS server that the API
// server proxies logs, exec, attach and port-forward to. `skiff server` runs one in-process for the
// local machine; `skiff agent` runs one against a remote API server.
import { createHash } from 'node:crypto';
import { mkdirSync, existsSync } from 'node:fs';
import { hostname as osHostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeClient } from '../client/http-client.js';
import { StatusError } from '../machinery/errors.js';
import { PodNetwork } from './network/index.js';
import { RuncRuntime } from './runtime/runc/index.js';
import { ImageStore } from './images/index.js';
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

export async function startAgent(client: KubeClient, opts: AgentOptions): Promise<Agent> {
  const log = opts.log ?? ((m: string) => process.stdout.write(`${m}\n`));
  const nodeName = (opts.nodeName ?? osHostname()).toLowerCase();
  const nodeIP = opts.nodeIP ?? defaultNodeIP();
  const agentDir = join(opts.dataDir, 'agent');
  mkdirSync(agentDir, { recursive: true });
  const id = agentId(opts.dataDir);
  const podCIDR = (await existingPodCIDR(client, nodeName)) ?? opts.podCIDR ?? '10.42.0.0/24';

  const network = new PodNetwork({ bridge: `skiff${id}`, podCIDR, clusterCIDR: opts.clusterCIDR ?? '10.42.0.0/16', stateDir: join(agentDir, 'network'), netnsPrefix: `skiff-${id}` });
  await network.ensureBridge();
  const runtime = new RuncRuntime({ root: join(agentDir, 'runtime'), cgroupRoot: `/skiff-${id}`, network, hostIP: nodeIP });
  const registriesFile = opts.registriesFile ?? join(opts.dataDir, 'registries.yaml');
  const images = new ImageStore({ root: join(agentDir, 'images'), registries: existsSync(registriesFile) ? loadRegistriesConfig(registriesFile) : undefined });

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
  log(`Node agent ${nodeName} (${nodeIP}, pods ${podCIDR}) is running; kubelet on https://${nodeIP}:${server.port}`);
  return {
    nodeName,
    nodeIP,
    kubelet,
    kubeletPort: server.port,
    async stop() {
      // Containers keep running (conmon supervises them): a restarted agent re-adopts them.
      await nodeStatus.stop();
      await kubelet.stop();
      await server.close();
    },
  };
}
