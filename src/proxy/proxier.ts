// The node's Service proxy loop (upstream cmd/kube-proxy + pkg/proxy/iptables Proxier.syncProxyRules,
// driven by async.BoundedFrequencyRunner): Service and EndpointSlice events only mark the state dirty;
// a sync renders the whole ruleset from the informer caches and writes the chains that differ from
// the last sync (rule-syncer.ts: partial syncs, a full one hourly and after any failure; with mode
// 'nftables', nft/nft-syncer.ts rewrites one table in a single transaction). Bursts are coalesced: at most one sync per minSyncIntervalMs, and never two at once.
// A failed sync is retried with back-off; a periodic check re-inserts jumps someone else removed.
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { hostExec, type Exec } from './exec.js';
import { NftSyncer } from './nft/nft-syncer.js';
import { RuleSyncer, type ServiceRouteMode, type SyncStats } from './rule-syncer.js';
import type { ProxyState } from './service-port.js';

export interface ProxyOptions {
  /** Rule backend: 'iptables' (default, iptables-restore) or 'nftables' (one `nft -f` table, nft/). */
  mode?: 'iptables' | 'nftables';
  /** nftables mode: the `ip` table's name (default 'kube-proxy'; 1–11 of a-z0-9-). */
  nftTable?: string;
  nodeName: string;
  /** Addresses NodePorts are served on; [] = every local address of the node. */
  nodeIPs: string[];
  /** Default '10.43.0.0/16'. */
  serviceCIDR?: string;
  /** Pod CIDR of the whole cluster (default '10.42.0.0/16'): its sources are not masqueraded to cluster IPs. */
  clusterCIDR?: string;
  /** Put before every command, e.g. ['ip','netns','exec','skt-1']; default []. */
  commandPrefix?: string[];
  /** iptables mode: chain-name tag (1–10 of A-Z0-9), default 'KUBE': chains KUBE-SERVICES, KUBE-SVC-<hash>… */
  chainPrefix?: string;
  /** See rule-syncer.ts; default 'sink' (node-local clients can use cluster IPs). */
  serviceRoute?: ServiceRouteMode;
  /** Coalesce bursts of changes (default 100 ms). */
  minSyncIntervalMs?: number;
  /** How often jumps are re-checked when nothing changed (default 30 s). */
  checkPeriodMs?: number;
  /** Every chain is rewritten at least this often (default 1 h); checked every checkPeriodMs. */
  fullSyncPeriodMs?: number;
  /** Runs the tools; default: spawn with commandPrefix. Tests pass a fake. */
  exec?: Exec;
  log?(msg: string): void;
}

export interface ProxyMetrics {
  /** Syncs that wrote rules (no-op syncs are not counted). */
  syncs: number;
  /** Duration of the last writing sync, ms (render + iptables-restore + jump checks). */
  lastSyncMs: number;
  /** The last 100 writing-sync durations, ms. */
  syncDurationsMs: number[];
}

export interface RunningProxy {
  /** Removes every rule and chain of this proxy, the service-CIDR route and the sink device. */
  stop(): Promise<void>;
  readonly metrics: ProxyMetrics;
  /** Resolves after the informers synced and the first ruleset was written. */
  synced: Promise<void>;
  /** Resolves once no sync is pending or running (tests: "rules reflect what the caches hold"). */
  idle(): Promise<void>;
}

/** What the loop needs of a backend (RuleSyncer for iptables, NftSyncer for nftables). */
interface Syncer {
  init(): Promise<void>;
  sync(state: ProxyState, check: boolean): Promise<boolean>;
  cleanup(): Promise<void>;
  readonly lastSync: SyncStats | undefined;
}

