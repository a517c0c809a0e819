// Chain names, as upstream pkg/proxy/iptables names them: fixed chains `<PREFIX>-SERVICES`… and per
// service port `<PREFIX>-SVC-<hash>` where hash = base32(sha256(servicePortName + protocol))[:16]
// (endpoint chains hash the endpoint "ip:port" too). The prefix is configurable ('KUBE' by default)
// so two proxies can share one network namespace in tests; iptables limits names to 28 characters,
// so a longer prefix shortens the hash: 'KUBE' → 4 + 5 + 16 = 25, 'SKT123' → 6 + 5 + 16 = 27.
import { createHash } from 'node:crypto';

export class ChainPrefixError extends Error {
  readonly code = 'ECHAINPREFIX';
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding needed: callers keep a prefix). */
function base32(buf: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

export interface ChainNames {
  prefix: string;
  services: string;
  externalServices: string;
  nodePorts: string;
  postrouting: string;
  markMasq: string;
  forward: string;
  /** Cluster-policy chain of a service port (all usable endpoints). */
  svc(id: string, protocol: string): string;
  /** Local-policy chain (endpoints on this node only). */
  svl(id: string, protocol: string): string;
  /** External-destination chain (NodePort, load-balancer and external IPs). */
  ext(id: string, protocol: string): string;
  /** Per-endpoint chain doing the DNAT. */
  sep(id: string, protocol: string, endpoint: string): string;
}

/** Names for one prefix; throws ChainPrefixError unless it is 1–10 upper-case letters/digits. */
export function chainNames(prefix = 'KUBE'): ChainNames {
  // `<prefix>-EXTERNAL-SERVICES` is the longest fixed name: 10 + 18 = 28.
  if (!/^[A-Z][A-Z0-9]{0,9}$/.test(prefix)) throw new ChainPrefixError(`chain prefix ${JSON.stringify(prefix)} must be 1-10 characters A-Z0-9`);
  const hashLen = Math.min(16, 28 - prefix.length - 5);
  // Only the bytes the kept characters come from are encoded (16 chars × 5 bits = 10 bytes): the same
  // name, at a third of the cost — a render of 5,000 services computes ~35,000 of them.
  const bytes = Math.ceil((hashLen * 5) / 8);
  const hash = (s: string) => base32(createHash('sha256').update(s).digest().subarray(0, bytes)).slice(0, hashLen);
  return {
    prefix,
    services: `${prefix}-SERVICES`,
    externalServices: `${prefix}-EXTERNAL-SERVICES`,
    nodePorts: `${prefix}-NODEPORTS`,
    postrouting: `${prefix}-POSTROUTING`,
    markMasq: `${prefix}-MARK-MASQ`,
    forward: `${prefix}-FORWARD`,
    svc: (id, proto) => `${prefix}-SVC-${hash(id + proto)}`,
    svl: (id, proto) => `${prefix}-SVL-${hash(id + proto)}`,
    ext: (id, proto) => `${prefix}-EXT-${hash(id + proto)}`,
    sep: (id, proto, ep) => `${prefix}-SEP-${hash(id + proto + ep)}`,
  };
}
