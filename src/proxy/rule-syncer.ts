// Applies rendered rulesets to the kernel and removes them again. One sync = one `iptables-restore
// --noflush` transaction. Like upstream's partial sync (pkg/proxy/iptables/proxier.go), it holds only
// the top-level chains (KUBE-SERVICES, KUBE-NODEPORTS…, always rewritten) and the per-service chains
// whose rules differ from what the last successful sync wrote, plus the flush and deletion (`-X`) of
// chains that sync wrote and this ruleset lacks (a deleted Service or endpoint). Declaring a chain
// flushes it, so the proxy never reads rules back; chains left out keep their rules under --noflush.
// With 5,000 services one endpoint change then writes ~10 small chains plus the top level instead of
// ~35,000 chains. A full sync (every chain) is forced at start, after a failed restore (the kernel may
// no longer hold what we believe) and every fullSyncPeriodMs (an hour, as upstream), which also
// repairs chains someone else edited. Jumps from the built-in chains are checked with `iptables -C`
// and inserted only when missing, so a restart or a second writer never duplicates them.
//
// The service CIDR is routed before the first rule exists so no packet to a Service IP can follow the
// default route out of the machine. Two modes:
//  - 'unreachable': `ip route replace unreachable <cidr>` for the proxy's lifetime. Forwarded (pod)
//    traffic works, because DNAT happens in PREROUTING before routing; but the node's own processes
//    cannot reach cluster IPs (connect() fails on the route before nat OUTPUT runs), and a cluster IP
//    without endpoints fails with "No route to host" rather than "Connection refused".
//  - 'sink' (default): the unreachable route until the first sync has installed the final REJECT for
//    the whole CIDR, then the CIDR is routed into an empty bridge `<prefix>-svc` (this kernel has no
//    dummy interfaces). Now locally generated packets get a route, are DNATed in nat OUTPUT, and what no
//    rule claims is REJECTed with icmp-port-unreachable (connection refused) or, failing that, dies in
//    the port-less bridge. This is what kube-proxy's IPVS mode does with its kube-ipvs0 dummy device.
// (The route itself is service-route.ts, shared with the nftables backend.)
import { chainNames, type ChainNames } from './chain-names.js';
import type { Exec } from './exec.js';
import { buildChains, deleteChainsText, jumpRules, renderTable, TABLES, type RuleOptions, type TableName } from './rules.js';
import type { ProxyState } from './service-port.js';
import { ServiceRoute, type ServiceRouteMode } from './service-route.js';

export type { ServiceRouteMode } from './service-route.js';

export interface RuleSyncerOptions extends RuleOptions {
  exec: Exec;
  serviceRoute?: ServiceRouteMode;
  /** Every chain is rewritten at least this often (default 1 h, upstream's FullSyncPeriod). */
  fullSyncPeriodMs?: number;
  /** Clock for the full-sync period, ms; default Date.now (tests pass a fake). */
  now?(): number;
  log?(msg: string): void;
}

/** What the last writing sync did. */
export interface SyncStats {
  full: boolean;
  /** Chains declared and filled (top-level ones included). */
  chainsWritten: number;
  /** Chains flushed and deleted. */
  chainsDeleted: number;
}

const WAIT = ['-w', '5'];

export class RuleSyncer {
  readonly names: ChainNames;
  /**
   * "table/chain" → its rules ('\n'-joined) as the last successful restore left them, for every chain
   * of ours in the kernel; undefined forces the next sync to be full (start, after a failure).
   */
  private written: Map<string, string> | undefined;
  /** "table/chain" of every chain of ours believed to exist in the kernel. */
  private existing = new Set<string>();
  /** A restore failed: the kernel's chains are re-listed before the next (full) sync. */
  private relist = false;
  private lastFullSync = -Infinity;
  private readonly route: ServiceRoute;
  private jumpsChecked = false;
  /** What the last writing sync did (tests, logs, benchmarks). */
  lastSync: SyncStats | undefined;

