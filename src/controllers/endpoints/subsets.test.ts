import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import { buildSubsets, findPort, repackSubsets, shouldPodBeInEndpoints, truncateSubsets } from './subsets.js';
import { rfc3339Nano, TriggerTimeTracker } from './trigger-time.js';

const pod = (name: string, ip: string | undefined, opts: { ready?: boolean; httpPort?: number; deleting?: boolean; phase?: string } = {}): Pod => ({
  metadata: { name, namespace: 'd', uid: `uid-${name}`, ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i', ports: opts.httpPort ? [{ name: 'http', containerPort: opts.httpPort }] : [] }] },
  status: { phase: opts.phase ?? 'Running', ...(ip ? { podIP: ip } : {}), conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: '2026-01-01T00:00:05Z' }] },
});
const svc = (ports: Service['spec'] extends infer S ? (S extends { ports?: infer P } ? P : never) : never, extra: Partial<Service['spec']> = {}): Service => ({
  metadata: { name: 'web', namespace: 'd', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { selector: { app: 'web' }, clusterIP: '10.96.0.10', ports, ...extra },
});

test('findPort: numbers, numeric strings, named container ports with matching protocol', () => {
  const p = pod('a', '10.0.0.1', { httpPort: 8080 });
  assert.equal(findPort(p, { port: 80, targetPort: 9376 }), 9376);
  assert.equal(findPort(p, { port: 80 }), 80);
  assert.equal(findPort(p, { port: 80, targetPort: 'http' }), 8080);
  assert.equal(findPort(p, { port: 80, targetPort: 'http', protocol: 'UDP' }), undefined);
  assert.equal(findPort(p, { port: 80, targetPort: 'metrics' }), undefined);
});

test('shouldPodBeInEndpoints: IP required, terminal and terminating pods excluded', () => {
  assert.equal(shouldPodBeInEndpoints(pod('a', '10.0.0.1'), false), true);
  assert.equal(shouldPodBeInEndpoints(pod('a', undefined), false), false);
  assert.equal(shouldPodBeInEndpoints(pod('a', '10.0.0.1', { phase: 'Succeeded' }), false), false);
  assert.equal(shouldPodBeInEndpoints(pod('a', '10.0.0.1', { deleting: true }), false), false);
  assert.equal(shouldPodBeInEndpoints(pod('a', '10.0.0.1', { deleting: true }), true), true);
});

test('buildSubsets: ready and not-ready addresses share a subset; targetRef and nodeName set', () => {
  const subsets = buildSubsets(svc([{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]), [pod('b', '10.0.0.2', { ready: false }), pod('a', '10.0.0.1'), pod('c', undefined)]);
  assert.deepEqual(subsets, [
    {
      addresses: [{ ip: '10.0.0.1', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'd', name: 'a', uid: 'uid-a' } }],
      notReadyAddresses: [{ ip: '10.0.0.2', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'd', name: 'b', uid: 'uid-b' } }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    },
  ]);
});

test('buildSubsets: a named targetPort resolving differently per pod splits the subsets', () => {
  const s = buildSubsets(svc([{ name: 'web', port: 80, targetPort: 'http' }]), [pod('a', '10.0.0.1', { httpPort: 8080 }), pod('b', '10.0.0.2', { httpPort: 9090 }), pod('c', '10.0.0.3', { httpPort: 8080 }), pod('x', '10.0.0.9')]);
  assert.deepEqual(
    s.map((x) => [x.addresses?.map((a) => a.ip), x.ports?.map((p) => p.port)]),
    [
      [['10.0.0.1', '10.0.0.3'], [8080]],
      [['10.0.0.2'], [9090]],
    ],
  );
});

test('buildSubsets: publishNotReadyAddresses lists unready pods as ready; headless without ports keeps addresses', () => {
  const s = buildSubsets(svc([{ port: 80 }], { publishNotReadyAddresses: true }), [pod('a', '10.0.0.1', { ready: false })]);
  assert.equal(s[0]?.addresses?.[0]?.ip, '10.0.0.1');
  const h = buildSubsets(svc([], { clusterIP: 'None' }), [pod('a', '10.0.0.1')]);
  assert.deepEqual(h.map((x) => [x.addresses?.length, x.ports]), [[1, undefined]]);
  // A non-headless Service without ports has no endpoints.
  assert.deepEqual(buildSubsets(svc([]), [pod('a', '10.0.0.1')]), []);
});

test('repackSubsets: two ports over the same addresses become one subset', () => {
  const a = { ip: '10.0.0.1' };
  const s = repackSubsets([
    { addresses: [a], ports: [{ name: 'b', port: 2 }] },
    { addresses: [a], ports: [{ name: 'a', port: 1 }] },
  ]);
  assert.deepEqual(s, [{ addresses: [a], ports: [{ name: 'a', port: 1 }, { name: 'b', port: 2 }] }]);
});

test('truncateSubsets keeps 1000 addresses, ready first', () => {
  const many = Array.from({ length: 1200 }, (_, i) => ({ ip: `10.0.${Math.floor(i / 250)}.${i % 250}` }));
  const { subsets, truncated } = truncateSubsets([{ notReadyAddresses: many.slice(0, 300), addresses: many.slice(300), ports: [{ port: 80 }] }]);
  assert.equal(truncated, true);
  assert.equal(subsets[0]?.addresses?.length, 900);
  assert.equal(subsets[0]?.notReadyAddresses?.length, 100);
});

test('trigger time: earliest change since the last sync; nothing changed → undefined', () => {
  const t = new TriggerTimeTracker();
  const s = svc([{ port: 80 }]);
  assert.equal(t.compute('d/web', s, [pod('a', '10.0.0.1')])?.toISOString(), '2026-01-01T00:00:00.000Z');
  assert.equal(t.compute('d/web', s, [pod('a', '10.0.0.1')]), undefined);
  const b = pod('b', '10.0.0.2');
  b.status!.conditions![0]!.lastTransitionTime = '2026-01-01T00:01:00Z';
  assert.equal(t.compute('d/web', s, [pod('a', '10.0.0.1'), b])?.toISOString(), '2026-01-01T00:01:00.000Z');
  assert.equal(rfc3339Nano(new Date('2026-01-01T00:01:00.120Z')), '2026-01-01T00:01:00.12Z');
  assert.equal(rfc3339Nano(new Date('2026-01-01T00:01:00.000Z')), '2026-01-01T00:01:00Z');
});
