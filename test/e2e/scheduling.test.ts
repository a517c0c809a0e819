// Scheduling as a kubectl user sees it, against `skiff server --sim-nodes 3` (sim-node-0..2 in
// zone-a/b/c): `kubectl describe pod` of a pod that fits nowhere shows upstream's FailedScheduling text
// with the preemption suffix; `kubectl get pods -o wide` shows a required nodeAffinity honoured, a
// Deployment with required podAntiAffinity spread one replica per node (a 4th stays Pending with the
// anti-affinity message), and topology spread constraints balancing pods across zones; a
// high-priority pod preempts a low-priority one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SkiffServer, waitFor } from './harness.js';

const podJson = (name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}, cpu = '100m') =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu } } }], ...spec },
  });

/** NAME → NODE from `kubectl get pods -o wide` (the real table, columns found by header). */
function placements(out: string): Map<string, { status: string; node: string }> {
  const lines = out.trim().split('\n');
  const header = lines[0] ?? '';
  const col = (h: string) => header.indexOf(h);
  const m = new Map<string, { status: string; node: string }>();
  for (const l of lines.slice(1)) {
    const cut = (h: string) => l.slice(col(h)).split(/\s+/)[0] ?? '';
    m.set(l.split(/\s+/)[0]!, { status: cut('STATUS'), node: cut('NODE') });
  }
  return m;
}

