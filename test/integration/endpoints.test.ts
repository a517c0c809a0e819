// Integration: the Endpoints and EndpointSlice controllers against pods running on simulated nodes —
// ready and not-ready addresses, named target ports, terminating pods, headless label, selector-less
// Services left alone, Endpoints removed with their Service, slices with conditions/zone/owner and
// split at 100 endpoints.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { StatusError } from '../../src/machinery/errors.js';
import { startEndpointsController } from '../../src/controllers/endpoints/controller.js';
import { startEndpointSliceController } from '../../src/controllers/endpointslice/controller.js';
import { eventually, ref, startTestCluster, type TestCluster } from './cluster.js';

let c: TestCluster;
const NS = 'default';
const pods = ref('', 'v1', 'pods', NS);
const services = ref('', 'v1', 'services', NS);
const endpoints = ref('', 'v1', 'endpoints', NS);
const slices = ref('discovery.k8s.io', 'v1', 'endpointslices', NS);

const pod = (name: string, labels: Record<string, string>, port = 8080): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { terminationGracePeriodSeconds: 2, containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: port }] }] },
});
const service = (name: string, spec: Service['spec']): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, labels: { team: 'a' } }, spec });
const getEp = (name: string) => c.client.get<Endpoints>({ ...endpoints, name }).catch(() => undefined);
const slicesOf = async (svc: string) => (await c.client.list<EndpointSlice>(slices, { labelSelector: `kubernetes.io/service-name=${svc}` })).items;
const readyIPs = (ep: Endpoints | undefined) => (ep?.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.targetRef?.name)).sort();
const notReadyIPs = (ep: Endpoints | undefined) => (ep?.subsets ?? []).flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.targetRef?.name)).sort();

before(async () => {
  c = await startTestCluster({ nodes: 3, controllers: [startEndpointsController, startEndpointSliceController] });
});
after(async () => {
  await c?.close();
});

test('endpoints: ready pods on the named target port; not ready and terminating pods handled', async () => {
  await c.client.create(services, service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }));
  await c.client.create(pods, pod('web-1', { app: 'web' }));
  await c.client.create(pods, pod('web-2', { app: 'web' }, 9090));
  await c.client.create(pods, pod('other', { app: 'other' }));
  const ep = await eventually(async () => {
    const e = await getEp('web');
    return readyIPs(e).length === 2 ? e : undefined;
  }, 'two ready addresses');
  // Different named-port resolutions → two subsets.
  assert.deepEqual(
    ep.subsets?.map((s) => s.ports?.map((p) => [p.name, p.port, p.protocol])).sort(),
    [[['http', 8080, 'TCP']], [['http', 9090, 'TCP']]],
  );
  const a = ep.subsets![0]!.addresses![0]!;
  assert.match(a.ip, /^10\.42\./);
  assert.match(a.nodeName ?? '', /^sim-node-/);
  assert.equal(a.targetRef?.kind, 'Pod');
  assert.equal(ep.metadata?.labels?.team, 'a');
  assert.equal(ep.metadata?.labels?.['service.kubernetes.io/headless'], undefined);
  assert.match(ep.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] ?? '', /^\d{4}-\d\d-\d\dT/);

  // Readiness lost → notReadyAddresses.
  const p1 = await c.client.get<Pod>({ ...pods, name: 'web-1' });
  const conditions = (p1.status?.conditions ?? []).map((x) => (x.type === 'Ready' ? { ...x, status: 'False' } : x));
  await c.client.patch({ ...pods, name: 'web-1', subresource: 'status' }, { status: { conditions } }, 'strategic');
  await eventually(async () => notReadyIPs(await getEp('web')).join() === 'web-1', 'web-1 not ready');
  const notReady = await eventually(async () => {
    const eps = (await slicesOf('web')).flatMap((s) => s.endpoints);
    const e = eps.find((x) => x.targetRef?.name === 'web-1');
    return e?.conditions?.ready === false ? e : undefined;
  }, 'slice shows web-1 not ready');
  assert.equal(notReady.conditions?.serving, false);

  // Terminating → gone from Endpoints, terminating in the slice.
  await c.client.delete({ ...pods, name: 'web-2' });
  await eventually(async () => readyIPs(await getEp('web')).length === 0, 'web-2 out of endpoints');
  await eventually(async () => {
    const e = (await slicesOf('web')).flatMap((s) => s.endpoints).find((x) => x.targetRef?.name === 'web-2');
    return !e || (e.conditions?.terminating === true && e.conditions.ready === false);
  }, 'slice shows web-2 terminating or removed');
});

