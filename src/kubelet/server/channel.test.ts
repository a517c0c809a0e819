import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFrame, encodeFrame, negotiate, parseResize, ResizeFeed, type TerminalSize } from './channel.js';

test('negotiate picks the server’s first choice among comma-joined offers', () => {
  assert.equal(negotiate('v4.channel.k8s.io, v5.channel.k8s.io', ['v5.channel.k8s.io', 'v4.channel.k8s.io']), 'v5.channel.k8s.io');
  assert.equal(negotiate(['v1.channel.k8s.io', 'v4.channel.k8s.io'], ['v5.channel.k8s.io', 'v4.channel.k8s.io']), 'v4.channel.k8s.io');
  assert.equal(negotiate(undefined, ['v4.channel.k8s.io']), undefined);
});

test('frames: channel byte first; the close frame only in v5', () => {
  assert.deepEqual(encodeFrame(1, 'hi'), Buffer.from([1, 0x68, 0x69]));
  assert.deepEqual(decodeFrame(Buffer.from([0, 0x61]), true), { type: 'data', channel: 0, data: Buffer.from('a') });
  assert.deepEqual(decodeFrame(Buffer.from([255, 0]), true), { type: 'close', channel: 0 });
  assert.deepEqual(decodeFrame(Buffer.from([255, 0]), false), { type: 'invalid' });
  assert.deepEqual(decodeFrame(Buffer.alloc(0), true), { type: 'invalid' });
});

test('parseResize reads kubectl’s size objects and refuses anything else', () => {
  assert.deepEqual(parseResize('{"Width":80,"Height":24}'), { width: 80, height: 24 });
  assert.equal(parseResize('{"Width":"80","Height":24}'), undefined);
  assert.equal(parseResize('not json'), undefined);
});

test('ResizeFeed: a late listener gets the latest size; first() waits for one or gives up', async () => {
  const feed = new ResizeFeed();
  assert.equal(await feed.first(20), undefined, 'no size within the wait');
  const waiting = feed.first(5000);
  feed.push({ width: 101, height: 41 });
  feed.push({ width: 100, height: 40 });
  assert.deepEqual(await waiting, { width: 101, height: 41 });
  const seen: TerminalSize[] = [];
  feed.on((s) => seen.push(s));
  feed.push({ width: 77, height: 33 });
  assert.deepEqual(seen, [{ width: 100, height: 40 }, { width: 77, height: 33 }]);
  assert.deepEqual(await feed.first(0), { width: 77, height: 33 });
});
