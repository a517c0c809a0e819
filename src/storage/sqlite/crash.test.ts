// Durability under kill -9: a child process writes in a loop and prints every acknowledged write;
// the parent kills it with SIGKILL at a random moment, reopens the database and checks that every
// acknowledged write is there with its value, that revisions are exactly 1..N with no gap, and that
// new writes continue at N+1. Repeated three times on fresh files.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openSqliteStorage } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const writer = fileURLToPath(new URL('./testdata/crash-writer.js', import.meta.url));

interface Ack {
  rev: number;
  key: string;
  value: string;
}

/** Runs the writer until `killAfter` acknowledged lines arrived, then SIGKILLs it. */
function runAndKill(file: string, killAfter: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let buf = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!; // a torn last line is not an acknowledgement
      for (const line of lines) {
        const [rev, key, value] = line.split(' ');
        acks.push({ rev: Number(rev), key: key!, value: value! });
      }
      if (!killed && acks.length >= killAfter) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(acks);
      else reject(new Error(`writer exited without being killed: ${stderr}`));
    });
  });
}

for (let round = 1; round <= 3; round++) {
  it(`every acknowledged write survives SIGKILL (round ${round})`, async () => {
    const file = join(dir, `crash-${round}.db`);
    const acks = await runAndKill(file, 300 + Math.floor(Math.random() * 700));
    assert.ok(acks.length >= 300);

    // Look at the raw log: revisions are exactly 1..N, and each acknowledged row is intact.
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT id, name, value FROM log ORDER BY id').all() as Array<{ id: number; name: string; value: string }>;
    db.close();
    assert.deepEqual(rows.map((r) => r.id), rows.map((_, i) => i + 1), 'revisions are contiguous from 1');
    for (const ack of acks) {
      const row = rows[ack.rev - 1];
      assert.deepEqual(row && { rev: row.id, key: row.name, value: row.value }, ack);
    }

    // Through the storage API: latest values and the revision counter continue from N.
    const s = openSqliteStorage(file);
    const n = rows.length;
    assert.ok(n >= acks[acks.length - 1]!.rev);
    assert.equal(await s.currentRevision(), n);
    const lastAck = acks[acks.length - 1]!;
    const latest = await s.get(lastAck.key);
    assert.ok(latest && latest.modRevision >= lastAck.rev);
    assert.equal((await s.create('/registry/core/configmaps/crash/after', 'x')).modRevision, n + 1);
    await s.close();
  });
}
