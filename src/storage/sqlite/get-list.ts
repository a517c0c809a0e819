// Reads: get (latest row of a key), list (latest row per key under a prefix at one revision, paged)
// and count. A list is one indexed query whatever the revision: for each name in the prefix's key
// range, the newest row with id <= revision, skipping tombstones. Paging is keyset paging: the next
// page starts strictly after the last key of the previous one, pinned to the same revision, so pages
// stay consistent while writes continue.
import type { KeyValue, ListOptions, ListResult, Revision } from '../interface.js';
import { compacted } from '../interface.js';
import { ensureOpen, prefixRange, rowToKv, type SqliteState } from './db.js';

export function get(state: SqliteState, key: string): KeyValue | undefined {
  ensureOpen(state);
  const row = state.stmt.latestAt.get(key, state.rev);
  return row && !row.deleted ? rowToKv(row) : undefined;
}

/** The revision a read is served at: 0/undefined = current; a future revision reads the current state. */
function readRevision(state: SqliteState, requested: Revision | undefined): Revision {
  if (!requested) return state.rev;
  if (requested < state.compactRev) throw compacted(requested, state.compactRev);
  return Math.min(requested, state.rev);
}

export function list(state: SqliteState, prefix: string, opts: ListOptions = {}): ListResult {
  ensureOpen(state);
  const rev = readRevision(state, opts.revision);
  const { lo, hi } = prefixRange(prefix);
  const after = opts.startAfter ?? '';
  const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
  // Ask for one extra row to learn whether more follow; -1 means "no limit" to SQLite.
  const rows = state.stmt.list.all({ lo, hi, after, rev, limit: limit ? limit + 1 : -1 });
  const more = limit > 0 && rows.length > limit;
  if (more) rows.length = limit;
  const items = rows.map(rowToKv);
  let remaining = 0;
  if (more) {
    const last = items[items.length - 1]!.key;
    remaining = state.stmt.count.get({ lo, hi, after: last, rev })?.n ?? 0;
  }
  return { items, revision: rev, more, remaining };
}

export function count(state: SqliteState, prefix: string): number {
  ensureOpen(state);
  const { lo, hi } = prefixRange(prefix);
  return state.stmt.count.get({ lo, hi, after: '', rev: state.rev })?.n ?? 0;
}
