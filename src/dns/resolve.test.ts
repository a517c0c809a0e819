// Table-driven tests of the pure resolver against the fixture zone: every record kind of the
// Kubernetes DNS spec, NXDOMAIN vs NODATA, case-insensitivity, CNAME chasing and forwarding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer as RR } from 'dns-packet';
import { resolve, type Answer } from './resolve.js';
import { DNS_SCHEMA_VERSION } from './records.js';
import { fixtureIndex, ZONE } from './fixtures.test-util.js';
import { serviceRecords } from './service-records.js';
import { svc } from './fixtures.test-util.js';

const index = fixtureIndex();
const ask = (name: string, type: string) => resolve(index, { name, type });
const answered = (a: Answer) => {
  assert.equal(a.kind, 'answer');
  return a as Extract<Answer, { kind: 'answer' }>;
};
/** 'TYPE data' strings of the answer section, sorted. */
const datas = (a: Answer) =>
  answered(a)
    .answers.map((r: RR) => `${r.type} ${typeof (r as { data: unknown }).data === 'object' ? JSON.stringify((r as { data: unknown }).data) : String((r as { data: unknown }).data)}`)
    .sort();

const cases: Array<[string, string, string, string[]]> = [
  // [name, type, rcode, answers]
  ['web.default.svc.cluster.local', 'A', 'NOERROR', ['A 10.43.0.20']],
  ['WEB.Default.Svc.Cluster.Local.', 'A', 'NOERROR', ['A 10.43.0.20']],
  ['dual.default.svc.cluster.local', 'AAAA', 'NOERROR', ['AAAA fd00:43::30']],
  ['_http._tcp.web.default.svc.cluster.local', 'SRV', 'NOERROR', [`SRV {"priority":0,"weight":100,"port":80,"target":"web.default.svc.cluster.local"}`]],
  ['_dns._udp.web.default.svc.cluster.local', 'SRV', 'NOERROR', [`SRV {"priority":0,"weight":100,"port":53,"target":"web.default.svc.cluster.local"}`]],
  ['20.0.43.10.in-addr.arpa', 'PTR', 'NOERROR', ['PTR web.default.svc.cluster.local']],
  // headless: ready (and nil-ready) endpoints only
  ['db.prod.svc.cluster.local', 'A', 'NOERROR', ['A 10.42.0.5', 'A 10.42.0.6']],
  ['db-0.db.prod.svc.cluster.local', 'A', 'NOERROR', ['A 10.42.0.5']],
  ['db-2.db.prod.svc.cluster.local', 'A', 'NXDOMAIN', []],
  [
    '_pg._tcp.db.prod.svc.cluster.local',
    'SRV',
    'NOERROR',
    [`SRV {"priority":0,"weight":50,"port":5432,"target":"db-0.db.prod.svc.cluster.local"}`, `SRV {"priority":0,"weight":50,"port":5432,"target":"db-1.db.prod.svc.cluster.local"}`],
  ],
  ['5.0.42.10.in-addr.arpa', 'PTR', 'NOERROR', ['PTR db-0.db.prod.svc.cluster.local']],
  // headless endpoint without hostname: dashed-address name, SRV target and PTR
  ['10-42-1-9.anon.prod.svc.cluster.local', 'A', 'NOERROR', ['A 10.42.1.9']],
  ['_http._tcp.anon.prod.svc.cluster.local', 'SRV', 'NOERROR', [`SRV {"priority":0,"weight":100,"port":8080,"target":"10-42-1-9.anon.prod.svc.cluster.local"}`]],
  ['9.1.42.10.in-addr.arpa', 'PTR', 'NOERROR', ['PTR 10-42-1-9.anon.prod.svc.cluster.local']],
  // publishNotReadyAddresses
  ['tolerant.prod.svc.cluster.local', 'A', 'NOERROR', ['A 10.42.2.1', 'A 10.42.2.2']],
  // ExternalName
  ['ext.default.svc.cluster.local', 'CNAME', 'NOERROR', ['CNAME example.test']],
  ['alias.default.svc.cluster.local', 'A', 'NOERROR', ['A 10.43.0.20', 'CNAME web.default.svc.cluster.local']],
  // pods
  ['10-42-0-99.default.pod.cluster.local', 'A', 'NOERROR', ['A 10.42.0.99']],
  ['fd00-42--9.default.pod.cluster.local', 'AAAA', 'NOERROR', ['AAAA fd00:42::9']],
  ['not-an-ip.default.pod.cluster.local', 'A', 'NXDOMAIN', []],
  ['default.pod.cluster.local', 'A', 'NOERROR', []],
  // NODATA for existing names and empty non-terminals
  ['web.default.svc.cluster.local', 'AAAA', 'NOERROR', []],
  ['web.default.svc.cluster.local', 'TXT', 'NOERROR', []],
  ['default.svc.cluster.local', 'A', 'NOERROR', []],
  ['svc.cluster.local', 'A', 'NOERROR', []],
  ['_tcp.web.default.svc.cluster.local', 'SRV', 'NOERROR', []],
  // NXDOMAIN
  ['nope.default.svc.cluster.local', 'A', 'NXDOMAIN', []],
  ['web.nons.svc.cluster.local', 'A', 'NXDOMAIN', []],
  ['_9000._tcp.web.default.svc.cluster.local', 'SRV', 'NXDOMAIN', []], // unnamed ports have no SRV
  ['foo.cluster.local', 'A', 'NXDOMAIN', []],
  // zone apex and schema version
  ['cluster.local', 'NS', 'NOERROR', ['NS ns.dns.cluster.local']],
  ['dns-version.cluster.local', 'TXT', 'NOERROR', [`TXT ${DNS_SCHEMA_VERSION}`]],
];

