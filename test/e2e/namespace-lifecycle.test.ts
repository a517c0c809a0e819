// The in-process controller-manager as a user meets it: every namespace gets a `default`
// ServiceAccount, and `kubectl delete namespace` (which waits) returns once the namespace
// controller has deleted its contents and the namespace is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SkiffServer, waitFor } from './harness.js';
import * as m from './manifests.js';

test('namespaces get a default service account and are deleted with their contents', async () => {
  const s = await SkiffServer.start();
  const k = (args: string[], input?: string) => s.kubectlSync(args, { input });
  try {
    // The controller manager and the scheduler each hold their Lease, as upstream's do.
    await waitFor(() => k(['get', 'lease', '-n', 'kube-system', 'kube-controller-manager', 'kube-scheduler', '-o', 'jsonpath={.items[*].spec.holderIdentity}']).stdout.trim().split(' ').filter(Boolean).length === 2, 10_000, 'leases held');
    assert.equal(k(['create', 'namespace', 'team-a']).code, 0);
    await waitFor(() => k(['get', 'sa', 'default', '-n', 'team-a']).code === 0, 10_000, 'default service account');
    assert.equal(k(['create', '-f', '-'], m.configMap('team-a', 'settings', 'x')).code, 0);
    assert.equal(k(['create', '-f', '-'], m.deployment('team-a', 'web', 'nginx:1.25')).code, 0);
    const del = k(['delete', 'namespace', 'team-a', '--timeout=30s']);
    assert.equal(del.code, 0, del.stderr);
    assert.match(del.stdout, /namespace "team-a" deleted/);
    assert.match(k(['get', 'ns', 'team-a']).stderr, /Error from server \(NotFound\): namespaces "team-a" not found/);
    assert.equal(k(['get', 'cm,deploy,sa', '-n', 'team-a', '-o', 'name']).stdout.trim(), '');
  } finally {
    await s.destroy();
  }
});
