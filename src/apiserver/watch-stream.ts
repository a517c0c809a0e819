// WATCH: newline-delimited JSON watch events over a streaming response (HTTP/2 stream or HTTP/1.1
// chunked). Starts from a resourceVersion (""/"0" = the current state as synthetic ADDED events,
// then live), filters by selectors with upstream's transitions (an object leaving the selection is
// DELETED, entering it is ADDED), sends BOOKMARKs when allowed, ends after timeoutSeconds, and
// reports a compacted start revision as a 410 Expired ERROR event in the stream.
import { apiVersionOf, storagePrefix } from '../api/resource-type.js';
import type { KubeObject } from '../machinery/object.js';
import { badRequest, expired } from '../machinery/errors.js';
import { StorageError, type WatchEvent, type WatchHandle } from '../storage/interface.js';
import { decodeKV, decodeShared } from './codec.js';
import type { GenericStore } from './generic-store.js';
import type { OutputMode } from './negotiation.js';
import { writeChunk, type Response } from './response.js';
import type { Predicate } from './selection.js';
import { buildTable, partialObjectMetadata, type IncludeObject } from './table.js';

export interface WatchParams {
  namespace: string;
  predicate: Predicate;
  resourceVersion: string | undefined;
  allowBookmarks: boolean;
  timeoutSeconds: number | undefined;
  output: OutputMode;
  include: IncludeObject;
  sendInitialEvents?: boolean;
  /** How often BOOKMARK events are sent (ms). */
  bookmarkIntervalMs?: number;
}

const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export async function serveWatch(store: GenericStore, res: Response, closed: Promise<void>, p: WatchParams): Promise<void> {
  const rt = store.rt;
  const storage = store.ctx.storage;
  const prefix = storagePrefix(rt, rt.namespaced && p.namespace ? p.namespace : undefined);
  let fromRevision: number;
  const initial: KubeObject[] = [];
  const rvText = p.resourceVersion ?? '';
  if (rvText === '' || rvText === '0' || p.sendInitialEvents) {
    const listed = await storage.list(prefix, {});
    fromRevision = listed.revision;
    for (const kv of listed.items) {
      const obj = decodeKV(rt, kv);
      if (p.predicate.matches(obj)) initial.push(obj);
    }
  } else {
    fromRevision = Number(rvText);
    if (!Number.isInteger(fromRevision) || fromRevision < 0) throw badRequest(`invalid resource version: ${rvText}`);
  }

  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
  // Clients (client-go) wait for the response headers before reading events: send them now, not
  // with the first event (HTTP/1.1 would otherwise hold them back).
  (res as { flushHeaders?: () => void }).flushHeaders?.();
  // Send the headers now: a client waits for them before it reads events, and a quiet watch may
  // have nothing to write for minutes (Node would otherwise hold them until the first chunk).
  (res as { flushHeaders?: () => void }).flushHeaders?.();
  let first = true;
  let finish: () => void = () => {};
  const done = new Promise<void>((r) => (finish = r));
  const write = (type: EventType, obj: KubeObject) => {
    if (res.writableEnded || res.destroyed) return;
    // A client that stops reading must not make the server buffer without bound: like upstream's
    // terminated slow watchers, end its stream (it re-watches from its last resourceVersion).
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      finish();
      return;
    }
    let object: unknown = obj;
    if ((type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') && p.output.kind === 'json') {
      writeChunk(res, eventLine(type, obj));
      return;
    }
    if (type !== 'ERROR' && type !== 'BOOKMARK') {
      if (p.output.kind === 'table') {
        object = buildTable(rt, [obj], {}, { include: p.include, version: p.output.version, now: store.ctx.now(), withColumns: first });
        first = false;
      } else if (p.output.kind === 'partial') {
        object = partialObjectMetadata(obj, p.output.version);
      }
    }
    writeChunk(res, JSON.stringify({ type, object }) + '\n');
  };

  for (const obj of initial) write('ADDED', obj);
  let lastRev = fromRevision;
  if (p.sendInitialEvents && p.allowBookmarks) {
    // WatchList: the end of the initial state is marked by an annotated BOOKMARK.
    write('BOOKMARK', { kind: rt.kind, apiVersion: apiVersionOf(rt), metadata: { resourceVersion: String(fromRevision), annotations: { 'k8s.io/initial-events-end': 'true' } } });
  }

  let handle: WatchHandle | undefined;
  const onEvent = (ev: WatchEvent) => {
    lastRev = Math.max(lastRev, ev.kv.modRevision);
    try {
      const out = transition(store, p.predicate, ev);
      if (out) write(out.type, out.object);
    } catch (e) {
      // A value that cannot be decoded ends this watch with an error, never the process.
      write('ERROR', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'InternalError', code: 500, message: (e as Error).message });
      finish();
    }
  };
  try {
    handle = storage.watch(prefix, {
      fromRevision,
      onEvent,
      onError: (err) => {
        // A closing server just ends the stream (clients re-watch); anything else is reported.
        if (!(err instanceof StorageError && err.code === 'Closed')) write('ERROR', expiredOrInternal(err));
        finish();
      },
    });
  } catch (e) {
    if (e instanceof StorageError && e.code === 'Compacted') {
      write('ERROR', expired(`too old resource version: ${fromRevision} (${e.revision ?? 0})`).status as unknown as KubeObject);
      res.end();
      return;
    }
    throw e;
  }

  const timers: NodeJS.Timeout[] = [];
  if (p.timeoutSeconds !== undefined && p.timeoutSeconds > 0) timers.push(setTimeout(finish, p.timeoutSeconds * 1000));
  if (p.allowBookmarks) {
    const every = p.bookmarkIntervalMs ?? 10_000;
    timers.push(
      setInterval(() => {
        write('BOOKMARK', { kind: rt.kind, apiVersion: apiVersionOf(rt), metadata: { resourceVersion: String(lastRev) } });
      }, every),
    );
  }
  closed.then(finish, finish);
  await done;
  for (const t of timers) clearTimeout(t);
  handle.stop();
  if (!res.writableEnded) res.end();
}

