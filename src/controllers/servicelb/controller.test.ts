// Which load-balancer ingress a Service gets: the InternalIPs of Ready nodes for type LoadBalancer
// without a loadBalancerClass, sorted and deduplicated; nothing for other types or classes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Service } from 'kubernetes-types/core/v1.js';
import { desiredIngress, isServiceLB } from './controller.js';

const node = (name: string, ip: string, ready: boolean, extra: Array<{ type: string; address: string }> = []): Node => ({
  metadata: { name },
  status: { addresses: [{ type: 'Hostname', address: name }, { type: 'InternalIP', address: ip }, ...extra], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const svc = (spec: Service['spec']): Service => ({ metadata: { namespace: 'default', name: 'web' }, spec });
const nodes = [node('b', '192.168.5.11', true), node('a', '192.168.5.10', true, [{ type: 'ExternalIP', address: '203.0.113.1' }]), node('c', '192.168.5.12', false)];

test('desired ingress', () => {
  const cases: Array<[string, Service['spec'], string[]]> = [
    ['LoadBalancer: ready nodes, sorted', { type: 'LoadBalancer' }, ['192.168.5.10', '192.168.5.11']],
    ['another class is not ours', { type: 'LoadBalancer', loadBalancerClass: 'example.com/lb' }, []],
    ['ClusterIP gets none', { type: 'ClusterIP' }, []],
    ['NodePort gets none', { type: 'NodePort' }, []],
  ];
  for (const [name, spec, want] of cases) {
    assert.deepEqual(desiredIngress(svc(spec), nodes).map((i) => i.ip), want, name);
  }
  assert.deepEqual(desiredIngress(svc({ type: 'LoadBalancer' }), [node('c', '192.168.5.12', false)]), []);
  assert.deepEqual(desiredIngress(svc({ type: 'LoadBalancer' }), [node('a', '192.168.5.10', true), node('a2', '192.168.5.10', true)]), [{ ip: '192.168.5.10', ipMode: 'VIP' }]);
  assert.equal(isServiceLB(svc({ type: 'LoadBalancer' })), true);
});
