// Service proxy sync time: how long one full iptables sync (render the ruleset + one
// iptables-restore --noflush transaction + jump checks) takes for 100, 1,000 and 5,000 ClusterIP
// Services with 2 ready endpoints each, and then a one-endpoint change at that size (the common case,
// a partial sync as upstream's: only the changed service's chains and the top-level chains are
// written). The same for the nftables backend (mode 'nftables': one `nft -f` transaction that
// recreates the table, then one that flushes and rewrites all of it — it has no partial sync).
// Runs in a throwaway network namespace (needs root); nothing touches the host's tables.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { hostExec, NftSyncer, renderNft, RuleSyncer, type ProxyState } from '../src/proxy/index.js';

type Log = (msg: string) => void;

export interface ProxySyncResult {
  /** The backend measured. */
  mode: 'iptables' | 'nftables';
  services: number;
  /** First full sync from an empty table, ms. */
  syncMs: number;
  /** A following sync after one endpoint changed, ms. */
  changeSyncMs: number;
  /** Chains that partial sync wrote (the top-level ones included). */
  changeChains: number;
  /** iptables: `-A` lines in the nat table; nftables: rules plus map elements of the table. */
  ruleLines: number;
}

/** N services 10.43.x.y:80 → 2 endpoints 10.42.x.y:8080 each (addresses only inside the netns). */
function state(n: number, variant = 0): ProxyState {
  const services: Service[] = [];
  const endpointSlices: EndpointSlice[] = [];
  for (let i = 0; i < n; i++) {
    const name = `svc-${i}`;
    services.push({ metadata: { namespace: 'bench', name }, spec: { clusterIP: `10.43.${(i >> 8) + 1}.${i & 255}`, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } });
    // Endpoint k of service i is 10.42.(2i+k >> 8).(2i+k & 255); a variant moves service 0's second one.
    const ips = [0, 1].map((k) => (i === 0 && k === 1 && variant ? `10.42.250.${variant}` : `10.42.${(2 * i + k) >> 8}.${(2 * i + k) & 255}`));
    endpointSlices.push({
      metadata: { namespace: 'bench', name: `${name}-x`, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    });
  }
  return { services, endpointSlices };
}

export async function proxySyncBench(log: Log): Promise<ProxySyncResult[]> {
  const ns = `skt-bench-${randomBytes(3).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', ns]);
  const results: ProxySyncResult[] = [];
  try {
    execFileSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    for (const [mode, n] of (['iptables', 'nftables'] as const).flatMap((m) => [100, 1_000, 5_000].map((k) => [m, k] as const))) {
      const common = {
        nodeName: 'bench-node',
        nodeIPs: [],
        serviceCIDR: '10.43.0.0/16',
        clusterCIDR: '10.42.0.0/16',
        serviceRoute: 'unreachable' as const,
        exec: hostExec(['ip', 'netns', 'exec', ns], 300_000),
      };
      const syncer = mode === 'iptables' ? new RuleSyncer(common) : new NftSyncer(common);
      await syncer.init();
      try {
        const s0 = state(n);
        let t0 = performance.now();
        await syncer.sync(s0);
        const syncMs = performance.now() - t0;
        t0 = performance.now();
        await syncer.sync(state(n, 1));
        const changeSyncMs = performance.now() - t0;
        const changeChains = syncer.lastSync?.chainsWritten ?? 0;
        let ruleLines: number;
        if (mode === 'iptables') {
          const saved = execFileSync('ip', ['netns', 'exec', ns, 'iptables-save', '-t', 'nat'], { maxBuffer: 1 << 28 }).toString();
          ruleLines = saved.split('\n').filter((l) => l.startsWith('-A ')).length;
        } else {
          // Rendered lines two tabs deep (rules, map types) or three (map elements), minus the type lines.
          const lines = renderNft(state(n, 1), common).text.split('\n');
          ruleLines = lines.filter((l) => /^\t\t\t?[^\t]/.test(l) && !/^\t\t(type|elements|\})/.test(l)).length;
        }
        results.push({ mode, services: n, syncMs, changeSyncMs, changeChains, ruleLines });
        log(`proxy sync (${mode}): ${n} services (${ruleLines} rules): full ${syncMs.toFixed(0)} ms, after one change ${changeSyncMs.toFixed(0)} ms (${changeChains} chains written)`);
      } finally {
        await syncer.cleanup();
      }
    }
  } finally {
    execFileSync('ip', ['netns', 'del', ns]);
  }
  return results;
}
