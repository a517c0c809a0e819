// IPv4 CIDR arithmetic for the pod network: parsing "10.42.7.0/24", the gateway (.1) and the range
// of assignable addresses. IPv4 only — the node's podCIDR is single-stack here.

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit number. */
  network: number;
  prefix: number;
  /** Number of addresses in the block (256 for a /24). */
  size: number;
}

export function ipToNumber(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new TypeError(`not an IPv4 address: ${ip}`);
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) throw new TypeError(`not an IPv4 address: ${ip}`);
    n = n * 256 + v;
  }
  return n;
}

export function numberToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(cidr: string): Ipv4Cidr {
  const [addr, len] = cidr.split('/');
  const prefix = Number(len);
  if (addr === undefined || !/^\d+$/.test(len ?? '') || prefix < 0 || prefix > 32) throw new TypeError(`not an IPv4 CIDR: ${cidr}`);
  const size = 2 ** (32 - prefix);
  // Mask off host bits: 10.42.7.9/24 names the block 10.42.7.0/24.
  const network = Math.floor(ipToNumber(addr) / size) * size;
  return { network, prefix, size };
}

/** The bridge's address: the first host address (.1 of a /24). */
export function gatewayOf(c: Ipv4Cidr): string {
  return numberToIp(c.network + 1);
}

/**
 * Assignable pod addresses, in order: everything except the network address, the gateway and the
 * broadcast address — a /24 gives .2 … .254, 253 pods.
 */
export function hostRange(c: Ipv4Cidr): { first: number; last: number } {
  if (c.prefix > 30) throw new TypeError(`pod CIDR /${c.prefix} is too small (need at least /30)`);
  return { first: c.network + 2, last: c.network + c.size - 2 };
}

export function contains(c: Ipv4Cidr, ip: string): boolean {
  const n = ipToNumber(ip);
  return n >= c.network && n < c.network + c.size;
}
