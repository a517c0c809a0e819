// Table-driven tests for CIDR arithmetic and the file-backed IPAM (no root needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayOf, hostRange, numberToIp, parseCidr } from './cidr.js';
import { Ipam, IpamExhaustedError } from './ipam.js';

test('parseCidr, gateway and host range', () => {
  const cases: Array<{ cidr: string; gw: string; first: string; last: string }> = [
    { cidr: '10.42.7.0/24', gw: '10.42.7.1', first: '10.42.7.2', last: '10.42.7.254' },
    { cidr: '10.42.7.9/24', gw: '10.42.7.1', first: '10.42.7.2', last: '10.42.7.254' },
    { cidr: '10.244.0.0/16', gw: '10.244.0.1', first: '10.244.0.2', last: '10.244.255.254' },
    { cidr: '192.168.1.8/30', gw: '192.168.1.9', first: '192.168.1.10', last: '192.168.1.10' },
  ];
  for (const c of cases) {
    const p = parseCidr(c.cidr);
    const r = hostRange(p);
    assert.equal(gatewayOf(p), c.gw, c.cidr);
    assert.equal(numberToIp(r.first), c.first, c.cidr);
    assert.equal(numberToIp(r.last), c.last, c.cidr);
  }
  for (const bad of ['10.42.7.0', '10.42.7/24', '10.42.7.300/24', '10.0.0.0/33']) assert.throws(() => parseCidr(bad), TypeError, bad);
});

test('IPAM allocates idempotently, round-robin, survives a restart and reports exhaustion', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ipam-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ipam = new Ipam('10.1.2.0/29', dir); // hosts .2 … .6: five pods
  assert.equal(ipam.allocate('a'), '10.1.2.2');
  assert.equal(ipam.allocate('a'), '10.1.2.2', 'same owner, same address');
  assert.equal(ipam.allocate('b'), '10.1.2.3');
  ipam.release('a');
  // Round-robin: the released .2 is not reused before the rest of the range.
  assert.equal(ipam.allocate('c'), '10.1.2.4');
  const reopened = new Ipam('10.1.2.0/29', dir);
  assert.equal(reopened.lookup('b'), '10.1.2.3', 'allocations persist on disk');
  assert.equal(reopened.allocate('d'), '10.1.2.5');
  assert.equal(reopened.allocate('e'), '10.1.2.6');
  assert.equal(reopened.allocate('f'), '10.1.2.2', 'wraps around to the freed address');
  assert.throws(() => reopened.allocate('g'), IpamExhaustedError);
  reopened.release('b');
  reopened.release('b');
  assert.equal(reopened.lookup('b'), undefined);
  assert.deepEqual(
    reopened.allocations().map(([ip]) => ip).sort(),
    ['10.1.2.2', '10.1.2.4', '10.1.2.5', '10.1.2.6'],
  );
});