for (const [name, type, rcode, want] of cases) {
  test(`resolve ${type} ${name} → ${rcode} ${want.length ? want.join(', ') : '(empty)'}`, () => {
    const a = answered(ask(name, type));
    assert.equal(a.rcode, rcode);
    assert.deepEqual(datas(a), [...want].sort());
    if (want.length === 0) {
      // NXDOMAIN and NODATA carry the zone SOA so resolvers can cache the negative answer.
      assert.equal(a.authorities.length, 1);
      assert.equal(a.authorities[0]!.type, 'SOA');
      assert.equal(a.authorities[0]!.name, ZONE);
    }
  });
}

test('answers echo the question name as asked, with the configured TTL', () => {
  const a = answered(ask('Web.Default.svc.Cluster.local', 'A'));
  assert.equal(a.answers[0]!.name, 'Web.Default.svc.Cluster.local');
  assert.equal((a.answers[0] as { ttl?: number }).ttl, 5);
});

test('SOA for the zone apex', () => {
  const a = answered(ask('cluster.local', 'SOA'));
  assert.equal(a.answers.length, 1);
  const soa = a.answers[0]!;
  assert.equal(soa.type, 'SOA');
  assert.deepEqual({ ...(soa as { data: object }).data, serial: 0 }, { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 0, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 });
});

test('an ExternalName pointing outside the zone asks the server to chase the target upstream', () => {
  const a = answered(ask('ext.default.svc.cluster.local', 'A'));
  assert.deepEqual(a.chase, { name: 'example.test', type: 'A' });
  assert.deepEqual(datas(a), ['CNAME example.test']);
});

test('names outside the zone, and reverse names we do not hold, are forwarded', () => {
  assert.equal(ask('example.test', 'A').kind, 'forward');
  assert.equal(ask('8.8.8.8.in-addr.arpa', 'PTR').kind, 'forward');
  assert.equal(ask('cluster.local.example', 'A').kind, 'forward');
});

test('a deleted Service becomes NXDOMAIN and its empty namespace disappears', () => {
  const idx = fixtureIndex();
  idx.set('solo/one', serviceRecords(svc('one', 'solo', { clusterIP: '10.43.9.9' }), [], ZONE));
  assert.equal(answered(resolve(idx, { name: 'solo.svc.cluster.local', type: 'A' })).rcode, 'NOERROR');
  idx.remove('solo/one');
  assert.equal(answered(resolve(idx, { name: 'one.solo.svc.cluster.local', type: 'A' })).rcode, 'NXDOMAIN');
  assert.equal(answered(resolve(idx, { name: 'solo.svc.cluster.local', type: 'A' })).rcode, 'NXDOMAIN');
  assert.equal(resolve(idx, { name: '9.9.43.10.in-addr.arpa', type: 'PTR' }).kind, 'forward');
});

test('CNAME loops inside the zone stop after a bounded number of hops', () => {
  const idx = fixtureIndex();
  idx.set('a/x', serviceRecords(svc('x', 'a', { type: 'ExternalName', externalName: 'y.a.svc.cluster.local' }), [], ZONE));
  idx.set('a/y', serviceRecords(svc('y', 'a', { type: 'ExternalName', externalName: 'x.a.svc.cluster.local' }), [], ZONE));
  const a = answered(resolve(idx, { name: 'x.a.svc.cluster.local', type: 'A' }));
  assert.ok(a.answers.length >= 2 && a.answers.length <= 10);
  assert.ok(a.answers.every((r) => r.type === 'CNAME'));
});
