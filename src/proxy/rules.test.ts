// The rendered ruleset, rule by rule: which chains exist and where each jumps for ClusterIP, NodePort,
// load-balancer addresses, session affinity, services without endpoints, the Local traffic policies and
// the serving+terminating fallback; plus determinism (same state → same text, any change → new text).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { chainNames } from './chain-names.js';
import { buildRules, declaredChains, type RuleOptions } from './rules.js';

const opts: RuleOptions = { nodeName: 'n1', nodeIPs: ['192.168.5.10'], serviceCIDR: '10.43.0.0/16', clusterCIDR: '10.42.0.0/16' };
const N = chainNames('KUBE');

function svc(name: string, spec: Partial<NonNullable<Service['spec']>> = {}, status?: Service['status']): Service {
  return {
    metadata: { namespace: 'default', name },
    spec: { type: 'ClusterIP', clusterIP: '10.43.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...spec },
    status,
  };
}
interface Ep { ip: string; node?: string; ready?: boolean; serving?: boolean; terminating?: boolean }
function slice(service: string, eps: Ep[], ports: Array<{ name?: string; port: number; protocol?: string }> = [{ name: 'http', port: 8080 }]): EndpointSlice {
  return {
    metadata: { namespace: 'default', name: `${service}-abc`, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports: ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' })),
    endpoints: eps.map((e) => ({ addresses: [e.ip], nodeName: e.node ?? 'n1', conditions: { ready: e.ready ?? true, serving: e.serving, terminating: e.terminating } })),
  };
}
/** The -A lines of one chain in one table. */
function chain(text: string, table: string, name: string): string[] {
  const section = text.split('COMMIT').find((s) => s.includes(`*${table}\n`)) ?? '';
  return section.split('\n').filter((l) => l.startsWith(`-A ${name} `)).map((l) => l.slice(`-A ${name} `.length));
}
const sep = (id: string, ep: string) => N.sep(id, 'tcp', ep);

describe('buildRules', () => {
  test('ClusterIP with two ready endpoints: SERVICES → SVC → SEP with equal probability', () => {
    const text = buildRules({ services: [svc('web')], endpointSlices: [slice('web', [{ ip: '10.42.0.2' }, { ip: '10.42.0.3' }])] }, opts);
    const id = 'default/web:http';
    const svcChain = N.svc(id, 'tcp');
    assert.deepEqual(chain(text, 'nat', 'KUBE-SERVICES'), [
      `-m comment --comment "${id} cluster IP" -d 10.43.0.20/32 -p tcp -m tcp --dport 80 -j ${svcChain}`,
      '-m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -d 192.168.5.10/32 -j KUBE-NODEPORTS',
    ]);
    assert.deepEqual(chain(text, 'nat', svcChain), [
      `-m comment --comment "${id} cluster IP" -d 10.43.0.20/32 -p tcp -m tcp --dport 80 ! -s 10.42.0.0/16 -j KUBE-MARK-MASQ`,
      `-m comment --comment "${id} -> 10.42.0.2:8080" -m statistic --mode random --probability 0.5000000000 -j ${sep(id, '10.42.0.2:8080')}`,
      `-m comment --comment "${id} -> 10.42.0.3:8080" -j ${sep(id, '10.42.0.3:8080')}`,
    ]);
    assert.deepEqual(chain(text, 'nat', sep(id, '10.42.0.2:8080')), [
      `-m comment --comment "${id}" -s 10.42.0.2/32 -j KUBE-MARK-MASQ`,
      `-m comment --comment "${id}" -p tcp -m tcp -j DNAT --to-destination 10.42.0.2:8080`,
    ]);
    assert.deepEqual(chain(text, 'nat', 'KUBE-POSTROUTING'), [
      '-m mark ! --mark 0x4000/0x4000 -j RETURN',
      '-j MARK --xor-mark 0x4000',
      '-m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    ]);
    assert.deepEqual(chain(text, 'filter', 'KUBE-SERVICES'), ['-m comment --comment "no such service" -d 10.43.0.0/16 -j REJECT --reject-with icmp-port-unreachable']);
    assert.equal(svcChain.length <= 28 && /^KUBE-SVC-[A-Z2-7]{16}$/.test(svcChain), true);
  });

  test('three endpoints get 1/3, 1/2, rest; multi-port and UDP each get their own chains', () => {
    const s = svc('dns', { ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] });
    const ports = [{ name: 'dns', port: 5353, protocol: 'UDP' }, { name: 'dns-tcp', port: 5353, protocol: 'TCP' }];
    const text = buildRules({ services: [s], endpointSlices: [slice('dns', [{ ip: '10.42.0.4' }, { ip: '10.42.0.2' }, { ip: '10.42.0.3' }], ports)] }, opts);
    const udp = N.svc('default/dns:dns', 'udp');
    const rules = chain(text, 'nat', udp);
    assert.match(rules[1]!, /10\.42\.0\.2:5353" -m statistic --mode random --probability 0\.3333333333 -j KUBE-SEP-/);
    assert.match(rules[2]!, /10\.42\.0\.3:5353" -m statistic --mode random --probability 0\.5000000000 -j KUBE-SEP-/);
    assert.match(rules[3]!, /10\.42\.0\.4:5353" -j KUBE-SEP-/);
    assert.match(chain(text, 'nat', 'KUBE-SERVICES')[0]!, /-p udp -m udp --dport 53 -j KUBE-SVC-/);
    assert.match(chain(text, 'nat', 'KUBE-SERVICES')[1]!, /dns-tcp cluster IP" -d 10\.43\.0\.20\/32 -p tcp -m tcp --dport 53/);
    assert.deepEqual(chain(text, 'nat', N.sep('default/dns:dns', 'udp', '10.42.0.4:5353'))[1], '-m comment --comment "default/dns:dns" -p udp -m udp -j DNAT --to-destination 10.42.0.4:5353');
  });

  test('NodePort and load-balancer ingress go through KUBE-EXT (masquerade, then SVC)', () => {
    const s = svc('web', { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' }] }, { loadBalancer: { ingress: [{ ip: '192.168.5.10' }] } });
    const text = buildRules({ services: [s], endpointSlices: [slice('web', [{ ip: '10.42.0.2' }])] }, opts);
    const id = 'default/web:http';
    const ext = N.ext(id, 'tcp');
    assert.deepEqual(chain(text, 'nat', 'KUBE-NODEPORTS'), [`-m comment --comment "${id}" -p tcp -m tcp --dport 30080 -j ${ext}`]);
    assert.equal(chain(text, 'nat', 'KUBE-SERVICES')[1], `-m comment --comment "${id} external IP" -d 192.168.5.10/32 -p tcp -m tcp --dport 80 -j ${ext}`);
    assert.deepEqual(chain(text, 'nat', ext), [`-m comment --comment "masquerade traffic for ${id} external destinations" -j KUBE-MARK-MASQ`, `-j ${N.svc(id, 'tcp')}`]);
  });

  test('nodeIPs [] serves node ports on every local address', () => {
    const text = buildRules({ services: [], endpointSlices: [] }, { ...opts, nodeIPs: [] });
    assert.deepEqual(chain(text, 'nat', 'KUBE-SERVICES'), [
      '-m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    ]);
  });

  test('ClientIP affinity: recent --rcheck before the statistic rules, --set on DNAT', () => {
    const s = svc('web', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } });
    const text = buildRules({ services: [s], endpointSlices: [slice('web', [{ ip: '10.42.0.2' }, { ip: '10.42.0.3' }])] }, opts);
    const id = 'default/web:http';
    const a = sep(id, '10.42.0.2:8080');
    const b = sep(id, '10.42.0.3:8080');
    assert.deepEqual(chain(text, 'nat', N.svc(id, 'tcp')).slice(1), [
      `-m comment --comment "${id} -> 10.42.0.2:8080" -m recent --name ${a} --rcheck --seconds 60 --reap -j ${a}`,
      `-m comment --comment "${id} -> 10.42.0.3:8080" -m recent --name ${b} --rcheck --seconds 60 --reap -j ${b}`,
      `-m comment --comment "${id} -> 10.42.0.2:8080" -m statistic --mode random --probability 0.5000000000 -j ${a}`,
      `-m comment --comment "${id} -> 10.42.0.3:8080" -j ${b}`,
    ]);
    assert.equal(chain(text, 'nat', a)[1], `-m comment --comment "${id}" -p tcp -m tcp -m recent --name ${a} --set -j DNAT --to-destination 10.42.0.2:8080`);
    const dflt = buildRules({ services: [svc('web', { sessionAffinity: 'ClientIP' })], endpointSlices: [slice('web', [{ ip: '10.42.0.2' }])] }, opts);
    assert.match(dflt, /--rcheck --seconds 10800 --reap/);
  });

  test('no ready endpoints: REJECT in filter for the cluster IP and node port, no nat chains', () => {
    const s = svc('web', { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' }] });
    const text = buildRules({ services: [s], endpointSlices: [slice('web', [{ ip: '10.42.0.2', ready: false }])] }, opts);
    const id = 'default/web:http';
    assert.deepEqual(chain(text, 'filter', 'KUBE-SERVICES'), [
      `-m comment --comment "${id} has no endpoints" -d 10.43.0.20/32 -p tcp -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable`,
      '-m comment --comment "no such service" -d 10.43.0.0/16 -j REJECT --reject-with icmp-port-unreachable',
    ]);
    assert.deepEqual(chain(text, 'filter', 'KUBE-EXTERNAL-SERVICES'), [
      `-m comment --comment "${id} has no endpoints" -m addrtype --dst-type LOCAL -p tcp -m tcp --dport 30080 -j REJECT --reject-with icmp-port-unreachable`,
    ]);
    assert.equal([...declaredChains(text)].some((c) => /-(SVC|SEP|EXT)-/.test(c)), false);
    assert.deepEqual(chain(text, 'nat', 'KUBE-NODEPORTS'), []);
  });

  test('serving+terminating endpoints are used only when none is ready', () => {
    const terminating = { ip: '10.42.0.2', ready: false, serving: true, terminating: true };
    const alone = buildRules({ services: [svc('web')], endpointSlices: [slice('web', [terminating])] }, opts);
    assert.match(alone, /DNAT --to-destination 10\.42\.0\.2:8080/);
    const withReady = buildRules({ services: [svc('web')], endpointSlices: [slice('web', [terminating, { ip: '10.42.0.3' }])] }, opts);
    assert.doesNotMatch(withReady, /10\.42\.0\.2:8080/);
    const notServing = buildRules({ services: [svc('web')], endpointSlices: [slice('web', [{ ...terminating, serving: false }])] }, opts);
    assert.match(notServing, /has no endpoints/);
  });

  test('externalTrafficPolicy Local: pods and the node short-circuit to SVC, outside traffic to SVL (local endpoints only)', () => {
    const s = svc('web', { type: 'NodePort', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' }] });
    const eps = [{ ip: '10.42.0.2', node: 'n1' }, { ip: '10.42.1.2', node: 'n2' }];
    const text = buildRules({ services: [s], endpointSlices: [slice('web', eps)] }, opts);
    const id = 'default/web:http';
    const svcC = N.svc(id, 'tcp');
    const svl = N.svl(id, 'tcp');
    assert.deepEqual(chain(text, 'nat', N.ext(id, 'tcp')), [
      `-m comment --comment "pod traffic for ${id} external destinations" -s 10.42.0.0/16 -j ${svcC}`,
      `-m comment --comment "masquerade LOCAL traffic for ${id} external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
      `-m comment --comment "route LOCAL traffic for ${id} external destinations" -m addrtype --src-type LOCAL -j ${svcC}`,
      `-j ${svl}`,
    ]);
    assert.deepEqual(chain(text, 'nat', svl), [`-m comment --comment "${id} -> 10.42.0.2:8080" -j ${sep(id, '10.42.0.2:8080')}`]);
    assert.equal(chain(text, 'nat', svcC).length, 3, 'cluster chain keeps both endpoints');
    // The same service seen from n3, which runs no endpoint: external traffic is dropped, cluster IP still works.
    const n3 = buildRules({ services: [s], endpointSlices: [slice('web', eps)] }, { ...opts, nodeName: 'n3' });
    assert.deepEqual(chain(n3, 'filter', 'KUBE-EXTERNAL-SERVICES'), [
      `-m comment --comment "${id} has no local endpoints" -m addrtype --dst-type LOCAL -p tcp -m tcp --dport 30080 -j DROP`,
    ]);
    assert.deepEqual(chain(n3, 'nat', 'KUBE-NODEPORTS'), []);
    assert.match(chain(n3, 'nat', 'KUBE-SERVICES')[0]!, new RegExp(`-j ${svcC}$`));
  });

  test('internalTrafficPolicy Local: the cluster IP jumps to SVL; no local endpoint → DROP', () => {
    const s = svc('web', { internalTrafficPolicy: 'Local' });
    const eps = [{ ip: '10.42.0.2', node: 'n1' }, { ip: '10.42.1.2', node: 'n2' }];
    const text = buildRules({ services: [s], endpointSlices: [slice('web', eps)] }, opts);
    const id = 'default/web:http';
    assert.match(chain(text, 'nat', 'KUBE-SERVICES')[0]!, new RegExp(`-j ${N.svl(id, 'tcp')}$`));
    assert.deepEqual(chain(text, 'nat', N.svc(id, 'tcp')), [], 'no cluster chain without external destinations');
    assert.doesNotMatch(text, /10\.42\.1\.2/);
    const n3 = buildRules({ services: [s], endpointSlices: [slice('web', eps)] }, { ...opts, nodeName: 'n3' });
    assert.match(chain(n3, 'filter', 'KUBE-SERVICES')[0]!, /has no local endpoints" -d 10\.43\.0\.20\/32 -p tcp -m tcp --dport 80 -j DROP$/);
  });

  test('ExternalName and headless services get no rules', () => {
    const empty = buildRules({ services: [], endpointSlices: [] }, opts);
    const text = buildRules(
      {
        services: [svc('ext', { type: 'ExternalName', clusterIP: undefined, externalName: 'example.org' }), svc('headless', { clusterIP: 'None' })],
        endpointSlices: [slice('headless', [{ ip: '10.42.0.2' }])],
      },
      opts,
    );
    assert.equal(text, empty);
  });

  test('deterministic: input order does not matter; any relevant change gives new text', () => {
    const a = svc('a', { clusterIP: '10.43.0.21' });
    const b = svc('b', { clusterIP: '10.43.0.22' });
    const sa = slice('a', [{ ip: '10.42.0.2' }, { ip: '10.42.0.3' }]);
    const sb = slice('b', [{ ip: '10.42.0.4' }]);
    const base = buildRules({ services: [a, b], endpointSlices: [sa, sb] }, opts);
    assert.equal(buildRules({ services: [b, a], endpointSlices: [sb, sa] }, opts), base);
    assert.notEqual(buildRules({ services: [a, b], endpointSlices: [sa, slice('b', [{ ip: '10.42.0.5' }])] }, opts), base);
    assert.notEqual(buildRules({ services: [a, b], endpointSlices: [sa, slice('b', [{ ip: '10.42.0.4', ready: false }])] }, opts), base);
    assert.notEqual(buildRules({ services: [a], endpointSlices: [sa, sb] }, opts), base);
  });

  test('above 1,000 endpoints the per-endpoint rules carry no comments', () => {
    const eps = Array.from({ length: 1001 }, (_, i) => ({ ip: `10.42.${i >> 8}.${i & 255}` }));
    const text = buildRules({ services: [svc('big')], endpointSlices: [slice('big', eps)] }, opts);
    const id = 'default/big:http';
    assert.equal(chain(text, 'nat', N.svc(id, 'tcp')).at(-1), `-j ${sep(id, '10.42.3.232:8080')}`);
    assert.equal(chain(text, 'nat', sep(id, '10.42.0.0:8080'))[0], '-s 10.42.0.0/32 -j KUBE-MARK-MASQ');
  });

  test('chain prefix keeps names within 28 characters', () => {
    const long = chainNames('SKT123ABCD');
    assert.ok(long.svc('default/web:http', 'tcp').length <= 28);
    assert.ok(long.externalServices.length <= 28);
    assert.throws(() => chainNames('skt'), /chain prefix/);
  });
});
