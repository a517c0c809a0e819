// LIST for the generic store: a consistent read at one revision, filtered by selectors, paged with
// limit + an opaque continue token (base64 JSON {v, rv, start} like upstream's), resourceVersion and
// resourceVersionMatch semantics, and 410 Expired when a continue token's revision was compacted.
import type { ListMeta } from 'kubernetes-types/meta/v1.js';
import { storagePrefix } from '../api/resource-type.js';
import { badRequest, expired, StatusError } from '../machinery/errors.js';
import type { KubeObject } from '../machinery/object.js';
import { StorageError, type KeyValue } from '../storage/interface.js';
import { decodeShared, splicedJson } from './codec.js';
import type { GenericStore } from './generic-store.js';
import type { Predicate } from './selection.js';

export interface ListQuery {
  predicate: Predicate;
  limit?: number;
  continueToken?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListOutput {
  items: KubeObject[];
  metadata: ListMeta;
}

const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

export function decodeContinue(token: string): { rv: number; start: string } {
  try {
    const j = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: string; rv?: number; start?: string };
    if (j.v !== 'meta.k8s.io/v1' || typeof j.rv !== 'number' || typeof j.start !== 'string') throw new Error('bad');
    return { rv: j.rv, start: j.start };
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

function parseRV(s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid resource version: ${s}`);
  return n;
}

/**
 * The list as decoded objects. They are shared (decodeShared: each stored value is parsed once while
 * the watch cache holds it, as upstream's cacher keeps decoded objects), so callers must not mutate them.
 */
export async function listObjects(store: GenericStore, ns: string, q: ListQuery): Promise<ListOutput> {
  const rt = store.rt;
  return listWith(store, ns, q, (kv) => {
    const obj = decodeShared(rt, kv);
    return q.predicate.matches(obj) ? obj : undefined;
  });
}

/**
 * The same list with items as JSON text spliced from the stored values (no parse + re-serialize), for
 * plain JSON output without selectors. Undefined when the type's stored form is not its served form.
 */
export async function listRawJson(store: GenericStore, ns: string, q: ListQuery): Promise<{ items: string[]; metadata: ListMeta } | undefined> {
  const rt = store.rt;
  if (!q.predicate.everything || rt.fromStorage || rt.toStorage || rt.storageVersion !== rt.version) return undefined;
  return listWith(store, ns, q, (kv) => splicedJson(rt, kv));
}

async function listWith<T>(store: GenericStore, ns: string, q: ListQuery, map: (kv: KeyValue) => T | undefined): Promise<{ items: T[]; metadata: ListMeta }> {
  const rt = store.rt;
  const prefix = storagePrefix(rt, rt.namespaced && ns ? ns : undefined);
  const storage = store.ctx.storage;
  let revision: number | undefined;
  let startAfter: string | undefined;
  const rv = parseRV(q.resourceVersion);
  if (q.continueToken) {
    if (rv !== undefined && rv !== 0) throw badRequest('specifying resource version is not allowed when using continue');
    const c = decodeContinue(q.continueToken);
    revision = c.rv;
    startAfter = prefix + c.start;
  } else if (q.resourceVersionMatch === 'Exact') {
    if (rv === undefined || rv === 0) throw badRequest('resourceVersionMatch "Exact" is forbidden for resourceVersion "0"');
    revision = rv;
  } else if (q.resourceVersionMatch && q.resourceVersionMatch !== 'NotOlderThan') {
    throw badRequest(`resourceVersionMatch: Unsupported value: "${q.resourceVersionMatch}"`);
  } else if (rv !== undefined && rv > 0) {
    const current = await storage.currentRevision();
    if (rv > current) {
      throw new StatusError({ status: 'Failure', code: 504, reason: 'Timeout', message: `Too large resource version: ${rv}, current resource version: ${current}`, details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 } });
    }
  }
  const limit = q.limit && q.limit > 0 ? q.limit : 0;
  const items: T[] = [];
  let more = false;
  let lastKey: string | undefined;
  let remaining: number | undefined;
  try {
    for (;;) {
      const page = await storage.list(prefix, { revision, startAfter, limit: limit ? Math.max(limit - items.length, limit) : 0 });
      revision = page.revision;
      for (let i = 0; i < page.items.length; i++) {
        const kv = page.items[i]!;
        lastKey = kv.key;
        const item = map(kv);
        if (item === undefined) continue;
        items.push(item);
        if (limit && items.length >= limit) {
          more = i < page.items.length - 1 || page.more;
          if (q.predicate.everything && page.remaining !== undefined) remaining = page.remaining + (page.items.length - 1 - i);
          break;
        }
      }
      if ((limit && items.length >= limit) || !page.more) break;
      startAfter = lastKey;
    }
  } catch (e) {
    if (e instanceof StorageError && e.code === 'Compacted') {
      if (q.continueToken) throw expired(CONTINUE_EXPIRED);
      throw expired(`too old resource version: ${revision ?? 0} (${e.revision ?? 0})`);
    }
    throw e;
  }
  const metadata: ListMeta = { resourceVersion: String(revision ?? (await storage.currentRevision())) };
  if (more && lastKey !== undefined) {
    metadata.continue = encodeContinue(revision!, lastKey.slice(prefix.length));
    if (remaining !== undefined && remaining > 0) metadata.remainingItemCount = remaining;
  }
  return { items, metadata };
}
