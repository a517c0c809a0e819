// Child process for crash.test.ts: opens the database given as argv[2] and writes forever from 4
// concurrent loops (so group commits hold several writes) — creates of new keys and updates of
// earlier ones — printing `<revision> <key> <value>` to stdout only after each write has returned
// (i.e. is acknowledged). The parent SIGKILLs it mid-stream.
import { openSqliteStorage } from '../index.js';

const storage = openSqliteStorage(process.argv[2]!);

async function writer(w: number): Promise<never> {
  const revs = new Map<string, number>(); // key -> its current modRevision
  for (let i = 0; ; i++) {
    const key = `/registry/core/configmaps/crash/w${w}-k${String(i % 97).padStart(3, '0')}`;
    const value = JSON.stringify({ w, i });
    const prev = revs.get(key);
    const kv = prev === undefined ? await storage.create(key, value) : await storage.update(key, value, prev);
    revs.set(key, kv.modRevision);
    process.stdout.write(`${kv.modRevision} ${key} ${value}\n`);
  }
}

await Promise.all([0, 1, 2, 3].map(writer));
