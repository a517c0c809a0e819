import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { Endpoint, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { desiredEndpoints, planSlices, podToEndpoint, portsKey } from './slice-plan.js';

const svc: Service = { metadata: { name: 'web', namespace: 'd' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
const pod = (name: string, opts: { port?: number; ready?: boolean; deleting?: boolean } = {}): Pod => ({
  metadata: { name, namespace: 'd', uid: `u-${name}`, ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i', ports: [{ name: 'http', containerPort: opts.port ?? 8080 }] }] },
  status: { phase: 'Running', podIP: `10.0.0.${name.length}`, conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
});
const node: Node = { metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'zone-b' } } };
const ep = (name: string): Endpoint => ({ addresses: [`10.1.0.${name.length}`], conditions: { ready: true }, targetRef: { kind: 'Pod', name, uid: `u-${name}` } });
const slice = (name: string, eps: Endpoint[]): EndpointSlice => ({ metadata: { name }, addressType: 'IPv4', endpoints: eps, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] });
const desired = (eps: Endpoint[]) => new Map([[portsKey([{ name: 'http', port: 8080, protocol: 'TCP' }]), { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: eps }]]);
const noMeta = () => false;

test('podToEndpoint: conditions for ready, unready and terminating pods; zone and node', () => {
  assert.deepEqual(podToEndpoint(pod('a'), node, svc, '10.0.0.1'), {
    addresses: ['10.0.0.1'],
    conditions: { ready: true, serving: true, terminating: false },
    targetRef: { kind: 'Pod', namespace: 'd', name: 'a', uid: 'u-a' },
    nodeName: 'n1',
    zone: 'zone-b',
  });
  assert.deepEqual(podToEndpoint(pod('a', { ready: false }), undefined, svc, 'x').conditions, { ready: false, serving: false, terminating: false });
  assert.deepEqual(podToEndpoint(pod('a', { deleting: true }), undefined, svc, 'x').conditions, { ready: false, serving: true, terminating: true });
  const pub = { ...svc, spec: { ...svc.spec, publishNotReadyAddresses: true } };
  assert.equal(podToEndpoint(pod('a', { ready: false }), undefined, pub, 'x').conditions?.ready, true);
});

test('desiredEndpoints groups pods by the ports they resolve and keeps terminating pods', () => {
  const g = desiredEndpoints(svc, [pod('a'), pod('bb', { port: 9090 }), pod('ccc', { deleting: true })], () => node);
  assert.deepEqual([...g.values()].map((x) => [x.ports.map((p) => p.port), x.endpoints.map((e) => e.targetRef?.name)]), [
    [[8080], ['a', 'ccc']],
    [[9090], ['bb']],
  ]);
});

test('planSlices: unchanged slices are not written; new endpoints fill free room', () => {
  const s1 = slice('s1', [ep('a'), ep('bb')]);
  assert.deepEqual(planSlices([s1], desired([ep('a'), ep('bb')]), noMeta), { create: [], update: [], delete: [] });
  const p = planSlices([s1], desired([ep('a'), ep('bb'), ep('ccc')]), noMeta);
  assert.equal(p.create.length, 0);
  assert.deepEqual(p.update.map((u) => u.endpoints.map((e) => e.targetRef?.name)), [['a', 'bb', 'ccc']]);
});

test('planSlices: 250 endpoints → 100+100+50; a slice emptied is deleted; no endpoints → one placeholder', () => {
  const many = Array.from({ length: 250 }, (_, i) => ({ addresses: [`10.2.${i >> 8}.${i & 255}`], targetRef: { kind: 'Pod', name: `p${i}`, uid: `u${i}` } }));
  assert.deepEqual(planSlices([], desired(many), noMeta).create.map((c) => c.endpoints.length), [100, 100, 50]);
  const p = planSlices([slice('s1', [ep('a')]), slice('s2', [ep('bb')])], desired([ep('bb')]), noMeta);
  assert.deepEqual(p.delete.map((s) => s.metadata?.name), ['s1']);
  assert.deepEqual(p.update, []);
  const empty = planSlices([slice('s1', [ep('a')])], new Map(), noMeta);
  assert.deepEqual(empty.delete.map((s) => s.metadata?.name), ['s1']);
  assert.deepEqual(empty.create, [{ ports: [], endpoints: [] }]);
});

test('planSlices: slices with ports no longer wanted are replaced; stale metadata forces an update', () => {
  const old = { ...slice('s1', [ep('a')]), ports: [{ name: 'http', port: 7070, protocol: 'TCP' }] };
  const p = planSlices([old], desired([ep('a')]), noMeta);
  assert.deepEqual(p.delete.map((s) => s.metadata?.name), ['s1']);
  assert.equal(p.create.length, 1);
  assert.equal(planSlices([slice('s1', [ep('a')])], desired([ep('a')]), () => true).update.length, 1);
});
