// Applies rendered nftables rulesets (render-nft.ts) to the kernel and removes them again. Every
// sync is ONE `nft -f -` transaction, so packets see either the old table or the new one:
//  - the first sync, and the one after any failure (the kernel may not hold what we believe), starts
//    from nothing: `table ip T {}` (creates it if missing) + `delete table ip T` + the whole table;
//  - later ones rewrite in place: `flush table` (every chain's rules) + `flush map` of the four maps
//    (flush table keeps set and map elements) + `delete` of the chains and affinity sets the new
//    ruleset lacks (nothing refers to them once rules and maps are flushed) + the whole table again,
//    whose definitions re-declare what exists and add what is new. Affinity sets are never flushed:
//    their elements are the clients' stickiness, which must survive a sync.
// A ruleset identical to the last one written is not applied again, except every fullSyncPeriodMs.
// The periodic check verifies the table still exists (someone may have run `nft flush ruleset`); if
// not, the next sync starts from nothing. The service CIDR route is service-route.ts, as for iptables.
import type { Exec } from '../exec.js';
import type { ProxyState } from '../service-port.js';
import { ServiceRoute, type ServiceRouteMode } from '../service-route.js';
import type { SyncStats } from '../rule-syncer.js';
import { checkTableName, DEFAULT_NFT_TABLE, NFT_MAPS, renderNft, type NftRuleOptions } from './render-nft.js';

export interface NftSyncerOptions extends NftRuleOptions {
  exec: Exec;
  serviceRoute?: ServiceRouteMode;
  /** The whole table is rewritten at least this often even when unchanged (default 1 h). */
  fullSyncPeriodMs?: number;
  now?(): number;
  log?(msg: string): void;
}

export class NftSyncer {
  readonly table: string;
  private readonly route: ServiceRoute;
  /** The text last applied; undefined = the next sync starts from nothing. */
  private written: string | undefined;
  private chains = new Set<string>();
  private sets = new Set<string>();
  private lastWrite = -Infinity;
  lastSync: SyncStats | undefined;

  constructor(private readonly opts: NftSyncerOptions) {
    this.table = checkTableName(opts.table ?? DEFAULT_NFT_TABLE);
    this.route = new ServiceRoute(opts.exec, opts.serviceCIDR, opts.serviceRoute, `${this.table}-svc`);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Routes the service CIDR unreachable; an earlier run's table is replaced by the first sync. */
  async init(): Promise<void> {
    await this.route.init();
  }

  /** Applies the ruleset for `state` when it differs from the last one (or a rewrite is due); returns whether it wrote. */
  async sync(state: ProxyState, check = false): Promise<boolean> {
    if (check && this.written !== undefined) {
      const r = await this.opts.exec(['nft', 'list', 'chain', 'ip', this.table, 'nat-prerouting'], { allowFail: true });
      if (r.exitCode !== 0) {
        this.opts.log?.(`proxy: nftables table ${this.table} vanished; rewriting it`);
        this.written = undefined;
      }
    }
    const set = renderNft(state, this.opts);
    const fresh = this.written === undefined;
    const due = this.now() - this.lastWrite >= (this.opts.fullSyncPeriodMs ?? 3_600_000);
    if (!fresh && !due && set.text === this.written) return false;
    const t = `ip ${this.table}`;
    const head: string[] = [];
    const staleChains = fresh ? [] : [...this.chains].filter((c) => !set.chains.has(c));
    const staleSets = fresh ? [] : [...this.sets].filter((s) => !set.sets.has(s));
    if (fresh) head.push(`table ${t} { }`, `delete table ${t}`);
    else {
      head.push(`flush table ${t}`, ...NFT_MAPS.map((m) => `flush map ${t} ${m}`));
      head.push(...staleChains.map((c) => `delete chain ${t} ${c}`), ...staleSets.map((s) => `delete set ${t} ${s}`));
    }
    const started = this.now();
    // nft applies all or nothing, but a failure may mean someone else changed the table (a chain we
    // delete is gone…): until a sync succeeds, the next one starts from nothing.
    this.written = undefined;
    await this.opts.exec(['nft', '-f', '-'], { stdin: `${head.join('\n')}\n${set.text}` });
    this.written = set.text;
    this.chains = new Set(set.chains);
    this.sets = new Set(set.sets);
    this.lastWrite = started;
    this.lastSync = { full: fresh, chainsWritten: set.chains.size, chainsDeleted: staleChains.length };
    await this.route.afterSync();
    return true;
  }

  /** Deletes the table, the service-CIDR route and the sink device; tolerates their absence. */
  async cleanup(): Promise<void> {
    // `table {}` first so the delete succeeds whether or not the table exists, in one transaction.
    await this.opts.exec(['nft', '-f', '-'], { stdin: `table ip ${this.table} { }\ndelete table ip ${this.table}\n`, allowFail: true });
    this.written = undefined;
    this.chains.clear();
    this.sets.clear();
    this.lastSync = undefined;
    await this.route.cleanup();
  }
}
