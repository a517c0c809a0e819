// DELETE and DELETECOLLECTION: DeleteOptions from the body (or query: gracePeriodSeconds,
// propagationPolicy, dryRun), then the generic store's deletion semantics. The response is the
// object when it remains (finalizers, graceful deletion) or, once gone, a Success Status (pods and a
// few others return the last state of the object, as upstream's ReturnDeletedObject).
import type { DeleteOptions } from 'kubernetes-types/meta/v1.js';
import { apiVersionOf } from '../../api/resource-type.js';
import { badRequest } from '../../machinery/errors.js';
import { isPlainObject, type KubeObject } from '../../machinery/object.js';
import { decodeBody, readBody } from '../body.js';
import { writeJson } from '../response.js';
import { buildPredicate } from '../selection.js';
import { deleteObject } from '../store-delete.js';
import { listObjects } from '../store-list.js';
import { isDryRun, warningHeaders, type HandlerContext } from './context.js';

const RETURNS_DELETED_OBJECT = new Set(['/pods', '/services', '/namespaces']);

export async function readDeleteOptions(ctx: HandlerContext): Promise<DeleteOptions> {
  const buf = await readBody(ctx.req);
  let opts: DeleteOptions = {};
  if (buf.length > 0) {
    const { value } = decodeBody(buf, ctx.req.headers['content-type']);
    if (value !== undefined && value !== null) {
      if (!isPlainObject(value)) throw badRequest('DeleteOptions must be an object');
      opts = value as DeleteOptions;
    }
  }
  const q = ctx.query;
  const g = q.get('gracePeriodSeconds');
  if (g !== null && g !== '' && opts.gracePeriodSeconds === undefined) {
    const n = Number(g);
    if (!Number.isInteger(n)) throw badRequest(`gracePeriodSeconds: Invalid value: "${g}"`);
    opts.gracePeriodSeconds = n;
  }
  const pp = q.get('propagationPolicy');
  if (pp && !opts.propagationPolicy) opts.propagationPolicy = pp;
  const od = q.get('orphanDependents');
  if (od && opts.orphanDependents === undefined) opts.orphanDependents = od === 'true';
  if (q.getAll('dryRun').length && !opts.dryRun) opts.dryRun = q.getAll('dryRun');
  if (opts.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)) {
    throw invalidOptions(`propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"`);
  }
  if (opts.propagationPolicy && opts.orphanDependents !== undefined) {
    throw invalidOptions('propagationPolicy: Invalid value: "' + opts.propagationPolicy + '": orphanDependents and deletionPropagation cannot be both set');
  }
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds !== null && opts.gracePeriodSeconds < 0) opts.gracePeriodSeconds = 1;
  return opts;
}

function invalidOptions(msg: string) {
  return badRequest(msg);
}

export function successStatus(ctx: HandlerContext, obj: KubeObject): KubeObject {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: obj.metadata?.name, group: ctx.rt.group, kind: ctx.rt.plural, uid: obj.metadata?.uid },
  };
}

export async function handleDelete(ctx: HandlerContext): Promise<void> {
  const opts = await readDeleteOptions(ctx);
  const dryRun = isDryRun(opts.dryRun);
  const r = await deleteObject(ctx.store, ctx.info.namespace, ctx.info.name, opts, dryRun);
  if (!r.deleted || RETURNS_DELETED_OBJECT.has(`${ctx.rt.group}/${ctx.rt.plural}`)) {
    writeJson(ctx.res, 200, r.object, warningHeaders(ctx));
  } else {
    writeJson(ctx.res, 200, successStatus(ctx, r.object), warningHeaders(ctx));
  }
}

export async function handleDeleteCollection(ctx: HandlerContext): Promise<void> {
  const opts = await readDeleteOptions(ctx);
  const dryRun = isDryRun(opts.dryRun);
  const q = ctx.query;
  const predicate = buildPredicate(ctx.rt, q.get('labelSelector'), q.get('fieldSelector'));
  const listed = await listObjects(ctx.store, ctx.info.namespace, { predicate });
  const out: KubeObject[] = [];
  for (const obj of listed.items) {
    try {
      const r = await deleteObject(ctx.store, obj.metadata?.namespace ?? '', obj.metadata?.name ?? '', opts, dryRun);
      out.push(r.object);
    } catch (e) {
      // Objects deleted concurrently are not an error for a collection delete.
      if ((e as { code?: number }).code !== 404) throw e;
    }
  }
  writeJson(ctx.res, 200, { apiVersion: apiVersionOf(ctx.rt), kind: ctx.rt.listKind, metadata: { resourceVersion: listed.metadata.resourceVersion }, items: out }, warningHeaders(ctx));
}
