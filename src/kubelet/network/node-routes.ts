// Routes between nodes so every pod reaches every pod without NAT (flannel's host-gw and vxlan
// backends). Watches Nodes through the shared informer and keeps, for every OTHER node with a
// podCIDR and an InternalIP:
// - host-gw (all nodes on one L2 segment): `ip route replace <podCIDR> via <nodeIP> proto 118`;
// - vxlan (nodes only need UDP between them): a device `skiffvx<id>` (VNI id, fixed dstport,
//   nolearning, MAC derived from this node's IP, address <own podCIDR network>/32) plus a permanent
//   neighbour, a forwarding entry and an onlink route per peer — see route-plan.ts for the scheme.
// Level-triggered: every reconcile reads what the kernel holds (routes tagged proto 118, or what is
// on the vxlan device) and applies only the difference to what the informer cache wants, so a
// restart cleans up after a node deleted while we were down. Node events trigger a reconcile
// (coalesced), and a periodic one repairs anything changed behind our back. stop() removes every
// route, entry and device this component owns.
import type { Node } from 'kubernetes-types/core/v1.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InformerFactory } from '../../client/informer-factory.js';
import type { SharedInformer } from '../../client/informer.js';
import { run, type RunResult } from './command.js';
import { desiredPeers, planHostGw, planVxlan, podCIDROf, ROUTE_PROTO, vtepAddress, vtepMac, type KernelFdb, type KernelNeigh, type KernelRoute, type Peer } from './route-plan.js';

export interface NodeRoutesOptions {
  nodeName: string;
  /** This node's address that peers route to (its InternalIP; the VXLAN tunnel's local end). */
  nodeIP: string;
  mode: 'host-gw' | 'vxlan';
  /** Default `skiffvx<vxlanId>`. */
  vxlanDevice?: string;
  /** VNI, default 1. */
  vxlanId?: number;
  /** UDP port of the tunnel on every node, default 8472 (flannel's and the kernel's VXLAN port). */
  vxlanPort?: number;
  /** Default 1450: a 1500-byte underlay minus the 50 bytes of VXLAN encapsulation. */
  vxlanMTU?: number;
  /** Put before every command, e.g. ['ip','netns','exec','host1'] to program another netns. */
  commandPrefix?: string[];
  /** Full reconcile period (repairs external changes), default 30 s; 0 disables. */
  resyncMs?: number;
  log?: (msg: string) => void;
}

export class NodeRoutes {
  readonly device: string;
  private readonly nodes: SharedInformer<Node>;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  /** The reconcile in progress; a trigger meanwhile sets `dirty` so exactly one more follows it. */
  private inFlight: Promise<void> | undefined;
  private dirty = false;
  private retryTimer: NodeJS.Timeout | undefined;
  /** The current back-off after a failed reconcile (0 after a success). */
  private retryMs = 0;

  constructor(informers: InformerFactory, private readonly opts: NodeRoutesOptions) {
    this.device = opts.vxlanDevice ?? `skiffvx${opts.vxlanId ?? 1}`;
    if (this.device.length > 15) throw new TypeError(`vxlan device name ${this.device} is longer than 15 characters`);
    this.nodes = informers.for<Node>({ group: '', version: 'v1', resource: 'nodes' });
    // Handlers only trigger; reconcile reads the whole cache (any node change can change the plan).
    const trigger = () => {
      if (this.running) void this.reconcile().catch(() => {});
    };
    this.nodes.addEventHandler({ onAdd: trigger, onUpdate: (o, n) => o !== n && trigger(), onDelete: trigger });
  }

  /**
   * Waits for the nodes informer to sync (the caller starts the InformerFactory: before calling
   * this, or without awaiting it), then reconciles once. Never rejects: a failed reconcile (say, a
   * peer whose address is not on this segment in host-gw mode) is logged, the other peers are still
   * routed, and it is retried with back-off (1 s doubling to 30 s) besides the periodic resync.
   */
  async start(): Promise<void> {
    this.running = true;
    await this.nodes.waitForSync();
    if (!this.running) return;
    const period = this.opts.resyncMs ?? 30_000;
    if (period > 0) {
      this.timer = setInterval(() => void this.reconcile().catch(() => {}), period);
      this.timer.unref?.();
    }
    await this.reconcile().catch(() => {});
  }

