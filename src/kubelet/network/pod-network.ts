// The node's pod network, done by hand with iproute2 instead of CNI plugins: one Linux bridge per
// kubelet holding the podCIDR's gateway address (.1), and per pod a named network namespace
// (`ip netns add`, bind-mounted under /var/run/netns) joined to the bridge by a veth pair whose
// inside end is eth0 with an address from the file-backed IPAM and a default route via the bridge.
// Pod traffic is never masqueraded to the outside; instead an `unreachable` route for the whole
// clusterCIDR keeps traffic for other nodes' pod IPs on this machine (more specific routes, such as
// this node's podCIDR on the bridge, win). Every step is idempotent so a crashed setup is repaired
// by running it again.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import type { PortMapping } from '../runtime/types.js';
import { run, tryRun } from './command.js';
import { gatewayOf, parseCidr, type Ipv4Cidr } from './cidr.js';
import { HostPorts } from './hostports.js';
import { Ipam } from './ipam.js';

export interface PodNetworkOptions {
  /** Bridge device name, at most 15 characters (e.g. "skiff-<hash>"). */
  bridge: string;
  /** This node's pod CIDR, e.g. 10.42.7.0/24. */
  podCIDR: string;
  /** The whole cluster's pod CIDR (e.g. 10.42.0.0/16): routed `unreachable` so it never leaves. */
  clusterCIDR?: string;
  /** Directory for IPAM state (survives restarts). */
  stateDir: string;
  /** Prefix of network namespace names: a pod's is `<prefix>-<uid>`. */
  netnsPrefix: string;
}

export interface PodNetworkAttachment {
  netnsPath: string;
  ip: string;
}

const NETNS_DIR = '/var/run/netns';

/** Whether a network device exists in this process's network namespace. */
function hasLink(name: string): boolean {
  // Lines are `%6s:` — short names are padded, long ones start the line.
  return readFileSync('/proc/self/net/dev', 'utf8').split('\n').some((l) => l.trimStart().startsWith(`${name}:`));
}

export class PodNetwork {
  readonly bridge: string;
  readonly gateway: string;
  readonly hostPorts: HostPorts;
  private readonly cidr: Ipv4Cidr;
  private readonly ipam: Ipam;
  private bridgeReady = false;

  constructor(private readonly opts: PodNetworkOptions) {
    if (opts.bridge.length > 15) throw new TypeError(`bridge name ${opts.bridge} is longer than 15 characters`);
    this.bridge = opts.bridge;
    this.cidr = parseCidr(opts.podCIDR);
    this.gateway = gatewayOf(this.cidr);
    this.ipam = new Ipam(opts.podCIDR, join(opts.stateDir, 'ipam'));
    this.hostPorts = new HostPorts(opts.bridge, join(opts.stateDir, 'hostports'));
  }

  netnsName(uid: string): string {
    return `${this.opts.netnsPrefix}-${uid}`;
  }

  netnsPath(uid: string): string {
    return join(NETNS_DIR, this.netnsName(uid));
  }

  /** Host end of the pod's veth: "sk" + 12 hex of hash(bridge/uid), 14 characters, unique per kubelet. */
  hostVeth(uid: string): string {
    return `sk${createHash('sha256').update(`${this.bridge}/${uid}`).digest('hex').slice(0, 12)}`;
  }

  /** Creates the bridge with the gateway address, and the clusterCIDR unreachable route. Idempotent. */
  async ensureBridge(): Promise<void> {
    // Called for every sandbox: once the bridge was set up by this process and still exists (read
    // from procfs, no process spawned), there is nothing to do.
    if (this.bridgeReady && hasLink(this.bridge)) return;
    if (!(await tryRun('ip', ['link', 'show', 'dev', this.bridge]))) {
      const made = await run('ip', ['link', 'add', 'name', this.bridge, 'type', 'bridge'], { allowFail: true });
      if (made.exitCode !== 0 && !(await tryRun('ip', ['link', 'show', 'dev', this.bridge]))) {
        await run('ip', ['link', 'add', 'name', this.bridge, 'type', 'bridge']);
      }
    }
    await run('ip', ['addr', 'replace', `${this.gateway}/${this.cidr.prefix}`, 'dev', this.bridge]);
    await run('ip', ['link', 'set', 'dev', this.bridge, 'up']);
    if (this.opts.clusterCIDR) await run('ip', ['route', 'replace', 'unreachable', this.opts.clusterCIDR]);
    this.bridgeReady = true;
  }

