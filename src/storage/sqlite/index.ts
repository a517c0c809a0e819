// The embedded SQLite storage backend (the default): an append-only log in one file, kine-style.
// Verbs live one per file (create.ts, update.ts, delete.ts, get-list.ts, watch.ts, compact.ts); this
// file wires them into the Storage interface. All work is synchronous on one better-sqlite3
// connection; the async signatures exist so other backends (etcd) fit the same interface.
import type { Storage } from '../interface.js';
import { StorageError } from '../interface.js';
import { openDb } from './db.js';
import { commitBatch } from './append.js';
import { create } from './create.js';
import { update } from './update.js';
import { del } from './delete.js';
import { count, get, list } from './get-list.js';
import { watch } from './watch.js';
import { compact, startCompactor } from './compact.js';

export { startCompactor };

/**
 * Opens (creating it and its directory if needed) the database file. Synchronous. One process per
 * file: the backend assumes it is the only writer (revisions are assigned in memory).
 */
export function openSqliteStorage(file: string): Storage {
  const state = openDb(file);
  return {
    currentRevision: async () => state.rev, // committed; writes of an open batch are not visible yet
    get: async (key) => get(state, key),
    list: async (prefix, opts) => list(state, prefix, opts),
    count: async (prefix) => count(state, prefix),
    create: async (key, value) => create(state, key, value),
    update: async (key, value, expected) => update(state, key, value, expected),
    delete: async (key, expected) => del(state, key, expected),
    watch: (prefix, opts) => watch(state, prefix, opts),
    compact: async (revision) => compact(state, revision),
    compactedRevision: async () => state.compactRev,
    close: async () => {
      if (state.closed) return;
      commitBatch(state); // writes already accepted are committed and acknowledged, not dropped
      state.closed = true;
      state.fanout.failAll(new StorageError('Closed', 'storage is closed'));
      state.db.close();
    },
  };
}
