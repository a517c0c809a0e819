// Node agent flags, shared by `skiff server` (its embedded agent) and `skiff agent`: how the node
// is named and addressed, its pod network, cluster DNS, registry mirrors and kubelet port.
import type { ParseArgsConfig } from 'node:util';

export interface AgentFlags {
  nodeName?: string;
  nodeIP?: string;
  podCIDR?: string;
  clusterCIDR: string;
  clusterDNS: string;
  clusterDomain: string;
  registries?: string;
  /** After a registry's mirrors, do not fall back to the registry itself (k3s' flag of this name). */
  disableDefaultRegistryEndpoint: boolean;
  kubeletPort: number;
  serviceCIDR: string;
  /** k3s' --flannel-backend: how pods reach other nodes' pods. */
  flannelBackend: 'host-gw' | 'vxlan' | 'none';
  disableKubeProxy: boolean;
  /** kube-proxy's --proxy-mode: iptables (default) or nftables. */
  proxyMode: 'iptables' | 'nftables';
  disableClusterDNS: boolean;
  /** Forwarders for names outside the cluster (default: the host's resolv.conf). */
  dnsUpstreams?: string[];
  dnsPort: number;
}

export const AGENT_OPTIONS = {
  'node-name': { type: 'string' },
  'node-ip': { type: 'string' },
  'pod-cidr': { type: 'string' },
  'cluster-cidr': { type: 'string', default: '10.42.0.0/16' },
  'cluster-dns': { type: 'string', default: '10.43.0.10' },
  'cluster-domain': { type: 'string', default: 'cluster.local' },
  registries: { type: 'string' },
  'disable-default-registry-endpoint': { type: 'boolean', default: false },
  'kubelet-port': { type: 'string', default: '10250' },
  'service-cidr': { type: 'string', default: '10.43.0.0/16' },
  'flannel-backend': { type: 'string', default: 'host-gw' },
  'disable-kube-proxy': { type: 'boolean', default: false },
  'proxy-mode': { type: 'string', default: 'iptables' },
  'disable-cluster-dns': { type: 'boolean', default: false },
  'dns-upstream': { type: 'string', multiple: true },
  'dns-port': { type: 'string', default: '53' },
} satisfies ParseArgsConfig['options'];

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

export function agentFlags(values: Record<string, string | boolean | string[] | undefined>): AgentFlags {
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const port = Number(str('kubelet-port'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --kubelet-port: ${str('kubelet-port')}`);
  const nodeIP = str('node-ip');
  if (nodeIP !== undefined && !IPV4.test(nodeIP)) throw new Error(`invalid --node-ip: ${nodeIP} (want an IPv4 address)`);
  const dnsPort = Number(str('dns-port'));
  if (!Number.isInteger(dnsPort) || dnsPort < 1 || dnsPort > 65535) throw new Error(`invalid --dns-port: ${str('dns-port')}`);
  const backend = str('flannel-backend');
  if (backend !== 'host-gw' && backend !== 'vxlan' && backend !== 'none') throw new Error(`invalid --flannel-backend: ${backend} (want host-gw, vxlan or none)`);
  const proxyMode = str('proxy-mode');
  if (proxyMode !== 'iptables' && proxyMode !== 'nftables') throw new Error(`invalid --proxy-mode: ${proxyMode} (want iptables or nftables)`);
  for (const k of ['pod-cidr', 'cluster-cidr', 'service-cidr']) {
    const v = str(k);
    if (v !== undefined && !CIDR.test(v)) throw new Error(`invalid --${k}: ${v} (want a CIDR such as 10.42.0.0/24)`);
  }
  if (!IPV4.test(str('cluster-dns') ?? '')) throw new Error(`invalid --cluster-dns: ${str('cluster-dns')}`);
  return {
    nodeName: str('node-name'),
    nodeIP,
    podCIDR: str('pod-cidr'),
    clusterCIDR: str('cluster-cidr')!,
    clusterDNS: str('cluster-dns')!,
    clusterDomain: str('cluster-domain')!,
    registries: str('registries'),
    disableDefaultRegistryEndpoint: values['disable-default-registry-endpoint'] === true,
    kubeletPort: port,
    serviceCIDR: str('service-cidr')!,
    flannelBackend: backend,
    disableKubeProxy: values['disable-kube-proxy'] === true,
    proxyMode,
    disableClusterDNS: values['disable-cluster-dns'] === true,
    dnsUpstreams: Array.isArray(values['dns-upstream']) ? values['dns-upstream'] : undefined,
    dnsPort,
  };
}

/** The startAgent options these flags stand for. */
export function agentOptionsFrom(f: AgentFlags) {
  return {
    nodeName: f.nodeName,
    nodeIP: f.nodeIP,
    podCIDR: f.podCIDR,
    clusterCIDR: f.clusterCIDR,
    serviceCIDR: f.serviceCIDR,
    clusterDNS: f.clusterDNS,
    clusterDomain: f.clusterDomain,
    registriesFile: f.registries,
    disableDefaultRegistryEndpoint: f.disableDefaultRegistryEndpoint,
    kubeletPort: f.kubeletPort,
    podNetworkBackend: f.flannelBackend,
    disableProxy: f.disableKubeProxy,
    proxyMode: f.proxyMode,
    disableDNS: f.disableClusterDNS,
    dnsUpstreams: f.dnsUpstreams,
    dnsPort: f.dnsPort,
  };
}