  /** Creates (or repairs) the pod's netns, veth and address. Idempotent: an intact setup is kept. */
  async setup(uid: string): Promise<PodNetworkAttachment> {
    const ns = this.netnsName(uid);
    const ip = this.ipam.allocate(uid);
    const netnsPath = this.netnsPath(uid);
    if (await this.isIntact(uid, ip)) return { netnsPath, ip };
    // Partial state from a crash mid-setup: start over for this pod (its address is kept).
    await this.removeLinks(uid);
    await run('ip', ['netns', 'add', ns]);
    const host = this.hostVeth(uid);
    // One `ip -batch` per namespace instead of a process per step: every spawn blocks the agent's
    // event loop for the fork, and pod start was dominated by them.
    // Hairpin lets a pod reach itself through a Service VIP that DNATs back to it.
    await run('ip', ['-batch', '-'], {
      input: [
        `link add name ${host} type veth peer name eth0 netns ${ns}`,
        `link set dev ${host} master ${this.bridge}`,
        `link set dev ${host} type bridge_slave hairpin on`,
        `link set dev ${host} up`,
      ].join('\n') + '\n',
    });
    await run('ip', ['-n', ns, '-batch', '-'], {
      input: ['link set dev lo up', `addr add ${ip}/${this.cidr.prefix} dev eth0`, 'link set dev eth0 up', `route add default via ${this.gateway} dev eth0`].join('\n') + '\n',
    });
    return { netnsPath, ip };
  }

  /** The pod's address if it has one. */
  lookup(uid: string): string | undefined {
    return this.ipam.lookup(uid);
  }

  private async isIntact(uid: string, ip: string): Promise<boolean> {
    if (!existsSync(this.netnsPath(uid))) return false;
    const addr = await run('ip', ['-n', this.netnsName(uid), '-o', '-4', 'addr', 'show', 'dev', 'eth0'], { allowFail: true });
    const route = await run('ip', ['-n', this.netnsName(uid), 'route', 'show', 'default'], { allowFail: true });
    const master = await run('ip', ['-o', 'link', 'show', 'dev', this.hostVeth(uid)], { allowFail: true });
    return addr.stdout.includes(`inet ${ip}/`) && route.stdout.includes(this.gateway) && master.stdout.includes(`master ${this.bridge}`);
  }

  private async removeLinks(uid: string): Promise<void> {
    // Checked first: teardown runs several times per pod and each `ip` costs a process. Read from
    // /proc/self/net/dev, which shows this process's network namespace (/sys/class/net shows the one
    // sysfs was mounted in, which differs when the agent runs under `nsenter --net`).
    if (hasLink(this.hostVeth(uid))) await tryRun('ip', ['link', 'del', 'dev', this.hostVeth(uid)]);
    if (existsSync(this.netnsPath(uid))) await tryRun('ip', ['netns', 'del', this.netnsName(uid)]);
  }

  /** Removes the pod's netns and veth, its hostPort rules and releases its address (idempotent). */
  async teardown(uid: string): Promise<void> {
    await this.hostPorts.teardown(uid);
    await this.removeLinks(uid);
    this.ipam.release(uid);
  }

  async setupHostPorts(uid: string, ip: string, mappings: readonly PortMapping[]): Promise<void> {
    await this.hostPorts.setup(uid, ip, mappings);
  }

  /** Removes everything this network made: pods' netns/veths, hostPort chains, bridge, routes, IPAM state. */
  async destroy(): Promise<void> {
    const prefix = `${this.opts.netnsPrefix}-`;
    const names = existsSync(NETNS_DIR) ? readdirSync(NETNS_DIR).filter((n) => n.startsWith(prefix)) : [];
    for (const n of names) await this.teardown(n.slice(prefix.length));
    await this.hostPorts.destroy();
    await tryRun('ip', ['link', 'del', 'dev', this.bridge]);
    this.bridgeReady = false;
    if (this.opts.clusterCIDR) await tryRun('ip', ['route', 'del', 'unreachable', this.opts.clusterCIDR]);
    rmSync(join(this.opts.stateDir, 'ipam'), { recursive: true, force: true });
  }
}
