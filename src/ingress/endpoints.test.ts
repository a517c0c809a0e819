// Backend → endpoints resolution (named and numbered ports, readiness, slice de-duplication) and
// round-robin order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { resolveEndpoints, RoundRobin } from './endpoints.js';

const svc: Service = { metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 'web' }, { name: 'admin', port: 9000 }] } };
const slice = (ports: Array<[string, number]>, eps: Array<[string, boolean | undefined]>, addressType = 'IPv4'): EndpointSlice => ({
  addressType,
  metadata: { name: 's' },
  ports: ports.map(([name, port]) => ({ name, port, protocol: 'TCP' })),
  endpoints: eps.map(([ip, ready]) => ({ addresses: [ip], conditions: ready === undefined ? {} : { ready } })),
});

test('resolveEndpoints', () => {
  const slices = [
    slice([['http', 8080], ['admin', 9090]], [['10.0.0.2', true], ['10.0.0.1', undefined], ['10.0.0.3', false]]),
    slice([['http', 8080]], [['10.0.0.2', true]]),
    slice([['http', 8080]], [['x.example.com', true]], 'FQDN'),
  ];
  assert.deepEqual(resolveEndpoints(svc, slices, { number: 80 }), [{ ip: '10.0.0.1', port: 8080 }, { ip: '10.0.0.2', port: 8080 }]);
  assert.deepEqual(resolveEndpoints(svc, slices, { name: 'admin' }), [{ ip: '10.0.0.1', port: 9090 }, { ip: '10.0.0.2', port: 9090 }]);
  assert.deepEqual(resolveEndpoints(svc, slices, { number: 81 }), [], 'unknown service port');
  assert.deepEqual(resolveEndpoints(undefined, slices, { number: 80 }), [], 'no Service');
  assert.deepEqual(resolveEndpoints({ ...svc, spec: { ...svc.spec, type: 'ExternalName' } }, slices, { number: 80 }), []);
  const unnamed: Service = { metadata: { name: 'u' }, spec: { ports: [{ port: 80 }] } };
  assert.deepEqual(resolveEndpoints(unnamed, [slice([['', 3000]], [['10.0.0.9', true]])], { number: 80 }), [{ ip: '10.0.0.9', port: 3000 }]);
});

test('round-robin cycles per backend key', () => {
  const rr = new RoundRobin();
  const eps = [{ ip: 'a', port: 1 }, { ip: 'b', port: 1 }];
  assert.deepEqual([1, 2, 3, 4].map(() => rr.pick('k', eps)?.ip), ['a', 'b', 'a', 'b']);
  assert.equal(rr.pick('other', eps)?.ip, 'a');
  assert.equal(rr.pick('k', []), undefined);
  assert.equal(rr.pick('k', [{ ip: 'c', port: 1 }])?.ip, 'c', 'a shrunk list still yields an endpoint');
});
