// The proxy's sync metrics over HTTP in the Prometheus text format, where upstream kube-proxy serves
// them (--metrics-bind-address, default 127.0.0.1:10249, path /metrics). Only what the proxier
// records: writing syncs counted, the last one's duration and its time, and quantiles of the last
// 100 durations (a summary, since older durations are not kept).
import { createServer, type Server } from 'node:http';
import type { ProxyMetrics } from './proxier.js';

/** Nearest-rank quantile of ascending-sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function renderProxyMetrics(m: ProxyMetrics): string {
  const sorted = [...m.syncDurationsMs].sort((a, b) => a - b);
  const sec = (ms: number) => String(ms / 1000);
  const lines = [
    '# HELP kubeproxy_sync_proxy_rules_duration_seconds Duration of the proxy rule syncs that wrote rules (last 100).',
    '# TYPE kubeproxy_sync_proxy_rules_duration_seconds summary',
    ...[0.5, 0.9, 0.99].map((q) => `kubeproxy_sync_proxy_rules_duration_seconds{quantile="${q}"} ${sorted.length ? sec(quantile(sorted, q)) : 'NaN'}`),
    `kubeproxy_sync_proxy_rules_duration_seconds_sum ${sec(sorted.reduce((a, b) => a + b, 0))}`,
    `kubeproxy_sync_proxy_rules_duration_seconds_count ${sorted.length}`,
    '# HELP kubeproxy_sync_proxy_rules_last_duration_seconds Duration of the last sync that wrote rules.',
    '# TYPE kubeproxy_sync_proxy_rules_last_duration_seconds gauge',
    `kubeproxy_sync_proxy_rules_last_duration_seconds ${sec(m.lastSyncMs)}`,
    '# HELP kubeproxy_sync_proxy_rules_total Syncs that wrote rules since the proxy started.',
    '# TYPE kubeproxy_sync_proxy_rules_total counter',
    `kubeproxy_sync_proxy_rules_total ${m.syncs}`,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Serves GET /metrics on address:port. Resolves with the server, or undefined when the port is
 * taken (another proxy on this host already serves it): metrics are not worth failing a node for.
 */
export function serveProxyMetrics(metrics: ProxyMetrics, address: string, port: number): Promise<Server | undefined> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(renderProxyMetrics(metrics));
  });
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(port, address, () => resolve(server));
  });
}
