// hostPath type checks against real files, a socket and /dev devices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkHostPathType } from './host-path.js';

test('checkHostPathType', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-hp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'f');
  writeFileSync(file, 'x');
  const sock = join(dir, 's.sock');
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(sock, r));
  t.after(() => srv.close());

  const cases: Array<[string, string | undefined, string]> = [
    [join(dir, 'nope'), undefined, ''],
    [join(dir, 'nope'), '', ''],
    [dir, 'Directory', ''],
    [file, 'Directory', `hostPath type check failed: ${file} is not a directory`],
    [join(dir, 'nope'), 'Directory', `hostPath type check failed: ${join(dir, 'nope')} is not a directory`],
    [file, 'File', ''],
    [dir, 'File', `hostPath type check failed: ${dir} is not a file`],
    [file, 'DirectoryOrCreate', `hostPath type check failed: ${file} is not a directory`],
    [dir, 'FileOrCreate', `hostPath type check failed: ${dir} is not a file`],
    [sock, 'Socket', ''],
    [file, 'Socket', `hostPath type check failed: ${file} is not a socket file`],
    ['/dev/null', 'CharDevice', ''],
    [file, 'CharDevice', `hostPath type check failed: ${file} is not a character device`],
    ['/dev/null', 'BlockDevice', 'hostPath type check failed: /dev/null is not a block device'],
    [dir, 'Weird', 'Weird is an invalid volume type'],
    ['/a/../etc', 'Directory', "invalid HostPath `/a/../etc`: must not contain '..'"],
  ];
  for (const [path, type, want] of cases) assert.equal(checkHostPathType(path, type), want, `${path} ${type}`);

  assert.equal(checkHostPathType(join(dir, 'new/deep'), 'DirectoryOrCreate'), '');
  assert.ok(statSync(join(dir, 'new/deep')).isDirectory());
  assert.equal(checkHostPathType(join(dir, 'newfile'), 'FileOrCreate'), '');
  assert.ok(statSync(join(dir, 'newfile')).isFile());
  assert.match(checkHostPathType(join(dir, 'missing-parent/f'), 'FileOrCreate'), /ENOENT/);
});