test('kubectl: FailedScheduling text, affinity, anti-affinity, topology spread and preemption', async () => {
  const s = await SkiffServer.start(undefined, ['--sim-nodes', '3']);
  const k = (args: string[], input?: string) => s.kubectlSync(args, { input });
  const wide = (selector: string) => placements(k(['get', 'pods', '-o', 'wide', '-l', selector]).stdout);
  try {
    await waitFor(() => (k(['get', 'nodes', '-o', 'name']).stdout.match(/node\//g) ?? []).length === 3, 20_000, '3 sim nodes');
    const zones = new Map<string, string>();
    for (const l of k(['get', 'nodes', '-L', 'topology.kubernetes.io/zone', '--no-headers']).stdout.trim().split('\n')) {
      const f = l.split(/\s+/);
      zones.set(f[0]!, f[f.length - 1]!);
    }
    assert.deepEqual([...zones.values()].sort(), ['zone-a', 'zone-b', 'zone-c']);

    // 1. A pod that fits nowhere.
    assert.equal(k(['create', '-f', '-'], podJson('huge', {}, { app: 'huge' }, '100')).code, 0);
    let describe = '';
    await waitFor(() => /FailedScheduling/.test((describe = k(['describe', 'pod', 'huge']).stdout)), 15_000, 'FailedScheduling in describe');
    assert.match(
      describe,
      /Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0\/3 nodes are available: 3 Insufficient cpu\. preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\.\./,
    );
    assert.match(describe, /Status:\s+Pending/);
    assert.match(describe, /PodScheduled\s+False/);

    // 2. Required node affinity.
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['sim-node-1'] }] }] } } };
    assert.equal(k(['create', '-f', '-'], podJson('pinned', { affinity }, { app: 'pinned' })).code, 0);
    await waitFor(() => wide('app=pinned').get('pinned')?.node === 'sim-node-1', 15_000, 'pinned on sim-node-1');

    // 2b. Default spreading (system default topology spread constraints): a plain Deployment's replicas
    // land one per node.
    assert.equal(k(['create', 'deployment', 'plain', '--image=nginx', '--replicas=3']).code, 0);
    await waitFor(() => [...wide('app=plain').values()].filter((p) => p.node.startsWith('sim-node')).length === 3, 20_000, '3 plain replicas placed');
    assert.deepEqual([...wide('app=plain').values()].map((p) => p.node).sort(), ['sim-node-0', 'sim-node-1', 'sim-node-2']);
    assert.equal(k(['delete', 'deployment', 'plain']).code, 0);

    // 3. Anti-affinity: one replica per node, the 4th Pending.
    const anti = {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'anti' } }, topologyKey: 'kubernetes.io/hostname' }] },
    };
    const deploy = (replicas: number) =>
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'anti' },
        spec: {
          replicas,
          selector: { matchLabels: { app: 'anti' } },
          template: { metadata: { labels: { app: 'anti' } }, spec: { affinity: anti, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'nginx' }] } },
        },
      });
    assert.equal(k(['apply', '-f', '-'], deploy(3)).code, 0);
    await waitFor(() => [...wide('app=anti').values()].filter((p) => p.status === 'Running').length === 3, 20_000, '3 anti replicas running');
    const three = [...wide('app=anti').values()].map((p) => p.node).sort();
    assert.deepEqual(three, ['sim-node-0', 'sim-node-1', 'sim-node-2']);
    assert.equal(k(['scale', 'deployment', 'anti', '--replicas=4']).code, 0);
    let pending = '';
    await waitFor(() => {
      pending = [...wide('app=anti')].find(([, p]) => p.status === 'Pending')?.[0] ?? '';
      return pending !== '' && /FailedScheduling/.test((describe = k(['describe', 'pod', pending]).stdout));
    }, 20_000, '4th anti replica FailedScheduling');
    assert.match(
      describe,
      /0\/3 nodes are available: 3 node\(s\) didn't match pod anti-affinity rules\. preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\.\./,
    );
    assert.equal(wide('app=anti').get(pending)?.node, '<none>');
    assert.equal(k(['delete', 'deployment', 'anti']).code, 0);

    // 4. Topology spread across zones: 6 pods, maxSkew 1 → two per zone.
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'spread' } } }] };
    for (let i = 0; i < 6; i++) assert.equal(k(['create', '-f', '-'], podJson(`spread-${i}`, spread, { app: 'spread' })).code, 0);
    await waitFor(() => [...wide('app=spread').values()].filter((p) => p.node.startsWith('sim-node')).length === 6, 20_000, '6 spread pods placed');
    const perZone = new Map<string, number>();
    for (const p of wide('app=spread').values()) perZone.set(zones.get(p.node)!, (perZone.get(zones.get(p.node)!) ?? 0) + 1);
    assert.deepEqual([...perZone.entries()].sort(), [['zone-a', 2], ['zone-b', 2], ['zone-c', 2]]);

    // 5. Preemption: a high-priority pod asking for (almost) a whole node (31800m allocatable) evicts the low-priority pods there.
    assert.equal(k(['delete', 'pod', 'huge', '--wait=false']).code, 0);
    const pc = JSON.stringify({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'urgent' }, value: 1000 });
    assert.equal(k(['create', '-f', '-'], pc).code, 0);
    assert.equal(k(['create', '-f', '-'], podJson('urgent', { priorityClassName: 'urgent' }, { app: 'urgent' }, '31750m')).code, 0);
    await waitFor(() => wide('app=urgent').get('urgent')?.status === 'Running', 30_000, 'urgent running');
    const node = wide('app=urgent').get('urgent')!.node;
    const victims = [...wide('app=spread')].filter(([, p]) => p.node === node);
    assert.equal(victims.length, 0, 'no spread pod left on the preempted node');
    const events = k(['get', 'events', '-o', 'custom-columns=REASON:.reason,MSG:.message', '--no-headers']).stdout;
    assert.match(events, new RegExp(`Preempted\\s+Preempted by pod [0-9a-f-]{36} on node ${node}`));
    assert.match(k(['get', 'pod', 'urgent', '-o', 'jsonpath={.spec.priority}']).stdout, /^1000$/);
    const bad = k(['create', '-f', '-'], podJson('nope', { priorityClassName: 'nope' }));
    assert.match(bad.stderr, /Error from server \(Forbidden\): error when creating "STDIN": pods "nope" is forbidden: no PriorityClass with name nope was found/);
  } finally {
    await s.destroy();
  }
});
