// Compaction: drop history at or below a revision while keeping every key's state at that revision
// readable. Deleted: rows superseded by a newer row that is itself at or below the target, and
// tombstones at or below it (the rows before a tombstone are superseded by it). Never deleted: the
// latest row of a live key. Afterwards reads and watches from below the compacted revision fail
// with Compacted ("too old resource version", HTTP 410 upstream). The compacted revision is
// persisted in the meta table so the rule survives restarts.
import type { Revision, Storage } from '../interface.js';
import { ensureOpen, type SqliteState } from './db.js';
import { commitBatch } from './append.js';

export function compact(state: SqliteState, revision: Revision): void {
  ensureOpen(state);
  commitBatch(state); // compaction runs in its own transaction, never inside a write batch
  const target = Math.min(revision, state.rev);
  const prev = state.compactRev;
  if (target <= prev) return;
  // Rows at or below `prev` were already examined by the previous compaction, so each run only
  // scans the log between the two compaction points (a primary-key range).
  state.db.transaction(() => {
    state.stmt.compactSuperseded.run(prev, target);
    state.stmt.compactTombstones.run(prev, target);
    state.stmt.setMeta.run('compact_rev', target);
  })();
  state.compactRev = target;
}

/**
 * Compacts `storage` periodically, keeping the last `keepRevisions` revisions of history (upstream
 * compacts etcd every 5 minutes; kine keeps a window too, so recently started watches can resume).
 */
export function startCompactor(storage: Storage, opts: { intervalMs: number; keepRevisions: number }): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void (async () => {
      const target = (await storage.currentRevision()) - opts.keepRevisions;
      if (target > (await storage.compactedRevision())) await storage.compact(target);
    })()
      .catch(() => {
        // Closed storage or a transient error: the next tick tries again (or stop() was due).
      })
      .finally(() => {
        running = false;
      });
  }, opts.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