  constructor(private readonly opts: RuleSyncerOptions) {
    this.names = chainNames(opts.chainPrefix);
    this.route = new ServiceRoute(opts.exec, opts.serviceCIDR, opts.serviceRoute, `${this.names.prefix.toLowerCase()}-svc`);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Routes the service CIDR unreachable and learns chains left by an earlier run (removed by the first sync). */
  async init(): Promise<void> {
    await this.route.init();
    this.existing = await this.listOwnChains();
  }

  /**
   * Writes what changed in the ruleset for `state` since the last successful sync (everything when a
   * full sync is due); returns whether it wrote. `checkJumps` re-verifies the built-in jumps even when
   * nothing changed (periodic self-repair).
   */
  async sync(state: ProxyState, checkJumps = false): Promise<boolean> {
    const set = buildChains(state, this.opts);
    const full = !this.written || this.now() - this.lastFullSync >= (this.opts.fullSyncPeriodMs ?? 3_600_000);
    if (this.relist) {
      for (const c of await this.listOwnChains()) this.existing.add(c);
      this.relist = false;
    }
    const next = new Map<string, string>();
    const write = { nat: new Map<string, readonly string[]>(), filter: new Map<string, readonly string[]>() };
    let changed = false;
    for (const table of TABLES) {
      for (const [chain, lines] of set[table]) {
        const key = `${table}/${chain}`;
        const text = lines.join('\n');
        next.set(key, text);
        const differs = this.written?.get(key) !== text;
        if (differs) changed = true;
        if (full || differs || set.topLevel.has(key)) write[table].set(chain, lines);
      }
    }
    const stale = [...this.existing].filter((c) => !next.has(c));
    if (!full && !changed && stale.length === 0) {
      if (checkJumps) await this.ensureJumps();
      return false;
    }
    const remove = { nat: [] as string[], filter: [] as string[] };
    for (const c of stale) {
      const [table, chain] = c.split('/') as [TableName, string];
      remove[table].push(chain);
    }
    const input = TABLES.map((t) => renderTable(t, write[t], remove[t])).join('');
    const started = this.now();
    this.written = undefined;
    try {
      await this.opts.exec(['iptables-restore', ...WAIT, '--noflush'], { stdin: input });
    } catch (e) {
      // The kernel may hold part of it (or someone removed a chain we jumped to): start over in full.
      this.relist = true;
      throw e;
    }
    this.existing = new Set(next.keys());
    this.written = next;
    if (full) this.lastFullSync = started;
    this.lastSync = { full, chainsWritten: write.nat.size + write.filter.size, chainsDeleted: stale.length };
    // Jumps are checked after the first write and periodically, not on every sync: eight `iptables -C`
    // processes would cost more than a small restore.
    if (!this.jumpsChecked || checkJumps) await this.ensureJumps();
    this.jumpsChecked = true;
    await this.route.afterSync();
    return true;
  }

  /** Inserts each jump from a built-in chain unless an identical rule is there already. */
  async ensureJumps(): Promise<void> {
    for (const j of jumpRules(this.names)) {
      const probe = await this.opts.exec(['iptables', ...WAIT, '-t', j.table, '-C', j.chain, ...j.args], { allowFail: true });
      if (probe.exitCode !== 0) await this.opts.exec(['iptables', ...WAIT, '-t', j.table, '-I', j.chain, '1', ...j.args]);
    }
  }

  /** Removes every jump, chain, the service-CIDR route and the sink device; tolerates their absence. */
  async cleanup(): Promise<void> {
    const { exec } = this.opts;
    for (const j of jumpRules(this.names)) {
      // Delete every copy (another instance with the same prefix may have inserted one too).
      for (let i = 0; i < 10; i++) {
        const r = await exec(['iptables', ...WAIT, '-t', j.table, '-D', j.chain, ...j.args], { allowFail: true });
        if (r.exitCode !== 0) break;
      }
    }
    const chains = new Set([...this.existing, ...(await this.listOwnChains())]);
    if (chains.size) await exec(['iptables-restore', ...WAIT, '--noflush'], { stdin: deleteChainsText(chains) });
    this.existing.clear();
    this.written = undefined;
    this.lastSync = undefined;
    await this.route.cleanup();
    this.jumpsChecked = false;
  }

  /** Chains in nat and filter whose names this prefix produces (upstream's own names excluded). */
  async listOwnChains(): Promise<Set<string>> {
    const p = this.names.prefix;
    const own = new RegExp(`^:(${p}-(?:SERVICES|EXTERNAL-SERVICES|NODEPORTS|POSTROUTING|MARK-MASQ|FORWARD|(?:SVC|SVL|EXT|SEP)-[A-Z2-7]+)) `);
    const out = new Set<string>();
    for (const table of ['nat', 'filter']) {
      const r = await this.opts.exec(['iptables-save', '-t', table], { allowFail: true });
      for (const line of r.stdout.split('\n')) {
        const m = own.exec(line);
        if (m) out.add(`${table}/${m[1]}`);
      }
    }
    return out;
  }
}
