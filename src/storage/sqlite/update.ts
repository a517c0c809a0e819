// update: compare-and-swap on the key's modRevision (the resourceVersion the client sent).
import type { KeyValue, Revision } from '../interface.js';
import { keyNotFound, revisionMismatch } from '../interface.js';
import { ensureOpen, type SqliteState } from './db.js';
import { appendRow } from './append.js';

export function update(state: SqliteState, key: string, value: string, expected: Revision): Promise<KeyValue> {
  ensureOpen(state);
  const latest = state.stmt.latest.get(key);
  if (!latest || latest.deleted) throw keyNotFound(key);
  if (latest.id !== expected) throw revisionMismatch(key, latest.id);
  return appendRow(state, {
    name: key,
    created: 0,
    deleted: 0,
    prev: latest.id,
    createRevision: latest.create_revision,
    value,
    oldValue: latest.value,
  });
}
