// Flags of `skiff server`, parsed with node:util parseArgs (help text in usage.ts), and the host
// names the serving certificate must carry for a given bind address. Kept apart from server.ts so
// they are testable without starting anything.
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from './data-dir.js';
import { parseGoDuration } from '../apiserver/duration.js';
import { AGENT_OPTIONS, agentFlags, type AgentFlags } from './agent-flags.js';

export interface ServerFlags {
  dataDir: string;
  port: number;
  bindAddress: string;
  storage: string;
  tlsSans: string[];
  /** Simulated nodes to register at start (0 = none). */
  simNodes: number;
  /** Skip the in-process scheduler (e.g. to run another one). */
  disableScheduler: boolean;
  /** Run no controllers (the API server alone, as k3s' --disable-controller-manager). */
  disableControllerManager: boolean;
  /** A KubeSchedulerConfiguration file (upstream kube-scheduler --config). */
  schedulerConfig?: string;
  /** --node-monitor-grace-period / --node-monitor-period (ms), as kube-controller-manager's. */
  nodeMonitorGracePeriodMs?: number;
  nodeMonitorPeriodMs?: number;
  /** Run no node agent in this process (k3s' --disable-agent): a control plane only. */
  disableAgent: boolean;
  agent: AgentFlags;
  /** The built-in ingress controller (in the embedded agent): off, or its ports. */
  disableIngress: boolean;
  ingressHttpPort: number;
  ingressHttpsPort: number;
}

export function parseServerFlags(args: string[]): ServerFlags | 'help' {
  const { values } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string' },
      'https-port': { type: 'string', default: '6443' },
      'bind-address': { type: 'string', default: '127.0.0.1' },
      storage: { type: 'string' },
      'tls-san': { type: 'string', multiple: true, default: [] },
      'sim-nodes': { type: 'string', default: '0' },
      'disable-scheduler': { type: 'boolean', default: false },
      'disable-controller-manager': { type: 'boolean', default: false },
      'scheduler-config': { type: 'string' },
      'node-monitor-grace-period': { type: 'string' },
      'node-monitor-period': { type: 'string' },
      'disable-agent': { type: 'boolean', default: false },
      'disable-ingress': { type: 'boolean', default: false },
      'ingress-http-port': { type: 'string', default: '80' },
      'ingress-https-port': { type: 'string', default: '443' },
      ...AGENT_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const port = Number(values['https-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --https-port: ${values['https-port']}`);
  const simNodes = Number(values['sim-nodes']);
  if (!Number.isInteger(simNodes) || simNodes < 0) throw new Error(`invalid --sim-nodes: ${values['sim-nodes']}`);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const portFlag = (name: 'ingress-http-port' | 'ingress-https-port') => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`invalid --${name}: ${values[name]}`);
    return n;
  };
  return {
    dataDir,
    port,
    bindAddress: values['bind-address']!,
    storage: values.storage ?? `sqlite://${join(dataDir, 'state.db')}`,
    tlsSans: values['tls-san'] ?? [],
    simNodes,
    disableScheduler: values['disable-scheduler'] ?? false,
    disableControllerManager: values['disable-controller-manager'] ?? false,
    schedulerConfig: values['scheduler-config'],
    nodeMonitorGracePeriodMs: durationFlag('node-monitor-grace-period', values['node-monitor-grace-period']),
    nodeMonitorPeriodMs: durationFlag('node-monitor-period', values['node-monitor-period']),
    disableAgent: values['disable-agent'] ?? false,
    agent: agentFlags(values),
    disableIngress: values['disable-ingress'] ?? false,
    ingressHttpPort: portFlag('ingress-http-port'),
    ingressHttpsPort: portFlag('ingress-https-port'),
  };
}

function durationFlag(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const ms = parseGoDuration(v);
  if (ms === undefined || ms <= 0) throw new Error(`invalid --${name}: ${v} (want a duration such as 40s or 1m)`);
  return ms;
}

/** Serving-certificate hosts for a bind address: a wildcard bind means every local address. */
export function servingHosts(bindAddress: string, extra: string[]): string[] {
  const hosts = [bindAddress, ...extra];
  if (bindAddress === '0.0.0.0' || bindAddress === '::') {
    for (const addrs of Object.values(networkInterfaces())) for (const a of addrs ?? []) hosts.push(a.address);
  }
  return hosts;
}

export interface SimFlags {
  nodes: number;
  kubeconfig: string;
  namePrefix: string;
}

/** Flags of `skiff sim`: add simulated nodes to a running cluster through its kubeconfig. */
export function parseSimFlags(args: string[]): SimFlags | 'help' {
  const { values } = parseArgs({
    args,
    options: {
      nodes: { type: 'string', default: '1' },
      kubeconfig: { type: 'string' },
      'data-dir': { type: 'string' },
      'name-prefix': { type: 'string', default: 'sim-' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1) throw new Error(`invalid --nodes: ${values.nodes}`);
  const kubeconfig = values.kubeconfig ?? process.env.KUBECONFIG ?? join(resolve(values['data-dir'] ?? defaultDataDir()), 'kubeconfig.yaml');
  return { nodes, kubeconfig, namePrefix: values['name-prefix']! };
}
