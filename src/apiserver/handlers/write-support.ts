// Shared write-path helpers: the managedFields hook (recordUpdate with the request's fieldManager,
// defaulting to the User-Agent's program name as upstream), and decoding checks against the type's
// schema: wrong JSON types → 400, unknown fields → 400 `strict decoding error: …` for Strict or
// `Warning:` headers for Warn; unknown fields are never stored.
import { apiVersionOf } from '../../api/resource-type.js';
import { findTypeError, pruneUnknownFields, schemaFor } from '../../api/openapi/index.js';
import { badRequest } from '../../machinery/errors.js';
import { managerFromUserAgent, recordUpdate } from '../../machinery/apply/index.js';
import type { WriteOptions } from '../generic-store.js';
import { dryRunFromQuery, fieldValidation, type HandlerContext } from './context.js';

export function fieldManagerOf(ctx: HandlerContext): string {
  const fm = ctx.query.get('fieldManager');
  if (fm !== null && fm !== '') {
    if (fm.length > 128) throw badRequest(`fieldManager: Too long: must have at most 128 bytes`);
    return fm;
  }
  return managerFromUserAgent(ctx.req.headers['user-agent']) || 'unknown';
}

export function writeOptions(ctx: HandlerContext, subresource?: string): WriteOptions {
  const manager = fieldManagerOf(ctx);
  const schema = schemaFor(ctx.rt.group, ctx.rt.version, ctx.rt.kind);
  const apiVersion = apiVersionOf(ctx.rt);
  return {
    dryRun: dryRunFromQuery(ctx.query),
    manage: (obj, old) => {
      try {
        recordUpdate({ old, updated: obj, manager, schema, apiVersion, subresource, now: ctx.now() });
      } catch (e) {
        // managedFields bookkeeping must never fail a write
        console.error('skiff apiserver: recordUpdate failed:', e);
      }
      return obj;
    },
  };
}

/**
 * Decodes `obj` against its schema as upstream's typed decoding would, and words failures as the
 * decoder does: `ConfigMap in version "v1" cannot be handled as a ConfigMap: <detail>`.
 */
export function checkUnknownFields(ctx: HandlerContext, obj: unknown, group = ctx.rt.group, version = ctx.rt.version, kind = ctx.rt.kind): void {
  const schema = schemaFor(group, version, kind);
  if (!schema) return;
  const decodeError = (detail: string) => badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${detail}`);
  const typeError = findTypeError(obj, schema, kind);
  if (typeError) throw decodeError(typeError);
  const mode = fieldValidation(ctx.query);
  const unknown = pruneUnknownFields(obj, schema);
  if (mode === 'Ignore') return;
  const dups = ctx.duplicateFields ?? [];
  if (unknown.length === 0 && dups.length === 0) return;
  const msgs = [...dups.map((f) => `duplicate field ${JSON.stringify(f)}`), ...unknown.map((f) => `unknown field ${JSON.stringify(f)}`)];
  if (mode === 'Strict') throw decodeError(`strict decoding error: ${msgs.join(', ')}`);
  for (const m of msgs) if (!ctx.warnings.includes(m)) ctx.warnings.push(m);
}
