// Applies rendered rulesets to the kernel and removes them again. One sync = one `iptables-restore
// --noflush` transaction holding every chain of ours (declaring a chain flushes it, so the proxy never
// reads rules back), plus the deletion of chains the previous ruleset had and this one lacks (a deleted
// Service). Jumps from the built-in chains are checked with `iptables -C` and inserted only when
// missing, so a restart or a second writer never duplicates them.
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
import { chainNames, type ChainNames } from './chain-names.js';
import type { Exec } from './exec.js';
import { buildRules, declaredChains, deleteChainsText, jumpRules, type RuleOptions } from './rules.js';
import type { ProxyState } from './service-port.js';

export type ServiceRouteMode = 'sink' | 'unreachable';

export interface RuleSyncerOptions extends RuleOptions {
  exec: Exec;
  serviceRoute?: ServiceRouteMode;
  log?(msg: string): void;
}

const WAIT = ['-w', '5'];

export class RuleSyncer {
  readonly names: ChainNames;
  /** The text of the last successful restore; undefined forces the next sync to write. */
  private lastText: string | undefined;
  /** "table/chain" of every chain of ours believed to exist in the kernel. */
  private existing = new Set<string>();
  private sinkUp = false;
  private jumpsChecked = false;

  constructor(private readonly opts: RuleSyncerOptions) {
    this.names = chainNames(opts.chainPrefix);
  }

  private get sinkDevice(): string {
    return `${this.names.prefix.toLowerCase()}-svc`;
  }

  /** Routes the service CIDR unreachable and learns chains left by an earlier run (removed by the first sync). */
  async init(): Promise<void> {
    await this.opts.exec(['ip', 'route', 'replace', 'unreachable', this.opts.serviceCIDR]);
    this.existing = await this.listOwnChains();
  }

  /**
   * Writes the ruleset for `state` unless it equals the last one written; returns whether it wrote.
   * `checkJumps` re-verifies the built-in jumps even when nothing changed (periodic self-repair).
   */
  async sync(state: ProxyState, checkJumps = false): Promise<boolean> {
    const text = buildRules(state, this.opts);
    if (text === this.lastText) {
      if (checkJumps) await this.ensureJumps();
      return false;
    }
    const declared = declaredChains(text);
    const stale = [...this.existing].filter((c) => !declared.has(c));
    this.lastText = undefined;
    await this.opts.exec(['iptables-restore', ...WAIT, '--noflush'], { stdin: text + deleteChainsText(stale) });
    this.existing = declared;
    // Jumps are checked after the first write and periodically, not on every sync: eight `iptables -C`
    // processes would cost more than a small restore.
    if (!this.jumpsChecked || checkJumps) await this.ensureJumps();
    this.jumpsChecked = true;
    this.lastText = text;
    if (this.opts.serviceRoute !== 'unreachable' && !this.sinkUp) await this.routeIntoSink();
    return true;
  }

  /** Inserts each jump from a built-in chain unless an identical rule is there already. */
  async ensureJumps(): Promise<void> {
    for (const j of jumpRules(this.names)) {
      const probe = await this.opts.exec(['iptables', ...WAIT, '-t', j.table, '-C', j.chain, ...j.args], { allowFail: true });
      if (probe.exitCode !== 0) await this.opts.exec(['iptables', ...WAIT, '-t', j.table, '-I', j.chain, '1', ...j.args]);
    }
  }

  private async routeIntoSink(): Promise<void> {
    const dev = this.sinkDevice;
    await this.opts.exec(['ip', 'link', 'add', dev, 'type', 'bridge'], { allowFail: true }); // may exist from an earlier run
    await this.opts.exec(['ip', 'link', 'set', dev, 'up']);
    await this.opts.exec(['ip', 'route', 'replace', this.opts.serviceCIDR, 'dev', dev]);
    this.sinkUp = true;
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
    this.lastText = undefined;
    await exec(['ip', 'route', 'del', 'unreachable', this.opts.serviceCIDR], { allowFail: true });
    await exec(['ip', 'route', 'del', this.opts.serviceCIDR, 'dev', this.sinkDevice], { allowFail: true });
    await exec(['ip', 'link', 'del', this.sinkDevice], { allowFail: true });
    this.sinkUp = false;
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
