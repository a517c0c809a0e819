// Shared write-path helpers: the managedFields hook (recordUpdate with the request's fieldManager,
// defaulting to the User-Agent's program name as upstream), and server-side field validation
// (unknown fields → 400 `strict decoding error: …` for Strict, `Warning:` headers for Warn).
import { apiVersionOf } from '../../api/resource-type.js';
import { badRequest } from '../../machinery/errors.js';
import { isPlainObject, type KubeObject } from '../../machinery/object.js';
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1.js';
import { applyModule, openapiModule, type ApplyModule } from '../deps.js';
import type { WriteOptions } from '../generic-store.js';
import { pruneUnknownFields } from '../prune.js';
import { checkTypes } from '../type-check.js';
import { dryRunFromQuery, fieldValidation, type HandlerContext } from './context.js';

export function defaultManager(ua: string | undefined): string {
  // upstream prefixFromUserAgent: the part before the first '/', max 128 chars.
  const s = (ua ?? '').split('/')[0] ?? '';
  return s.slice(0, 128);
}

export async function fieldManagerOf(ctx: HandlerContext): Promise<string> {
  const fm = ctx.query.get('fieldManager');
  if (fm !== null && fm !== '') {
    if (fm.length > 128) throw badRequest(`fieldManager: Too long: must have at most 128 bytes`);
    return fm;
  }
  const ua = ctx.req.headers['user-agent'];
  const am = await applyModule();
  const m = am ? am.managerFromUserAgent(ua) : defaultManager(ua);
  return m || 'unknown';
}

/** Extracts the object from whatever shape the apply module returns. */
export function asObject(result: unknown, fallback: KubeObject): KubeObject {
  if (Array.isArray(result)) {
    return { ...fallback, metadata: { ...(fallback.metadata ?? {}), managedFields: result as ManagedFieldsEntry[] } };
  }
  if (isPlainObject(result)) {
    if (isPlainObject(result.object)) return result.object as KubeObject;
    if ('metadata' in result || 'apiVersion' in result) return result as KubeObject;
  }
  return fallback;
}

export async function writeOptions(ctx: HandlerContext, subresource?: string): Promise<WriteOptions> {
  const dryRun = dryRunFromQuery(ctx.query);
  const manager = await fieldManagerOf(ctx);
  const am: ApplyModule | undefined = await applyModule();
  const oa = await openapiModule();
  const schema = oa?.schemaFor(ctx.rt.group, ctx.rt.version, ctx.rt.kind);
  const apiVersion = apiVersionOf(ctx.rt);
  return {
    dryRun,
    manage: am
      ? (obj, old) => {
          try {
            return asObject(am.recordUpdate({ old, updated: obj, manager, schema, apiVersion, subresource, now: ctx.now() }), obj);
          } catch (e) {
            // managedFields bookkeeping must never fail a write
            console.error('skiff apiserver: recordUpdate failed:', e);
            return obj;
          }
        }
      : undefined,
  };
}

/**
 * Server-side field validation of a decoded object against the type's schema: Strict refuses unknown
 * fields (400), Warn reports them in `Warning:` headers; unless refused they are dropped, never stored.
 */
export async function checkUnknownFields(ctx: HandlerContext, obj: unknown, group = ctx.rt.group, version = ctx.rt.version, kind = ctx.rt.kind): Promise<void> {
  const mode = fieldValidation(ctx.query);
  const oa = await openapiModule();
  if (!oa) return;
  const schema = oa.schemaFor(group, version, kind);
  if (!schema) return;
  checkTypes(obj, schema, kind, version);
  if (mode !== 'Ignore') {
    const unknown = oa.findUnknownFields(obj, schema);
    const dups = ctx.duplicateFields ?? [];
    if (unknown.length > 0 || dups.length > 0) {
      const msgs = [...dups.map((f) => `duplicate field ${JSON.stringify(f)}`), ...unknown.map((f) => `unknown field ${JSON.stringify(f)}`)];
      if (mode === 'Strict') throw badRequest(`strict decoding error: ${msgs.join(', ')}`);
      for (const m of msgs) if (!ctx.warnings.includes(m)) ctx.warnings.push(m);
    }
  }
  pruneUnknownFields(obj, schema);
}