/** Registers the informers it needs on `informers` (the caller starts the factory) and starts syncing. */
export async function startProxy(informers: InformerFactory, opts: ProxyOptions): Promise<RunningProxy> {
  const log = opts.log ?? (() => {});
  const common = {
    nodeName: opts.nodeName,
    nodeIPs: opts.nodeIPs,
    serviceCIDR: opts.serviceCIDR ?? '10.43.0.0/16',
    clusterCIDR: opts.clusterCIDR ?? '10.42.0.0/16',
    serviceRoute: opts.serviceRoute,
    fullSyncPeriodMs: opts.fullSyncPeriodMs,
    exec: opts.exec ?? hostExec(opts.commandPrefix),
    log,
  };
  const syncer: Syncer = opts.mode === 'nftables' ? new NftSyncer({ ...common, table: opts.nftTable }) : new RuleSyncer({ ...common, chainPrefix: opts.chainPrefix });
  const services = informers.for<Service>({ group: '', version: 'v1', resource: 'services' });
  const slices = informers.for<EndpointSlice>({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' });
  await syncer.init();

  const minInterval = opts.minSyncIntervalMs ?? 100;
  const metrics: ProxyMetrics = { syncs: 0, lastSyncMs: 0, syncDurationsMs: [] };
  let ready = false;
  let stopped = false;
  let dirty = false;
  let checkJumps = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let lastStart = 0;
  let retryMs = 0;
  const idleWaiters: Array<() => void> = [];
  let markSynced!: () => void;
  const synced = new Promise<void>((r) => (markSynced = r));

  const schedule = () => {
    if (stopped || timer || running || !ready) return;
    if (!dirty) {
      for (const w of idleWaiters.splice(0)) w();
      return;
    }
    const delay = Math.max(retryMs, lastStart + minInterval - Date.now(), 0);
    timer = setTimeout(() => {
      timer = undefined;
      running = runSync().finally(() => {
        running = undefined;
        schedule();
      });
    }, delay);
  };

  async function runSync(): Promise<void> {
    if (stopped) return;
    dirty = false;
    const check = checkJumps;
    checkJumps = false;
    lastStart = Date.now();
    const t0 = performance.now();
    try {
      const wrote = await syncer.sync({ services: services.store.list(), endpointSlices: slices.store.list() }, check);
      retryMs = 0;
      if (wrote) {
        const ms = performance.now() - t0;
        metrics.syncs++;
        metrics.lastSyncMs = ms;
        metrics.syncDurationsMs.push(ms);
        if (metrics.syncDurationsMs.length > 100) metrics.syncDurationsMs.shift();
        const s = syncer.lastSync;
        log(`proxy: rules synced in ${ms.toFixed(1)} ms (${s?.full ? 'full' : 'partial'}: ${s?.chainsWritten} chains written, ${s?.chainsDeleted} deleted)`);
      }
      markSynced();
    } catch (e) {
      retryMs = Math.min(Math.max(retryMs * 2, 500), 30_000);
      dirty = true;
      log(`proxy: sync failed (retry in ${retryMs} ms): ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  const requestSync = () => {
    if (stopped) return;
    dirty = true;
    schedule();
  };
  // A periodic resync hands the same object twice: nothing changed, nothing to do.
  const handlers = { onAdd: requestSync, onUpdate: (a: object, b: object) => void (a !== b && requestSync()), onDelete: requestSync };
  services.addEventHandler(handlers);
  slices.addEventHandler(handlers);
  void Promise.all([services.waitForSync(), slices.waitForSync()]).then(() => {
    ready = true;
    requestSync();
  });
  const periodic = setInterval(() => {
    checkJumps = true;
    requestSync();
  }, opts.checkPeriodMs ?? 30_000);
  periodic.unref();

  return {
    metrics,
    synced,
    idle: () => (!ready || dirty || timer || running ? new Promise<void>((r) => idleWaiters.push(r)) : Promise.resolve()),
    async stop() {
      stopped = true;
      clearInterval(periodic);
      if (timer) clearTimeout(timer);
      timer = undefined;
      while (running) await running.catch(() => {});
      for (const w of idleWaiters.splice(0)) w();
      // A sync racing the stop could re-create what cleanup removes; it is awaited above.
      await syncer.cleanup();
    },
  };
}
