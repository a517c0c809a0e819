// DNS name helpers shared by the record builder and the resolver: canonical (lower-case, no trailing
// dot) names, the reverse-lookup name of an IP (in-addr.arpa / ip6.arpa), and the dashed form of an
// address that the Kubernetes DNS spec uses for pods and for headless endpoints without a hostname
// (10.42.0.7 → 10-42-0-7; 2001:db8::1 → 2001-db8--1).
import { isIP } from 'node:net';

/** A name as stored in the index: lower case (DNS is case-insensitive), no trailing dot. */
export function canonical(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

/** True when `name` is `zone` or below it (both canonical). */
export function isUnder(name: string, zone: string): boolean {
  return name === zone || name.endsWith('.' + zone);
}

/** The ancestors of `name` strictly below `zone`, e.g. a.b.svc.z under z → [b.svc.z, svc.z]. */
export function ancestorsUnder(name: string, zone: string): string[] {
  const out: string[] = [];
  let n = name;
  for (;;) {
    const dot = n.indexOf('.');
    if (dot < 0) break;
    n = n.slice(dot + 1);
    if (n === zone || !isUnder(n, zone)) break;
    out.push(n);
  }
  return out;
}

/** 10.42.0.7 → 10-42-0-7; IPv6 uses the expanded-colon form with ':' → '-' (as CoreDNS). */
export function dashed(ip: string): string {
  return ip.replaceAll(isIP(ip) === 6 ? ':' : '.', '-');
}

/** The inverse of dashed(): 10-42-0-7 → 10.42.0.7, 2001-db8--1 → 2001:db8::1; undefined if not an IP. */
export function undashed(label: string): string | undefined {
  const v4 = label.replaceAll('-', '.');
  if (isIP(v4) === 4) return v4;
  const v6 = label.replaceAll('-', ':');
  return isIP(v6) === 6 ? v6 : undefined;
}

/** The PTR owner name of an address: 10.43.0.10 → 10.0.43.10.in-addr.arpa; IPv6 nibble form in ip6.arpa. */
export function reverseName(ip: string): string | undefined {
  const family = isIP(ip);
  if (family === 4) return ip.split('.').reverse().join('.') + '.in-addr.arpa';
  if (family !== 6) return undefined;
  return expandIPv6(ip).replaceAll(':', '').split('').reverse().join('.') + '.ip6.arpa';
}

/** 2001:db8::1 → 2001:0db8:0000:0000:0000:0000:0000:0001 (IPv4-mapped tails are not expected here). */
export function expandIPv6(ip: string): string {
  const [head = '', tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => g.padStart(4, '0')).join(':');
}
