// PATCH: JSON patch (RFC 6902), JSON merge patch (RFC 7386), strategic merge patch and server-side
// apply (application/apply-patch+yaml, an upsert). The patch is applied to the current object inside
// the store's update loop, so storage conflicts are retried against a fresh read; a resourceVersion in
// the patch is a precondition (409 when stale). Subresources: status (only status is kept), scale.
import { apiVersionOf } from '../../api/resource-type.js';
import { badRequest, conflict, invalid, OBJECT_MODIFIED, StatusError } from '../../machinery/errors.js';
import { forbidden as fieldForbidden, required } from '../../machinery/field-errors.js';
import { deepCopy, isPlainObject, type KubeObject } from '../../machinery/object.js';
import { decodeBody, readBody } from '../body.js';
import { schemaFor } from '../../api/openapi/index.js';
import { applyServerSide } from '../../machinery/apply/index.js';
import { applyJsonPatch } from '../../machinery/patch/json-patch.js';
import { applyMergePatch } from '../../machinery/patch/merge-patch.js';
import { applyStrategicMergePatch } from '../../machinery/patch/strategic-merge-patch.js';
import { writeJson } from '../response.js';
import { ref } from '../store-util.js';
import type { BodyFormat } from '../negotiation.js';
import { warningHeaders, type HandlerContext } from './context.js';
import { checkUnknownFields, fieldManagerOf, writeOptions } from './write-support.js';

const SUPPORTED = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

export interface DecodedPatch {
  format: BodyFormat;
  patch: unknown;
}

export async function readPatch(ctx: HandlerContext): Promise<DecodedPatch> {
  const ct = ctx.req.headers['content-type'];
  const buf = await readBody(ctx.req);
  const { format, value } = decodeBody(buf, ct);
  if (!['json-patch', 'merge-patch', 'strategic-merge-patch', 'apply-patch'].includes(format)) {
    throw new StatusError({
      status: 'Failure',
      code: 415,
      reason: 'UnsupportedMediaType',
      message: `the body of the request was in an unknown format - accepted media types include: ${SUPPORTED.join(', ')}`,
    });
  }
  if (value === undefined) throw badRequest('the body of the request was empty');
  return { format, patch: value };
}

function patchFailure(e: unknown, format: BodyFormat): never {
  if (e instanceof StatusError) throw e;
  const msg = e instanceof Error ? e.message : String(e);
  const status = (e as { httpStatus?: number }).httpStatus ?? (format === 'json-patch' ? 422 : 400);
  if (status === 422) throw new StatusError({ status: 'Failure', code: 422, reason: 'Invalid', message: msg });
  if (status === 500) throw new StatusError({ status: 'Failure', code: 500, reason: 'InternalError', message: msg });
  throw badRequest(msg);
}

/** Applies a non-apply patch to a JSON document. */
export function applyPatchTo(doc: KubeObject, p: DecodedPatch, schemaKind: { group: string; version: string; kind: string }): KubeObject {
  let out: unknown;
  try {
    if (p.format === 'json-patch') {
      if (!Array.isArray(p.patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
      out = applyJsonPatch(deepCopy(doc), p.patch);
    } else if (p.format === 'merge-patch') {
      out = applyMergePatch(deepCopy(doc), p.patch);
    } else {
      if (!isPlainObject(p.patch)) throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
      out = applyStrategicMergePatch(deepCopy(doc), p.patch, schemaFor(schemaKind.group, schemaKind.version, schemaKind.kind));
    }
  } catch (e) {
    patchFailure(e, p.format);
  }
  if (!isPlainObject(out)) throw badRequest('the patch did not produce an object');
  return out as KubeObject;
}

export async function handlePatch(ctx: HandlerContext): Promise<void> {
  const p = await readPatch(ctx);
  const sub = ctx.info.subresource || undefined;
  if (p.format === 'apply-patch') return handleApply(ctx, p, sub);
  if (ctx.query.get('force') !== null) {
    throw invalid('PatchOptions', 'meta.k8s.io', '', [fieldForbidden('force', 'may not be specified for non-apply patch')]);
  }
  const opts = writeOptions(ctx, sub);
  const { object } = await ctx.store.update(
    ctx.info.namespace,
    ctx.info.name,
    async (current) => {
      const patched = applyPatchTo(current, p, ctx.rt);
      const rv = patched.metadata?.resourceVersion;
      if (rv && rv !== current.metadata?.resourceVersion) throw conflict(ref(ctx.rt), ctx.info.name, OBJECT_MODIFIED);
      if (patched.metadata?.name !== undefined && patched.metadata.name !== ctx.info.name) {
        throw badRequest(`the name of the object (${patched.metadata.name}) does not match the name on the URL (${ctx.info.name})`);
      }
      checkUnknownFields(ctx, patched);
      return patched;
    },
    { ...opts, subresource: sub },
  );
  writeJson(ctx.res, 200, object, warningHeaders(ctx));
}

async function handleApply(ctx: HandlerContext, p: DecodedPatch, sub: string | undefined): Promise<void> {
  if (!ctx.query.get('fieldManager')) {
    throw invalid('PatchOptions', 'meta.k8s.io', '', [required('fieldManager', 'is required for apply patch')]);
  }
  if (!isPlainObject(p.patch)) throw badRequest('error decoding YAML: the apply configuration must be an object');
  const applied = p.patch as KubeObject;
  const want = apiVersionOf(ctx.rt);
  if (applied.apiVersion !== want || applied.kind !== ctx.rt.kind) {
    if (!applied.apiVersion || !applied.kind) throw badRequest("invalid object type: /, Kind=");
    throw badRequest(`invalid object type: ${applied.apiVersion}, Kind=${applied.kind}`);
  }
  if (applied.metadata?.name !== undefined && applied.metadata.name !== ctx.info.name) {
    throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${ctx.info.name})`);
  }
  checkUnknownFields(ctx, applied);
  const manager = fieldManagerOf(ctx);
  const schema = schemaFor(ctx.rt.group, ctx.rt.version, ctx.rt.kind);
  const force = ctx.query.get('force') === 'true';
  // Apply computes managedFields itself; the store must not record an Update on top.
  const opts = { dryRun: writeOptions(ctx, sub).dryRun };
  const run = (live: KubeObject | undefined) =>
    applyServerSide({ live, applied: deepCopy(applied), manager, force, schema, apiVersion: want, subresource: sub, now: ctx.now(), groupResource: { group: ctx.rt.group, resource: ctx.rt.plural } });
  const { object, created } = await ctx.store.update(ctx.info.namespace, ctx.info.name, (current) => run(current), {
    ...opts,
    subresource: sub,
    onMissing: sub
      ? undefined
      : async () => {
          const obj = run(undefined);
          obj.metadata = { ...(obj.metadata ?? {}), name: ctx.info.name };
          return ctx.store.create(ctx.info.namespace, obj, opts);
        },
  });
  writeJson(ctx.res, created ? 201 : 200, object, warningHeaders(ctx));
}
