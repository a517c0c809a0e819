// Unit tests of the nftables renderer (pure) and of the syncer's transactions (fake exec): what a
// cluster state turns into, and that each sync is one `nft -f -` with the right head.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Exec } from '../exec.js';
import { NftSyncer } from './nft-syncer.js';
import { NftTableNameError, renderNft, type NftRuleOptions } from './render-nft.js';

const OPTS: NftRuleOptions = { nodeName: 'n1', nodeIPs: ['192.168.1.10'], serviceCIDR: '10.43.0.0/16', clusterCIDR: '10.42.0.0/16' };

function svc(name: string, clusterIP: string, spec: Partial<NonNullable<Service['spec']>> = {}): Service {
  return { metadata: { namespace: 'ns', name }, spec: { clusterIP, ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...spec } };
}
function slice(name: string, eps: Array<{ ip: string; node?: string; ready?: boolean }>): EndpointSlice {
  return {
    metadata: { namespace: 'ns', name: `${name}-x`, labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: eps.map((e) => ({ addresses: [e.ip], nodeName: e.node ?? 'n1', conditions: { ready: e.ready ?? true } })),
  };
}
/** The rules of the first chain whose name is `name` or, for 'service-' and the like, a per-service chain of that kind. */
function chain(text: string, name: string): string[] {
  const pattern = name.endsWith('-') ? `${name}[A-Z2-7]{8}-\\S*` : name;
  const m = new RegExp(`\\tchain (${pattern}) \\{\\n((?:\\t\\t.*\\n)*)\\t\\}`).exec(text);
  assert.ok(m, `no chain ${name}`);
  return m[2]!.split('\n').filter(Boolean).map((l) => l.trim());
}
function mapElements(text: string, map: string): string[] {
  const m = new RegExp(`\\tmap ${map} \\{\\n\\t\\ttype [^\\n]*\\n(?:\\t\\telements = \\{\\n((?:\\t\\t\\t.*\\n)*)\\t\\t\\}\\n)?\\t\\}`).exec(text);
  assert.ok(m, `no map ${map}`);
  return (m[1] ?? '').split('\n').filter(Boolean).map((l) => l.trim().replace(/,$/, ''));
}

describe('renderNft', () => {
  test('ClusterIP with two endpoints: service-ips → service chain → numgen cascade over endpoint chains', () => {
    const r = renderNft({ services: [svc('web', '10.43.0.50')], endpointSlices: [slice('web', [{ ip: '10.42.0.3' }, { ip: '10.42.0.2' }])] }, OPTS);
    assert.equal(r.table, 'kube-proxy');
    assert.match(r.text, /^table ip kube-proxy \{\n/);
    const [el] = mapElements(r.text, 'service-ips');
    assert.match(el!, /^10\.43\.0\.50 \. tcp \. 80 : goto service-[A-Z2-7]{8}-ns\/web\/tcp\/http$/);
    const rules = chain(r.text, 'service-');
    assert.equal(rules[0], 'ip daddr 10.43.0.50 tcp dport 80 ip saddr != 10.42.0.0/16 jump mark-for-masquerade');
    assert.match(rules[1]!, /^numgen random mod 2 0 goto endpoint-\w+-ns\/web\/tcp\/http__10\.42\.0\.2\/8080$/);
    assert.match(rules[2]!, /^goto endpoint-\w+-ns\/web\/tcp\/http__10\.42\.0\.3\/8080$/);
    assert.equal(rules.length, 3);
    assert.deepEqual(chain(r.text, 'endpoint-'), ['ip saddr 10.42.0.2 jump mark-for-masquerade', 'meta l4proto tcp dnat to 10.42.0.2:8080']);
    assert.deepEqual(mapElements(r.text, 'no-endpoint-services'), []);
    // Base chains at the upstream hooks; only marked packets are masqueraded.
    assert.match(r.text, /chain nat-prerouting \{\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n\t\tjump services/);
    assert.match(r.text, /chain nat-postrouting \{\n\t\ttype nat hook postrouting priority srcnat;/);
    assert.deepEqual(chain(r.text, 'masquerading'), ['meta mark & 0x00004000 == 0 return', 'meta mark set meta mark ^ 0x00004000', 'masquerade fully-random']);
    assert.deepEqual(chain(r.text, 'cluster-ips-check'), ['ip daddr 10.43.0.0/16 reject']);
    assert.ok(r.chains.has('filter-forward') && r.chains.has('reject-chain') && r.sets.size === 0);
  });

  test('NodePort: service-nodeports → external chain (mark, goto service); node IPs or fib local', () => {
    const state = { services: [svc('web', '10.43.0.50', { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' }] })], endpointSlices: [slice('web', [{ ip: '10.42.0.2' }])] };
    const r = renderNft(state, OPTS);
    assert.match(mapElements(r.text, 'service-nodeports')[0]!, /^tcp \. 30080 : goto external-\w+-ns\/web\/tcp\/http$/);
    assert.deepEqual(chain(r.text, 'external-'), ['jump mark-for-masquerade', `goto ${[...r.chains].find((c) => /^service-[A-Z2-7]{8}-/.test(c))}`]);
    assert.equal(chain(r.text, 'services')[1], 'ip daddr { 192.168.1.10 } meta l4proto . th dport vmap @service-nodeports');
    const all = renderNft(state, { ...OPTS, nodeIPs: [] });
    assert.equal(chain(all.text, 'services')[1], 'fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports');
  });

  test('no ready endpoints: cluster IP and node port go to the reject maps, no service chains', () => {
    const state = {
      services: [svc('web', '10.43.0.50', { type: 'NodePort', externalIPs: ['1.2.3.4'], ports: [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' }] })],
      endpointSlices: [slice('web', [{ ip: '10.42.0.2', ready: false }])],
    };
    const r = renderNft(state, OPTS);
    assert.deepEqual(mapElements(r.text, 'service-ips'), []);
    assert.deepEqual(mapElements(r.text, 'no-endpoint-services'), ['10.43.0.50 . tcp . 80 : goto reject-chain', '1.2.3.4 . tcp . 80 : goto reject-chain']);
    assert.deepEqual(mapElements(r.text, 'no-endpoint-nodeports'), ['tcp . 30080 : goto reject-chain']);
    assert.equal([...r.chains].some((c) => /^(service|external|endpoint)-[A-Z2-7]{8}-/.test(c)), false);
    assert.deepEqual(chain(r.text, 'reject-chain'), ['reject']);
  });

  test('ClientIP affinity: a set per endpoint, checked before numgen, refreshed with the timeout on DNAT', () => {
    const r = renderNft({ services: [svc('web', '10.43.0.50', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } })], endpointSlices: [slice('web', [{ ip: '10.42.0.2' }, { ip: '10.42.0.3' }])] }, OPTS);
    assert.equal(r.sets.size, 2);
    const [a2] = [...r.sets];
    assert.match(a2!, /^affinity-\w+-ns\/web\/tcp\/http__10\.42\.0\.2\/8080$/);
    assert.ok(r.text.includes(`set ${a2} { type ipv4_addr; flags dynamic,timeout; }`));
    const rules = chain(r.text, 'service-');
    assert.match(rules[1]!, new RegExp(`^ip saddr @${a2!.replace(/[/.]/g, '\\$&')} goto endpoint-\\w+-ns/web/tcp/http__10\\.42\\.0\\.2/8080$`));
    assert.match(rules[3]!, /^numgen random mod 2 0 goto /);
    assert.deepEqual(chain(r.text, 'endpoint-'), ['ip saddr 10.42.0.2 jump mark-for-masquerade', `update @${a2} { ip saddr timeout 60s }`, 'meta l4proto tcp dnat to 10.42.0.2:8080']);
  });

  test('externalTrafficPolicy Local: pods and the node use all endpoints, outside traffic only local ones', () => {
    const spec = { type: 'NodePort' as const, externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' }] };
    const r = renderNft({ services: [svc('web', '10.43.0.50', spec)], endpointSlices: [slice('web', [{ ip: '10.42.0.2' }, { ip: '10.42.1.2', node: 'n2' }])] }, OPTS);
    const svcChain = [...r.chains].find((c) => /^service-[A-Z2-7]{8}-/.test(c))!;
    const local = [...r.chains].find((c) => c.startsWith('local-'))!;
    assert.deepEqual(chain(r.text, 'external-'), [`ip saddr 10.42.0.0/16 goto ${svcChain}`, 'fib saddr type local jump mark-for-masquerade', `fib saddr type local goto ${svcChain}`, `goto ${local}`]);
    assert.deepEqual(chain(r.text, 'local-').map((l) => l.replace(/-[A-Z2-7]{8}-/, '-H-')), ['goto endpoint-H-ns/web/tcp/http__10.42.0.2/8080']);
    assert.match(chain(r.text, 'service-')[1]!, /^numgen random mod 2 /);
    // No local endpoint: the node port is dropped here (others serve it), not rejected; the cluster IP still works.
    const none = renderNft({ services: [svc('web', '10.43.0.50', spec)], endpointSlices: [slice('web', [{ ip: '10.42.1.2', node: 'n2' }])] }, OPTS);
    assert.deepEqual(mapElements(none.text, 'no-endpoint-nodeports'), ['tcp . 30080 : drop']);
    assert.equal(mapElements(none.text, 'service-ips').length, 1);
  });

  test('three endpoints: shares 1/3, then 1/2 of the rest, then the rest', () => {
    const r = renderNft({ services: [svc('web', '10.43.0.50')], endpointSlices: [slice('web', [{ ip: '10.42.0.2' }, { ip: '10.42.0.3' }, { ip: '10.42.0.4' }])] }, OPTS);
    assert.deepEqual(chain(r.text, 'service-').slice(1).map((l) => l.replace(/ endpoint-.*__/, ' ')), ['numgen random mod 3 0 goto 10.42.0.2/8080', 'numgen random mod 2 0 goto 10.42.0.3/8080', 'goto 10.42.0.4/8080']);
  });

  test('table name is configurable and checked; output is deterministic', () => {
    const state = { services: [svc('b', '10.43.0.2'), svc('a', '10.43.0.1')], endpointSlices: [slice('a', [{ ip: '10.42.0.2' }])] };
    assert.match(renderNft(state, { ...OPTS, table: 'skt-1' }).text, /^table ip skt-1 \{/);
    assert.throws(() => renderNft(state, { ...OPTS, table: 'Bad name' }), NftTableNameError);
    assert.throws(() => renderNft(state, { ...OPTS, table: 'much-too-long' }), NftTableNameError);
    const reversed = { services: [...state.services].reverse(), endpointSlices: state.endpointSlices };
    assert.equal(renderNft(state, OPTS).text, renderNft(reversed, OPTS).text);
  });
});

describe('NftSyncer', () => {
  function fake(): { exec: Exec; calls: Array<{ argv: string[]; stdin?: string }> } {
    const calls: Array<{ argv: string[]; stdin?: string }> = [];
    const exec: Exec = async (argv, opts) => {
      calls.push({ argv: [...argv], stdin: opts?.stdin });
      return { stdout: '', stderr: '', exitCode: 0 };
    };
    return { exec, calls };
  }
  const nftInputs = (calls: Array<{ argv: string[]; stdin?: string }>) => calls.filter((c) => c.argv[0] === 'nft' && c.argv[1] === '-f').map((c) => c.stdin!);

  test('first sync recreates the table; later ones flush, delete what is gone, skip what is unchanged', async () => {
    const { exec, calls } = fake();
    const s = new NftSyncer({ ...OPTS, table: 'skt-x', exec, serviceRoute: 'unreachable' });
    await s.init();
    assert.deepEqual(calls[0]!.argv, ['ip', 'route', 'replace', 'unreachable', '10.43.0.0/16']);
    const two = { services: [svc('a', '10.43.0.1', { sessionAffinity: 'ClientIP' }), svc('b', '10.43.0.2')], endpointSlices: [slice('a', [{ ip: '10.42.0.2' }]), slice('b', [{ ip: '10.42.0.3' }])] };
    assert.equal(await s.sync(two), true);
    let [input] = nftInputs(calls);
    assert.match(input!, /^table ip skt-x \{ \}\ndelete table ip skt-x\ntable ip skt-x \{\n/);
    assert.equal(s.lastSync?.full, true);
    assert.equal(await s.sync(two), false);
    assert.equal(nftInputs(calls).length, 1);

    assert.equal(await s.sync({ services: [two.services[1]!], endpointSlices: two.endpointSlices }), true);
    input = nftInputs(calls)[1]!;
    const head = input.slice(0, input.indexOf('table ip skt-x {')).trim().split('\n');
    assert.deepEqual(head.slice(0, 5), ['flush table ip skt-x', 'flush map ip skt-x service-ips', 'flush map ip skt-x service-nodeports', 'flush map ip skt-x no-endpoint-services', 'flush map ip skt-x no-endpoint-nodeports']);
    assert.deepEqual(head.slice(5).map((l) => l.replace(/-[A-Z2-7]{8}-.*/, '')), ['delete chain ip skt-x service', 'delete chain ip skt-x endpoint', 'delete set ip skt-x affinity']);
    assert.deepEqual(s.lastSync, { full: false, chainsWritten: 15, chainsDeleted: 2 });
  });

  test('a failed apply makes the next sync start from nothing; cleanup deletes table and routes', async () => {
    const { exec: ok, calls } = fake();
    let fail = false;
    const exec: Exec = async (argv, opts) => {
      if (fail && argv[0] === 'nft') throw new Error('nft failed');
      return ok(argv, opts);
    };
    const s = new NftSyncer({ ...OPTS, exec, serviceRoute: 'sink' });
    const st = { services: [svc('a', '10.43.0.1')], endpointSlices: [] };
    await s.sync(st);
    assert.ok(calls.some((c) => c.argv.join(' ') === 'ip route replace 10.43.0.0/16 dev kube-proxy-svc'));
    fail = true;
    await assert.rejects(s.sync({ services: [], endpointSlices: [] }));
    fail = false;
    await s.sync(st);
    assert.match(nftInputs(calls).at(-1)!, /^table ip kube-proxy \{ \}\ndelete table ip kube-proxy\n/);
    calls.length = 0;
    await s.cleanup();
    assert.deepEqual(calls.map((c) => c.argv.join(' ')), [
      'nft -f -',
      'ip route del unreachable 10.43.0.0/16',
      'ip route del 10.43.0.0/16 dev kube-proxy-svc',
      'ip link del kube-proxy-svc',
    ]);
    assert.equal(calls[0]!.stdin, 'table ip kube-proxy { }\ndelete table ip kube-proxy\n');
  });
});
