// Pod spec → the runtime's SandboxConfig, as upstream kuberuntime generatePodSandboxConfig: hostname,
// /etc/hosts and /etc/resolv.conf contents, hostPort mappings, QoS class and the pod-level cgroup
// limits. hostNetwork pods get no port mappings (the ports are already the host's).
import { hostname as nodeHostname } from 'node:os';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { PortMapping, SandboxConfig } from '../runtime/types.js';
import { parseQuantityJson } from '../../machinery/quantity.js';
import { hostsFileContent, podUTSHostname } from './hosts-file.js';
import { getPodQOSClass } from './qos.js';
import { formatResolvConf, podDNSConfig } from './resolv-conf.js';

export interface SandboxContext {
  clusterDNS: string[];
  clusterDomain: string;
  /** Contents of the node's /etc/resolv.conf (the kubelet's --resolv-conf). */
  hostResolvConf: string;
  /** Contents of the node's /etc/hosts, used for hostNetwork pods. */
  hostHostsFile?: string;
  podIP?: string;
}

export function buildSandboxConfig(pod: Pod, ctx: SandboxContext): SandboxConfig {
  const md = pod.metadata ?? {};
  const spec = pod.spec;
  const limits = podLimits(pod);
  const labels: Record<string, string> = {
    ...(md.labels ?? {}),
    'io.kubernetes.pod.name': md.name ?? '',
    'io.kubernetes.pod.namespace': md.namespace ?? 'default',
    'io.kubernetes.pod.uid': md.uid ?? '',
  };
  return {
    uid: md.uid ?? '',
    name: md.name ?? '',
    namespace: md.namespace ?? 'default',
    // hostNetwork pods share the node's UTS namespace: upstream leaves the hostname to the runtime,
    // which uses the node's.
    hostname: spec?.hostNetwork ? nodeHostname() : podUTSHostname(pod, ctx.clusterDomain),
    hostNetwork: spec?.hostNetwork ?? false,
    hostIPC: spec?.hostIPC ?? false,
    hostPID: spec?.hostPID ?? false,
    hostsFile: hostsFileContent(pod, ctx.podIP, { clusterDomain: ctx.clusterDomain, hostHostsFile: ctx.hostHostsFile }),
    resolvConf: formatResolvConf(podDNSConfig(pod, ctx)),
    portMappings: spec?.hostNetwork ? [] : portMappings(spec?.containers ?? []),
    qosClass: getPodQOSClass(pod),
    ...limits,
    labels,
  };
}

/** Every container port with a hostPort, deduplicated on (protocol, hostIP, hostPort). */
export function portMappings(containers: Container[]): PortMapping[] {
  const out: PortMapping[] = [];
  const seen = new Set<string>();
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      const protocol = (p.protocol ?? 'TCP') as PortMapping['protocol'];
      const key = `${protocol}/${p.hostIP ?? ''}/${p.hostPort}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ protocol, containerPort: p.containerPort, hostPort: p.hostPort, ...(p.hostIP ? { hostIP: p.hostIP } : {}) });
    }
  }
  return out;
}

/**
 * Pod cgroup limits, as upstream ResourceConfigForPod: a resource is limited only when every app
 * container limits it; the limit is max(sum over app containers, largest init container limit),
 * since init containers run one at a time before the app containers. E.g. app 200m + 300m with an
 * init container at 1 → 1000m.
 */
export function podLimits(pod: Pod): { cpuLimitMillis?: number; memoryLimitBytes?: number } {
  const containers = pod.spec?.containers ?? [];
  if (containers.length === 0) return {};
  const inits = pod.spec?.initContainers ?? [];
  const get = (c: Container, r: string, milli: boolean): number => {
    const v = c.resources?.limits?.[r];
    if (v === undefined || v === '') return 0;
    const q = parseQuantityJson(v);
    return milli ? q.milliValue() : q.value();
  };
  const total = (r: string, milli: boolean): number | undefined => {
    const app = containers.map((c) => get(c, r, milli));
    if (app.some((v) => v <= 0)) return undefined;
    const sum = app.reduce((a, b) => a + b, 0);
    return Math.max(sum, ...inits.map((c) => get(c, r, milli)));
  };
  const out: { cpuLimitMillis?: number; memoryLimitBytes?: number } = {};
  const cpu = total('cpu', true);
  const mem = total('memory', false);
  if (cpu !== undefined) out.cpuLimitMillis = cpu;
  if (mem !== undefined) out.memoryLimitBytes = mem;
  return out;
}
