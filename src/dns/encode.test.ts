// The compressing encoder must produce what dns-packet decodes back to the same records, for every
// record type the server writes, and be smaller than dns-packet's uncompressed encoding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket, { type Answer as RR, type Packet } from 'dns-packet';
import { encodeResponse, rawQuestion } from './encode.js';

const qname = 'Db.Prod.svc.cluster.local';
const records: RR[] = [
  { name: qname, type: 'A', ttl: 5, data: '10.42.0.5' },
  { name: qname, type: 'AAAA', ttl: 5, data: 'fd00:42::5' },
  { name: qname, type: 'CNAME', ttl: 5, data: 'web.default.svc.cluster.local' },
  { name: '5.0.42.10.in-addr.arpa', type: 'PTR', ttl: 5, data: 'db-0.db.prod.svc.cluster.local' },
  { name: 'cluster.local', type: 'NS', ttl: 5, data: 'ns.dns.cluster.local' },
  { name: '_pg._tcp.' + qname, type: 'SRV', ttl: 5, data: { priority: 0, weight: 50, port: 5432, target: 'db-0.db.prod.svc.cluster.local' } },
  { name: 'dns-version.cluster.local', type: 'TXT', ttl: 5, data: '1.1.0' },
];
const soa: RR = { name: 'cluster.local', type: 'SOA', ttl: 5, data: { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 1700000000, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 } };
const opt: RR = { name: '.', type: 'OPT', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] };

test('encodeResponse round-trips through dns-packet and compresses names', () => {
  const query = dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: qname, type: 'A', class: 'IN' }] });
  const p: Packet = { id: 7, type: 'response', flags: dnsPacket.AUTHORITATIVE_ANSWER | 3, questions: [{ name: qname, type: 'A', class: 'IN' }], answers: records, authorities: [soa], additionals: [opt] };
  const mine = encodeResponse(p, rawQuestion(query));
  const theirs = dnsPacket.encode(p);
  assert.ok(mine.length < theirs.length * 0.7, `${mine.length} vs ${theirs.length}`);
  const a = dnsPacket.decode(mine) as unknown as Record<string, unknown>;
  const b = dnsPacket.decode(theirs) as unknown as Record<string, unknown>;
  assert.deepEqual(a, b);
  assert.equal((a.questions as Array<{ name: string }>)[0]!.name, qname, 'question spelling kept');
});

test('a packet with a type the encoder does not know falls back to dns-packet', () => {
  const query = dnsPacket.encode({ type: 'query', id: 8, questions: [{ name: 'x.test', type: 'MX', class: 'IN' }] });
  const p: Packet = { id: 8, type: 'response', questions: [{ name: 'x.test', type: 'MX', class: 'IN' }], answers: [{ name: 'x.test', type: 'MX', ttl: 1, data: { preference: 1, exchange: 'mail.test' } }] };
  assert.deepEqual(encodeResponse(p, rawQuestion(query)), dnsPacket.encode(p));
});
