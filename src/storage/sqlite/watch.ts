// watch: replay the log after fromRevision, then stream live events. All writes happen in this
// process and publish to the in-memory fanout synchronously after commit, so "read history, then
// subscribe" done in one synchronous call cannot miss or duplicate an event: the subscriber is
// registered first with `after` = the revision the history read ends at (see fanout.ts).
import type { WatchHandle, WatchOptions } from '../interface.js';
import { compacted } from '../interface.js';
import { ensureOpen, prefixRange, rowToEvent, type SqliteState } from './db.js';

export function watch(state: SqliteState, prefix: string, opts: WatchOptions): WatchHandle {
  ensureOpen(state);
  const from = opts.fromRevision;
  // fromRevision 0 means "from now" (nothing to replay), so it can never be too old.
  if (from !== 0 && from < state.compactRev) throw compacted(from, state.compactRev);
  const upTo = Math.max(state.rev, from);
  // .all() (not .iterate()): handlers may write during the replay, which needs the connection free.
  const { lo, hi } = prefixRange(prefix);
  const rows = from > 0 && from < state.rev ? state.stmt.since.all(from, state.rev, lo, hi) : [];
  const sub = state.fanout.subscribe(prefix, opts, upTo);
  sub.replay(rows.map(rowToEvent));
  return { stop: () => sub.stop() };
}
