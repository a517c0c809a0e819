// The proxy's /metrics: Prometheus text with the sync count, the last duration and quantiles of the
// recorded durations, served over HTTP; a taken port yields no server rather than an error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { renderProxyMetrics, serveProxyMetrics } from './metrics-http.js';

test('renders sync count, last duration and quantiles in seconds', () => {
  const text = renderProxyMetrics({ syncs: 3, lastSyncMs: 250, syncDurationsMs: [100, 250, 4000] });
  assert.match(text, /^kubeproxy_sync_proxy_rules_total 3$/m);
  assert.match(text, /^kubeproxy_sync_proxy_rules_last_duration_seconds 0\.25$/m);
  assert.match(text, /^kubeproxy_sync_proxy_rules_duration_seconds\{quantile="0\.5"\} 0\.25$/m);
  assert.match(text, /^kubeproxy_sync_proxy_rules_duration_seconds\{quantile="0\.99"\} 4$/m);
  assert.match(text, /^kubeproxy_sync_proxy_rules_duration_seconds_count 3$/m);
  assert.match(text, /^# TYPE kubeproxy_sync_proxy_rules_duration_seconds summary$/m);
});

test('serves /metrics, 404 elsewhere, and gives way when the port is taken', async () => {
  const metrics = { syncs: 1, lastSyncMs: 12, syncDurationsMs: [12] };
  const server = await serveProxyMetrics(metrics, '127.0.0.1', 0);
  assert.ok(server);
  try {
    const port = (server.address() as AddressInfo).port;
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /kubeproxy_sync_proxy_rules_total 1/);
    metrics.syncs = 2;
    assert.match(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), /kubeproxy_sync_proxy_rules_total 2/);
    assert.equal((await fetch(`http://127.0.0.1:${port}/other`)).status, 404);
    assert.equal(await serveProxyMetrics(metrics, '127.0.0.1', port), undefined);
  } finally {
    await new Promise((r) => server.close(r));
  }
});
