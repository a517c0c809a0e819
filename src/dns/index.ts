// Cluster DNS — the CoreDNS `kubernetes` plugin role: answers <svc>.<ns>.svc.<domain> (A/AAAA, SRV,
// CNAME for ExternalName), headless endpoints and their hostnames, PTR for Service and endpoint
// addresses and <a-b-c-d>.<ns>.pod.<domain>, authoritatively (NXDOMAIN/NODATA with the zone SOA), from
// Service and EndpointSlice informers; every other name is forwarded to upstream resolvers. Serves UDP
// and TCP on each listen address. Usage:
//   const dns = await startClusterDNS(informers, { listen: [{ address: '10.43.0.10', port: 53 }], clusterDomain: 'cluster.local', upstreams: [] });
//   informers.start();   // the caller owns the factory; cluster names answer SERVFAIL until it has synced
import type { InformerFactory } from '../client/informer-factory.js';
import { DnsHandler } from './handler.js';
import { parseUpstream } from './forward.js';
import { DnsIndex } from './records.js';
import { hostNameservers } from './resolv-conf.js';
import { listen, type ListenAddress } from './server.js';
import { watchServices } from './watch.js';

export { resolve, type Answer, type Question } from './resolve.js';
export { DnsIndex, DNS_SCHEMA_VERSION, type ZoneRecord } from './records.js';
export { serviceRecords } from './service-records.js';
export { hostNameservers } from './resolv-conf.js';

export interface ClusterDNSOptions {
  /** UDP and TCP on each; port 0 picks a free port (the same for both), reported in `addresses`. */
  listen: ListenAddress[];
  /** e.g. 'cluster.local'. */
  clusterDomain: string;
  /** 'ip:port' (or '[v6]:port', or bare 'ip' for port 53) forwarders for other names; default: /etc/resolv.conf's nameservers. */
  upstreams?: string[];
  /** TTL of cluster records and of the SOA minimum; default 5 (CoreDNS' kubernetes plugin default). */
  ttl?: number;
  /** Per-upstream timeout of a forwarded query; default 2000 ms. */
  forwardTimeoutMs?: number;
  log?(msg: string): void;
}

export interface RunningDNS {
  addresses: ListenAddress[];
  stop(): Promise<void>;
  readonly metrics: { queries: number };
  /** The live zone (read-only use: tests and debugging). */
  readonly index: DnsIndex;
}

export async function startClusterDNS(informers: InformerFactory, opts: ClusterDNSOptions): Promise<RunningDNS> {
  const index = new DnsIndex(opts.clusterDomain, opts.ttl ?? 5);
  const upstreams = (opts.upstreams ?? hostNameservers()).map(parseUpstream);
  const watch = watchServices(informers, index, opts.log);
  const handler = new DnsHandler(index, { upstreams, forwardTimeoutMs: opts.forwardTimeoutMs ?? 2000, synced: watch.synced, log: opts.log });
  const metrics = { queries: 0 };
  let listeners;
  try {
    listeners = await listen(opts.listen, handler, () => void metrics.queries++, opts.log);
  } catch (e) {
    watch.stop();
    throw e;
  }
  opts.log?.(`dns: serving ${index.zone} on ${listeners.addresses.map((a) => `${a.address}:${a.port}`).join(', ')}; upstreams ${upstreams.map((u) => `${u.host}:${u.port}`).join(', ') || 'none'}`);
  return {
    addresses: listeners.addresses,
    metrics,
    index,
    async stop() {
      watch.stop();
      await listeners.close();
    },
  };
}