function expiredOrInternal(err: Error): KubeObject {
  if (err instanceof StorageError && err.code === 'Compacted') return expired(err.message).status as unknown as KubeObject;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: 'InternalError', code: 500 };
}

// Many watchers see the same storage event: decode each value once per type and serialize each
// (type, object) line once, instead of once per watcher.
const lines = new WeakMap<KubeObject, Map<string, string>>();

function eventLine(type: string, obj: KubeObject): string {
  let m = lines.get(obj);
  if (!m) lines.set(obj, (m = new Map()));
  let line = m.get(type);
  if (!line) m.set(type, (line = `{"type":"${type}","object":${JSON.stringify(obj)}}\n`));
  return line;
}

/** Maps a storage event to the watch event this client sees, given its selection. */
export function transition(store: GenericStore, pred: Predicate, ev: WatchEvent): { type: EventType; object: KubeObject } | undefined {
  const rt = store.rt;
  if (ev.type === 'DELETE') {
    // kv.value is the last value and kv.modRevision the revision of the delete.
    const last = decodeShared(rt, ev.kv);
    return pred.matches(last) ? { type: 'DELETED', object: last } : undefined;
  }
  const obj = decodeShared(rt, ev.kv);
  const nowMatches = pred.matches(obj);
  const isCreate = ev.kv.createRevision === ev.kv.modRevision;
  if (isCreate) return nowMatches ? { type: 'ADDED', object: obj } : undefined;
  if (pred.everything) return { type: 'MODIFIED', object: obj };
  const prev = ev.prevKv ? decodeShared(rt, ev.prevKv) : undefined;
  const prevMatches = prev ? pred.matches(prev) : nowMatches;
  if (nowMatches && prevMatches) return { type: 'MODIFIED', object: obj };
  if (nowMatches) return { type: 'ADDED', object: obj };
  if (prevMatches) return { type: 'DELETED', object: obj };
  return undefined;
}
