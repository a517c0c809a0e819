// The scale subresource (autoscaling/v1 Scale) of deployments, replicasets, statefulsets and
// replicationcontrollers: GET renders a Scale from the parent; PUT and PATCH compute a new Scale and
// write its spec.replicas back to the parent through the store's update loop.
import type { ResourceType } from '../../api/resource-type.js';
import { badRequest, conflict, invalid, notFound, OBJECT_MODIFIED } from '../../machinery/errors.js';
import { invalid as fieldInvalid } from '../../machinery/field-errors.js';
import { isPlainObject, type KubeObject } from '../../machinery/object.js';
import { writeJson } from '../response.js';
import { ref } from '../store-util.js';
import { warningHeaders, type HandlerContext } from './context.js';
import { applyPatchTo, readPatch } from './patch.js';
import { readObject } from './write.js';
import { writeOptions } from './write-support.js';

const SCALE_GVK = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

function getPath(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

function setPath(obj: KubeObject, path: string[], value: unknown): void {
  let cur: Record<string, unknown> = obj;
  for (const p of path.slice(0, -1)) {
    if (!isPlainObject(cur[p])) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[path[path.length - 1]!] = value;
}

export function scaleOf(rt: ResourceType, obj: KubeObject): KubeObject {
  const s = rt.scale!;
  const md = obj.metadata ?? {};
  const specReplicas = getPath(obj, s.specReplicasPath);
  const statusReplicas = getPath(obj, s.statusReplicasPath);
  const status: Record<string, unknown> = { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0 };
  const selector = s.selector(obj);
  if (selector) status.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: md.name, namespace: md.namespace, uid: md.uid, resourceVersion: md.resourceVersion, creationTimestamp: md.creationTimestamp },
    spec: typeof specReplicas === 'number' ? { replicas: specReplicas } : {},
    status,
  };
}

function requireScale(ctx: HandlerContext): ResourceType {
  if (!ctx.rt.scale) throw notFound(ref(ctx.rt), ctx.info.name);
  return ctx.rt;
}

function replicasOf(scale: KubeObject, name: string): number {
  const spec = isPlainObject(scale.spec) ? scale.spec : {};
  const r = spec.replicas ?? 0;
  if (typeof r !== 'number' || !Number.isInteger(r)) throw badRequest('spec.replicas must be an integer');
  if (r < 0) throw invalid('Scale', 'autoscaling', name, [fieldInvalid('spec.replicas', r, 'must be greater than or equal to 0')]);
  return r;
}

export async function handleGetScale(ctx: HandlerContext): Promise<void> {
  const rt = requireScale(ctx);
  const obj = await ctx.store.get(ctx.info.namespace, ctx.info.name);
  writeJson(ctx.res, 200, scaleOf(rt, obj));
}

export async function handleWriteScale(ctx: HandlerContext): Promise<void> {
  const rt = requireScale(ctx);
  const isPatch = ctx.info.verb === 'patch';
  const patch = isPatch ? await readPatch(ctx) : undefined;
  const body = isPatch ? undefined : await readObject(ctx, SCALE_GVK);
  if (body?.metadata?.name && body.metadata.name !== ctx.info.name) {
    throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${ctx.info.name})`);
  }
  const opts = writeOptions(ctx, 'scale');
  const { object } = await ctx.store.update(
    ctx.info.namespace,
    ctx.info.name,
    async (current) => {
      const before = scaleOf(rt, current);
      const next = patch ? applyPatchTo(before, patch, SCALE_GVK) : body!;
      const rv = next.metadata?.resourceVersion;
      if (rv && rv !== current.metadata?.resourceVersion) throw conflict(ref(rt), ctx.info.name, OBJECT_MODIFIED);
      setPath(current, rt.scale!.specReplicasPath, replicasOf(next, ctx.info.name));
      return current;
    },
    { ...opts, subresource: 'scale' },
  );
  writeJson(ctx.res, 200, scaleOf(rt, object), warningHeaders(ctx));
}
