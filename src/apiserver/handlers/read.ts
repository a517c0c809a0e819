// GET, LIST and WATCH for every registered type, rendered per the negotiated output (object/list,
// Table, PartialObjectMetadata(List)).
import type { ListMeta } from 'kubernetes-types/meta/v1.js';
import { apiVersionOf } from '../../api/resource-type.js';
import { badRequest } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { writeBody, writeJson } from '../response.js';
import { buildPredicate } from '../selection.js';
import { listObjects, listRawJson } from '../store-list.js';
import { buildTable, buildTableJson, parseIncludeObject, partialObjectMetadata, partialObjectMetadataList } from '../table.js';
import { serveWatch } from '../watch-stream.js';
import { warningHeaders, type HandlerContext } from './context.js';

export function render(ctx: HandlerContext, obj: KubeObject): KubeObject {
  const o = ctx.output;
  if (o.kind === 'table') {
    return buildTable(ctx.rt, [obj], { resourceVersion: obj.metadata?.resourceVersion }, { include: parseIncludeObject(ctx.query.get('includeObject')), version: o.version, now: ctx.now() });
  }
  if (o.kind === 'partial') return partialObjectMetadata(obj, o.version);
  return obj;
}

export async function handleGet(ctx: HandlerContext): Promise<void> {
  const obj = await ctx.store.get(ctx.info.namespace, ctx.info.name);
  writeJson(ctx.res, 200, render(ctx, obj), warningHeaders(ctx));
}

function parseLimit(q: URLSearchParams): number | undefined {
  const l = q.get('limit');
  if (l === null || l === '') return undefined;
  const n = Number(l);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`limit: Invalid value: "${l}"`);
  return n;
}

export async function handleList(ctx: HandlerContext): Promise<void> {
  const q = ctx.query;
  const predicate = buildPredicate(ctx.rt, q.get('labelSelector'), q.get('fieldSelector'));
  const lq = {
    predicate,
    limit: parseLimit(q),
    continueToken: q.get('continue') || undefined,
    resourceVersion: q.get('resourceVersion') ?? undefined,
    resourceVersionMatch: q.get('resourceVersionMatch') || undefined,
  };
  if (ctx.output.kind === 'json' && !/^\s*application\/yaml\b/.test(ctx.req.headers.accept ?? '')) {
    // Large plain lists are assembled from the stored JSON text (no parse + stringify per item).
    const raw = await listRawJson(ctx.store, ctx.info.namespace, lq);
    if (raw) {
      const head = `{"apiVersion":${JSON.stringify(apiVersionOf(ctx.rt))},"kind":${JSON.stringify(ctx.rt.listKind)},"metadata":${JSON.stringify(raw.metadata)},"items":[`;
      writeBody(ctx.res, 200, 'application/json', head + raw.items.join(',') + ']}', warningHeaders(ctx));
      return;
    }
  }
  const out = await listObjects(ctx.store, ctx.info.namespace, lq);
  if (ctx.output.kind === 'table' && !/^\s*application\/yaml\b/.test(ctx.req.headers.accept ?? '')) {
    // What `kubectl get` asks for: rows assembled around each object's metadata JSON, serialized once.
    const include = parseIncludeObject(ctx.query.get('includeObject'));
    writeBody(ctx.res, 200, 'application/json', buildTableJson(ctx.rt, out.items, out.metadata, { include, version: ctx.output.version, now: ctx.now() }), warningHeaders(ctx));
    return;
  }
  writeJson(ctx.res, 200, renderList(ctx, out.items, out.metadata), warningHeaders(ctx));
}

export function renderList(ctx: HandlerContext, items: KubeObject[], metadata: ListMeta): KubeObject {
  const o = ctx.output;
  if (o.kind === 'table') {
    return buildTable(ctx.rt, items, metadata, { include: parseIncludeObject(ctx.query.get('includeObject')), version: o.version, now: ctx.now() });
  }
  if (o.kind === 'partial') return partialObjectMetadataList(items, metadata, o.version);
  return { apiVersion: apiVersionOf(ctx.rt), kind: ctx.rt.listKind, metadata, items } as KubeObject;
}

function parseTimeoutSeconds(q: URLSearchParams): number | undefined {
  const t = q.get('timeoutSeconds');
  if (t === null || t === '') return undefined;
  const n = Number(t);
  if (!Number.isFinite(n) || n < 0) throw badRequest(`timeoutSeconds: Invalid value: "${t}"`);
  return n;
}

export async function handleWatch(ctx: HandlerContext): Promise<void> {
  const q = ctx.query;
  let fieldSelector = q.get('fieldSelector');
  // Legacy /watch/…/<name> paths watch one object.
  if (ctx.info.name) fieldSelector = fieldSelector ? `${fieldSelector},metadata.name=${ctx.info.name}` : `metadata.name=${ctx.info.name}`;
  const predicate = buildPredicate(ctx.rt, q.get('labelSelector'), fieldSelector);
  await serveWatch(ctx.store, ctx.res, ctx.closed, {
    namespace: ctx.info.namespace,
    predicate,
    resourceVersion: q.get('resourceVersion') ?? undefined,
    allowBookmarks: q.get('allowWatchBookmarks') === 'true',
    // Without timeoutSeconds upstream ends a watch after a random 30–60 minutes (min-request-timeout).
    timeoutSeconds: parseTimeoutSeconds(q) ?? 1800 * (1 + Math.random()),
    bookmarkIntervalMs: ctx.bookmarkIntervalMs,
    output: ctx.output,
    include: parseIncludeObject(q.get('includeObject')),
    sendInitialEvents: q.get('sendInitialEvents') === 'true',
  });
}
