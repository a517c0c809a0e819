// The single place that appends to the log: assigns the next revision, inserts the row, advances
// the in-memory revision only after the insert committed, and publishes the watch event
// synchronously, before the write's promise resolves (so caches are current when the caller
// continues: read-your-writes for the watch cache).
import type { KeyValue } from '../interface.js';
import { rowToEvent, rowToKv, type Row, type SqliteState } from './db.js';

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

export function appendRow(state: SqliteState, r: NewRow): KeyValue {
  // Explicit id = rev + 1: this process is the only writer, so the log stays gap-free by
  // construction; AUTOINCREMENT additionally keeps ids of compacted rows from ever being reused.
  const id = state.rev + 1;
  const createRevision = r.created ? id : (r.createRevision ?? id);
  state.stmt.insert.run(id, r.name, r.created, r.deleted, createRevision, r.prev, r.value, r.oldValue);
  state.rev = id;
  const row: Row = {
    id,
    name: r.name,
    created: r.created,
    deleted: r.deleted,
    create_revision: createRevision,
    prev_revision: r.prev,
    value: r.value,
    old_value: r.oldValue,
  };
  state.fanout.publish(rowToEvent(row));
  return rowToKv(row); // a separate object from the event's, so callers and watchers cannot interfere
}
