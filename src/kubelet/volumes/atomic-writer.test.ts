// The atomic writer's on-disk layout, no-op rewrites, key removal and path validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validatePayloadPath, writePayload, type Payload } from './atomic-writer.js';

const root = mkdtempSync(join(tmpdir(), 'skiff-aw-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
const p = (o: Record<string, [string, number?]>): Payload => new Map(Object.entries(o).map(([k, [d, m]]) => [k, { data: Buffer.from(d), mode: m ?? 0o644 }]));

test('layout: timestamped dir, ..data symlink, top-level symlinks; updates swap ..data', async () => {
  const dir = join(root, 'v1');
  assert.equal(await writePayload(dir, p({ a: ['1'], 'sub/b': ['2', 0o400] })), true);
  const ts1 = readlinkSync(join(dir, '..data'));
  assert.match(ts1, /^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\..+$/);
  assert.equal(readlinkSync(join(dir, 'a')), '..data/a');
  assert.equal(readlinkSync(join(dir, 'sub')), '..data/sub');
  assert.equal(readFileSync(join(dir, 'sub/b'), 'utf8'), '2');
  assert.equal(statSync(join(dir, 'sub/b')).mode & 0o777, 0o400);
  assert.equal(statSync(join(dir, 'a')).mode & 0o777, 0o644);

  assert.equal(await writePayload(dir, p({ a: ['1'], 'sub/b': ['2', 0o400] })), false, 'unchanged payload is a no-op');
  assert.equal(readlinkSync(join(dir, '..data')), ts1);

  assert.equal(await writePayload(dir, p({ a: ['changed'], c: ['3'] })), true);
  const ts2 = readlinkSync(join(dir, '..data'));
  assert.notEqual(ts2, ts1);
  assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'changed');
  assert.equal(readFileSync(join(dir, 'c'), 'utf8'), '3');
  assert.deepEqual(readdirSync(dir).sort(), ['..data', ts2, 'a', 'c'].sort(), 'old ts dir and removed keys gone');
  assert.ok(lstatSync(join(dir, 'a')).isSymbolicLink());

  assert.equal(await writePayload(dir, p({ a: ['changed', 0o600], c: ['3'] })), true, 'mode change is a change');
  assert.equal(await writePayload(dir, new Map()), true);
  assert.deepEqual(readdirSync(dir).filter((e) => !e.startsWith('..')), []);
});

test('payload paths are validated like upstream', async () => {
  assert.equal(validatePayloadPath('a/b'), '');
  assert.match(validatePayloadPath('/abs'), /must be relative/);
  assert.match(validatePayloadPath('a/../b'), /must not contain '\.\.'/);
  assert.match(validatePayloadPath('..x'), /must not start with '\.\.'/);
  await assert.rejects(writePayload(join(root, 'bad'), p({ '../escape': ['x'] })), /must not contain/);
});
