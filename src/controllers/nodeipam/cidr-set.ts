// The node IPAM range allocator's bookkeeping (upstream pkg/controller/nodeipam/ipam/cidrset): the
// cluster CIDR cut into equal node-sized blocks and a used flag per block. Pure and synchronous, so
// the controller can allocate and mark without races between workers. IPv4 only, like the kubelet's
// pod network. Worked numbers: 10.42.0.0/16 with a /24 per node is 2^(24-16) = 256 blocks, block i
// being 10.42.i.0/24.

/** A CIDR string that is not IPv4 or does not fit the cluster's blocks. */
export class InvalidCidrError extends Error {
  readonly code = 'EINVALIDCIDR';
}

/** Every block is in use: upstream's ErrCIDRRangeNoCIDRsRemaining. */
export class CidrSetExhaustedError extends Error {
  readonly code = 'ECIDREXHAUSTED';
  constructor(readonly clusterCIDR: string) {
    super(`CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range ${clusterCIDR}`);
  }
}

function ipToNumber(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw new InvalidCidrError(`not an IPv4 address: ${ip}`);
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

const numberToIp = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** Parses "a.b.c.d/len" to its network number (host bits masked) and prefix length. */
export function parseIpv4Cidr(cidr: string): { network: number; prefix: number } {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(cidr.trim());
  const prefix = Number(m?.[2]);
  if (!m || prefix > 32) throw new InvalidCidrError(`not an IPv4 CIDR: ${cidr}`);
  const size = 2 ** (32 - prefix);
  return { network: Math.floor(ipToNumber(m[1]!) / size) * size, prefix };
}

export class CidrSet {
  readonly clusterCIDR: string;
  readonly nodeMaskSize: number;
  private readonly base: number;
  private readonly blockSize: number;
  private readonly used: Uint8Array;
  private usedCount = 0;
  /** Where the next search starts (upstream's nextCandidate): allocation rotates instead of reusing a just-freed block at once. */
  private next = 0;

  constructor(clusterCIDR: string, nodeMaskSize: number) {
    const { network, prefix } = parseIpv4Cidr(clusterCIDR);
    // Upstream caps the difference at 16 bits (65,536 nodes) so the bitmap stays small.
    if (!Number.isInteger(nodeMaskSize) || nodeMaskSize < prefix || nodeMaskSize > 32 || nodeMaskSize - prefix > 16) {
      throw new InvalidCidrError(`node CIDR mask /${nodeMaskSize} does not fit cluster CIDR ${clusterCIDR} (must be /${prefix}…/${Math.min(32, prefix + 16)})`);
    }
    this.clusterCIDR = `${numberToIp(network)}/${prefix}`;
    this.nodeMaskSize = nodeMaskSize;
    this.base = network;
    this.blockSize = 2 ** (32 - nodeMaskSize);
    this.used = new Uint8Array(2 ** (nodeMaskSize - prefix));
  }

  get size(): number {
    return this.used.length;
  }
  get allocated(): number {
    return this.usedCount;
  }

  private cidrOf(i: number): string {
    return `${numberToIp(this.base + i * this.blockSize)}/${this.nodeMaskSize}`;
  }

  /**
   * The block index a CIDR names, or undefined when it lies outside the cluster CIDR or is not one
   * block (a node that set its own 192.168.0.0/24, or a /25 in a /24 cluster, is simply not ours).
   */
  indexOf(cidr: string): number | undefined {
    const { network, prefix } = parseIpv4Cidr(cidr);
    if (prefix !== this.nodeMaskSize) return undefined;
    const i = (network - this.base) / this.blockSize;
    return i >= 0 && i < this.used.length ? i : undefined;
  }

  /** Takes the next free block, searching on from the last one handed out. */
  allocateNext(): string {
    const n = this.used.length;
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n;
      if (!this.used[i]) {
        this.used[i] = 1;
        this.usedCount++;
        this.next = (i + 1) % n;
        return this.cidrOf(i);
      }
    }
    throw new CidrSetExhaustedError(this.clusterCIDR);
  }

  /** Marks a CIDR used (a node that already holds it); false when it is not one of our blocks. */
  occupy(cidr: string): boolean {
    const i = this.indexOf(cidr);
    if (i === undefined) return false;
    if (!this.used[i]) {
      this.used[i] = 1;
      this.usedCount++;
    }
    return true;
  }

  /** Frees a CIDR (its node was deleted); a CIDR that is not ours is ignored. */
  release(cidr: string): void {
    const i = this.indexOf(cidr);
    if (i === undefined || !this.used[i]) return;
    this.used[i] = 0;
    this.usedCount--;
  }

  isUsed(cidr: string): boolean {
    const i = this.indexOf(cidr);
    return i !== undefined && this.used[i] === 1;
  }
}
