// hostPort support: DNAT rules in the nat table sending traffic addressed to the node on a pod's
// hostPort to podIP:containerPort. Each kubelet owns one top chain, SKIFF-HOSTPORTS-<hash of its
// bridge>, jumped to from PREROUTING (traffic from outside) and OUTPUT (the node itself), both only
// for destinations that are local addresses; each pod gets its own chain SKIFF-HP-<hash> so its rules
// are removed atomically on stop. hostNetwork pods need no rules (their sockets bind the host ports).
// 127.0.0.1:<hostPort> works as with CNI portmap's SNAT: OUTPUT's DNAT sends it to the pod with a
// loopback source, which the kernel routes out of the bridge only with route_localnet set on it,
// and a MASQUERADE of loopback sources leaving through the bridge lets the pod answer.
// Every iptables call takes the xtables lock, and with many pods starting at once they queue behind
// each other for seconds; so a marker file per pod with rules (in stateDir, surviving restarts) lets
// the teardown of the great majority of pods — those without hostPorts — skip iptables entirely.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PortMapping } from '../runtime/types.js';
import { run, tryRun } from './command.js';

const IPT = 'iptables';

function hash(s: string, n: number): string {
  return createHash('sha256').update(s).digest('hex').slice(0, n).toUpperCase();
}

export class HostPorts {
  /** The kubelet's top chain (≤ 28 characters as iptables requires: 16 + 8 here). */
  readonly topChain: string;

  /**
   * @param owner the node's pod bridge (pods' traffic leaves the host through it)
   * @param stateDir where the per-pod markers live; without one, every teardown asks iptables.
   */
  constructor(private readonly owner: string, private readonly stateDir?: string) {
    this.topChain = `SKIFF-HOSTPORTS-${hash(owner, 8)}`;
    if (stateDir) mkdirSync(stateDir, { recursive: true });
  }

  private marker(uid: string): string | undefined {
    return this.stateDir && join(this.stateDir, uid);
  }

  podChain(uid: string): string {
    return `SKIFF-HP-${hash(`${this.owner}/${uid}`, 12)}`;
  }

  /** Source NAT for loopback-sourced packets DNATed into the bridge (only our hostPort rules make them). */
  private get localhostMasquerade(): string[] {
    return ['-s', '127.0.0.0/8', '-o', this.owner, '-m', 'comment', '--comment', 'skiff hostPort via localhost', '-j', 'MASQUERADE'];
  }

  private async ensureTop(): Promise<void> {
    await tryRun(IPT, ['-w', '-t', 'nat', '-N', this.topChain]);
    for (const parent of ['PREROUTING', 'OUTPUT']) {
      const rule = ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', this.topChain];
      if (!(await tryRun(IPT, ['-w', '-t', 'nat', '-C', parent, ...rule]))) await run(IPT, ['-w', '-t', 'nat', '-A', parent, ...rule]);
    }
    if (!(await tryRun(IPT, ['-w', '-t', 'nat', '-C', 'POSTROUTING', ...this.localhostMasquerade]))) {
      await run(IPT, ['-w', '-t', 'nat', '-A', 'POSTROUTING', ...this.localhostMasquerade]);
    }
    // Only the bridge's own setting: the host's other interfaces keep refusing loopback sources.
    writeFileSync(`/proc/sys/net/ipv4/conf/${this.owner}/route_localnet`, '1');
  }

  /** Installs (or replaces) the DNAT rules of one pod. */
  async setup(uid: string, podIP: string, mappings: readonly PortMapping[]): Promise<void> {
    const ports = mappings.filter((m) => m.hostPort > 0);
    if (ports.length === 0) return;
    const marker = this.marker(uid);
    // Written first: a crash between here and the rules leaves a marker, never unmarked rules.
    if (marker) writeFileSync(marker, '');
    await this.ensureTop();
    const chain = this.podChain(uid);
    if (!(await tryRun(IPT, ['-w', '-t', 'nat', '-N', chain]))) await run(IPT, ['-w', '-t', 'nat', '-F', chain]);
    for (const m of ports) {
      const proto = m.protocol.toLowerCase();
      const dest = m.hostIP && m.hostIP !== '0.0.0.0' ? ['-d', `${m.hostIP}/32`] : [];
      await run(IPT, ['-w', '-t', 'nat', '-A', chain, '-p', proto, ...dest, '--dport', String(m.hostPort),
        '-j', 'DNAT', '--to-destination', `${podIP}:${m.containerPort}`]);
    }
    const jump = ['-m', 'comment', '--comment', `pod ${uid}`, '-j', chain];
    if (!(await tryRun(IPT, ['-w', '-t', 'nat', '-C', this.topChain, ...jump]))) await run(IPT, ['-w', '-t', 'nat', '-A', this.topChain, ...jump]);
  }

  /** Removes one pod's rules (idempotent). */
  async teardown(uid: string): Promise<void> {
    const marker = this.marker(uid);
    if (marker && !existsSync(marker)) return;
    const chain = this.podChain(uid);
    const jump = ['-m', 'comment', '--comment', `pod ${uid}`, '-j', chain];
    while (await tryRun(IPT, ['-w', '-t', 'nat', '-D', this.topChain, ...jump]));
    await tryRun(IPT, ['-w', '-t', 'nat', '-F', chain]);
    await tryRun(IPT, ['-w', '-t', 'nat', '-X', chain]);
    if (marker) rmSync(marker, { force: true });
  }

  /** Whether a pod currently has rules (for tests). */
  async has(uid: string): Promise<boolean> {
    return tryRun(IPT, ['-w', '-t', 'nat', '-S', this.podChain(uid)]);
  }

  /** Removes the top chain, every pod chain it jumps to and the jumps into it. */
  async destroy(): Promise<void> {
    const listed = await run(IPT, ['-w', '-t', 'nat', '-S', this.topChain], { allowFail: true });
    const podChains = new Set<string>();
    for (const m of listed.stdout.matchAll(/-j (SKIFF-HP-[0-9A-F]+)/g)) podChains.add(m[1]!);
    for (const parent of ['PREROUTING', 'OUTPUT']) {
      while (await tryRun(IPT, ['-w', '-t', 'nat', '-D', parent, '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', this.topChain]));
    }
    while (await tryRun(IPT, ['-w', '-t', 'nat', '-D', 'POSTROUTING', ...this.localhostMasquerade]));
    await tryRun(IPT, ['-w', '-t', 'nat', '-F', this.topChain]);
    await tryRun(IPT, ['-w', '-t', 'nat', '-X', this.topChain]);
    for (const c of podChains) {
      await tryRun(IPT, ['-w', '-t', 'nat', '-F', c]);
      await tryRun(IPT, ['-w', '-t', 'nat', '-X', c]);
    }
    if (this.stateDir) rmSync(this.stateDir, { recursive: true, force: true });
  }
}
