// The CRI log parser and reader: record parsing, partial-line joining, timestamps as upstream prints
// them, tail / since / limitBytes, and follow (lines appended later; the end when the container stops).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTimestamp, parseCriLine } from './cri-log.js';
import { readLogs, type ReadLogsOptions } from './reader.js';

const FILE = [
  '2026-11-22T10:58:19.519889215+00:00 stdout F one',
  '2026-11-22T10:58:20.000000001+00:00 stderr F two',
  '2026-11-22T10:58:21.5+00:00 stdout P thr',
  '2026-11-22T10:58:21.6+00:00 stdout P e',
  '2026-11-22T10:58:21.7+00:00 stdout F e',
  'garbage line',
  '2026-11-22T10:58:22.000000000+00:00 stdout F ',
  '2026-11-22T10:58:23.000000000+00:00 stdout F four',
  '',
].join('\n');

function withFile(t: { after(fn: () => void): void }, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-logs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, '0.log');
  writeFileSync(path, content);
  return path;
}

async function read(path: string, opts: ReadLogsOptions): Promise<string> {
  let out = '';
  await readLogs(path, opts, (c) => {
    out += c;
  });
  return out;
}

test('parseCriLine: fields, partial tag, empty message, malformed', () => {
  assert.deepEqual(parseCriLine('2026-11-22T10:58:19.519889215+00:00 stdout F hello world'), {
    time: '2026-11-22T10:58:19.519889215+00:00',
    ms: Date.parse('2026-11-22T10:58:19.519Z'),
    stream: 'stdout',
    partial: false,
    message: 'hello world',
  });
  assert.equal(parseCriLine('2026-11-22T10:58:19Z stderr P  x')!.message, ' x');
  assert.equal(parseCriLine('2026-11-22T10:58:19Z stderr P  x')!.partial, true);
  assert.equal(parseCriLine('2026-11-22T10:58:19Z stdout F')!.message, '');
  assert.equal(parseCriLine('nonsense'), undefined);
  assert.equal(parseCriLine('notatime stdout F x'), undefined);
});

test('formatTimestamp: RFC3339NanoFixed like upstream', () => {
  for (const [input, want] of [
    ['2026-11-22T10:58:19.519889215+00:00', '2026-11-22T10:58:19.519889215Z'],
    ['2026-11-22T10:58:19.5Z', '2026-11-22T10:58:19.500000000Z'],
    ['2026-11-22T10:58:19+02:00', '2026-11-22T10:58:19.000000000+02:00'],
  ]) assert.equal(formatTimestamp(input!), want);
});

test('whole file: partial records joined, malformed skipped', async (t) => {
  const path = withFile(t, FILE);
  assert.equal(await read(path, {}), 'one\ntwo\nthree\n\nfour\n');
});

test('tail, since, timestamps, limitBytes', async (t) => {
  const path = withFile(t, FILE);
  assert.equal(await read(path, { tailLines: 2 }), '\nfour\n');
  assert.equal(await read(path, { tailLines: 0 }), '');
  assert.equal(await read(path, { tailLines: 100 }), 'one\ntwo\nthree\n\nfour\n');
  // A joined line carries its first record's time (21.5), so since 21.55 drops it.
  assert.equal(await read(path, { sinceMs: Date.parse('2026-11-22T10:58:21.55Z') }), '\nfour\n');
  assert.equal(await read(path, { sinceMs: Date.parse('2026-11-22T10:58:21.5Z') }), 'three\n\nfour\n');
  assert.equal(await read(path, { tailLines: 1, timestamps: true }), '2026-11-22T10:58:23.000000000Z four\n');
  assert.equal(await read(path, { limitBytes: 6 }), 'one\ntw');
});

test('a trailing partial record without its F is printed at the end', async (t) => {
  const path = withFile(t, '2026-11-22T10:58:19Z stdout P abc\n');
  assert.equal(await read(path, {}), 'abc');
});

test('follow: appended lines arrive; ends when the container stopped and the file is quiet', async (t) => {
  const path = withFile(t, '2026-11-22T10:58:19Z stdout F first\n');
  let running = true;
  let out = '';
  const done = readLogs(path, { follow: true, pollMs: 20, isRunning: async () => running }, (c) => {
    out += c;
  });
  await waitUntil(() => out === 'first\n');
  appendFileSync(path, '2026-11-22T10:58:20Z stdout P sec');
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(out, 'first\n', 'a line is printed only once complete');
  // The partial record is completed (its newline) and then closed by an empty F record.
  appendFileSync(path, 'ond\n2026-11-22T10:58:20Z stdout F \n2026-11-22T10:58:21Z stdout F ');
  appendFileSync(path, 'third\n');
  await waitUntil(() => out === 'first\nsecond\nthird\n');
  running = false;
  await done;
});

test('follow: stops when the signal aborts', async (t) => {
  const path = withFile(t, '2026-11-22T10:58:19Z stdout F x\n');
  const ac = new AbortController();
  const done = readLogs(path, { follow: true, pollMs: 20, signal: ac.signal }, () => {});
  setTimeout(() => ac.abort(), 50);
  await done;
});

async function waitUntil(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
