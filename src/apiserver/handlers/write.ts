// POST (create) and PUT (update, incl. the status subresource and namespace finalize) for every
// registered type: decode, check kind and name against the URL, field validation, then the generic
// store. PUT with a stale resourceVersion is a 409; without one it is unconditional, as upstream.
import { apiVersionOf } from '../../api/resource-type.js';
import { badRequest, conflict, OBJECT_MODIFIED } from '../../machinery/errors.js';
import { isPlainObject, type KubeObject } from '../../machinery/object.js';
import { decodeBody, readBody } from '../body.js';
import { writeJson } from '../response.js';
import { notFound404 } from '../not-found.js';
import { ref } from '../store-util.js';
import { fieldValidation, warningHeaders, type HandlerContext } from './context.js';
import { findDuplicateFields } from '../../api/openapi/index.js';
import { checkUnknownFields, writeOptions } from './write-support.js';

/** Reads the request body as one object of the handler's type (or of `expectKind`). */
export async function readObject(ctx: HandlerContext, expect?: { group: string; version: string; kind: string }): Promise<KubeObject> {
  const buf = await readBody(ctx.req);
  const { value, format } = decodeBody(buf, ctx.req.headers['content-type']);
  if (format === 'json' && fieldValidation(ctx.query) !== 'Ignore') ctx.duplicateFields = findDuplicateFields(buf.toString('utf8'));
  if (!isPlainObject(value)) {
    if (value === undefined) throw badRequest('Object \'Kind\' is missing in \'\'');
    throw badRequest(`couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  const obj = value as KubeObject;
  const e = expect ?? { group: ctx.rt.group, version: ctx.rt.version, kind: ctx.rt.kind };
  const want = apiVersionOf(e);
  if (obj.kind !== undefined && obj.kind !== '' && obj.kind !== e.kind) {
    throw badRequest(`the API version in the data (${obj.apiVersion ?? ''}) does not match the expected API version (${want})`.replace(/.*/, (s) => (obj.apiVersion === want ? `Object kind ${obj.kind} does not match expected kind ${e.kind}` : s)));
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== '' && obj.apiVersion !== want) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`);
  }
  if (obj.metadata !== undefined && !isPlainObject(obj.metadata)) throw badRequest('metadata must be an object');
  return obj;
}

// Types whose upstream strategy answers AllowCreateOnUpdate() = true: a PUT of a missing object creates it.
const ALLOW_CREATE_ON_UPDATE = new Set([
  '/endpoints',
  '/events',
  '/limitranges',
  'events.k8s.io/events',
  'coordination.k8s.io/leases',
  'rbac.authorization.k8s.io/roles',
  'rbac.authorization.k8s.io/rolebindings',
  'rbac.authorization.k8s.io/clusterroles',
  'rbac.authorization.k8s.io/clusterrolebindings',
]);

function checkNamespace(ctx: HandlerContext, obj: KubeObject): void {
  const ns = obj.metadata?.namespace;
  if (ctx.rt.namespaced && ns && ns !== ctx.info.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

export async function handleCreate(ctx: HandlerContext): Promise<void> {
  if (ctx.rt.namespaced && !ctx.info.namespace) throw notFound404();
  const obj = await readObject(ctx);
  checkNamespace(ctx, obj);
  checkUnknownFields(ctx, obj);
  const opts = writeOptions(ctx);
  const created = await ctx.store.create(ctx.info.namespace, obj, opts);
  writeJson(ctx.res, 201, created, warningHeaders(ctx));
}

export async function handleUpdate(ctx: HandlerContext): Promise<void> {
  const obj = await readObject(ctx);
  const name = obj.metadata?.name;
  if (name && name !== ctx.info.name) {
    throw badRequest(`the name of the object (${name}) does not match the name on the URL (${ctx.info.name})`);
  }
  checkNamespace(ctx, obj);
  checkUnknownFields(ctx, obj);
  const sub = ctx.info.subresource || undefined;
  const opts = writeOptions(ctx, sub);
  const wantRV = obj.metadata?.resourceVersion;
  const { object, created } = await ctx.store.update(
    ctx.info.namespace,
    ctx.info.name,
    (current) => {
      if (wantRV && wantRV !== current.metadata?.resourceVersion) throw conflict(ref(ctx.rt), ctx.info.name, OBJECT_MODIFIED);
      if (sub === 'finalize') {
        // namespaces/<n>/finalize changes only spec.finalizers
        const spec = isPlainObject(obj.spec) ? obj.spec : {};
        return { ...current, spec: { ...(isPlainObject(current.spec) ? current.spec : {}), finalizers: spec.finalizers ?? [] } };
      }
      return { ...obj, metadata: { ...(obj.metadata ?? {}), name: ctx.info.name } };
    },
    {
      ...opts,
      subresource: sub === 'finalize' ? undefined : sub,
      onMissing: !sub && ALLOW_CREATE_ON_UPDATE.has(`${ctx.rt.group}/${ctx.rt.plural}`) ? () => ctx.store.create(ctx.info.namespace, { ...obj, metadata: { ...(obj.metadata ?? {}), name: ctx.info.name } }, opts) : undefined,
    },
  );
  writeJson(ctx.res, created ? 201 : 200, object, warningHeaders(ctx));
}
