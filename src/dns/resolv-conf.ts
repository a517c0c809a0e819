// The host's resolvers, the default upstreams for names outside the cluster domain (CoreDNS' stock
// `forward . /etc/resolv.conf`). Loopback resolvers such as systemd-resolved's 127.0.0.53 are kept:
// the server runs in the host namespace, where they are reachable.
import { readFileSync } from 'node:fs';

/** `nameserver` entries of a resolv.conf, as 'ip:53' upstream strings (missing file → []). */
export function hostNameservers(path = '/etc/resolv.conf'): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return parseNameservers(text);
}

export function parseNameservers(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (!m) continue;
    const ip = m[1]!.replace(/%.*$/, ''); // drop an IPv6 zone id (fe80::1%eth0)
    out.push(ip.includes(':') ? `[${ip}]:53` : `${ip}:53`);
  }
  return out;
}
