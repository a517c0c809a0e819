// Tests of the message handler: UDP size limits and the TC bit (plain and EDNS0), TCP without limit,
// error replies (NOTIMP, FORMERR, SERVFAIL before sync and when no upstream answers), and forwarding
// to a loopback upstream: the client's ID restored, TCP retry after a truncated UDP reply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import dnsPacket, { type Packet } from 'dns-packet';
import { DnsHandler } from './handler.js';
import { serviceRecords } from './service-records.js';
import { fixtureIndex, slice, svc, ZONE } from './fixtures.test-util.js';
import type { Upstream } from './forward.js';

const index = fixtureIndex();
// 40 ready endpoints: about 40 × 16 bytes of A records (dns-packet does not compress names, so more)
index.set('big/many', serviceRecords(svc('many', 'big', { clusterIP: 'None' }), [slice('many', 'big', Array.from({ length: 40 }, (_, i) => ({ ip: `10.42.3.${i + 1}` })))], ZONE));

const handler = (opts: { synced?: boolean; upstreams?: Upstream[] } = {}) =>
  new DnsHandler(index, { upstreams: opts.upstreams ?? [], forwardTimeoutMs: 300, synced: () => opts.synced ?? true });
const query = (name: string, type = 'A', extra: Partial<Packet> = {}) =>
  dnsPacket.encode({ type: 'query', id: 4242, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: type as 'A', class: 'IN' }], ...extra });
