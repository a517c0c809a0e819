// update: compare-and-swap on the key's modRevision (the resourceVersion the client sent).
import type { KeyValue, Revision } from '../interface.js';
import { keyNotFound, revisionMismatch } from '../interface.js';
import { ensureOpen, type SqliteState } from './db.js';
import { appendRow, failWrite } from './append.js';

export function update(state: SqliteState, key: string, value: string, expected: Revision): Promise<KeyValue> {
  ensureOpen(state);
  const latest = state.stmt.latest.get(key);
  if (!latest) throw keyNotFound(key);
  if (latest.deleted) return failWrite(state, latest.id, keyNotFound(key));
  if (latest.id !== expected) return failWrite(state, latest.id, revisionMismatch(key, latest.id));
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
