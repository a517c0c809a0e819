// Child process for crash.test.ts: opens the database given as argv[2] and writes forever —
// creates of new keys and updates of earlier ones — printing `<revision> <key> <value>` to stdout
// only after each write has returned (i.e. is acknowledged). The parent SIGKILLs it mid-stream.
import { openSqliteStorage } from '../index.js';

const storage = openSqliteStorage(process.argv[2]!);
const revs = new Map<string, number>(); // key -> its current modRevision

for (let i = 0; ; i++) {
  const key = `/registry/core/configmaps/crash/k${String(i % 97).padStart(3, '0')}`;
  const value = JSON.stringify({ i });
  const prev = revs.get(key);
  const kv = prev === undefined ? await storage.create(key, value) : await storage.update(key, value, prev);
  revs.set(key, kv.modRevision);
  process.stdout.write(`${kv.modRevision} ${key} ${value}\n`);
  // Yield now and then so stdout can flush even if it were asynchronous.
  if (i % 16 === 0) await new Promise((r) => setImmediate(r));
}