const edns = (size: number): Partial<Packet> => ({ additionals: [{ name: '.', type: 'OPT', udpPayloadSize: size, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] });
/** A decoded reply; @types/dns-packet omits `rcode`, and answers' data is read loosely. */
const decode = (b: Buffer | undefined) => {
  assert.ok(b, 'a reply');
  return dnsPacket.decode(b) as unknown as Omit<ReturnType<typeof dnsPacket.decode>, 'answers'> & { rcode: string; answers?: Array<{ type: string; name: string; data: unknown }> };
};

test('an authoritative answer: ID, question echoed, AA, RD copied, RA', async () => {
  const r = decode(await handler().handle(query('Web.default.svc.cluster.local'), false));
  assert.equal(r.id, 4242);
  assert.equal(r.rcode, 'NOERROR');
  assert.ok(r.flag_aa && r.flag_rd && r.flag_ra && r.flag_qr);
  assert.deepEqual(r.questions, [{ name: 'Web.default.svc.cluster.local', type: 'A', class: 'IN' }]);
  assert.deepEqual(r.answers?.map((a) => a.data), ['10.43.0.20']);
});

test('NXDOMAIN and NODATA carry the SOA', async () => {
  const nx = decode(await handler().handle(query('nope.default.svc.cluster.local'), false));
  assert.equal(nx.rcode, 'NXDOMAIN');
  assert.equal(nx.authorities?.[0]?.type, 'SOA');
  const nodata = decode(await handler().handle(query('web.default.svc.cluster.local', 'AAAA'), false));
  assert.equal(nodata.rcode, 'NOERROR');
  assert.equal(nodata.answers?.length, 0);
  assert.equal(nodata.authorities?.[0]?.type, 'SOA');
});

test('UDP replies over 512 bytes are truncated (TC, no answers); TCP and a large EDNS0 buffer get all', async () => {
  const udp = await handler().handle(query('many.big.svc.cluster.local'), false);
  const r = decode(udp);
  assert.ok(udp!.length <= 512);
  assert.ok(r.flag_tc);
  assert.equal(r.answers?.length, 0);
  assert.equal(r.questions?.[0]?.name, 'many.big.svc.cluster.local');

  const tcp = decode(await handler().handle(query('many.big.svc.cluster.local'), true));
  assert.ok(!tcp.flag_tc);
  assert.equal(tcp.answers?.length, 40);

  const big = decode(await handler().handle(query('many.big.svc.cluster.local', 'A', edns(1232)), false));
  assert.ok(!big.flag_tc);
  assert.equal(big.answers?.length, 40);
  assert.equal(big.additionals?.[0]?.type, 'OPT');

  // An EDNS0 size below 512 still allows 512 (RFC 6891 §6.2.5).
  const small = decode(await handler().handle(query('web.default.svc.cluster.local', 'A', edns(100)), false));
  assert.equal(small.answers?.length, 1);
});

test('error replies: NOTIMP for other opcodes, FORMERR for two questions or garbage, SERVFAIL before sync', async () => {
  const notify = Buffer.from(query('web.default.svc.cluster.local'));
  notify.writeUInt16BE(notify.readUInt16BE(2) | (4 << 11), 2); // opcode NOTIFY
  assert.equal(decode(await handler().handle(notify, false)).rcode, 'NOTIMP');
  const two = dnsPacket.encode({ type: 'query', id: 1, questions: [{ name: 'a.cluster.local', type: 'A' }, { name: 'b.cluster.local', type: 'A' }] });
  assert.equal(decode(await handler().handle(two, false)).rcode, 'FORMERR');
  const garbage = Buffer.concat([query('x.cluster.local').subarray(0, 12), Buffer.from([0xff, 0xff, 0xff])]);
  const g = decode(await handler().handle(garbage, false));
  assert.equal(g.rcode, 'FORMERR');
  assert.equal(g.id, 4242);
  assert.equal(await handler().handle(Buffer.from([1, 2, 3]), false), undefined);
  assert.equal(decode(await handler({ synced: false }).handle(query('web.default.svc.cluster.local'), false)).rcode, 'SERVFAIL');
});

test('a name outside the zone with no upstream answering is SERVFAIL', async () => {
  const r = decode(await handler().handle(query('example.test'), false));
  assert.equal(r.rcode, 'SERVFAIL');
  assert.equal(r.id, 4242);
});

test('forwarding: reply relayed under the client ID; truncated UDP upstream reply retried over TCP', async (t) => {
  const big = (id: number, name: string, tc: boolean) =>
    dnsPacket.encode({
      type: 'response',
      id,
      flags: dnsPacket.RECURSION_AVAILABLE | (tc ? dnsPacket.TRUNCATED_RESPONSE : 0),
      questions: [{ name, type: 'A', class: 'IN' }],
      answers: tc ? [] : Array.from({ length: 3 }, (_, i) => ({ name, type: 'A' as const, ttl: 60, data: `127.0.0.${i + 1}` })),
    });
  let udpIds: number[] = [];
  const answer = (msg: Buffer) => {
    const q = dnsPacket.decode(msg);
    udpIds.push(q.id!);
    return big(q.id!, q.questions![0]!.name, q.questions![0]!.name === 'big.test');
  };
  // UDP picks a free port and TCP takes the same number; another process's loopback connection may
  // hold it for TCP, so pick again then.
  let udp: ReturnType<typeof createSocket>;
  let tcp: ReturnType<typeof createServer>;
  let port: number;
  for (let attempt = 0; ; attempt++) {
    udp = createSocket('udp4');
    const u = udp;
    u.on('message', (msg, rinfo) => u.send(answer(msg), rinfo.port, rinfo.address));
    await new Promise<void>((r) => u.bind(0, '127.0.0.1', () => r()));
    port = u.address().port;
    tcp = createServer((s) => {
      s.once('data', (d: Buffer) => {
        const q = dnsPacket.decode(d.subarray(2));
        s.end(dnsPacket.streamEncode(dnsPacket.decode(big(q.id!, q.questions![0]!.name, false))));
      });
    });
    const ok = await new Promise<boolean>((resolve, reject) => {
      tcp.once('error', (e) => (attempt < 10 ? resolve(false) : reject(e)));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (ok) break;
    u.close();
  }
  t.after(() => {
    udp.close();
    tcp.close();
  });
  const h = handler({ upstreams: [{ host: '127.0.0.1', port: 1 }, { host: '127.0.0.1', port }] }); // the first refuses

  const small = decode(await h.handle(query('small.test'), false));
  assert.equal(small.id, 4242);
  assert.notEqual(udpIds[0], 4242, 'upstream sees a fresh ID'); // 1 in 65,536 chance of a false failure
  assert.equal(small.answers?.length, 3);

  udpIds = [];
  const viaTcp = decode(await h.handle(query('big.test', 'A', edns(1232)), false));
  assert.equal(viaTcp.id, 4242);
  assert.ok(!viaTcp.flag_tc);
  assert.deepEqual(viaTcp.answers?.map((a) => a.data), ['127.0.0.1', '127.0.0.2', '127.0.0.3']);
});
