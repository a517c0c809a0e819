// A pod's /etc/resolv.conf, as upstream pkg/kubelet/network/dns GetPodDNS plus containerd's writer:
// ClusterFirst → cluster nameservers, `<ns>.svc.<domain> svc.<domain> <domain>` + the host's search
// list, `options ndots:5`; ClusterFirst on hostNetwork and Default → the host's resolv.conf; None →
// only spec.dnsConfig. dnsConfig is then merged in (duplicates dropped, options overridden by name)
// and the result cut to upstream's limits: 3 nameservers, 32 search domains, 2048 characters.
import type { Pod } from 'kubernetes-types/core/v1.js';

export interface DNSConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

const MAX_NAMESERVERS = 3;
const MAX_SEARCH_PATHS = 32;
const MAX_SEARCH_CHARS = 2048;
const MAX_DOMAIN_LEN = 253;

/** Upstream parseResolvConf: nameservers accumulate, the last `search` line wins, options merge. */
export function parseResolvConf(text: string): DNSConfig {
  const cfg: DNSConfig = { servers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const f = trimmed.split(/\s+/).filter(Boolean);
    if (f[0] === 'nameserver' && f[1]) cfg.servers.push(f[1]);
    else if (f[0] === 'search') cfg.searches = f.slice(1).filter((s) => s !== '.').map((s) => s.replace(/\.$/, ''));
    else if (f[0] === 'options') cfg.options = mergeOptions(cfg.options, f.slice(1).map(splitOption));
  }
  return cfg;
}

export function podDNSConfig(pod: Pod, ctx: { clusterDNS: string[]; clusterDomain: string; hostResolvConf: string }): DNSConfig {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  let type: 'none' | 'cluster' | 'host';
  if (policy === 'None') type = 'none';
  else if (policy === 'ClusterFirstWithHostNet') type = 'cluster';
  else if (policy === 'Default' || pod.spec?.hostNetwork) type = 'host';
  else type = 'cluster';
  // No cluster DNS configured: upstream falls back to Default (with a MissingClusterDNS event).
  if (type === 'cluster' && ctx.clusterDNS.length === 0) type = 'host';

  const host = parseResolvConf(ctx.hostResolvConf);
  let cfg: DNSConfig;
  if (type === 'none') cfg = { servers: [], searches: [], options: [] };
  else if (type === 'host') cfg = host;
  else {
    const ns = pod.metadata?.namespace ?? 'default';
    const d = ctx.clusterDomain;
    const searches = d ? [`${ns}.svc.${d}`, `svc.${d}`, d, ...host.searches] : host.searches;
    cfg = { servers: [...ctx.clusterDNS], searches: dedupe(searches), options: ['ndots:5'] };
  }
  const extra = pod.spec?.dnsConfig;
  if (extra) {
    cfg = {
      servers: dedupe([...cfg.servers, ...(extra.nameservers ?? [])]),
      searches: dedupe([...cfg.searches, ...(extra.searches ?? [])]),
      options: mergeOptions(cfg.options, (extra.options ?? []).map((o) => [o.name ?? '', o.value ?? ''] as [string, string])),
    };
  }
  return { servers: cfg.servers.slice(0, MAX_NAMESERVERS), searches: fitSearches(cfg.searches), options: cfg.options };
}

/** containerd's resolv.conf writer. */
export function formatResolvConf(cfg: DNSConfig): string {
  let out = '';
  if (cfg.searches.length) out += `search ${cfg.searches.join(' ')}\n`;
  for (const s of cfg.servers) out += `nameserver ${s}\n`;
  if (cfg.options.length) out += `options ${cfg.options.join(' ')}\n`;
  return out;
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}

function splitOption(op: string): [string, string] {
  const i = op.indexOf(':');
  return i < 0 ? [op, ''] : [op.slice(0, i), op.slice(i + 1)];
}

/** Later options replace earlier ones with the same name (kept in first-seen order). */
function mergeOptions(existing: string[], extra: Array<[string, string]>): string[] {
  const m = new Map(existing.map(splitOption));
  for (const [k, v] of extra) m.set(k, v);
  return [...m].map(([k, v]) => (v ? `${k}:${v}` : k));
}

function fitSearches(searches: string[]): string[] {
  let out = searches.slice(0, MAX_SEARCH_PATHS).filter((s) => s.length <= MAX_DOMAIN_LEN);
  while (out.length && out.join(' ').length > MAX_SEARCH_CHARS) out = out.slice(0, -1);
  return out;
}
