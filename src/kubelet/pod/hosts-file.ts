// Pod hostname and the kubelet-managed /etc/hosts, as upstream GeneratePodHostNameAndDomain and
// managedHostsFileContent / nodeHostsFileContent. The pod IP is only known once the sandbox exists,
// so the runtime (or kubelet) calls hostsFileContent again with it and rewrites the file.
import type { HostAlias, Pod } from 'kubernetes-types/core/v1.js';

const HOSTNAME_MAX = 63;

/** Pod hostname (spec.hostname or the pod name, cut to 63 chars without a trailing '-'/'.') and the
 *  `<subdomain>.<ns>.svc.<clusterDomain>` domain when spec.subdomain is set (else ''). */
export function podHostnameAndDomain(pod: Pod, clusterDomain = 'cluster.local'): { hostname: string; domain: string } {
  let hostname = pod.spec?.hostname || pod.metadata?.name || '';
  if (hostname.length > HOSTNAME_MAX) hostname = hostname.slice(0, HOSTNAME_MAX).replace(/[-.]+$/, '');
  const sub = pod.spec?.subdomain;
  const domain = sub ? `${sub}.${pod.metadata?.namespace ?? 'default'}.svc.${clusterDomain}` : '';
  return { hostname, domain };
}

/** The hostname the container's UTS namespace gets: the FQDN when setHostnameAsFQDN and a domain. */
export function podUTSHostname(pod: Pod, clusterDomain = 'cluster.local'): string {
  const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
  if (pod.spec?.setHostnameAsFQDN && domain) {
    const fqdn = `${hostname}.${domain}`;
    // Upstream refuses FQDNs over 64 characters (the kernel's limit); fall back to the short name.
    return fqdn.length <= 64 ? fqdn : hostname;
  }
  return hostname;
}

/**
 * /etc/hosts for a pod. `podIP` may be one IP, several (dual stack) or none yet. hostNetwork pods get
 * the node's hosts file (pass `hostHostsFile`) under a different header, as upstream.
 */
export function hostsFileContent(
  pod: Pod,
  podIP?: string | string[],
  opts: { clusterDomain?: string; hostHostsFile?: string } = {},
): string {
  const aliases = hostAliasesBlock(pod.spec?.hostAliases);
  if (pod.spec?.hostNetwork) {
    return '# Kubernetes-managed hosts file (host network).\n' + (opts.hostHostsFile ?? '') + aliases;
  }
  const ips = podIP === undefined ? [] : Array.isArray(podIP) ? podIP.filter(Boolean) : podIP ? [podIP] : [];
  const { hostname, domain } = podHostnameAndDomain(pod, opts.clusterDomain);
  let out =
    '# Kubernetes-managed hosts file.\n' +
    '127.0.0.1\tlocalhost\n' +
    '::1\tlocalhost ip6-localhost ip6-loopback\n' +
    'fe00::0\tip6-localnet\n' +
    'fe00::0\tip6-mcastprefix\n' +
    'fe00::1\tip6-allnodes\n' +
    'fe00::2\tip6-allrouters\n';
  for (const ip of ips) out += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  return out + aliases;
}

function hostAliasesBlock(aliases: HostAlias[] | undefined): string {
  if (!aliases?.length) return '';
  let out = '\n# Entries added by HostAliases.\n';
  for (const a of aliases) out += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  return out;
}
