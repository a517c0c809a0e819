// create: append a row for a key whose latest row is absent or a tombstone. The check and the insert
// run back to back in one synchronous call on the only connection, so no other write can slip in
// between; the row commits with the current group-commit batch (append.ts).
import type { KeyValue } from '../interface.js';
import { keyExists } from '../interface.js';
import { ensureOpen, type SqliteState } from './db.js';
import { appendRow } from './append.js';

export function create(state: SqliteState, key: string, value: string): Promise<KeyValue> {
  ensureOpen(state);
  const latest = state.stmt.latest.get(key);
  if (latest && !latest.deleted) throw keyExists(key);
  // A create after a delete links to the tombstone (prev_revision), as kine does.
  return appendRow(state, { name: key, created: 1, deleted: 0, prev: latest?.id ?? 0, value, oldValue: null });
}
