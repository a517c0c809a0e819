// The node-routes plans without root: which nodes are peers, the derived VTEP MAC/address, and the
// host-gw and vxlan diffs from what the kernel reports to what the cache wants.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node } from 'kubernetes-types/core/v1.js';
import { desiredPeers, planHostGw, planVxlan, vtepAddress, vtepMac, type Peer } from './route-plan.js';

const node = (name: string, podCIDR?: string, ip?: string, extra: Partial<Node['metadata']> = {}): Node => ({
  metadata: { name, ...extra },
  spec: podCIDR ? { podCIDR } : {},
  status: ip ? { addresses: [{ type: 'Hostname', address: name }, { type: 'InternalIP', address: ip }] } : {},
});
const self = { nodeName: 'a', nodeIP: '172.30.1.10', podCIDR: '10.42.0.0/24' };

test('desiredPeers: other nodes with a podCIDR and an InternalIP, first claim of a CIDR wins', () => {
  const nodes = [
    node('d', '10.42.3.0/24', '172.30.1.13'),
    node('a', '10.42.0.0/24', '172.30.1.10'), // self
    node('b', '10.42.1.5/24', '172.30.1.11'), // host bits masked
    node('c', undefined, '172.30.1.12'), // no CIDR yet
    node('e', '10.42.4.0/24'), // no address yet
    node('f', '10.42.3.0/24', '172.30.1.14'), // same CIDR as d: d sorts first
    node('g', '10.42.0.0/24', '172.30.1.15'), // claims our CIDR
    node('h', '10.42.7.0/24', '172.30.1.16', { deletionTimestamp: '2026-01-01T00:00:00Z' }),
    { metadata: { name: 'i' }, spec: { podCIDRs: ['10.42.9.0/24'] }, status: { addresses: [{ type: 'InternalIP', address: 'fd00::9' }] } },
  ];
  assert.deepEqual(desiredPeers(nodes, self), [
    { name: 'b', podCIDR: '10.42.1.0/24', nodeIP: '172.30.1.11' },
    { name: 'd', podCIDR: '10.42.3.0/24', nodeIP: '172.30.1.13' },
  ]);
});

test('vtep MAC and address', () => {
  const cases: Array<[string, string]> = [
    ['172.30.5.10', '0e:5c:ac:1e:05:0a'],
    ['10.0.0.255', '0e:5c:0a:00:00:ff'],
  ];
  for (const [ip, mac] of cases) assert.equal(vtepMac(ip), mac);
  assert.equal(vtepAddress('10.42.7.0/24'), '10.42.7.0');
});

const peers: Peer[] = [
  { name: 'b', podCIDR: '10.42.1.0/24', nodeIP: '172.30.1.11' },
  { name: 'c', podCIDR: '10.42.2.0/24', nodeIP: '172.30.1.12' },
];

test('planHostGw: adds missing, replaces a moved gateway in place, deletes the rest', () => {
  const plan = planHostGw(
    [
      { dst: '10.42.1.0/24', gateway: '172.30.1.11' }, // correct
      { dst: '10.42.2.0/24', gateway: '172.30.1.99' }, // node c changed address
      { dst: '10.42.5.0/24', gateway: '172.30.1.15' }, // node gone
    ],
    peers,
  );
  assert.deepEqual(plan, {
    del: [['route', 'del', '10.42.5.0/24', 'via', '172.30.1.15', 'proto', '118']],
    add: [['route', 'replace', '10.42.2.0/24', 'via', '172.30.1.12', 'proto', '118']],
  });
  assert.deepEqual(planHostGw([], []), { del: [], add: [] });
});

test('planVxlan: neighbours before routes, fdb per peer address, stale entries removed', () => {
  const { ip, bridge } = planVxlan(
    'vx',
    {
      routes: [{ dst: '10.42.1.0/24', gateway: '10.42.1.0' }, { dst: '10.42.5.0/24', gateway: '10.42.5.0' }],
      neighs: [{ dst: '10.42.1.0', lladdr: '0e:5c:ac:1e:01:0b' }, { dst: '10.42.5.0', lladdr: '0e:5c:ac:1e:01:0f' }],
      fdb: [{ mac: '0e:5c:ac:1e:01:0b', dst: '172.30.1.11' }, { mac: '0e:5c:ac:1e:01:0f', dst: '172.30.1.15' }, { mac: '0e:5c:ac:1e:01:0a' }],
    },
    peers,
  );
  assert.deepEqual(ip.del, [
    ['route', 'del', '10.42.5.0/24', 'dev', 'vx', 'proto', '118'],
    ['neigh', 'del', '10.42.5.0', 'dev', 'vx'],
  ]);
  assert.deepEqual(ip.add, [
    ['neigh', 'replace', '10.42.2.0', 'lladdr', '0e:5c:ac:1e:01:0c', 'dev', 'vx', 'nud', 'permanent'],
    ['route', 'replace', '10.42.2.0/24', 'via', '10.42.2.0', 'dev', 'vx', 'onlink', 'proto', '118'],
  ]);
  assert.deepEqual(bridge, {
    del: [['fdb', 'del', '0e:5c:ac:1e:01:0f', 'dev', 'vx', 'dst', '172.30.1.15']],
    add: [['fdb', 'append', '0e:5c:ac:1e:01:0c', 'dev', 'vx', 'dst', '172.30.1.12']],
  });
});
