// Unit tests of the DNS name helpers: canonical names, dashed addresses both ways, reverse names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ancestorsUnder, canonical, dashed, reverseName, undashed } from './names.js';
import { parseNameservers } from './resolv-conf.js';
import { parseUpstream } from './forward.js';

test('canonical: lower case, no trailing dot', () => {
  assert.equal(canonical('Web.Default.SVC.cluster.local.'), 'web.default.svc.cluster.local');
});

test('dashed / undashed round-trip for IPv4 and IPv6; non-addresses rejected', () => {
  for (const [ip, d] of [['10.42.0.7', '10-42-0-7'], ['2001:db8::1', '2001-db8--1']]) {
    assert.equal(dashed(ip!), d);
    assert.equal(undashed(d!), ip);
  }
  assert.equal(undashed('db-0'), undefined);
  assert.equal(undashed('10-42-0-300'), undefined);
});

test('reverseName: in-addr.arpa and nibble ip6.arpa', () => {
  assert.equal(reverseName('10.43.0.10'), '10.0.43.10.in-addr.arpa');
  assert.equal(reverseName('2001:db8::1'), '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
  assert.equal(reverseName('nope'), undefined);
});

test('ancestorsUnder lists empty non-terminals strictly below the zone', () => {
  assert.deepEqual(ancestorsUnder('_http._tcp.web.ns.svc.z', 'z'), ['_tcp.web.ns.svc.z', 'web.ns.svc.z', 'ns.svc.z', 'svc.z']);
});

test('resolv.conf nameservers and upstream parsing', () => {
  assert.deepEqual(parseNameservers('# c\nsearch x\nnameserver 192.0.2.1\nnameserver fe80::1%eth0\n'), ['192.0.2.1:53', '[fe80::1]:53']);
  assert.deepEqual(parseUpstream('127.0.0.1:5353'), { host: '127.0.0.1', port: 5353 });
  assert.deepEqual(parseUpstream('[::1]:54'), { host: '::1', port: 54 });
  assert.deepEqual(parseUpstream('::1'), { host: '::1', port: 53 });
  assert.deepEqual(parseUpstream('10.0.0.1'), { host: '10.0.0.1', port: 53 });
});