  /** Stops reconciling and removes every route, neighbour, fdb entry and device we own. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.timer = this.retryTimer = undefined;
    await this.inFlight?.catch(() => {});
    if (this.opts.mode === 'vxlan') {
      await this.exec('ip', ['link', 'del', this.device], true); // its routes, neighbours and fdb go with it
    } else {
      const del = (await this.ourRoutes()).map((r) => ['route', 'del', r.dst, ...(r.gateway ? ['via', r.gateway] : []), 'proto', ROUTE_PROTO]);
      await this.batch('ip', del, true);
    }
  }

  /** The peers the informer cache currently asks for. */
  peers(): Peer[] {
    return desiredPeers(this.nodes.store.list(), { nodeName: this.opts.nodeName, nodeIP: this.opts.nodeIP, podCIDR: this.ownPodCIDR() });
  }

  /** Brings the kernel in line with the cache; concurrent calls coalesce into at most one more run. */
  reconcile(): Promise<void> {
    if (this.inFlight) {
      this.dirty = true;
      return this.inFlight;
    }
    // finally() runs asynchronously, so inFlight is cleared only after it was set.
    const p = this.loop().finally(() => (this.inFlight = undefined));
    this.inFlight = p;
    return p;
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.dirty = false;
        if (!this.running) return;
        await this.reconcileOnce();
      } while (this.dirty);
      this.retryMs = 0;
    } catch (e) {
      this.opts.log?.(`node-routes: reconcile failed: ${e instanceof Error ? e.message : String(e)}`);
      this.scheduleRetry();
      throw e;
    }
  }

  private scheduleRetry(): void {
    if (!this.running || this.retryTimer) return;
    this.retryMs = Math.min(Math.max(this.retryMs * 2, 1000), 30_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.reconcile().catch(() => {});
    }, this.retryMs);
    this.retryTimer.unref?.();
  }

  private ownPodCIDR(): string | undefined {
    const self = this.nodes.store.get(this.opts.nodeName);
    return self ? podCIDROf(self) : undefined;
  }

  private async reconcileOnce(): Promise<void> {
    const peers = this.peers();
    if (this.opts.mode === 'host-gw') {
      const plan = planHostGw(await this.ourRoutes(), peers);
      await this.batch('ip', plan.del, true);
      await this.batch('ip', plan.add, false);
      this.logChanges(plan.del.length, plan.add.length, peers.length);
      return;
    }
    await this.ensureVxlanDevice();
    const [routes, neighs, fdb] = await Promise.all([this.ourRoutes(), this.neighbours(), this.fdbEntries()]);
    const { ip, bridge } = planVxlan(this.device, { routes, neighs, fdb }, peers);
    await this.batch('ip', ip.del, true);
    await this.batch('bridge', bridge.del, true);
    await this.batch('bridge', bridge.add, false);
    await this.batch('ip', ip.add, false);
    this.logChanges(ip.del.length + bridge.del.length, ip.add.length + bridge.add.length, peers.length);
  }

  private logChanges(removed: number, added: number, peers: number): void {
    if (removed || added) this.opts.log?.(`node-routes (${this.opts.mode}): ${added} added, ${removed} removed, ${peers} peer(s)`);
  }

  /** Creates the VXLAN device, or re-creates it when its VNI, port, local address or MAC differ. */
  private async ensureVxlanDevice(): Promise<void> {
    const dev = this.device;
    const mac = vtepMac(this.opts.nodeIP);
    const id = this.opts.vxlanId ?? 1;
    const port = this.opts.vxlanPort ?? 8472;
    const shown = await this.exec('ip', ['-d', '-j', 'link', 'show', 'dev', dev], true);
    let ok = false;
    if (shown.exitCode === 0) {
      const [link] = JSON.parse(shown.stdout) as Array<{ address?: string; linkinfo?: { info_kind?: string; info_data?: { id?: number; port?: number; local?: string } } }>;
      const d = link?.linkinfo?.info_data;
      ok = link?.linkinfo?.info_kind === 'vxlan' && link.address === mac && d?.id === id && d.port === port && d.local === this.opts.nodeIP;
      if (!ok) await this.exec('ip', ['link', 'del', dev], true);
    }
    if (!ok) {
      await this.exec('ip', ['link', 'add', dev, 'address', mac, 'type', 'vxlan', 'id', String(id), 'local', this.opts.nodeIP, 'dstport', String(port), 'nolearning']);
      this.opts.log?.(`node-routes: created ${dev} (vni ${id}, udp ${port}, ${mac})`);
    }
    await this.exec('ip', ['link', 'set', dev, 'mtu', String(this.opts.vxlanMTU ?? 1450), 'up']);
    const own = this.ownPodCIDR();
    if (own) {
      const addr = `${vtepAddress(own)}/32`;
      const addrs = JSON.parse((await this.exec('ip', ['-j', '-4', 'addr', 'show', 'dev', dev])).stdout) as Array<{ addr_info?: Array<{ local: string; prefixlen: number }> }>;
      const have = (addrs[0]?.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`);
      for (const a of have) if (a !== addr) await this.exec('ip', ['addr', 'del', a, 'dev', dev], true);
      if (!have.includes(addr)) await this.exec('ip', ['addr', 'replace', addr, 'dev', dev]);
    }
  }

  /** Routes we own: host-gw ones anywhere in the main table, vxlan ones on the device. */
  private async ourRoutes(): Promise<KernelRoute[]> {
    const args = ['-j', '-4', 'route', 'show', 'proto', ROUTE_PROTO, ...(this.opts.mode === 'vxlan' ? ['dev', this.device] : [])];
    const r = await this.exec('ip', args, true);
    if (r.exitCode !== 0) return []; // no device yet
    return (JSON.parse(r.stdout || '[]') as KernelRoute[]).map((x) => ({ dst: x.dst, gateway: x.gateway, dev: x.dev }));
  }

  private async neighbours(): Promise<KernelNeigh[]> {
    const r = await this.exec('ip', ['-j', '-4', 'neigh', 'show', 'dev', this.device]);
    return (JSON.parse(r.stdout || '[]') as KernelNeigh[]).map((n) => ({ dst: n.dst, lladdr: n.lladdr }));
  }

  private async fdbEntries(): Promise<KernelFdb[]> {
    const r = await this.exec('bridge', ['-j', 'fdb', 'show', 'dev', this.device]);
    return (JSON.parse(r.stdout || '[]') as KernelFdb[]).map((f) => ({ mac: f.mac, dst: f.dst }));
  }

  private exec(cmd: string, args: readonly string[], allowFail = false): Promise<RunResult> {
    const p = this.opts.commandPrefix ?? [];
    return p.length ? run(p[0]!, [...p.slice(1), cmd, ...args], { allowFail }) : run(cmd, args, { allowFail });
  }

  /**
   * Runs many `ip`/`bridge` commands as one process (`-batch`): a thousand peers are a thousand
   * lines, not a thousand forks. `-force` carries on past a failing line (one unreachable peer must
   * not keep the others from being routed); the failure is then thrown unless allowFail (deletions).
   */
  private async batch(tool: 'ip' | 'bridge', lines: readonly string[][], allowFail: boolean): Promise<void> {
    if (lines.length === 0) return;
    if (lines.length === 1) {
      await this.exec(tool, lines[0]!, allowFail);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'skiff-routes-'));
    try {
      const file = join(dir, 'batch');
      writeFileSync(file, lines.map((l) => l.join(' ')).join('\n') + '\n');
      await this.exec(tool, ['-force', '-batch', file], allowFail);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
