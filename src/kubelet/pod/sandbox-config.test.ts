// Tests for the sandbox config: hostname rules, hosts file, resolv.conf per dnsPolicy, ports, limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { buildSandboxConfig, podLimits } from './sandbox-config.js';
import { hostsFileContent, podHostnameAndDomain } from './hosts-file.js';
import { podDNSConfig, parseResolvConf } from './resolv-conf.js';

const HOST_RESOLV = '# generated\nnameserver 192.168.1.1\nnameserver 8.8.8.8\nsearch corp.example. lab.example\noptions edns0 ndots:2\n';
const ctx = { clusterDNS: ['10.43.0.10'], clusterDomain: 'cluster.local', hostResolvConf: HOST_RESOLV };
const mk = (spec: Partial<PodSpec> = {}, name = 'web-0'): Pod => ({
  metadata: { name, namespace: 'shop', uid: 'uid-1', labels: { app: 'web' } },
  spec: { containers: [{ name: 'c' }], ...spec },
});

test('hostname: spec.hostname, truncation to 63 without trailing - or .', () => {
  assert.equal(podHostnameAndDomain(mk()).hostname, 'web-0');
  assert.equal(podHostnameAndDomain(mk({ hostname: 'h' })).hostname, 'h');
  const long = 'a'.repeat(60) + '--.-bcd';
  assert.equal(podHostnameAndDomain(mk({}, long)).hostname, 'a'.repeat(60));
  assert.deepEqual(podHostnameAndDomain(mk({ subdomain: 'svc1' }), 'k.local'), { hostname: 'web-0', domain: 'svc1.shop.svc.k.local' });
  assert.equal(buildSandboxConfig(mk({ subdomain: 's', setHostnameAsFQDN: true }), ctx).hostname, 'web-0.s.shop.svc.cluster.local');
});

test('hosts file: managed header, pod IP line, subdomain FQDN, host aliases, hostNetwork', () => {
  const base =
    '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' +
    'fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
  assert.equal(hostsFileContent(mk()), base);
  assert.equal(hostsFileContent(mk(), '10.42.0.7'), base + '10.42.0.7\tweb-0\n');
  assert.equal(hostsFileContent(mk({ subdomain: 'db' }), '10.42.0.7'), base + '10.42.0.7\tweb-0.db.shop.svc.cluster.local\tweb-0\n');
  const aliases = mk({ hostAliases: [{ ip: '1.2.3.4', hostnames: ['foo', 'bar'] }] });
  assert.equal(hostsFileContent(aliases, ['10.42.0.7']), base + '10.42.0.7\tweb-0\n\n# Entries added by HostAliases.\n1.2.3.4\tfoo\tbar\n');
  assert.equal(
    hostsFileContent(mk({ hostNetwork: true }), '192.168.1.5', { hostHostsFile: '127.0.0.1 localhost\n' }),
    '# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n',
  );
});

test('resolv.conf per dnsPolicy', () => {
  const cases: Array<[string, Partial<PodSpec>, string]> = [
    ['ClusterFirst', {}, 'search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\nnameserver 10.43.0.10\noptions ndots:5\n'],
    ['ClusterFirst on hostNetwork → host', { hostNetwork: true }, 'search corp.example lab.example\nnameserver 192.168.1.1\nnameserver 8.8.8.8\noptions edns0 ndots:2\n'],
    ['ClusterFirstWithHostNet', { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }, 'search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\nnameserver 10.43.0.10\noptions ndots:5\n'],
    ['Default', { dnsPolicy: 'Default' }, 'search corp.example lab.example\nnameserver 192.168.1.1\nnameserver 8.8.8.8\noptions edns0 ndots:2\n'],
    ['None', { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a.b'], options: [{ name: 'ndots', value: '1' }, { name: 'rotate' }] } }, 'search a.b\nnameserver 1.1.1.1\noptions ndots:1 rotate\n'],
    ['ClusterFirst + dnsConfig merge', { dnsConfig: { nameservers: ['10.43.0.10', '9.9.9.9'], searches: ['x.y', 'svc.cluster.local'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } },
      'search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example x.y\nnameserver 10.43.0.10\nnameserver 9.9.9.9\noptions ndots:2 edns0\n'],
  ];
  for (const [name, spec, want] of cases) assert.equal(buildSandboxConfig(mk(spec), ctx).resolvConf, want, name);
});

test('DNS limits: 3 nameservers, 32 search paths, overlong domains dropped; no clusterDNS falls back to host', () => {
  const searches = Array.from({ length: 40 }, (_, i) => `d${i}.example`);
  const cfg = podDNSConfig(mk({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4'], searches: ['x'.repeat(254), ...searches] } }), ctx);
  assert.deepEqual(cfg.servers, ['1.1.1.1', '2.2.2.2', '3.3.3.3']);
  assert.equal(cfg.searches.length, 31); // first 32, minus the 254-character one
  assert.equal(cfg.searches[0], 'd0.example');
  assert.deepEqual(podDNSConfig(mk(), { ...ctx, clusterDNS: [] }).servers, ['192.168.1.1', '8.8.8.8']);
  assert.deepEqual(parseResolvConf('search a. .\nsearch b c.\n').searches, ['b', 'c']);
});

test('sandbox: identity, labels, ports, qos, pod limits', () => {
  const pod = mk({
    containers: [
      { name: 'a', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81 }, { containerPort: 53, hostPort: 5353, protocol: 'UDP', hostIP: '127.0.0.1' }], resources: { limits: { cpu: '200m', memory: '64Mi' } } },
      { name: 'b', resources: { limits: { cpu: '300m', memory: '64Mi' } } },
    ],
    initContainers: [{ name: 'i', resources: { limits: { cpu: '1', memory: '32Mi' } } }],
  });
  const s = buildSandboxConfig(pod, { ...ctx, podIP: '10.42.0.9' });
  assert.equal(s.uid, 'uid-1');
  assert.equal(s.namespace, 'shop');
  assert.equal(s.labels?.app, 'web');
  assert.equal(s.labels?.['io.kubernetes.pod.uid'], 'uid-1');
  assert.deepEqual(s.portMappings, [
    { protocol: 'TCP', containerPort: 80, hostPort: 8080 },
    { protocol: 'UDP', containerPort: 53, hostPort: 5353, hostIP: '127.0.0.1' },
  ]);
  assert.equal(s.qosClass, 'Guaranteed');
  assert.equal(s.cpuLimitMillis, 1000);
  assert.equal(s.memoryLimitBytes, 128 * 1024 * 1024);
  assert.match(s.hostsFile, /10\.42\.0\.9\tweb-0\n$/);
  assert.deepEqual(buildSandboxConfig(mk({ hostNetwork: true, containers: pod.spec!.containers }), ctx).portMappings, []);
  assert.deepEqual(podLimits(mk({ containers: [{ name: 'a', resources: { limits: { cpu: '1' } } }, { name: 'b' }] })), {});
});
