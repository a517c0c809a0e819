// delete: appends a tombstone row (deleted=1) carrying the last value, so a DELETE watch event can be
// replayed with kv = last value at the delete revision and prevKv = the previous state.
import type { KeyValue, Revision } from '../interface.js';
import { keyNotFound, revisionMismatch } from '../interface.js';
import { ensureOpen, type SqliteState } from './db.js';
import { appendRow, failWrite } from './append.js';

export function del(state: SqliteState, key: string, expected?: Revision): Promise<KeyValue> {
  ensureOpen(state);
  const latest = state.stmt.latest.get(key);
  if (!latest) throw keyNotFound(key);
  if (latest.deleted) return failWrite(state, latest.id, keyNotFound(key));
  if (expected !== undefined && expected !== 0 && latest.id !== expected) return failWrite(state, latest.id, revisionMismatch(key, latest.id));
  return appendRow(state, {
    name: key,
    created: 0,
    deleted: 1,
    prev: latest.id,
    createRevision: latest.create_revision,
    value: latest.value,
    oldValue: null,
  });
}