test('endpointslices: labels, owner, conditions, zone, ports', async () => {
  await c.client.create(services, service('api', { selector: { app: 'api' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] }));
  for (const n of ['api-1', 'api-2']) await c.client.create(pods, pod(n, { app: 'api' }));
  const [s] = await eventually(async () => {
    const l = await slicesOf('api');
    return l.length === 1 && l[0]!.endpoints.filter((e) => e.conditions?.ready).length === 2 ? l : undefined;
  }, 'api slice with 2 ready endpoints');
  const svc = await c.client.get<Service>({ ...services, name: 'api' });
  assert.match(s!.metadata?.name ?? '', /^api-[a-z0-9]{5}$/);
  assert.equal(s!.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
  assert.equal(s!.metadata?.labels?.team, 'a');
  assert.deepEqual(s!.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'api', uid: svc.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
  assert.equal(s!.addressType, 'IPv4');
  assert.deepEqual(s!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  const e = s!.endpoints[0]!;
  assert.deepEqual(e.conditions, { ready: true, serving: true, terminating: false });
  assert.match(e.zone ?? '', /^zone-/);
  assert.match(e.nodeName ?? '', /^sim-node-/);
  // Level-triggered but quiet: nothing is rewritten once it matches.
  await new Promise((r) => setTimeout(r, 300));
  const rvs = async () => [(await slicesOf('api')).map((x) => x.metadata?.resourceVersion), (await getEp('api'))?.metadata?.resourceVersion];
  const before = await rvs();
  await new Promise((r) => setTimeout(r, 1000));
  assert.deepEqual(await rvs(), before);
});

test('endpoints: headless label, selector-less Services left alone, removed with the Service', async () => {
  await c.client.create(services, service('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] }));
  await c.client.create(services, service('external', { ports: [{ port: 5432 }] }));
  await c.client.create(pods, pod('db-0', { app: 'db' }));
  const ep = await eventually(async () => {
    const e = await getEp('db');
    return readyIPs(e).length === 1 ? e : undefined;
  }, 'db endpoints');
  assert.equal(ep.metadata?.labels?.['service.kubernetes.io/headless'], '');
  assert.equal((await slicesOf('db'))[0]?.metadata?.labels?.['service.kubernetes.io/headless'], '');
  assert.equal(await getEp('external'), undefined);
  assert.deepEqual(await slicesOf('external'), []);
  await c.client.delete({ ...services, name: 'db' });
  await eventually(async () => c.client.get({ ...endpoints, name: 'db' }).then(() => false, (e: unknown) => e instanceof StatusError && e.code === 404), 'db endpoints deleted');
});

test('endpointslices: more than 100 endpoints are split over slices', async () => {
  await c.client.create(services, service('big', { selector: { app: 'big' }, ports: [{ port: 80 }] }));
  await Promise.all(Array.from({ length: 105 }, (_, i) => c.client.create(pods, pod(`big-${i}`, { app: 'big' }))));
  const l = await eventually(
    async () => {
      const l = await slicesOf('big');
      return l.reduce((n, s) => n + s.endpoints.filter((e) => e.conditions?.ready).length, 0) === 105 ? l : undefined;
    },
    '105 ready endpoints',
    30_000,
    200,
  );
  assert.equal(l.length, 2);
  assert.ok(l.every((s) => s.endpoints.length <= 100));
  assert.equal(readyIPs(await getEp('big')).length, 105);
});
