// The range allocator's block arithmetic: allocation order, occupancy of CIDRs nodes already hold,
// release and reuse, exhaustion, and CIDRs that are not ours.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CidrSet, CidrSetExhaustedError, InvalidCidrError } from './cidr-set.js';

test('cidr-set: /24 blocks of a /16 in order, skipping occupied ones', () => {
  const s = new CidrSet('10.42.0.0/16', 24);
  assert.equal(s.size, 256);
  assert.equal(s.occupy('10.42.0.0/24'), true, 'a kubelet-flag podCIDR is ours');
  assert.equal(s.occupy('10.42.2.0/24'), true);
  assert.equal(s.allocateNext(), '10.42.1.0/24');
  assert.equal(s.allocateNext(), '10.42.3.0/24');
  assert.equal(s.allocated, 4);
});

test('cidr-set: release frees a block; the search rotates before reusing it', () => {
  const s = new CidrSet('10.42.0.0/22', 24); // 4 blocks
  assert.deepEqual([s.allocateNext(), s.allocateNext()], ['10.42.0.0/24', '10.42.1.0/24']);
  s.release('10.42.0.0/24');
  assert.equal(s.isUsed('10.42.0.0/24'), false);
  assert.equal(s.allocateNext(), '10.42.2.0/24');
  assert.equal(s.allocateNext(), '10.42.3.0/24');
  assert.equal(s.allocateNext(), '10.42.0.0/24', 'wraps round to the freed block');
  assert.throws(() => s.allocateNext(), CidrSetExhaustedError);
  s.release('10.42.1.0/24');
  assert.equal(s.allocateNext(), '10.42.1.0/24');
});

test('cidr-set: foreign CIDRs are neither occupied nor released', () => {
  const s = new CidrSet('10.42.0.0/16', 24);
  const cases: Array<[string, boolean]> = [
    ['10.42.255.0/24', true],
    ['10.43.0.0/24', false],
    ['192.168.0.0/24', false],
    ['10.42.0.0/25', false],
    ['10.42.7.9/24', true], // host bits masked: 10.42.7.0/24
  ];
  for (const [c, ours] of cases) assert.equal(s.occupy(c), ours, c);
  assert.equal(s.isUsed('10.42.7.0/24'), true);
  s.release('10.43.0.0/24');
  assert.equal(s.allocated, 2);
});

test('cidr-set: mask sizes and odd layouts', () => {
  const s = new CidrSet('10.0.0.0/8', 24);
  assert.equal(s.size, 65536);
  assert.equal(s.allocateNext(), '10.0.0.0/24');
  const t = new CidrSet('10.42.128.0/17', 26);
  assert.equal(t.allocateNext(), '10.42.128.0/26');
  assert.equal(t.allocateNext(), '10.42.128.64/26');
  assert.throws(() => new CidrSet('10.0.0.0/8', 25), InvalidCidrError, 'more than 16 bits of blocks');
  assert.throws(() => new CidrSet('10.42.0.0/16', 15), InvalidCidrError);
  assert.throws(() => new CidrSet('10.42.0/16', 24), InvalidCidrError);
});
