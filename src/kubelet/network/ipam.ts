// Host-local IP address management for one node's podCIDR, kept on disk so a restarted kubelet
// keeps every pod's address: one file per allocated address (`<dir>/<ip>`, content = pod UID),
// created with O_EXCL so an address is never handed out twice, plus `last` remembering where the
// previous allocation ended. Like CNI's host-local plugin, allocation continues round-robin after
// the last address instead of reusing the lowest free one, so a just-released IP (whose conntrack
// entries and peers' caches may still point at the old pod) is reused as late as possible.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostRange, ipToNumber, numberToIp, parseCidr, type Ipv4Cidr } from './cidr.js';

export class IpamExhaustedError extends Error {
  readonly code = 'EIPAMEXHAUSTED';
  constructor(cidr: string) {
    super(`no free address left in pod CIDR ${cidr}`);
  }
}

export class Ipam {
  private readonly cidr: Ipv4Cidr;

  constructor(
    private readonly cidrText: string,
    private readonly dir: string,
  ) {
    this.cidr = parseCidr(cidrText);
    mkdirSync(dir, { recursive: true });
  }

  /** The address of `owner` (a pod UID), allocating one if it has none. Idempotent. */
  allocate(owner: string): string {
    const existing = this.lookup(owner);
    if (existing) return existing;
    mkdirSync(this.dir, { recursive: true });
    const { first, last } = hostRange(this.cidr);
    const count = last - first + 1;
    const prev = this.readLast();
    // Start just after the previous allocation: with last=.7 we try .8, .9, … .254, .2, … .7.
    const start = prev !== undefined && prev >= first && prev <= last ? prev + 1 - first : 0;
    for (let i = 0; i < count; i++) {
      const ip = numberToIp(first + ((start + i) % count));
      try {
        writeFileSync(join(this.dir, ip), owner, { flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw err;
      }
      writeFileSync(join(this.dir, 'last'), ip);
      return ip;
    }
    throw new IpamExhaustedError(this.cidrText);
  }

  /** The address held by `owner`, if any. */
  lookup(owner: string): string | undefined {
    for (const [ip, holder] of this.allocations()) if (holder === owner) return ip;
    return undefined;
  }

  /** Frees every address `owner` holds (idempotent). */
  release(owner: string): void {
    for (const [ip, holder] of this.allocations()) if (holder === owner) rmSync(join(this.dir, ip), { force: true });
  }

  /** Every allocation as [ip, owner]. */
  allocations(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return out; // never allocated (or destroyed)
    }
    for (const name of names) {
      if (!/^\d+\.\d+\.\d+\.\d+$/.test(name)) continue;
      try {
        out.push([name, readFileSync(join(this.dir, name), 'utf8').trim()]);
      } catch {
        // Released concurrently.
      }
    }
    return out;
  }

  private readLast(): number | undefined {
    try {
      return ipToNumber(readFileSync(join(this.dir, 'last'), 'utf8').trim());
    } catch {
      return undefined;
    }
  }
}
